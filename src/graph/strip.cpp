#include "mixdown/graph/strip.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "mixdown/audio/decibels.h"

namespace mixdown::graph {

namespace {

constexpr int kStereo = 2;

float peakOf(ConstAudioBlock block) {
  float peak = 0.0f;
  for (int channel = 0; channel < block.channels(); ++channel) peak = std::max(peak, block.array(channel).abs().maxCoeff());
  return peak;
}

/** The reader of a track's clips, at the track's delay. */
std::unique_ptr<io::TrackSourceReader> readerOf(const Graph& graph, const Node& node) {
  std::vector<io::ClipReadSpec> clips;
  const auto delayFrames = std::llround(node.track->delayMs * 1e-3 * graph.sampleRate);
  for (const auto& clip : node.track->clips)
    clips.push_back({clip.file, std::llround(clip.atS * graph.sampleRate) + delayFrames, clip.fromS, clip.durationS,
                     static_cast<float>(audio::dbToGain(clip.gainDb)), clip.fadeInS, clip.fadeOutS, clip.channels});
  return std::make_unique<io::TrackSourceReader>(std::move(clips), graph.sampleRate, node.sourceChannels, graph.maxBlockFrames);
}

}  // namespace

/** What the strip leaves of one block for later levels and the render. */
struct Strip::Slot {
  AudioBuffer main;  // source or sum, then the inserts' output (per slot only when a later level reads it)
  AudioBuffer sum;   // the aligned sum of the inputs, for sumInput()
  AudioBuffer post;  // after fader and pan
  std::vector<AudioBuffer> sends;
};

/** The report's figures as they stood after one block. */
struct Strip::Snapshot {
  NodeMeters meters;
  std::vector<double> gainReductionsDb;  // per insert
};

Strip::Strip(const Graph& graph, const ExecutionPlan& plan, int nodeIndex)
    : node_(graph.nodes[static_cast<size_t>(nodeIndex)]), buffers_(plan.nodes[static_cast<size_t>(nodeIndex)].buffers) {
  const PlanNode& planned = plan.nodes[static_cast<size_t>(nodeIndex)];
  const int block = graph.maxBlockFrames;
  const auto stereoIf = [&](bool wanted) { return wanted ? AudioBuffer(kStereo, block) : AudioBuffer(); };
  slots_.resize(static_cast<size_t>(buffers_.ringDepth));
  for (Slot& slot : slots_) {
    slot.main = stereoIf(buffers_.mainPerSlot || &slot == &slots_.front());
    slot.sum = stereoIf(buffers_.sum);
    slot.post = stereoIf(buffers_.post);
    for (bool written : buffers_.sends) slot.sends.push_back(stereoIf(written));
  }
  snapshots_.resize(static_cast<size_t>(buffers_.meterDepth), {{}, std::vector<double>(node_.inserts.size(), 0.0)});
  for (int edgeIndex : planned.inputs) {
    const PlanEdge& edge = plan.edges[static_cast<size_t>(edgeIndex)];
    inputs_.push_back({&edge, edge.placed ? edge.gain.constant() : StereoFactors{}, stereoIf(edge.compensationFrames > 0),
                       dsp::DelayLine(kStereo, edge.compensationFrames)});
  }
  for (size_t index = 0; index < node_.inserts.size(); ++index) {
    const InsertStage& stage = node_.inserts[index];
    const int keyEdge = planned.keys[index];
    keys_.push_back(keyEdge >= 0 ? &plan.edges[static_cast<size_t>(keyEdge)] : nullptr);
    insertDelays_.push_back({stereoIf(stage.key.has_value()), dsp::DelayLine(kStereo, stage.key ? stage.key->keyDelayFrames : 0),
                             dsp::DelayLine(kStereo, stage.key ? stage.key->mainDelayFrames : 0),
                             dsp::DelayLine(kStereo, stage.bypass ? stage.latencyFrames : 0)});
    const bool batched = planned.laneGroup >= 0 && static_cast<int>(index) < planned.firstInsert;
    gainReductionMeters_.push_back(
        batched ? plan.laneGroups[static_cast<size_t>(planned.laneGroup)].batches[index]->gainReductionMeter(planned.laneMember)
                : stage.processor->gainReductionMeter());
  }
  outputs_.push_back({planned.output >= 0 ? plan.edges[static_cast<size_t>(planned.output)].gain : gainOf(graph, node_, -1),
                      {}, buffers_.post});
  for (size_t send = 0; send < planned.sends.size(); ++send)
    outputs_.push_back({plan.edges[static_cast<size_t>(planned.sends[send])].gain, {}, buffers_.sends[send]});
  bool automated = false;
  for (Output& output : outputs_) {
    if (!output.gain.automated()) output.constantFactors = output.gain.constant();
    automated = automated || output.gain.automated();
    needsFaderValues_ = needsFaderValues_ || output.gain.needsFaderValues();
    needsPanValues_ = needsPanValues_ || output.gain.needsPanValues();
  }
  if (automated) {
    for (auto* values : {&faderGains_, &pans_, &levelScratch_}) values->resize(static_cast<size_t>(block));
    for (auto* gains : {&leftGains_, &rightGains_}) gains->resize(static_cast<size_t>(block));
  }
  if (node_.kind == NodeKind::Track) reader_ = readerOf(graph, node_);
}

Strip::Strip(Strip&&) noexcept = default;
Strip::~Strip() = default;

void Strip::process(const Block& block, std::span<const Strip> strips) {
  if (node_.kind == NodeKind::Track) readSource(block);
  else sumInputs(block, strips);
  runInserts(block, 0, strips);
  placeOutputs(block);
  keepMeters(block);
}

void Strip::readSource(const Block& block) {
  AudioBlock source = signal(block, node_.sourceChannels);
  reader_->read(block.startFrame, source);
  if (node_.invertPolarity)
    for (int channel = 0; channel < source.channels(); ++channel) source.array(channel) *= -1.0f;
  meters_.inputPeak = std::max(meters_.inputPeak, peakOf(source));
}

void Strip::sumInputs(const Block& block, std::span<const Strip> strips) {
  AudioBlock sum = signal(block, kStereo);
  sum.clear();
  const auto add = [&](ConstAudioBlock contribution) {
    for (int channel = 0; channel < kStereo; ++channel) sum.array(channel) += contribution.array(channel);
  };
  for (Input& input : inputs_) {
    const PlanEdge& edge = *input.edge;
    const Strip& source = strips[static_cast<size_t>(edge.source)];
    if (edge.compensationFrames == 0) {
      if (edge.placed) addPlaced(source.chain(block), sum, input.placedFactors);
      else add(source.tap(edge.tap, block));
      continue;
    }
    AudioBlock delayed = input.delayed.block(kStereo, block.frames);
    if (edge.placed) {
      placeStereo(source.chain(block), delayed, input.placedFactors);
    } else {
      const ConstAudioBlock tapped = source.tap(edge.tap, block);
      for (int channel = 0; channel < kStereo; ++channel) delayed.array(channel) = tapped.array(channel);
    }
    input.delay.process(delayed);
    add(delayed);
  }
  if (buffers_.sum) {
    AudioBlock kept = slotOf(block).sum.block(kStereo, block.frames);
    for (int channel = 0; channel < kStereo; ++channel) kept.array(channel) = sum.array(channel);
  }
  meters_.inputPeak = std::max(meters_.inputPeak, peakOf(sum));
  if (node_.invertPolarity)
    for (int channel = 0; channel < kStereo; ++channel) sum.array(channel) *= -1.0f;
}

void Strip::runInserts(const Block& block, int firstInsert, std::span<const Strip> strips) {
  int channels = node_.sourceChannels;  // lane batches keep the channels
  for (auto index = static_cast<size_t>(firstInsert); index < node_.inserts.size(); ++index) {
    const InsertStage& stage = node_.inserts[index];
    if (stage.outputChannels > channels) {  // a mono signal made stereo: both channels start as the one
      AudioBlock widened = signal(block, kStereo);
      widened.array(1) = widened.array(0);
    }
    channels = stage.outputChannels;
    AudioBlock io = signal(block, channels);
    InsertDelays& delays = insertDelays_[index];
    ConstAudioBlock key;
    if (keys_[index] != nullptr) {
      const ConstAudioBlock keyTap = strips[static_cast<size_t>(keys_[index]->source)].chain(block);
      AudioBlock keyBlock = delays.key.block(keyTap.channels(), block.frames);
      for (int channel = 0; channel < keyTap.channels(); ++channel) keyBlock.array(channel) = keyTap.array(channel);
      delays.keyDelay.process(keyBlock);
      delays.mainDelay.process(io);
      key = keyBlock;
    }
    if (stage.bypass) delays.bypassDelay.process(io);
    else stage.processor->process(io, key, block.startFrame - stage.inputLatencyFrames);
  }
  meters_.postInsertPeak = std::max(meters_.postInsertPeak, peakOf(signal(block, channels)));
}

void Strip::placeOutputs(const Block& block) {
  Slot& slot = slotOf(block);
  const int frames = block.frames;
  const ConstAudioBlock chained = chain(block);
  const auto bufferOf = [&](size_t output) -> AudioBuffer& { return output == 0 ? slot.post : slot.sends[output - 1]; };
  if (node_.silenced) {  // muted, or not audible under solo: its sends too
    for (size_t output = 0; output < outputs_.size(); ++output)
      if (outputs_[output].written) bufferOf(output).block(kStereo, frames).clear();
    return;
  }
  // The node's curves per frame, for the gains that move with them: its signal is outputLatencyFrames
  // late against the session timeline, and so are they.
  const std::int64_t sessionFrame = block.startFrame - node_.outputLatencyFrames;
  if (needsFaderValues_) {
    node_.gainDb.render(sessionFrame, frames, faderGains_.data());
    for (size_t frame = 0; frame < static_cast<size_t>(frames); ++frame) faderGains_[frame] = audio::dbToGain(faderGains_[frame]);
  }
  if (needsPanValues_) node_.pan.render(sessionFrame, frames, pans_.data());
  const NodeCurveValues curves{faderGains_.data(), pans_.data()};
  for (size_t index = 0; index < outputs_.size(); ++index) {
    const Output& output = outputs_[index];
    if (!output.written) {  // placed: its target sums it; the meter reads the same products
      if (index == 0) meters_.outputPeak = std::max(meters_.outputPeak, placedPeak(chained, output.constantFactors));
      continue;
    }
    AudioBlock out = bufferOf(index).block(kStereo, frames);
    if (output.gain.automated()) {
      output.gain.fill(sessionFrame, frames, curves, levelScratch_.data(), leftGains_.data(), rightGains_.data());
      placeVarying(chained, out, leftGains_.data(), rightGains_.data());
    } else {
      placeStereo(chained, out, output.constantFactors);
    }
    if (index == 0) meters_.outputPeak = std::max(meters_.outputPeak, peakOf(out));
  }
}

void Strip::keepMeters(const Block& block) {
  Snapshot& snapshot = snapshots_[static_cast<size_t>(block.sequence % static_cast<std::int64_t>(snapshots_.size()))];
  snapshot.meters = meters_;
  for (size_t insert = 0; insert < snapshot.gainReductionsDb.size(); ++insert)
    snapshot.gainReductionsDb[insert] = gainReductionMeters_[insert] ? gainReductionMeters_[insert]->maxGainReductionDb() : 0.0;
}

AudioBlock Strip::signal(const Block& block, int channels) {
  return (buffers_.mainPerSlot ? slotOf(block) : slots_.front()).main.block(channels, block.frames);
}

ConstAudioBlock Strip::chain(const Block& block) const {
  return (buffers_.mainPerSlot ? slotOf(block) : slots_.front()).main.constBlock(node_.chainChannels, block.frames);
}

ConstAudioBlock Strip::tap(const Tap& tap, const Block& block) const {
  const Slot& slot = slotOf(block);
  return (tap.point == Tap::Point::Send ? slot.sends[static_cast<size_t>(tap.send)] : slot.post).constBlock(kStereo, block.frames);
}

ConstAudioBlock Strip::output(const Block& block) const {
  if (!buffers_.post) throw std::logic_error("Strip::output: \"" + node_.name + "\" is not tapped and writes no output");
  return slotOf(block).post.constBlock(kStereo, block.frames);
}

ConstAudioBlock Strip::sumInput(const Block& block) const { return slotOf(block).sum.constBlock(kStereo, block.frames); }

const NodeMeters& Strip::meters(const Block& block) const {
  return snapshots_[static_cast<size_t>(block.sequence % static_cast<std::int64_t>(snapshots_.size()))].meters;
}

double Strip::maxGainReductionDb(int insert, const Block& block) const {
  return snapshots_[static_cast<size_t>(block.sequence % static_cast<std::int64_t>(snapshots_.size()))]
      .gainReductionsDb[static_cast<size_t>(insert)];
}

Strip::Slot& Strip::slotOf(const Block& block) {
  return slots_[static_cast<size_t>(block.sequence % static_cast<std::int64_t>(slots_.size()))];
}

const Strip::Slot& Strip::slotOf(const Block& block) const {
  return slots_[static_cast<size_t>(block.sequence % static_cast<std::int64_t>(slots_.size()))];
}

}  // namespace mixdown::graph
