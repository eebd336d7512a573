#include "mixdown/graph/processor_factory.h"

#include <stdexcept>

#include "mixdown/dsp/gain_processor.h"
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

}  // namespace

std::unique_ptr<Processor> makeProcessor(const session::Insert& insert) {
  if (insert.type == "gain") return std::make_unique<dsp::GainProcessor>(dsp::GainProcessor::Params{
      parameter(insert, "gain_db").get<double>()});
  if (insert.type == "stereo")
    return std::make_unique<dsp::StereoProcessor>(dsp::StereoProcessor::Params{
        parameter(insert, "width").get<double>(), parameter(insert, "balance").get<double>(),
        parameter(insert, "swap").get<bool>()});
  throw std::logic_error("processor type \"" + insert.type + "\" cannot be rendered");
}

}  // namespace mixdown::graph
