#include "mixdown/graph/processor_factory.h"

#include <optional>
#include <stdexcept>

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
#include "mixdown/io/impulse_response_file.h"
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

dsp::BiquadShape shapeOf(const std::string& type) {
  if (type == "low_shelf") return dsp::BiquadShape::LowShelf;
  if (type == "high_shelf") return dsp::BiquadShape::HighShelf;
  if (type == "highpass") return dsp::BiquadShape::Highpass;
  if (type == "lowpass") return dsp::BiquadShape::Lowpass;
  if (type == "bandpass") return dsp::BiquadShape::Bandpass;
  if (type == "notch") return dsp::BiquadShape::Notch;
  return dsp::BiquadShape::Peak;
}

dsp::EqProcessor::Band eqBand(const json& band, const session::ObjectSpec& table) {
  dsp::EqProcessor::Band model;
  model.shape = shapeOf(band.at("type").get<std::string>());
  model.frequencyHz = band.at("freq_hz").get<double>();
  model.gainDb = bandValue(band, table, "gain_db").get<double>();
  model.q = bandValue(band, table, "q").get<double>();
  model.slopeDbPerOctave = bandValue(band, table, "slope_db_oct").get<int>();
  return model;
}

std::unique_ptr<Processor> makeEq(const session::Insert& insert) {
  dsp::EqProcessor::Params params;
  for (const auto& band : insert.parameters.at("bands")) params.bands.push_back(eqBand(band, session::eqBandSpec()));
  return std::make_unique<dsp::EqProcessor>(std::move(params));
}

/** The highpass of a sidechain given as { "source": ..., "highpass_hz": ... }. */
std::optional<double> keyHighpassHz(const session::Insert& insert) {
  const auto found = insert.parameters.find("sidechain");
  if (found == insert.parameters.end() || !found->is_object() || !found->contains("highpass_hz")) return std::nullopt;
  return found->at("highpass_hz").get<double>();
}

std::unique_ptr<Processor> makeCompressor(const session::Insert& insert) {
  dsp::CompressorProcessor::Params params;
  params.thresholdDb = parameter(insert, "threshold_db").get<double>();
  params.ratio = parameter(insert, "ratio").get<double>();
  params.attackMs = parameter(insert, "attack_ms").get<double>();
  params.releaseMs = parameter(insert, "release_ms").get<double>();
  params.kneeDb = parameter(insert, "knee_db").get<double>();
  params.makeupDb = parameter(insert, "makeup_db").get<double>();
  params.detector = parameter(insert, "detector").get<std::string>() == "rms" ? dsp::DetectorMode::Rms
                                                                              : dsp::DetectorMode::Peak;
  params.lookaheadMs = parameter(insert, "lookahead_ms").get<double>();
  params.mix = parameter(insert, "mix").get<double>();
  params.keyHighpassHz = keyHighpassHz(insert);
  return std::make_unique<dsp::CompressorProcessor>(params);
}

std::unique_ptr<Processor> makeGate(const session::Insert& insert) {
  dsp::GateProcessor::Params params;
  params.thresholdDb = parameter(insert, "threshold_db").get<double>();
  params.rangeDb = parameter(insert, "range_db").get<double>();
  params.ratio = parameter(insert, "ratio").get<double>();
  params.attackMs = parameter(insert, "attack_ms").get<double>();
  params.holdMs = parameter(insert, "hold_ms").get<double>();
  params.releaseMs = parameter(insert, "release_ms").get<double>();
  params.keyHighpassHz = keyHighpassHz(insert);
  return std::make_unique<dsp::GateProcessor>(params);
}

std::unique_ptr<Processor> makeDynamicEq(const session::Insert& insert) {
  const session::ObjectSpec& table = session::dynamicEqBandSpec();
  dsp::DynamicEqProcessor::Params params;
  for (const auto& band : insert.parameters.at("bands")) {
    dsp::DynamicEqProcessor::Band model;
    model.shape = shapeOf(band.at("type").get<std::string>());
    model.frequencyHz = band.at("freq_hz").get<double>();
    model.q = bandValue(band, table, "q").get<double>();
    model.gainDb = bandValue(band, table, "gain_db").get<double>();
    model.thresholdDb = bandValue(band, table, "threshold_db").get<double>();
    model.ratio = bandValue(band, table, "ratio").get<double>();
    model.attackMs = bandValue(band, table, "attack_ms").get<double>();
    model.releaseMs = bandValue(band, table, "release_ms").get<double>();
    model.rangeDb = bandValue(band, table, "range_db").get<double>();
    model.keyed = band.contains("sidechain");
    params.bands.push_back(model);
  }
  return std::make_unique<dsp::DynamicEqProcessor>(std::move(params));
}

std::unique_ptr<Processor> makeLimiter(const session::Insert& insert) {
  dsp::LimiterProcessor::Params params;
  params.ceilingDb = parameter(insert, "ceiling_db").get<double>();
  params.truePeak = parameter(insert, "true_peak").get<bool>();
  params.lookaheadMs = parameter(insert, "lookahead_ms").get<double>();
  params.releaseMs = parameter(insert, "release_ms").get<double>();
  return std::make_unique<dsp::LimiterProcessor>(params);
}

std::unique_ptr<Processor> makeSaturation(const session::Insert& insert) {
  dsp::SaturationProcessor::Params params;
  params.driveDb = parameter(insert, "drive_db").get<double>();
  const auto curve = parameter(insert, "curve").get<std::string>();
  params.curve = curve == "soft_clip" ? dsp::SaturationProcessor::Curve::SoftClip
                 : curve == "tape"    ? dsp::SaturationProcessor::Curve::Tape
                                      : dsp::SaturationProcessor::Curve::Tanh;
  params.mix = parameter(insert, "mix").get<double>();
  params.outputDb = parameter(insert, "output_db").get<double>();
  params.oversample = parameter(insert, "oversample").get<int>();
  return std::make_unique<dsp::SaturationProcessor>(params);
}

/** A number parameter that may be absent (no default). */
std::optional<double> optionalNumber(const session::Insert& insert, const char* key) {
  const auto found = insert.parameters.find(key);
  if (found == insert.parameters.end()) return std::nullopt;
  return found->get<double>();
}

std::unique_ptr<Processor> makeDelay(const session::Insert& insert) {
  dsp::DelayProcessor::Params params;
  if (const auto beats = optionalNumber(insert, "time_beats"))
    params.timeMs = *beats * 60000.0 / insert.tempo.value().bpm;
  else
    params.timeMs = insert.parameters.at("time_ms").get<double>();
  params.feedback = parameter(insert, "feedback").get<double>();
  params.mix = parameter(insert, "mix").get<double>();
  params.pingPong = parameter(insert, "ping_pong").get<bool>();
  params.lowcutHz = optionalNumber(insert, "lowcut_hz");
  params.highcutHz = optionalNumber(insert, "highcut_hz");
  return std::make_unique<dsp::DelayProcessor>(params);
}

std::unique_ptr<Processor> makeReverb(const session::Insert& insert) {
  dsp::ReverbProcessor::Params params;
  params.decayS = parameter(insert, "decay_s").get<double>();
  params.predelayMs = parameter(insert, "predelay_ms").get<double>();
  params.size = parameter(insert, "size").get<double>();
  params.damping = parameter(insert, "damping").get<double>();
  params.width = parameter(insert, "width").get<double>();
  params.mix = parameter(insert, "mix").get<double>();
  return std::make_unique<dsp::ReverbProcessor>(params);
}

/** Reads the IR file now; prepare() resamples it to the session rate. */
std::unique_ptr<Processor> makeConvolution(const session::Insert& insert) {
  io::ImpulseResponseFile file = io::readImpulseResponse(insert.file("ir"));
  dsp::ConvolutionProcessor::Params params;
  params.impulseResponse = std::move(file.channels);
  params.impulseResponseRateHz = file.sampleRate;
  params.mix = parameter(insert, "mix").get<double>();
  params.predelayMs = parameter(insert, "predelay_ms").get<double>();
  params.normalize = parameter(insert, "normalize").get<bool>();
  return std::make_unique<dsp::ConvolutionProcessor>(std::move(params));
}

}  // namespace

std::unique_ptr<Processor> makeProcessor(const session::Insert& insert) {
  if (insert.type == "gain") return std::make_unique<dsp::GainProcessor>(dsp::GainProcessor::Params{
      parameter(insert, "gain_db").get<double>()});
  if (insert.type == "stereo")
    return std::make_unique<dsp::StereoProcessor>(dsp::StereoProcessor::Params{
        parameter(insert, "width").get<double>(), parameter(insert, "balance").get<double>(),
        parameter(insert, "swap").get<bool>()});
  if (insert.type == "eq") return makeEq(insert);
  if (insert.type == "saturation") return makeSaturation(insert);
  if (insert.type == "compressor") return makeCompressor(insert);
  if (insert.type == "gate") return makeGate(insert);
  if (insert.type == "dynamic_eq") return makeDynamicEq(insert);
  if (insert.type == "limiter") return makeLimiter(insert);
  if (insert.type == "delay") return makeDelay(insert);
  if (insert.type == "convolution") return makeConvolution(insert);
  if (insert.type == "reverb") return makeReverb(insert);
  throw std::logic_error("processor type \"" + insert.type + "\" cannot be rendered");
}

}  // namespace mixdown::graph
