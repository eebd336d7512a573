#include "mixdown/graph/processor_factory.h"

#include <stdexcept>

#include "mixdown/dsp/eq.h"
#include "mixdown/dsp/gain_processor.h"
#include "mixdown/dsp/saturation.h"
#include "mixdown/dsp/stereo_processor.h"
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
  throw std::logic_error("processor type \"" + insert.type + "\" cannot be rendered");
}

}  // namespace mixdown::graph
