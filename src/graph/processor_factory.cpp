#include "mixdown/graph/processor_factory.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <stdexcept>

#include "mixdown/dsp/automated_processor.h"
#include "mixdown/dsp/compressor.h"
#include "mixdown/dsp/convolution.h"
#include "mixdown/dsp/delay.h"
#include "mixdown/dsp/dynamic_eq.h"
#include "mixdown/dsp/eq.h"
#include "mixdown/dsp/gate.h"
#include "mixdown/dsp/limiter.h"
#include "mixdown/dsp/reverb.h"
#include "mixdown/dsp/gain_processor.h"
#include "mixdown/dsp/saturation.h"
#include "mixdown/dsp/stereo_processor.h"
#include "mixdown/graph/parameter_automation.h"
#include "mixdown/io/impulse_response_file.h"
#include "mixdown/plugins/lv2_processor.h"
#include "mixdown/session/decode.h"
#include "mixdown/session/params.h"

namespace mixdown::graph {

namespace {

using nlohmann::json;

/** The insert's value of key, else its table's default. */
const json& parameter(const session::Insert& insert, const char* key) {
  const auto found = insert.parameters.find(key);
  if (found != insert.parameters.end()) return *found;
  return session::processorSpec(insert.type)->defaultOf(key);
}

/** A band key's value, else the default of the band table. */
const json& bandValue(const json& band, const session::ObjectSpec& table, const char* key) {
  const auto found = band.find(key);
  return found != band.end() ? *found : table.defaultOf(key);
}

/**
 * Reads a processor's numeric parameters: a plain number is used as is; an
 * automation object gives its first value and an automated parameter of the
 * processor's AutomatedProcessor that moves it along its curve.
 */
template <class P>
class Reader {
public:
  using Params = typename P::Params;
  using Apply = std::function<void(Params&, double)>;

  explicit Reader(const session::Insert& insert) : insert_(insert) {}

  /** The value (the first one when automated); apply writes a later value into Params. */
  double number(const json& value, Apply apply) {
    const session::AutomatableValue decoded = session::decodeAutomatable(value, insert_.tempo);
    if (decoded.automation)
      automated_.push_back({decoded.automation->points, curveShapeOf(decoded.automation->curve), std::move(apply)});
    return decoded.value;
  }
  double number(const json& value, double Params::*member) {
    return number(value, [member](Params& params, double moved) { params.*member = moved; });
  }
  /** The insert's key (or its default), as number(). */
  double number(const char* key, double Params::*member) { return number(parameter(insert_, key), member); }
  /**
   * As number(), but the largest value of the automation: for parameters that
   * set how long the tail lasts (reverb decay, delay feedback), which
   * tailFrames() reads at prepare(). The first frame still takes its own value.
   */
  double largest(const char* key, double Params::*member) {
    const json& value = parameter(insert_, key);
    const double first = number(value, member);
    if (!value.is_object()) return first;
    double most = first;
    for (const auto& point : value.at("points")) most = std::max(most, point[1].get<double>());
    return most;
  }

  /** The processor, wrapped in an AutomatedProcessor when any parameter read was automated. */
  std::unique_ptr<Processor> finish(std::unique_ptr<P> processor) {
    if (automated_.empty()) return processor;
    return std::make_unique<dsp::AutomatedProcessor<P>>(std::move(processor), std::move(automated_));
  }

private:
  const session::Insert& insert_;
  std::vector<dsp::AutomatedParameter<Params>> automated_;
};

dsp::BiquadShape shapeOf(const std::string& type) {
  if (type == "low_shelf") return dsp::BiquadShape::LowShelf;
  if (type == "high_shelf") return dsp::BiquadShape::HighShelf;
  if (type == "highpass") return dsp::BiquadShape::Highpass;
  if (type == "lowpass") return dsp::BiquadShape::Lowpass;
  if (type == "bandpass") return dsp::BiquadShape::Bandpass;
  if (type == "notch") return dsp::BiquadShape::Notch;
  return dsp::BiquadShape::Peak;
}

/** The member of band `index` that apply sets: for automated parameters of banded processors. */
template <class Params, class Band>
auto bandMember(std::size_t index, double Band::*member) {
  return [index, member](Params& params, double value) { params.bands[index].*member = value; };
}

std::unique_ptr<Processor> makeEq(const session::Insert& insert) {
  using Eq = dsp::EqProcessor;
  const session::ObjectSpec& table = session::eqBandSpec();
  Reader<Eq> read(insert);
  Eq::Params params;
  const json& bands = insert.parameters.at("bands");
  for (std::size_t index = 0; index < bands.size(); ++index) {
    const json& band = bands[index];
    Eq::Band model;
    model.shape = shapeOf(band.at("type").get<std::string>());
    model.frequencyHz = read.number(bandValue(band, table, "freq_hz"), bandMember<Eq::Params>(index, &Eq::Band::frequencyHz));
    model.gainDb = read.number(bandValue(band, table, "gain_db"), bandMember<Eq::Params>(index, &Eq::Band::gainDb));
    model.q = read.number(bandValue(band, table, "q"), bandMember<Eq::Params>(index, &Eq::Band::q));
    model.slopeDbPerOctave = bandValue(band, table, "slope_db_oct").get<int>();
    params.bands.push_back(model);
  }
  return read.finish(std::make_unique<Eq>(std::move(params)));
}

/** The highpass of a sidechain given as { "source": ..., "highpass_hz": ... }. */
std::optional<double> keyHighpassHz(const session::Insert& insert) {
  const auto found = insert.parameters.find("sidechain");
  if (found == insert.parameters.end() || !found->is_object() || !found->contains("highpass_hz")) return std::nullopt;
  return found->at("highpass_hz").get<double>();
}

std::unique_ptr<Processor> makeCompressor(const session::Insert& insert) {
  using Compressor = dsp::CompressorProcessor;
  Reader<Compressor> read(insert);
  Compressor::Params params;
  params.thresholdDb = read.number("threshold_db", &Compressor::Params::thresholdDb);
  params.ratio = read.number("ratio", &Compressor::Params::ratio);
  params.attackMs = read.number("attack_ms", &Compressor::Params::attackMs);
  params.releaseMs = read.number("release_ms", &Compressor::Params::releaseMs);
  params.kneeDb = read.number("knee_db", &Compressor::Params::kneeDb);
  params.makeupDb = read.number("makeup_db", &Compressor::Params::makeupDb);
  params.detector = parameter(insert, "detector").get<std::string>() == "rms" ? dsp::DetectorMode::Rms
                                                                              : dsp::DetectorMode::Peak;
  params.lookaheadMs = parameter(insert, "lookahead_ms").get<double>();
  params.mix = read.number("mix", &Compressor::Params::mix);
  params.keyHighpassHz = keyHighpassHz(insert);
  return read.finish(std::make_unique<Compressor>(params));
}

std::unique_ptr<Processor> makeGate(const session::Insert& insert) {
  using Gate = dsp::GateProcessor;
  Reader<Gate> read(insert);
  Gate::Params params;
  params.thresholdDb = read.number("threshold_db", &Gate::Params::thresholdDb);
  params.rangeDb = read.number("range_db", &Gate::Params::rangeDb);
  params.ratio = read.number("ratio", &Gate::Params::ratio);
  params.attackMs = read.number("attack_ms", &Gate::Params::attackMs);
  params.holdMs = read.number("hold_ms", &Gate::Params::holdMs);
  params.releaseMs = read.number("release_ms", &Gate::Params::releaseMs);
  params.hysteresisDb = read.number("hysteresis_db", &Gate::Params::hysteresisDb);
  params.keyHighpassHz = keyHighpassHz(insert);
  return read.finish(std::make_unique<Gate>(params));
}

std::unique_ptr<Processor> makeDynamicEq(const session::Insert& insert) {
  using DynamicEq = dsp::DynamicEqProcessor;
  const session::ObjectSpec& table = session::dynamicEqBandSpec();
  Reader<DynamicEq> read(insert);
  DynamicEq::Params params;
  const json& bands = insert.parameters.at("bands");
  for (std::size_t index = 0; index < bands.size(); ++index) {
    const json& band = bands[index];
    auto number = [&](const char* key, double DynamicEq::Band::*member) {
      return read.number(bandValue(band, table, key), bandMember<DynamicEq::Params>(index, member));
    };
    DynamicEq::Band model;
    model.shape = shapeOf(band.at("type").get<std::string>());
    model.frequencyHz = number("freq_hz", &DynamicEq::Band::frequencyHz);
    model.q = number("q", &DynamicEq::Band::q);
    model.gainDb = number("gain_db", &DynamicEq::Band::gainDb);
    model.thresholdDb = number("threshold_db", &DynamicEq::Band::thresholdDb);
    model.ratio = number("ratio", &DynamicEq::Band::ratio);
    model.attackMs = number("attack_ms", &DynamicEq::Band::attackMs);
    model.releaseMs = number("release_ms", &DynamicEq::Band::releaseMs);
    model.rangeDb = number("range_db", &DynamicEq::Band::rangeDb);
    model.keyed = band.contains("sidechain");
    params.bands.push_back(model);
  }
  return read.finish(std::make_unique<DynamicEq>(std::move(params)));
}

std::unique_ptr<Processor> makeLimiter(const session::Insert& insert) {
  using Limiter = dsp::LimiterProcessor;
  Reader<Limiter> read(insert);
  Limiter::Params params;
  params.ceilingDb = read.number("ceiling_db", &Limiter::Params::ceilingDb);
  params.truePeak = parameter(insert, "true_peak").get<bool>();
  params.lookaheadMs = parameter(insert, "lookahead_ms").get<double>();
  params.releaseMs = read.number("release_ms", &Limiter::Params::releaseMs);
  return read.finish(std::make_unique<Limiter>(params));
}

std::unique_ptr<Processor> makeSaturation(const session::Insert& insert) {
  using Saturation = dsp::SaturationProcessor;
  Reader<Saturation> read(insert);
  Saturation::Params params;
  params.driveDb = read.number("drive_db", &Saturation::Params::driveDb);
  const auto curve = parameter(insert, "curve").get<std::string>();
  params.curve = curve == "soft_clip" ? dsp::SaturationProcessor::Curve::SoftClip
                 : curve == "tape"    ? dsp::SaturationProcessor::Curve::Tape
                                      : dsp::SaturationProcessor::Curve::Tanh;
  params.mix = read.number("mix", &Saturation::Params::mix);
  params.outputDb = read.number("output_db", &Saturation::Params::outputDb);
  params.oversample = parameter(insert, "oversample").get<int>();
  params.even = parameter(insert, "even").get<double>();
  return read.finish(std::make_unique<Saturation>(params));
}

/** A number parameter that may be absent (no default). */
std::optional<double> optionalNumber(const session::Insert& insert, const char* key) {
  const auto found = insert.parameters.find(key);
  if (found == insert.parameters.end()) return std::nullopt;
  return found->get<double>();
}

std::unique_ptr<Processor> makeDelay(const session::Insert& insert) {
  using Delay = dsp::DelayProcessor;
  Reader<Delay> read(insert);
  Delay::Params params;
  if (const auto beats = optionalNumber(insert, "time_beats"))
    params.timeMs = *beats * 60000.0 / insert.tempo.value().bpm;
  else
    params.timeMs = insert.parameters.at("time_ms").get<double>();
  params.feedback = read.largest("feedback", &Delay::Params::feedback);
  params.mix = read.number("mix", &Delay::Params::mix);
  params.pingPong = parameter(insert, "ping_pong").get<bool>();
  if (insert.parameters.contains("lowcut_hz"))
    params.lowcutHz = read.number(insert.parameters.at("lowcut_hz"),
                                  [](Delay::Params& moved, double value) { moved.lowcutHz = value; });
  if (insert.parameters.contains("highcut_hz"))
    params.highcutHz = read.number(insert.parameters.at("highcut_hz"),
                                   [](Delay::Params& moved, double value) { moved.highcutHz = value; });
  return read.finish(std::make_unique<Delay>(params));
}

std::unique_ptr<Processor> makeReverb(const session::Insert& insert) {
  using Reverb = dsp::ReverbProcessor;
  Reader<Reverb> read(insert);
  Reverb::Params params;
  params.decayS = read.largest("decay_s", &Reverb::Params::decayS);
  params.predelayMs = parameter(insert, "predelay_ms").get<double>();
  params.size = parameter(insert, "size").get<double>();
  params.damping = read.number("damping", &Reverb::Params::damping);
  params.width = read.number("width", &Reverb::Params::width);
  params.mix = read.number("mix", &Reverb::Params::mix);
  return read.finish(std::make_unique<Reverb>(params));
}

/** Reads the IR file now; prepare() resamples it to the session rate. */
std::unique_ptr<Processor> makeConvolution(const session::Insert& insert) {
  using Convolution = dsp::ConvolutionProcessor;
  io::ImpulseResponseFile file = io::readImpulseResponse(insert.file("ir"));
  Reader<Convolution> read(insert);
  Convolution::Params params;
  params.impulseResponse = std::move(file.channels);
  params.impulseResponseRateHz = file.sampleRate;
  params.mix = read.number("mix", &Convolution::Params::mix);
  params.predelayMs = parameter(insert, "predelay_ms").get<double>();
  params.normalize = parameter(insert, "normalize").get<bool>();
  return read.finish(std::make_unique<Convolution>(std::move(params)));
}

std::unique_ptr<Processor> makeGain(const session::Insert& insert) {
  using Gain = dsp::GainProcessor;
  Reader<Gain> read(insert);
  Gain::Params params;
  params.gainDb = read.number("gain_db", &Gain::Params::gainDb);
  return read.finish(std::make_unique<Gain>(params));
}

std::unique_ptr<Processor> makeStereo(const session::Insert& insert) {
  using Stereo = dsp::StereoProcessor;
  Reader<Stereo> read(insert);
  Stereo::Params params;
  params.width = read.number("width", &Stereo::Params::width);
  params.balance = read.number("balance", &Stereo::Params::balance);
  params.swap = parameter(insert, "swap").get<bool>();
  return read.finish(std::make_unique<Stereo>(params));
}

/** An LV2 plugin: its control values by symbol, any of them automated. */
std::unique_ptr<Processor> makeLv2(const session::Insert& insert) {
  using Lv2 = plugins::Lv2Processor;
  Reader<Lv2> read(insert);
  plugins::Lv2InsertSettings settings;
  settings.uri = insert.parameters.at("uri").get<std::string>();
  settings.pointer = insert.pointer;
  settings.keyHighpassHz = keyHighpassHz(insert);
  const json& controls = parameter(insert, "controls");
  for (const auto& [symbol, value] : controls.items()) {
    if (!symbol.empty() && symbol.front() == '_') continue;  // a comment
    const std::size_t index = settings.controls.size();
    settings.controls.emplace_back(symbol, read.number(value, [index](Lv2::Params& params, double moved) {
                                     params.controls[index] = moved;
                                   }));
  }
  return read.finish(std::make_unique<Lv2>(std::move(settings)));
}

}  // namespace

std::unique_ptr<Processor> makeProcessor(const session::Insert& insert) {
  if (insert.type == "gain") return makeGain(insert);
  if (insert.type == "stereo") return makeStereo(insert);
  if (insert.type == "eq") return makeEq(insert);
  if (insert.type == "saturation") return makeSaturation(insert);
  if (insert.type == "compressor") return makeCompressor(insert);
  if (insert.type == "gate") return makeGate(insert);
  if (insert.type == "dynamic_eq") return makeDynamicEq(insert);
  if (insert.type == "limiter") return makeLimiter(insert);
  if (insert.type == "delay") return makeDelay(insert);
  if (insert.type == "convolution") return makeConvolution(insert);
  if (insert.type == "reverb") return makeReverb(insert);
  if (insert.type == "lv2") return makeLv2(insert);
  throw std::logic_error("processor type \"" + insert.type + "\" cannot be rendered");
}

}  // namespace mixdown::graph
