#pragma once
// report.json: a deterministic description of a render (no timestamps, no
// absolute paths). Levels are rounded to 0.01 dB; silence reports null.

#include <nlohmann/json.hpp>
#include <string>

#include "mixdown/analysis/audio_measurement.h"
#include "mixdown/graph/engine.h"
#include "mixdown/graph/graph.h"
#include "mixdown/io/audio_file_writer.h"
#include "mixdown/render/loudness_normalizer.h"
#include "mixdown/render/render_warnings.h"
#include "mixdown/session/output_plan.h"

namespace mixdown::render {

/** dBFS of a linear level, rounded to 0.01 dB; null for silence. */
nlohmann::ordered_json levelDb(double linear);
/** A dB figure rounded to 0.01; null when not finite. */
nlohmann::ordered_json roundedDb(double decibels);

/** One outputs[] entry: the file as written, its loudness and balance as measured at the render rate. */
nlohmann::ordered_json outputEntry(const session::PlannedFile& file, const io::WrittenAudio& written, int fileRate,
                                   const analysis::AudioMeasurement& measured);
/**
 * Warnings about one output: clipped samples, a DC offset beyond -60 dBFS, and for
 * the mix a true peak above -1 dBTP and mono incompatibility (negative
 * correlation, or a mono fold-down more than 3 LU quieter than the stereo mix).
 */
void addOutputWarnings(const session::PlannedFile& file, const io::WrittenAudio& written,
                       const analysis::AudioMeasurement& measured, RenderWarnings& warnings);
/** report.json's "normalization" object. */
nlohmann::ordered_json normalizationEntry(const session::Loudness& loudness, const NormalizationResult& result);
/** A silent master, limiting that costs more than 0.1 LU, a target missed by more than 0.1 LU. */
void addNormalizationWarnings(const session::Loudness& loudness, const NormalizationResult& result,
                              RenderWarnings& warnings);
/** report.json's "nodes": each node's meters and gain reductions over the render, up to its last block. */
nlohmann::ordered_json nodeEntries(const graph::Graph& graph, const graph::Engine& engine, const graph::Block& lastBlock);
/** Clipping warnings for nodes whose inserts or output exceed full scale, in node order, at their session pointers. */
void addNodeWarnings(const session::Session& session, const graph::Graph& graph, const graph::Engine& engine,
                     const graph::Block& lastBlock, RenderWarnings& warnings);

}  // namespace mixdown::render
