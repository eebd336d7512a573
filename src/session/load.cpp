#include "mixdown/session/load.h"

#include "mixdown/session/check_frequencies.h"
#include "mixdown/session/check_plugins.h"
#include "mixdown/session/check_renderable.h"
#include "mixdown/session/check_routing.h"
#include "mixdown/session/decode.h"
#include "mixdown/session/overrides.h"
#include "mixdown/session/params.h"
#include "mixdown/session/prune_invalid.h"
#include "mixdown/session/read_json.h"
#include "mixdown/session/validate.h"

namespace mixdown::session {

namespace {

using nlohmann::json;

ValidationContext contextFor(const json& document) {
  ValidationContext context;
  if (!document.is_object() || !document.contains("tempo")) return context;
  Diagnostics tempoProblems;
  validateObject(document.at("tempo"), tempoSpec(), "/tempo", context, tempoProblems);
  if (tempoProblems.empty()) {
    const json& tempo = document.at("tempo");
    context.tempo = Tempo{tempo.at("bpm").get<double>(), tempo.value("beats_per_bar", 4)};
  }
  return context;
}

/** Problems of a parsed document against the tables; every use of musical time without a tempo said once. */
Diagnostics structureProblems(const json& document) {
  Diagnostics problems;
  TempoUses tempoUses;
  ValidationContext context = contextFor(document);
  context.tempoUses = &tempoUses;
  validateObject(document, sessionSpec(), "", context, problems);
  addTempoMissingDiagnostic(tempoUses, problems);
  return problems;
}

/** Structure and routing of a parsed document; the session when both are sound. */
std::optional<Session> checkDocument(const json& document, const std::filesystem::path& file,
                                     Diagnostics& diagnostics) {
  const Diagnostics structure = structureProblems(document);
  diagnostics.append(structure);
  if (!structure.empty()) return std::nullopt;
  Session session = decodeSession(document, file);
  const std::size_t before = diagnostics.size();
  checkRouting(session, diagnostics);
  checkRenderable(session, diagnostics);
  checkPlugins(session, diagnostics);
  if (diagnostics.size() != before) return std::nullopt;
  return session;
}

void checkVariants(const json& document, const Session& session, const std::filesystem::path& file,
                   Diagnostics& diagnostics) {
  for (const auto& [name, variant] : session.variants) {
    Diagnostics variantProblems;
    const json changed = applyVariant(document, name, variantProblems);
    if (variantProblems.empty()) checkDocument(changed, file, variantProblems);
    for (const auto& problem : variantProblems.items()) {
      if (problem.pointer.rfind("/variants/", 0) == 0) diagnostics.add(problem.pointer, problem.message);
      else diagnostics.add(childPointer("/variants", name), "makes " + (problem.pointer.empty() ? "/" : problem.pointer) +
                                                                 " invalid: " + problem.message);
    }
  }
}

}  // namespace

LoadResult loadDocument(json document, const std::filesystem::path& file, const LoadOptions& options) {
  LoadResult result;
  Diagnostics& diagnostics = result.diagnostics;
  diagnostics.append(structureProblems(document));
  if (diagnostics.empty()) {
    Session session = decodeSession(document, file);
    checkRouting(session, diagnostics);
    checkRenderable(session, diagnostics);
    checkPlugins(session, diagnostics);
    if (diagnostics.empty()) checkVariants(document, session, file, diagnostics);
    // Sources are probed even when the routing has problems: they do not depend on it.
    SourceInfos sources;
    if (options.probeSources) sources = checkSources(session, diagnostics);
    const int sampleRate = renderRate(session, sources);
    checkFrequencies(session, sampleRate, diagnostics);
    if (diagnostics.empty())
      result.loaded = LoadedSession{std::move(document), std::move(session), std::move(sources), sampleRate};
    return result;
  }
  // Structural problems stop decoding; the sound part of the document is still checked, so one pass reports a
  // missing file or an unknown bus beside a misspelt key (less what the removals themselves would cause).
  const std::optional<PrunedDocument> pruned = withoutInvalidMembers(document, diagnostics, structureProblems);
  if (!pruned) return result;
  const Session session = decodeSession(pruned->document, file);
  Diagnostics later;
  checkRouting(session, later);
  checkRenderable(session, later);
  checkPlugins(session, later);
  SourceInfos sources;
  if (options.probeSources) sources = checkSources(session, later);
  checkFrequencies(session, renderRate(session, sources), later);
  for (const auto& problem : later.items())
    if (!pruned->mayComeFromRemoval(problem.pointer)) diagnostics.add(problem.pointer, problem.message);
  return result;
}

LoadResult loadSession(const std::filesystem::path& file, const LoadOptions& options) {
  LoadResult result;
  std::optional<json> document = readJsonFile(file, result.diagnostics);
  if (!document) return result;
  for (const auto& assignment : options.assignments) applyAssignment(*document, assignment, result.diagnostics);
  if (!result.diagnostics.empty()) return result;
  return loadDocument(std::move(*document), file, options);
}

}  // namespace mixdown::session
