#pragma once
// report.json: a deterministic description of a render (no timestamps, no
// absolute paths). Levels are rounded to 0.01 dB; silence reports null.

#include <nlohmann/json.hpp>
#include <string>

#include "mixdown/graph/engine.h"
#include "mixdown/graph/graph.h"
#include "mixdown/io/audio_file_writer.h"
#include "mixdown/session/output_plan.h"

namespace mixdown::render {

/** dBFS of a linear level, rounded to 0.01 dB; null for silence. */
nlohmann::ordered_json levelDb(double linear);
/** A dB figure rounded to 0.01; null when not finite. */
nlohmann::ordered_json roundedDb(double decibels);

nlohmann::ordered_json outputEntry(const session::PlannedFile& file, const io::WrittenAudio& written, int fileRate);
nlohmann::ordered_json nodeEntries(const graph::Graph& graph, const graph::Engine& engine);
/** Clipping warnings for nodes whose inserts or output exceed full scale, in node order. */
nlohmann::ordered_json nodeWarnings(const graph::Graph& graph, const graph::Engine& engine);

}  // namespace mixdown::render
