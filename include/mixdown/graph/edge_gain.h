#pragma once
// The gain of an edge out of a node: how its chain (1 or 2 channels) is placed
// in stereo on the way to a bus, the master or an output file. One
// representation for a constant gain and for one that follows automation:
//
//   level(n) = dbToGain(levelDb(n)) (1 without a level) * dbToGain(faderDb(n)) (1 without a fader)
//   left(n), right(n) = placement(pan(n)) * level(n), rounded to float
//
// placement: unity for the master, the pan law for a mono chain, balance for a
// stereo one. The left output is the chain's first channel times left, the
// right its last times right. A gain none of whose curves moves is one pair of
// factors for every frame; otherwise a series per frame of the block.

#include <cstdint>

#include "mixdown/audio/audio_block.h"
#include "mixdown/dsp/pan.h"
#include "mixdown/dsp/parameter_curve.h"

namespace mixdown::graph {

/** A placement in stereo: the left output is the chain's first channel times left, the right its last times right. */
struct StereoFactors {
  float left = 1.0f;
  float right = 1.0f;
};

/** The node's own curves rendered for one block: the fader as a linear gain and the pan, per frame. */
struct NodeCurveValues {
  const double* faderGains = nullptr;
  const double* pans = nullptr;
};

struct EdgeGain {
  enum class Placement { Unity, MonoPan, Balance };
  Placement placement = Placement::Unity;
  dsp::PanLaw panLaw = dsp::PanLaw::Minus3Db;
  const dsp::ParameterCurve* levelDb = nullptr;  // a send's level; none for the node's output
  const dsp::ParameterCurve* faderDb = nullptr;  // the node's fader: its output and post-fader sends
  const dsp::ParameterCurve* pan = nullptr;      // the node's pan; none when the pan is fixedPan
  double fixedPan = 0.0;

  /** Whether a curve of the gain moves: the gain is then a series per frame. */
  bool automated() const noexcept;
  /** Whether the gain needs the node's fader or pan rendered per frame (NodeCurveValues). */
  bool needsFaderValues() const noexcept { return faderDb != nullptr && !faderDb->isConstant(); }
  bool needsPanValues() const noexcept { return pan != nullptr && !pan->isConstant(); }
  /** The factors of every frame, for a gain that is not automated. */
  StereoFactors constant() const;
  /** left[i], right[i]: the gain at session frame sessionFrame + i (i < frames); curves from the node's values. */
  void fill(std::int64_t sessionFrame, int frames, NodeCurveValues node, double* levelScratch, float* left,
            float* right) const;
};

/** out = chain placed with factors (out: stereo). */
void placeStereo(ConstAudioBlock chain, AudioBlock out, StereoFactors factors);
/** sum += chain placed with factors: each sample the product placeStereo writes, added in the same order. */
void addPlaced(ConstAudioBlock chain, AudioBlock sum, StereoFactors factors);
/** out = chain placed with per-frame factors left[i], right[i]. */
void placeVarying(ConstAudioBlock chain, AudioBlock out, const float* left, const float* right);
/** The largest absolute sample placeStereo would write, without writing it. */
float placedPeak(ConstAudioBlock chain, StereoFactors factors);

}  // namespace mixdown::graph
