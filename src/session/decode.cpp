#include "mixdown/session/decode.h"

#include "mixdown/session/diagnostics.h"
#include "mixdown/session/params.h"

namespace mixdown::session {

namespace {

using nlohmann::json;

/** The member, or the table's default when absent. */
const json& valueOr(const json& object, const ObjectSpec& spec, const char* key) {
  const auto found = object.find(key);
  return found != object.end() ? *found : spec.defaultOf(key);
}

std::vector<Insert> decodeInserts(const json& inserts, const std::string& pointer, const Session& session) {
  std::vector<Insert> decoded;
  std::map<std::string, int> typeCounts;
  for (const auto& insert : inserts) ++typeCounts[insert.at("type").get<std::string>()];
  std::map<std::string, int> typeSeen;
  for (std::size_t index = 0; index < inserts.size(); ++index) {
    const json& insert = inserts[index];
    Insert model;
    model.pointer = childPointer(pointer, index);
    model.type = insert.at("type").get<std::string>();
    const int ordinal = ++typeSeen[model.type];
    if (insert.contains("name")) model.name = insert.at("name").get<std::string>();
    else model.name = typeCounts[model.type] > 1 ? model.type + " " + std::to_string(ordinal) : model.type;
    model.bypass = insert.value("bypass", false);
    model.parameters = insert;
    model.tempo = session.tempo;
    model.baseDir = session.baseDir;
    decoded.push_back(std::move(model));
  }
  return decoded;
}

void decodeStrip(const json& object, const ObjectSpec& spec, const std::string& pointer, const Session& session,
                 Strip& strip) {
  const std::optional<Tempo>& tempo = session.tempo;
  strip.pointer = pointer;
  strip.name = object.at("name").get<std::string>();
  strip.gainDb = decodeAutomatable(valueOr(object, spec, "gain_db"), tempo);
  strip.pan = decodeAutomatable(valueOr(object, spec, "pan"), tempo);
  strip.mute = valueOr(object, spec, "mute").get<bool>();
  strip.solo = valueOr(object, spec, "solo").get<bool>();
  strip.invertPolarity = valueOr(object, spec, "invert_polarity").get<bool>();
  strip.output = valueOr(object, spec, "output").get<std::string>();
  strip.inserts = decodeInserts(valueOr(object, spec, "inserts"), childPointer(pointer, "inserts"), session);
  const json& sends = valueOr(object, spec, "sends");
  for (std::size_t index = 0; index < sends.size(); ++index) {
    const json& send = sends[index];
    Send model;
    model.pointer = childPointer(childPointer(pointer, "sends"), index);
    model.bus = send.at("bus").get<std::string>();
    model.levelDb = decodeAutomatable(valueOr(send, sendSpec(), "level_db"), tempo);
    model.preFader = valueOr(send, sendSpec(), "pre_fader").get<bool>();
    if (send.contains("pan")) model.pan = send.at("pan").get<double>();
    strip.sends.push_back(std::move(model));
  }
}

Clip decodeClip(const json& clip, const std::string& pointer, const std::filesystem::path& baseDir) {
  const ObjectSpec& spec = clipSpec();
  Clip model;
  model.pointer = pointer;
  model.fileAsWritten = clip.at("file").get<std::string>();
  model.file = baseDir / model.fileAsWritten;
  model.atS = valueOr(clip, spec, "at_s").get<double>();
  model.fromS = valueOr(clip, spec, "from_s").get<double>();
  if (clip.contains("duration_s")) model.durationS = clip.at("duration_s").get<double>();
  model.gainDb = valueOr(clip, spec, "gain_db").get<double>();
  model.fadeInS = valueOr(clip, spec, "fade_in_s").get<double>();
  model.fadeOutS = valueOr(clip, spec, "fade_out_s").get<double>();
  if (clip.contains("channels")) model.channels = clip.at("channels").get<std::vector<int>>();
  return model;
}

BitDepth decodeBitDepth(const json& value) {
  if (value.is_string()) return BitDepth::Float32;
  switch (value.get<int>()) {
    case 16: return BitDepth::Pcm16;
    case 32: return BitDepth::Pcm32;
    default: return BitDepth::Pcm24;
  }
}

void decodeFileOutput(const json& object, const ObjectSpec& spec, const std::string& pointer, FileOutput& output) {
  output.pointer = pointer;
  output.file = valueOr(object, spec, "file").get<std::string>();
  output.bitDepth = decodeBitDepth(valueOr(object, spec, "bit_depth"));
  if (object.contains("sample_rate")) output.sampleRate = object.at("sample_rate").get<int>();
  const json& dither = valueOr(object, spec, "dither");
  if (dither.is_string()) {
    const std::string name = dither.get<std::string>();
    output.dither = name == "tpdf" ? Dither::Tpdf : name == "shaped" ? Dither::Shaped : Dither::None;
  }
  else output.dither = output.bitDepth == BitDepth::Pcm16 ? Dither::Tpdf : Dither::None;
}

Outputs decodeOutputs(const json& outputs) {
  const ObjectSpec& spec = outputsSpec();
  Outputs model;
  model.dir = valueOr(outputs, spec, "dir").get<std::string>();
  model.report = valueOr(outputs, spec, "report").get<std::string>();
  if (const json& html = valueOr(outputs, spec, "html"); html.is_string()) model.html = html.get<std::string>();
  FileOutput mix;
  decodeFileOutput(valueOr(outputs, spec, "mix"), mixOutputSpec(), "/outputs/mix", mix);
  model.mix = mix;
  if (outputs.contains("stems")) {
    const json& stems = outputs.at("stems");
    StemsOutput stemsModel;
    decodeFileOutput(stems, stemsOutputSpec(), "/outputs/stems", stemsModel);
    stemsModel.dir = valueOr(stems, stemsOutputSpec(), "dir").get<std::string>();
    const json& of = valueOr(stems, stemsOutputSpec(), "of");
    if (of.is_array()) {
      stemsModel.of = StemsOutput::Of::List;
      stemsModel.names = of.get<std::vector<std::string>>();
    } else {
      const auto text = of.get<std::string>();
      stemsModel.of = text == "buses" ? StemsOutput::Of::Buses
                      : text == "all" ? StemsOutput::Of::All
                                      : StemsOutput::Of::Tracks;
    }
    model.stems = stemsModel;
  }
  return model;
}

PanLaw decodePanLaw(const std::string& text) {
  if (text == "-4.5dB") return PanLaw::Minus4_5Db;
  if (text == "-6dB") return PanLaw::Minus6Db;
  if (text == "0dB") return PanLaw::ZeroDb;
  return PanLaw::Minus3Db;
}

}  // namespace

AutomatableValue decodeAutomatable(const json& value, const std::optional<Tempo>& tempo) {
  AutomatableValue model;
  if (!value.is_object()) {
    model.value = value.get<double>();
    return model;
  }
  Automation automation;
  const std::string curve = value.value("curve", "linear");
  automation.curve = curve == "step" ? Automation::Curve::Step
                     : curve == "smooth" ? Automation::Curve::Smooth
                                         : Automation::Curve::Linear;
  for (const auto& point : value.at("points")) {
    double timeS = 0.0;
    if (point[0].is_string()) timeS = barBeatToSeconds(*parseBarBeat(point[0].get<std::string>()), tempo.value());
    else timeS = point[0].get<double>();
    automation.points.emplace_back(timeS, point[1].get<double>());
  }
  model.value = automation.points.front().second;
  model.automation = std::move(automation);
  return model;
}

Session decodeSession(const json& document, const std::filesystem::path& sessionFile) {
  const ObjectSpec& spec = sessionSpec();
  Session session;
  session.file = sessionFile;
  session.baseDir = sessionFile.parent_path();
  if (document.contains("sample_rate")) session.sampleRate = document.at("sample_rate").get<int>();
  if (document.contains("length_s")) session.lengthS = document.at("length_s").get<double>();
  const json& tail = valueOr(document, spec, "tail_s");
  if (tail.is_number()) session.tailS = tail.get<double>();
  session.panLaw = decodePanLaw(valueOr(document, spec, "pan_law").get<std::string>());
  if (document.contains("tempo")) {
    const json& tempo = document.at("tempo");
    session.tempo = Tempo{tempo.at("bpm").get<double>(), valueOr(tempo, tempoSpec(), "beats_per_bar").get<int>()};
  }
  const json& tracks = document.at("tracks");
  for (std::size_t index = 0; index < tracks.size(); ++index) {
    const json& track = tracks[index];
    const std::string pointer = childPointer("/tracks", index);
    Track model;
    decodeStrip(track, trackSpec(), pointer, session, model);
    model.delayMs = valueOr(track, trackSpec(), "delay_ms").get<double>();
    const json& source = track.at("source");
    if (source.is_string()) {
      model.clips.push_back(decodeClip(json{{"file", source}}, childPointer(pointer, "source"), session.baseDir));
    } else {
      for (std::size_t clip = 0; clip < source.size(); ++clip)
        model.clips.push_back(decodeClip(source[clip], childPointer(childPointer(pointer, "source"), clip),
                                         session.baseDir));
    }
    session.tracks.push_back(std::move(model));
  }
  const json& buses = valueOr(document, spec, "buses");
  for (std::size_t index = 0; index < buses.size(); ++index) {
    Bus model;
    decodeStrip(buses[index], busSpec(), childPointer("/buses", index), session, model);
    session.buses.push_back(std::move(model));
  }
  const json& master = valueOr(document, spec, "master");
  session.master.gainDb = decodeAutomatable(valueOr(master, masterSpec(), "gain_db"), session.tempo);
  session.master.inserts = decodeInserts(valueOr(master, masterSpec(), "inserts"), "/master/inserts", session);
  if (master.contains("loudness")) {
    const json& loudness = master.at("loudness");
    const json& limiter = valueOr(loudness, loudnessSpec(), "limiter");
    session.master.loudness = Loudness{loudness.at("target_lufs").get<double>(),
                                       valueOr(loudness, loudnessSpec(), "true_peak_dbtp").get<double>(),
                                       valueOr(limiter, loudnessLimiterSpec(), "lookahead_ms").get<double>(),
                                       valueOr(limiter, loudnessLimiterSpec(), "release_ms").get<double>()};
  }
  session.outputs = decodeOutputs(valueOr(document, spec, "outputs"));
  for (const auto& [name, variant] : valueOr(document, spec, "variants").items())
    if (name.empty() || name.front() != '_') session.variants.emplace(name, variant);
  const json& references = valueOr(document, spec, "references");
  for (std::size_t index = 0; index < references.size(); ++index) {
    const std::string file = references[index].get<std::string>();
    session.references.push_back({childPointer("/references", index), file, session.baseDir / file});
  }
  const json& insight = valueOr(document, spec, "insight");
  if (insight.contains("masking")) session.insight.maskingAsWritten = insight.at("masking").get<bool>();
  const json& limits = valueOr(insight, insightSpec(), "masking_limits");
  for (std::size_t index = 0; index < limits.size(); ++index)
    session.insight.maskingLimits.push_back({childPointer("/insight/masking_limits", index), limits[index].at("track").get<std::string>(),
                                             limits[index].value("region", std::string()),
                                             limits[index].at("max_masked_fraction").get<double>()});
  if (insight.contains("reference_tolerance_db"))
    session.insight.referenceToleranceDb = insight.at("reference_tolerance_db").get<double>();
  session.insight.masking = session.insight.maskingAsWritten.value_or(kMaskingByDefault && session.tracks.size() <= kMaxMaskingTracks);
  return session;
}

}  // namespace mixdown::session
