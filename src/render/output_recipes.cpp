#include "mixdown/render/output_recipes.h"

#include <stdexcept>

#include "mixdown/io/sha256.h"
#include "mixdown/plugins/plugin_description.h"
#include "mixdown/render/output_stage.h"
#include "mixdown/session/input_files.h"

namespace mixdown::render {

namespace {

using json = nlohmann::json;

std::string sha256Of(const json& value) {
  io::Sha256 hash;
  const std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  hash.update(text.data(), text.size());
  return hash.finishHex();
}

/** The session object at pointer as resolved; null where the session leaves it out (a master never written). */
json objectAt(const json& document, const std::string& pointer) {
  const json::json_pointer at(pointer);
  return document.contains(at) ? document.at(at) : json();
}

/** The inserts of the strip at pointer (a track, a bus or the master), none if no strip is there. */
const std::vector<session::Insert>* insertsAt(const session::Session& session, const std::string& pointer) {
  if (pointer == "/master") return &session.master.inserts;
  for (const auto& track : session.tracks)
    if (track.pointer == pointer) return &track.inserts;
  for (const auto& bus : session.buses)
    if (bus.pointer == pointer) return &bus.inserts;
  return nullptr;
}

/** What besides its settings decides an LV2 insert's output: the plugin's version and its library's content
    (a package upgraded under the same URI); null for every other insert. */
json pluginIdentity(const session::Insert& insert, InputDigests& inputs) {
  if (insert.type != "lv2" || !insert.parameters.contains("uri") || !insert.parameters.at("uri").is_string()) return json();
  const std::optional<plugins::PluginDescription> plugin = plugins::describePlugin(insert.parameters.at("uri").get<std::string>());
  if (!plugin) return json();
  return json{{"minor_version", plugin->minorVersion},
              {"micro_version", plugin->microVersion},
              {"library", plugin->libraryPath.empty() ? json() : json(inputs.digestOf(plugin->libraryPath))}};
}

/** Each node's digest, over its own settings and files and its inputs' digests, in processing order. */
std::vector<std::string> nodeDigests(const RecipeContext& context, InputDigests& inputs) {
  const graph::Graph& graph = context.graph;
  const session::Session& session = context.loaded.session;
  std::vector<std::string> digests(graph.nodes.size());
  const auto upstream = [&](int node) -> const std::string& {
    const std::string& digest = digests.at(static_cast<std::size_t>(node));
    if (digest.empty()) throw std::logic_error("output recipes: a node's input comes later in the processing order");
    return digest;
  };
  for (const int index : graph.order) {
    const graph::Node& node = graph.nodes[static_cast<std::size_t>(index)];
    json files = json::array();
    if (node.track)
      for (const auto& clip : node.track->clips) files.push_back(inputs.digestOf(clip.file));
    json plugins = json::array();
    if (const std::vector<session::Insert>* inserts = insertsAt(session, node.pointer)) {
      for (const auto& file : session::impulseResponseFiles(*inserts)) files.push_back(inputs.digestOf(file));
      for (const auto& insert : *inserts) plugins.push_back(pluginIdentity(insert, inputs));
    }
    json sums = json::array();
    for (const graph::SumInput& input : node.inputs)
      sums.push_back(json{upstream(input.sourceNode), input.sendIndex, input.compensationFrames});
    json keys = json::array();
    for (const graph::InsertStage& insert : node.inserts) {
      keys.push_back(insert.key ? json{upstream(insert.key->sourceNode), insert.key->keyDelayFrames, insert.key->mainDelayFrames}
                                : json());
    }
    digests[static_cast<std::size_t>(index)] =
        sha256Of(json{{"pointer", node.pointer}, {"settings", objectAt(context.loaded.document, node.pointer)},
                      {"silenced", node.silenced}, {"input_latency_frames", node.inputLatencyFrames},
                      {"output_latency_frames", node.outputLatencyFrames}, {"files", files}, {"plugins", plugins},
                      {"sums", sums}, {"keys", keys}});
  }
  return digests;
}

/** The session's settings that every node reads (its rate, tempo, pan law, length...): all but the strips and outputs. */
json topLevelSettings(const json& document) {
  json settings = json::object();
  if (!document.is_object()) return settings;
  for (const auto& [key, value] : document.items())
    if (key != "tracks" && key != "buses" && key != "master" && key != "outputs" && key != "variants" &&
        key != "references" && key != "insight")
      settings[key] = value;
  return settings;
}

}  // namespace

OutputRecipes outputRecipes(const RecipeContext& context, InputDigests& inputs) {
  const std::vector<std::string> digests = nodeDigests(context, inputs);
  const json common{{"mixdown", MIXDOWN_VERSION},
                    {"settings", topLevelSettings(context.loaded.document)},
                    {"sample_rate", context.loaded.sampleRate},
                    {"content_end_frame", context.contentEndFrame},
                    {"max_frames", context.length.maxFrames},
                    {"fixed_frames", context.length.fixedFrames ? json(*context.length.fixedFrames) : json()},
                    {"total_latency_frames", context.graph.totalLatencyFrames()}};
  std::vector<std::string> recipes;
  json audioRecipes = json::array();
  for (const session::PlannedFile& file : context.plan.files) {
    if (!file.isAudio()) {
      recipes.emplace_back();  // the page's and the report's: below, once every audio file's is known
      continue;
    }
    const int node = nodeOfFile(context.graph, file);
    recipes.push_back(sha256Of(json{{"common", common},
                                    {"node", digests.at(static_cast<std::size_t>(node))},
                                    {"kind", file.kind == session::PlannedFile::Kind::Mix ? "mix" : "stem"},
                                    {"file", file.shownPath.generic_string()},
                                    {"bit_depth", static_cast<int>(file.format->bitDepth)},
                                    {"dither", static_cast<int>(file.format->dither)},
                                    {"file_rate", file.format->sampleRate ? json(*file.format->sampleRate) : json()}}));
    audioRecipes.push_back(json{file.shownPath.generic_string(), recipes.back()});
  }
  json references = json::array();
  for (const auto& reference : context.loaded.session.references) references.push_back(inputs.digestOf(reference.file));
  const std::string render =
      sha256Of(json{{"common", common},
                    {"session", context.loaded.document},
                    {"session_file", context.loaded.session.file.filename().generic_string()},
                    {"variant", context.variant},
                    {"files", audioRecipes},
                    {"references", references}});
  for (std::size_t at = 0; at < recipes.size(); ++at)
    if (!context.plan.files[at].isAudio()) recipes[at] = render;
  return {std::move(recipes), render};
}

}  // namespace mixdown::render
