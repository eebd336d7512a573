#include "mixdown/session/params.h"

#include <stdexcept>

namespace mixdown::session {

namespace {

using nlohmann::json;

ValueSpec number(double minimum, double maximum, std::string unit = "") {
  ValueSpec spec;
  spec.kind = ValueKind::Number;
  spec.minimum = minimum;
  spec.maximum = maximum;
  spec.unit = std::move(unit);
  return spec;
}
/** A processor or mix parameter: a number, or automation of it. */
ValueSpec automatable(double minimum, double maximum, std::string unit = "") {
  ValueSpec spec = number(minimum, maximum, std::move(unit));
  spec.automatable = true;
  return spec;
}
ValueSpec positive(double maximum, std::string unit) {
  ValueSpec spec = number(0.0, maximum, std::move(unit));
  spec.exclusiveMinimum = true;
  return spec;
}
ValueSpec integer(double minimum, double maximum) {
  ValueSpec spec;
  spec.kind = ValueKind::Integer;
  spec.minimum = minimum;
  spec.maximum = maximum;
  return spec;
}
ValueSpec ofKind(ValueKind kind) {
  ValueSpec spec;
  spec.kind = kind;
  return spec;
}
ValueSpec choice(std::vector<json> choices) {
  ValueSpec spec;
  spec.kind = ValueKind::Choice;
  spec.choices = std::move(choices);
  return spec;
}
ValueSpec object(const ObjectSpec& objectSpec) {
  ValueSpec spec;
  spec.kind = ValueKind::Object;
  spec.object = &objectSpec;
  return spec;
}
// The limiter insert's timing; master.loudness's limiter takes the same keys, ranges and defaults.
constexpr double kLimiterLookaheadMs = 1.5;
constexpr double kLimiterReleaseMs = 50.0;
constexpr double kLimiterMinReleaseMs = 1.0;
constexpr double kLimiterMaxReleaseMs = 5000.0;
constexpr double kLimiterMaxLookaheadMs = 20.0;
const char* const kLimiterLookaheadMeaning = "lookahead (latency): how long before a peak the gain starts to fall";
const char* const kLimiterReleaseMeaning = "time constant of recovery";

ValueSpec arrayOf(ValueSpec item, std::size_t minItems = 0,
                  std::size_t maxItems = std::numeric_limits<std::size_t>::max()) {
  ValueSpec spec;
  spec.kind = ValueKind::Array;
  spec.items.push_back(std::move(item));
  spec.minItems = minItems;
  spec.maxItems = maxItems;
  return spec;
}
ValueSpec mapOf(ValueSpec item, std::size_t maxItems = std::numeric_limits<std::size_t>::max()) {
  ValueSpec spec;
  spec.kind = ValueKind::Map;
  spec.items.push_back(std::move(item));
  spec.maxItems = maxItems;
  return spec;
}
ValueSpec oneOf(std::vector<ValueSpec> alternatives) {
  ValueSpec spec;
  spec.kind = ValueKind::OneOf;
  spec.alternatives = std::move(alternatives);
  return spec;
}

FieldSpec required(std::string key, ValueSpec value, std::string description) {
  return FieldSpec{std::move(key), std::move(value), json(), true, std::move(description), {}};
}
FieldSpec optional(std::string key, ValueSpec value, json defaultValue, std::string description) {
  return FieldSpec{std::move(key), std::move(value), std::move(defaultValue), false, std::move(description), {}};
}

/** field, whose automation this version refuses because it sets a delay line's length. */
FieldSpec setsLineLength(FieldSpec field, std::string what) {
  field.automationNotRendered = "it sets the length of " + std::move(what);
  return field;
}

ValueSpec sidechainValue() {
  return oneOf({ofKind(ValueKind::Name), object(sidechainSpec())});
}

/** type, name and bypass, which every processor has, then its own parameters. */
ObjectSpec processorTable(const std::string& type, std::string description, std::vector<FieldSpec> parameters) {
  ObjectSpec spec{"processor_" + type, std::move(description), {}};
  spec.fields.push_back(required("type", choice({type}), "processor type"));
  spec.fields.push_back(optional("name", ofKind(ValueKind::Name), json(),
                                 "name for --set, automation and the report"));
  spec.fields.push_back(optional("bypass", ofKind(ValueKind::Boolean), false, "pass the signal through unchanged"));
  for (auto& parameter : parameters) spec.fields.push_back(std::move(parameter));
  return spec;
}

/** The keys tracks and buses share. */
std::vector<FieldSpec> stripFields() {
  ValueSpec insert = ofKind(ValueKind::Processor);
  return {
      required("name", ofKind(ValueKind::Name), "unique among tracks and buses; \"master\" is reserved"),
      optional("gain_db", automatable(-144.0, 24.0, "dB"), 0.0, "fader"),
      optional("pan", automatable(-1.0, 1.0), 0.0, "-1 hard left, +1 hard right; balance for stereo signals"),
      optional("mute", ofKind(ValueKind::Boolean), false, "silences the output and the sends"),
      optional("solo", ofKind(ValueKind::Boolean), false,
               "when anything is soloed, what is not soloed (or feeding or fed by a solo) is silent"),
      optional("invert_polarity", ofKind(ValueKind::Boolean), false, "multiplies the signal by -1"),
      optional("inserts", arrayOf(insert, 0, kMaxInsertsPerStrip), json::array(), "processors, in order, before the fader"),
      optional("sends", arrayOf(object(sendSpec()), 0, kMaxSendsPerStrip), json::array(), "sends to buses"),
      optional("output", ofKind(ValueKind::Name), "master", "bus name or \"master\""),
  };
}

}  // namespace

const FieldSpec* ObjectSpec::field(std::string_view key) const {
  for (const auto& candidate : fields)
    if (candidate.key == key) return &candidate;
  return nullptr;
}

const json& ObjectSpec::defaultOf(std::string_view key) const {
  const FieldSpec* found = field(key);
  if (!found) throw std::logic_error("no key \"" + std::string(key) + "\" in the table of " + name);
  return found->defaultValue;
}

const ObjectSpec& tempoSpec() {
  static const ObjectSpec spec{"tempo", "enables \"bar:beat\" times and beat-based delay times",
                               {required("bpm", number(20.0, 400.0, "bpm"), "beats per minute"),
                                optional("beats_per_bar", integer(1, 32), 4, "beats in a bar")}};
  return spec;
}

const ObjectSpec& automationSpec() {
  static const ObjectSpec spec{
      "automation", "a parameter that changes over time",
      {required("points", arrayOf(arrayOf(ofKind(ValueKind::Any), 2, 2), 1, kMaxAutomationPoints),
                "[[time, value], ...]: time in seconds or \"bar:beat\"; times never decrease"),
       optional("curve", choice({"linear", "step", "smooth"}), "linear", "interpolation between points")}};
  return spec;
}

const ObjectSpec& sidechainSpec() {
  static const ObjectSpec spec{"sidechain", "key signal from a track or bus, after its inserts and before its fader",
                               {required("source", ofKind(ValueKind::Name), "track or bus name"),
                                optional("highpass_hz", number(10.0, 20000.0, "Hz"), json(),
                                         "highpass on the key (12 dB/oct)")}};
  return spec;
}

namespace {
std::vector<FieldSpec> eqBandFields() {
  return {
      required("type", choice({"peak", "low_shelf", "high_shelf", "highpass", "lowpass", "bandpass", "notch"}),
               "band type (RBJ Audio EQ Cookbook)"),
      required("freq_hz", automatable(10.0, 100000.0, "Hz"), "centre or corner frequency, below half the sample rate"),
      optional("gain_db", automatable(-48.0, 48.0, "dB"), 0.0, "peak and shelves"),
      optional("q", automatable(0.025, 40.0), 0.707, "the cookbook's Q (shelves too)"),
      optional("slope_db_oct", choice({12, 24, 36, 48}), 12,
               "highpass and lowpass; steeper than 12 is a Butterworth filter of order slope/6"),
  };
}
}  // namespace

const ObjectSpec& eqBandSpec() {
  static const ObjectSpec spec{"eq_band", "one EQ band", eqBandFields()};
  return spec;
}

const ObjectSpec& dynamicEqBandSpec() {
  static const ObjectSpec spec = [] {
    ObjectSpec built{"dynamic_eq_band", "an EQ band whose gain follows the level in the band", {}};
    for (auto& field : eqBandFields()) {
      if (field.key == "slope_db_oct") continue;  // peak and shelves only
      if (field.key == "type") {
        field.value = choice({"peak", "low_shelf", "high_shelf"});
        field.description = "band type (RBJ Audio EQ Cookbook); the level is measured through a bandpass (peak) or a "
                            "12 dB/oct low- or highpass (shelves) at the band's frequency";
      }
      built.fields.push_back(std::move(field));
    }
    built.fields.push_back(optional("threshold_db", automatable(-96.0, 0.0, "dB"), -24.0, "band level where gain starts to move"));
    built.fields.push_back(optional("ratio", automatable(1.0, 100.0), 2.0, "how fast the gain moves above the threshold"));
    built.fields.push_back(optional("attack_ms", automatable(0.01, 1000.0, "ms"), 5.0, "time constant of a rise"));
    built.fields.push_back(optional("release_ms", automatable(1.0, 10000.0, "ms"), 100.0, "time constant of a fall"));
    built.fields.push_back(optional("range_db", automatable(-48.0, 48.0, "dB"), -12.0, "largest cut (negative) or boost (positive)"));
    built.fields.push_back(optional("sidechain", ofKind(ValueKind::Name), json(),
                                    "track or bus whose level in this band drives the gain (one source per dynamic_eq)"));
    return built;
  }();
  return spec;
}

const std::map<std::string, ObjectSpec, std::less<>>& processorSpecs() {
  static const auto specs = [] {
    std::map<std::string, ObjectSpec, std::less<>> built;
    auto add = [&built](const std::string& type, std::string description, std::vector<FieldSpec> parameters) {
      built.emplace(type, processorTable(type, std::move(description), std::move(parameters)));
    };
    add("gain", "static or automated gain", {optional("gain_db", automatable(-144.0, 24.0, "dB"), 0.0, "gain")});
    add("stereo", "width, balance and channel swap; makes a mono signal stereo",
        {optional("width", automatable(0.0, 2.0), 1.0, "side level relative to mid: 0 mono, 1 unchanged, 2 wide"),
         optional("balance", automatable(-1.0, 1.0), 0.0, "-1 left only, +1 right only"),
         optional("swap", ofKind(ValueKind::Boolean), false, "exchange left and right")});
    add("eq", "parametric equaliser (RBJ Audio EQ Cookbook)",
        {required("bands", arrayOf(object(eqBandSpec()), 1), "bands, applied in order")});
    add("compressor", "feed-forward compressor (Giannoulis, Massberg and Reiss 2012)",
        {optional("threshold_db", automatable(-96.0, 0.0, "dB"), -18.0, "level where compression starts"),
         optional("ratio", automatable(1.0, 100.0), 4.0, "input dB over threshold per output dB"),
         optional("attack_ms", automatable(0.01, 1000.0, "ms"), 10.0, "time constant of gain reduction"),
         optional("release_ms", automatable(1.0, 10000.0, "ms"), 100.0, "time constant of recovery"),
         optional("knee_db", automatable(0.0, 48.0, "dB"), 0.0, "total width of the quadratic soft knee"),
         optional("makeup_db", automatable(-24.0, 48.0, "dB"), 0.0, "gain after compression"),
         optional("detector", choice({"peak", "rms"}), "peak", "level detector"),
         optional("lookahead_ms", number(0.0, 100.0, "ms"), 0.0, "delay of the signal against its gain (latency)"),
         optional("mix", automatable(0.0, 1.0), 1.0, "(1 - mix) * dry + mix * compressed"),
         optional("sidechain", sidechainValue(), json(), "external key")});
    add("gate", "gate or downward expander",
        {optional("threshold_db", automatable(-120.0, 0.0, "dB"), -50.0, "level below which the gate closes"),
         optional("range_db", automatable(-144.0, 0.0, "dB"), -80.0, "attenuation when fully closed"),
         optional("ratio", automatable(0.0, 100.0), 0.0, "0 is a hard gate; above 1 a downward expander"),
         optional("attack_ms", automatable(0.01, 1000.0, "ms"), 1.0, "time constant of opening"),
         optional("hold_ms", automatable(0.0, 5000.0, "ms"), 10.0, "time held open after the level falls"),
         optional("release_ms", automatable(1.0, 10000.0, "ms"), 100.0, "time constant of closing"),
         optional("hysteresis_db", automatable(0.0, 24.0, "dB"), 0.0,
                  "the gate opens at the threshold and closes below threshold - hysteresis"),
         optional("sidechain", sidechainValue(), json(), "external key")});
    add("limiter", "lookahead brickwall limiter",
        {optional("ceiling_db", automatable(-60.0, 0.0, "dB"), -1.0, "highest output peak"),
         optional("true_peak", ofKind(ValueKind::Boolean), true, "limit oversampled (true) peaks"),
         optional("lookahead_ms", number(0.0, kLimiterMaxLookaheadMs, "ms"), kLimiterLookaheadMs, kLimiterLookaheadMeaning),
         optional("release_ms", automatable(kLimiterMinReleaseMs, kLimiterMaxReleaseMs, "ms"), kLimiterReleaseMs,
                  kLimiterReleaseMeaning)});
    add("saturation", "waveshaper with oversampling",
        {optional("drive_db", automatable(0.0, 48.0, "dB"), 6.0, "gain into the curve"),
         optional("curve", choice({"tanh", "soft_clip", "tape"}), "tanh", "transfer curve"),
         optional("mix", automatable(0.0, 1.0), 1.0, "(1 - mix) * dry + mix * saturated"),
         optional("output_db", automatable(-48.0, 24.0, "dB"), 0.0, "gain after the curve"),
         optional("oversample", choice({1, 2, 4, 8}), 4, "oversampling factor"),
         optional("even", number(0.0, 1.0), 0.0,
                  "asymmetric bend: even harmonics (a 2nd of even * level / 4 on a quiet sine), DC removed")});
    add("dynamic_eq", "EQ bands whose gain follows the level in the band",
        {required("bands", arrayOf(object(dynamicEqBandSpec()), 1), "bands, applied in order")});
    add("reverb", "algorithmic reverb",
        {optional("decay_s", automatable(0.1, 30.0, "s"), 1.8, "RT60"),
         setsLineLength(optional("predelay_ms", automatable(0.0, 500.0, "ms"), 20.0, "delay before the reverb"),
                        "the predelay line"),
         setsLineLength(optional("size", automatable(0.0, 1.0), 0.6, "room size"), "the reverb's delay lines"),
         optional("damping", automatable(0.0, 1.0), 0.5, "high-frequency damping"),
         optional("width", automatable(0.0, 1.0), 1.0, "stereo width of the reverb"),
         optional("mix", automatable(0.0, 1.0), 1.0, "(1 - mix) * dry + mix * wet")});
    add("convolution", "convolution with an impulse response file",
        {required("ir", ofKind(ValueKind::Path), "impulse response audio file"),
         optional("mix", automatable(0.0, 1.0), 1.0, "(1 - mix) * dry + mix * wet"),
         optional("predelay_ms", number(0.0, 1000.0, "ms"), 0.0, "delay before the wet signal"),
         optional("normalize", ofKind(ValueKind::Boolean), true, "scale the IR to unit energy")});
    add("delay", "feedback delay",
        {setsLineLength(optional("time_ms", automatable(0.0, 10000.0, "ms"), json(), "delay time (or time_beats)"),
                        "the delay line"),
         setsLineLength(optional("time_beats", automatable(0.0, 64.0, std::string(kBeatsUnit)), json(), "delay time in beats (needs tempo)"),
                        "the delay line"),
         optional("feedback", automatable(0.0, 0.95), 0.3, "fraction fed back"),
         optional("mix", automatable(0.0, 1.0), 0.3, "(1 - mix) * dry + mix * wet"),
         optional("ping_pong", ofKind(ValueKind::Boolean), false, "alternate the repeats left and right"),
         optional("lowcut_hz", automatable(10.0, 20000.0, "Hz"), json(), "highpass in the feedback path"),
         optional("highcut_hz", automatable(20.0, 40000.0, "Hz"), json(), "lowpass in the feedback path")});
    // An LV2 plugin (plugins/): its control inputs are checked against the plugin's own description
    // (session/check_plugins.h), so their values here take any finite number.
    add("lv2", "an installed LV2 plugin (mixdown plugins lists them)",
        {required("uri", ofKind(ValueKind::String), "the plugin's URI"),
         optional("controls", mapOf(automatable(-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity())),
                  json::object(), "control input port symbol -> value in the port's own unit and range"),
         optional("sidechain", sidechainValue(), json(), "external key, fed to the plugin's sidechain inputs")});
    return built;
  }();
  return specs;
}

const ObjectSpec* processorSpec(std::string_view type) {
  const auto& specs = processorSpecs();
  const auto found = specs.find(type);
  return found == specs.end() ? nullptr : &found->second;
}

const ObjectSpec& sendSpec() {
  static const ObjectSpec spec{
      "send", "a send to a bus",
      {required("bus", ofKind(ValueKind::Name), "destination bus"),
       optional("level_db", automatable(-144.0, 24.0, "dB"), 0.0, "send level"),
       optional("pre_fader", ofKind(ValueKind::Boolean), false, "tap before the fader (and pan)"),
       optional("pan", number(-1.0, 1.0), json(), "send pan; follows the source's pan when absent")}};
  return spec;
}

const ObjectSpec& clipSpec() {
  static const ObjectSpec spec{
      "clip", "a region of an audio file placed on the timeline",
      {required("file", ofKind(ValueKind::Path), "audio file"),
       optional("at_s", number(0.0, kMaxTimeS, "s"), 0.0, "session time where the clip starts"),
       optional("from_s", number(0.0, kMaxTimeS, "s"), 0.0, "offset into the file"),
       optional("duration_s", positive(kMaxTimeS, "s"), json(), "length; to the end of the file when absent"),
       optional("gain_db", number(-144.0, 24.0, "dB"), 0.0, "clip gain"),
       optional("fade_in_s", number(0.0, kMaxTimeS, "s"), 0.0, "linear fade-in at the clip's start"),
       optional("fade_out_s", number(0.0, kMaxTimeS, "s"), 0.0, "linear fade-out at the clip's end"),
       optional("channels", arrayOf(integer(0, 1023), 1, 2), json(),
                "0-based source channels to use (all when absent; at most 2)")}};
  return spec;
}

const ObjectSpec& trackSpec() {
  static const ObjectSpec spec = [] {
    ObjectSpec built{"track", "an audio track", stripFields()};
    built.fields.insert(built.fields.begin() + 1,
                        required("source", oneOf({ofKind(ValueKind::Path), arrayOf(object(clipSpec()), 1, kMaxClipsPerTrack)}),
                                 "an audio file (one clip at time 0), or an array of clips"));
    built.fields.push_back(optional("delay_ms", number(0.0, 1000.0, "ms"), 0.0, "time alignment delay"));
    return built;
  }();
  return spec;
}

const ObjectSpec& busSpec() {
  static const ObjectSpec spec{"bus", "a stereo bus summing tracks, sends and other buses", stripFields()};
  return spec;
}

const ObjectSpec& loudnessLimiterSpec() {
  static const ObjectSpec spec{
      "loudness_limiter", "the true-peak limiter after the normalising gain",
      {optional("lookahead_ms", number(0.0, kLimiterMaxLookaheadMs, "ms"), kLimiterLookaheadMs, kLimiterLookaheadMeaning),
       optional("release_ms", number(kLimiterMinReleaseMs, kLimiterMaxReleaseMs, "ms"), kLimiterReleaseMs,
                kLimiterReleaseMeaning)}};
  return spec;
}

const ObjectSpec& loudnessSpec() {
  static const ObjectSpec spec{
      "loudness", "loudness normalisation of the finished master",
      {required("target_lufs", number(-70.0, 0.0, "LUFS"), "integrated loudness target (BS.1770-4)"),
       optional("true_peak_dbtp", number(-20.0, 0.0, "dBTP"), -1.0, "true-peak ceiling"),
       optional("limiter", object(loudnessLimiterSpec()), json::object(), "the true-peak limiter's timing")}};
  return spec;
}

const ObjectSpec& masterSpec() {
  static const ObjectSpec spec{
      "master", "the master bus",
      {optional("gain_db", automatable(-144.0, 24.0, "dB"), 0.0, "master fader, after the inserts"),
       optional("inserts", arrayOf(ofKind(ValueKind::Processor), 0, kMaxInsertsPerStrip), json::array(), "processors, in order"),
       optional("loudness", object(loudnessSpec()), json(), "normalise the finished master")}};
  return spec;
}

namespace {
std::vector<FieldSpec> fileOutputFields(const std::string& defaultFile) {
  return {optional("file", ofKind(ValueKind::Path), defaultFile, "file name; the format follows the extension"),
          optional("bit_depth", choice({16, 24, 32, "float"}), 24, "PCM bits, or 32-bit float"),
          optional("sample_rate", integer(kMinSampleRateHz, kMaxSampleRateHz), json(), "file rate; the render rate when absent"),
          optional("dither", choice({"tpdf", "shaped", "none"}), json(),
                   "\"tpdf\" by default when writing 16 bits; \"shaped\": TPDF with noise shaping")};
}
}  // namespace

const ObjectSpec& mixOutputSpec() {
  static const ObjectSpec spec{"mix_output", "the stereo mix file", fileOutputFields("mix.wav")};
  return spec;
}

const ObjectSpec& stemsOutputSpec() {
  static const ObjectSpec spec = [] {
    ObjectSpec built{"stems_output", "one file per track or bus: what it sends to its output", {}};
    built.fields.push_back(optional("of", oneOf({choice({"tracks", "buses", "all"}), arrayOf(ofKind(ValueKind::Name), 1)}),
                                    "tracks", "which stems: tracks, buses, all, or a list of names"));
    built.fields.push_back(optional("dir", ofKind(ValueKind::Path), "stems", "folder inside the output folder"));
    for (auto& field : fileOutputFields("{name}.wav")) built.fields.push_back(std::move(field));
    return built;
  }();
  return spec;
}

const ObjectSpec& outputsSpec() {
  static const ObjectSpec spec{
      "outputs", "what a render writes",
      {optional("dir", ofKind(ValueKind::Path), "renders/{session}", "output folder, beside the session file"),
       optional("mix", object(mixOutputSpec()), json::object(), "the mix"),
       optional("stems", object(stemsOutputSpec()), json(), "stems (none when absent)"),
       optional("report", ofKind(ValueKind::Path), "report.json", "the render report"),
       optional("html", ofKind(ValueKind::Path), json(),
                "a self-contained HTML page of the render, beside the report (none when absent)")}};
  return spec;
}

const ObjectSpec& variantSpec() {
  static const ObjectSpec spec{
      "variant", "an alternate version rendered into {dir}/variants/{variant}/",
      {optional("mute", arrayOf(ofKind(ValueKind::Name)), json::array(), "tracks or buses to mute"),
       optional("set", mapOf(ofKind(ValueKind::Any), kMaxVariantSets), json::object(), "--set PATH -> VALUE changes")}};
  return spec;
}

const ObjectSpec& maskingLimitSpec() {
  static const ObjectSpec spec{
      "masking_limit", "a CI gate: a track masked for more of its audible time than this is a warning (insight.masking)",
      {required("track", ofKind(ValueKind::Name), "the track"),
       optional("region", choice({"sub", "low", "low-mid", "mid", "presence", "air"}), json(),
                "judge only this region (sub 20-60 Hz, low 60-120, low-mid 120-500, mid 500-2k, presence 2-5k, air 5-20k); "
                "all bands when absent"),
       required("max_masked_fraction", number(0.0, 1.0), "the largest masked fraction allowed (0..1)")}};
  return spec;
}

const ObjectSpec& insightSpec() {
  static const ObjectSpec spec{
      "insight", "what every render measures of the mix beyond the meters (report.json's insight section)",
      {optional("masking", ofKind(ValueKind::Boolean), kMaskingByDefault,
                "masking between the tracks as they reach the mix (post-fader, post-pan): who masks whom, where, when"),
       optional("masking_limits", arrayOf(object(maskingLimitSpec()), 0, kMaxTracks), json::array(),
                "CI gates on the masking (they need \"masking\": true)"),
       optional("reference_tolerance_db", positive(48.0, "dB"), json(),
                "a CI gate: the mix's mid level within this of the references' in every broad band (loudness-matched), "
                "else a warning (insight.reference)")}};
  return spec;
}

const ObjectSpec& sessionSpec() {
  static const ObjectSpec spec{
      "session", "a mixdown session, format version 1",
      {required("mixdown", choice({1}), "format version"),
       optional("$schema", ofKind(ValueKind::String), json(), "ignored (editor support)"),
       optional("sample_rate", integer(kMinSampleRateHz, kMaxSampleRateHz), json(), "render rate; the first track's first clip's rate when absent"),
       optional("length_s", positive(kMaxTimeS, "s"), json(), "fixed render length"),
       optional("tail_s", oneOf({number(0.0, kMaxTimeS, "s"), choice({"auto"})}), "auto",
                "render time after the last clip; auto: until the master stays below -96 dBFS for 0.5 s (at most 30 s)"),
       optional("pan_law", choice({"-3dB", "-4.5dB", "-6dB", "0dB"}), "-3dB", "centre attenuation of the mono pan"),
       optional("tempo", object(tempoSpec()), json(), "tempo for bar:beat times"),
       required("tracks", arrayOf(object(trackSpec()), 1, kMaxTracks), "the tracks"),
       optional("buses", arrayOf(object(busSpec()), 0, kMaxBuses), json::array(), "the buses"),
       optional("master", object(masterSpec()), json::object(), "the master bus"),
       optional("outputs", object(outputsSpec()), json::object(), "what to write"),
       optional("variants", mapOf(object(variantSpec()), kMaxVariants), json::object(), "alternate versions"),
       optional("references", arrayOf(ofKind(ValueKind::Path), 0, kMaxReferences), json::array(),
                "reference tracks (mono or stereo audio files) every render compares its mix with, loudness-matched"),
       optional("insight", object(insightSpec()), json::object(), "the mix analyses every render reports")}};
  return spec;
}

}  // namespace mixdown::session
