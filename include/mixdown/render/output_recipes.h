#pragma once
// What each planned file of a render is made from, as one SHA-256: its
// recipe. Two renders that give a file the same recipe write the same bytes
// into it, so a file whose recipe is unchanged is up to date (CLI.md: "same
// mixdown version, same resolved session as far as that output depends on
// it, same inputs").
//
// A stem's recipe holds its node and every node upstream of it (the nodes
// that feed it, through sums and sidechain keys): each one's session object as
// resolved (after --set and the variant), whether it is silenced (mute, or
// another strip's solo), its latency and the compensation of its inputs, and
// the content of every file it reads (input_digests.h); with the session's
// top-level settings, the render's length as far as it is known before
// rendering (the content's end and the frames it may write), the total
// latency, and the file's own format and name (its dither seed). The mix's
// recipe is the master's. The report's is every file's recipe with the whole
// session, the references and the planned files: it changes whenever anything
// a render could tell does.
//
// An LV2 insert adds its plugin's minor and micro version and the content of
// its shared library, so a plugin package upgraded under the same URI renders
// again. Not covered: a library the plugin loads by itself, and an automatic
// tail's length, which is known only after rendering: a render that reuses a
// stem checks it afterwards (render_session.cpp).

#include <cstdint>
#include <string>
#include <vector>

#include "mixdown/graph/graph.h"
#include "mixdown/render/input_digests.h"
#include "mixdown/render/render_length.h"
#include "mixdown/session/load.h"
#include "mixdown/session/output_plan.h"

namespace mixdown::render {

struct RecipeContext {
  const session::LoadedSession& loaded;
  const graph::Graph& graph;
  const session::OutputPlan& plan;
  std::int64_t contentEndFrame = 0;
  RenderLength length;
  std::string variant;
};

struct OutputRecipes {
  std::vector<std::string> files;  // one per plan.files entry, in its order (the report's is `render`)
  std::string render;              // the whole render's: the report's, and what its warnings come from
};

/** Throws IoError when an input cannot be read. */
OutputRecipes outputRecipes(const RecipeContext& context, InputDigests& inputs);

}  // namespace mixdown::render
