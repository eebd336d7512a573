#pragma once
// master.loudness: normalises the finished master to a target integrated
// loudness (ITU-R BS.1770-4, analysis/loudness_meter.h) with one static gain, then limits its
// true peaks to a ceiling, streaming from a MasterCapture.

#include <functional>
#include <optional>

#include "mixdown/audio/audio_block.h"
#include "mixdown/render/master_capture.h"
#include "mixdown/session/model.h"

namespace mixdown::render {

struct NormalizationResult {
  std::optional<double> inputLufs;   // the master before normalisation; none for silence
  double gainDb = 0.0;               // the static gain applied before the limiter
  double limiterMaxReductionDb = 0.0;
  double limiterLossLu = 0.0;        // what the limiter takes off the loudness at gainDb
  std::optional<double> outputLufs;  // the normalised, limited master
  bool ceilingBound = false;         // short of the target because the ceiling allows no louder master
};

/**
 * Streams capture through gain and a true-peak limiter (LimiterProcessor,
 * ceiling loudness.truePeakDbtp, loudness.limiterLookaheadMs and limiterReleaseMs; its latency
 * is trimmed) and hands the result, as long as the capture, to write.
 *
 * The gain starts at target - input. Where the limiter lowers the loudness,
 * measuring passes (nothing written) correct the gain by secant steps on the
 * measured loudness until the output is within 0.02 LU of the target (at most
 * 16 passes), so the target is met and the report can say how much loudness
 * limiting cost (limiterLossLu). The steps stay inside a bracket: the highest
 * gain measured below the target and the lowest measured above it; a secant
 * step that would leave it, or a slope that is not positive, bisects it
 * instead (or, with one side known, steps beyond that side by 12 dB or twice
 * the last step). The gain rises at most 12 dB above target - input to make
 * up for the limiter: past that the limiter would crush the master, and the
 * target is missed instead (ceilingBound). No gain makes the loudest sample
 * louder than +700 dBFS, so every gained sample is a finite float the limiter
 * can bring down. The gain
 * written is the one measured nearest the target; ceilingBound says when the
 * target lay out of reach because of the ceiling. A silent master passes at
 * gain 0. Throws RenderError for a master that peaks above +700 dBFS and when
 * no gain gives a master above the -70 LUFS gate.
 */
NormalizationResult normalizeMaster(MasterCapture& capture, std::optional<double> inputLufs,
                                    const session::Loudness& loudness, int sampleRate, int blockFrames,
                                    const std::function<void(ConstAudioBlock)>& write);

}  // namespace mixdown::render
