#include "mixdown/graph/engine.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

#include "mixdown/audio/decibels.h"
#include "mixdown/util/denormals.h"

namespace mixdown::graph {

namespace {

constexpr int kStereo = 2;

float peakOf(ConstAudioBlock block) {
  float peak = 0.0f;
  for (int channel = 0; channel < block.channels(); ++channel)
    peak = std::max(peak, block.array(channel).abs().maxCoeff());
  return peak;
}

/** The factors of a placement at a level: gains times levelGain, rounded to float. */
Engine::Factors factorsOf(const dsp::StereoGains& gains, double levelGain) {
  return {static_cast<float>(gains.left * levelGain), static_cast<float>(gains.right * levelGain)};
}

/** out = in placed in stereo with factors: the left output from in's first channel, the right from its last. */
void placeStereo(ConstAudioBlock in, AudioBlock out, Engine::Factors factors) {
  const int last = in.channels() - 1;
  out.array(0) = in.array(0) * factors.left;
  out.array(1) = in.array(last) * factors.right;
}

/** peakOf of what placeStereo would write, without writing it. */
float placedPeak(ConstAudioBlock in, Engine::Factors factors) {
  const int last = in.channels() - 1;
  float peak = 0.0f;
  peak = std::max(peak, (in.array(0) * factors.left).abs().maxCoeff());
  return std::max(peak, (in.array(last) * factors.right).abs().maxCoeff());
}

}  // namespace

/** The buffers a node leaves of one block for later levels and the render: a slot of its ring. */
struct Engine::NodeBlock {
  AudioBuffer main{kStereo, 0};  // source or sum, then the inserts' output (a key's tap)
  AudioBuffer sum{kStereo, 0};   // tapped summing nodes: the aligned sum of the inputs, for sumInput()
  AudioBuffer post{kStereo, 0};  // after fader and pan
  std::vector<AudioBuffer> sends;
};

/** The report's figures of a node as they stood after one block. */
struct Engine::MeterSnapshot {
  NodeMeters meters;                     // over every block up to and including this one
  std::vector<double> gainReductionsDb;  // per insert: largest gain reduction up to this block
};

struct Engine::NodeState {
  // Ring of slots by block sequence: as many as blocks can be in flight between this node's writing
  // a block and the last read of it (a later level's, or the render's after the last level).
  std::vector<NodeBlock> blocks;
  std::vector<MeterSnapshot> snapshots;  // ring by block sequence, like blocks: read when a block completes
  std::vector<AudioBuffer> inputScratch;       // per input: its delayed copy
  std::vector<dsp::DelayLine> inputDelays;     // per input
  std::vector<AudioBuffer> keyScratch;         // per insert with a key
  std::vector<dsp::DelayLine> keyDelays;       // per insert
  std::vector<dsp::DelayLine> mainDelays;      // per insert: aligns the main signal to a later key
  std::vector<dsp::DelayLine> bypassDelays;    // per insert: a bypassed processor still delays by its latency
  std::unique_ptr<io::TrackSourceReader> reader;
  // Per-frame gains of automated faders, pans and send levels (block-sized, allocated once).
  std::vector<double> curveValues;  // one curve's values
  std::vector<double> panValues;    // the node's pan
  std::vector<double> faderGains;
  std::vector<double> levelGains;   // a send's level (times the fader when post-fader)
  std::vector<float> leftGains;
  std::vector<float> rightGains;
  NodeMeters meters;             // over every block so far
  bool keySource = false;        // an insert of another node reads this node's main as its key
  bool tapped = false;           // the caller reads its output() and sumInput()
  // Not tapped, not automated, not silenced: the sums that read the node place its main themselves, from
  // constantFactors, rather than reading post and sends it would write; its main is kept per slot.
  bool placedByReaders = false;
  std::vector<Factors> constantFactors;  // unautomated nodes: [0] the output's, [1 + i] send i's
  int laneGroup = -1;           // the lane group the node belongs to, if any
};

Engine::Engine(Graph& graph, ThreadPool& pool, std::optional<std::vector<int>> tappedNodes)
    : graph_(graph),
      pool_(pool),
      depth_(static_cast<int>(std::min<size_t>(std::max<size_t>(graph.levels.size(), 1), kMaxBlocksInFlight)) + 1) {
  const int block = graph.maxBlockFrames;
  // A block written at level L is read at level L' (a sum or a key) L' - L steps later, and by the
  // render (a tapped node) in the step after the last level; a node keeps one slot per step between,
  // and never more than depth_: no more blocks than that are in flight or just completed at once.
  std::vector<int> levelOf(graph.nodes.size(), 0), ringDepth(graph.nodes.size(), 1);
  std::vector<bool> keySource(graph.nodes.size(), false);
  for (size_t level = 0; level < graph.levels.size(); ++level)
    for (int node : graph.levels[level]) levelOf[static_cast<size_t>(node)] = static_cast<int>(level);
  const auto readAt = [&](int source, int readerLevel) {
    int& depth = ringDepth[static_cast<size_t>(source)];
    depth = std::max(depth, std::min(readerLevel - levelOf[static_cast<size_t>(source)] + 1, depth_));
  };
  for (size_t index = 0; index < graph.nodes.size(); ++index) {
    const int level = levelOf[index];
    for (const SumInput& input : graph.nodes[index].inputs) readAt(input.sourceNode, level);
    for (const InsertStage& stage : graph.nodes[index].inserts)
      if (stage.key) {
        readAt(stage.key->sourceNode, level);
        keySource[static_cast<size_t>(stage.key->sourceNode)] = true;
      }
  }
  const int levels = static_cast<int>(graph.levels.size());
  std::vector<bool> tapped(graph.nodes.size(), !tappedNodes);
  if (tappedNodes)
    for (int node : *tappedNodes) tapped[static_cast<size_t>(node)] = true;
  for (size_t node = 0; node < graph.nodes.size(); ++node)
    if (tapped[node]) readAt(static_cast<int>(node), levels);
  for (const Node& node : graph.nodes) {
    auto state = std::make_unique<NodeState>();
    const size_t index = states_.size();
    bool automated = !node.gainDb.isConstant() || !node.pan.isConstant();
    for (const auto& send : node.sends) automated = automated || !send.levelDb.isConstant();
    state->keySource = keySource[index];
    state->tapped = tapped[index];
    state->placedByReaders = !tapped[index] && !automated && !node.silenced && node.kind != NodeKind::Master;
    if (!automated) state->constantFactors = constantFactorsOf(node);
    state->blocks.resize(static_cast<size_t>(ringDepth[index]));
    for (NodeBlock& slot : state->blocks) {
      // A main no other node reads is used within its node's task only: one buffer for every slot.
      if (state->keySource || state->placedByReaders || &slot == &state->blocks.front()) slot.main = AudioBuffer(kStereo, block);
      // The inputs add up in main; only a tapped node keeps their sum apart, for sumInput().
      if (node.kind != NodeKind::Track && state->tapped) slot.sum = AudioBuffer(kStereo, block);
      if (state->placedByReaders) continue;
      slot.post = AudioBuffer(kStereo, block);
      for (size_t send = 0; send < node.sends.size(); ++send) slot.sends.emplace_back(kStereo, block);
    }
    // A block's meters are read once it completed, as a tapped node's output is read after the last level.
    state->snapshots.resize(static_cast<size_t>(std::min(levels - levelOf[index] + 1, depth_)));
    for (MeterSnapshot& snapshot : state->snapshots) snapshot.gainReductionsDb.assign(node.inserts.size(), 0.0);
    if (automated) {
      state->curveValues.resize(static_cast<size_t>(block));
      state->panValues.resize(static_cast<size_t>(block));
      state->faderGains.resize(static_cast<size_t>(block));
      state->levelGains.resize(static_cast<size_t>(block));
      state->leftGains.resize(static_cast<size_t>(block));
      state->rightGains.resize(static_cast<size_t>(block));
    }
    for (const auto& input : node.inputs) {
      state->inputScratch.emplace_back(input.compensationFrames > 0 ? kStereo : 0, input.compensationFrames > 0 ? block : 0);
      state->inputDelays.emplace_back(kStereo, input.compensationFrames);
    }
    for (const auto& stage : node.inserts) {
      const bool keyed = stage.key.has_value();
      state->keyScratch.emplace_back(keyed ? kStereo : 0, keyed ? block : 0);
      state->keyDelays.emplace_back(kStereo, keyed ? stage.key->keyDelayFrames : 0);
      state->mainDelays.emplace_back(kStereo, keyed ? stage.key->mainDelayFrames : 0);
      state->bypassDelays.emplace_back(kStereo, stage.bypass ? stage.latencyFrames : 0);
    }
    if (node.kind == NodeKind::Track) {
      std::vector<io::ClipReadSpec> clips;
      const auto delayFrames = std::llround(node.track->delayMs * 1e-3 * graph.sampleRate);
      for (const auto& clip : node.track->clips) {
        io::ClipReadSpec spec;
        spec.file = clip.file;
        spec.atFrame = std::llround(clip.atS * graph.sampleRate) + delayFrames;
        spec.fromS = clip.fromS;
        spec.durationS = clip.durationS;
        spec.gain = static_cast<float>(audio::dbToGain(clip.gainDb));
        spec.fadeInS = clip.fadeInS;
        spec.fadeOutS = clip.fadeOutS;
        spec.channels = clip.channels;
        clips.push_back(std::move(spec));
      }
      state->reader = std::make_unique<io::TrackSourceReader>(std::move(clips), graph.sampleRate, node.sourceChannels, block);
    }
    states_.push_back(std::move(state));
  }
  formLaneGroups();
  // What step() uses, sized once: the render loop allocates nothing (the runner captures `this`
  // alone, which std::function keeps without allocating).
  inFlight_.reserve(static_cast<size_t>(depth_));
  for (const auto& tasks : levelTasks_) {
    levelTiming_.push_back(levelTasksInAll_);
    levelTasksInAll_ += tasks.size();
  }
  stepTasks_.reserve(levelTasksInAll_);
  taskSeconds_.assign(levelTasksInAll_, 0.0);
  stepRunner_ = [this](int index) { runStepTask(index); };
}

void Engine::formLaneGroups() {
  // A track's batchable prefix: the batch kinds its leading active, unkeyed inserts offer.
  auto prefixOf = [&](const Node& node) {
    std::vector<std::string> kinds;
    for (const InsertStage& stage : node.inserts) {
      if (stage.bypass || stage.key || stage.outputChannels != stage.inputChannels) break;
      std::optional<LaneBatchOffer> offer = stage.processor->laneBatchOffer(stage.inputChannels);
      if (!offer) break;
      kinds.push_back(std::move(offer->kind));
    }
    return kinds;
  };
  for (const auto& level : graph_.levels) {
    std::vector<Task> tasks;
    // The level's tracks by batchable prefix, in the order the prefixes first appear.
    std::vector<std::pair<std::vector<std::string>, std::vector<int>>> classes;
    for (int nodeIndex : level) {
      const Node& node = graph_.nodes[static_cast<size_t>(nodeIndex)];
      std::vector<std::string> prefix = node.kind == NodeKind::Track ? prefixOf(node) : std::vector<std::string>{};
      if (prefix.empty()) {
        tasks.push_back({nodeIndex, -1});
        continue;
      }
      auto found = std::find_if(classes.begin(), classes.end(), [&](const auto& entry) { return entry.first == prefix; });
      if (found == classes.end()) found = classes.insert(classes.end(), {std::move(prefix), {}});
      found->second.push_back(nodeIndex);
    }
    // Each class in the groups the kernels' policy forms; a track in none runs on its own.
    for (auto& [prefix, members] : classes) {
      std::vector<int> channels;
      for (int member : members) channels.push_back(graph_.nodes[static_cast<size_t>(member)].sourceChannels);
      std::vector<bool> grouped(members.size(), false);
      for (const std::vector<int>& indices : dsp::LaneGroupPolicy::groups(channels)) {
        const int groupIndex = static_cast<int>(groups_.size());
        LaneGroup& group = groups_.emplace_back();
        for (int index : indices) {
          grouped[static_cast<size_t>(index)] = true;
          group.members.push_back(members[static_cast<size_t>(index)]);
          states_[static_cast<size_t>(group.members.back())]->laneGroup = groupIndex;
        }
        // The batch takes the processors over: they leave their stages.
        for (size_t position = 0; position < prefix.size(); ++position) {
          std::vector<dsp::LaneBatchMember> batchMembers;
          for (int member : group.members) {
            InsertStage& stage = graph_.nodes[static_cast<size_t>(member)].inserts[position];
            batchMembers.push_back({std::move(stage.processor), stage.inputChannels});
          }
          group.batches.push_back(dsp::makeLaneBatch(std::move(batchMembers)));
        }
        tasks.push_back({-1, groupIndex});
      }
      for (size_t index = 0; index < members.size(); ++index)
        if (!grouped[index]) tasks.push_back({members[index], -1});
    }
    levelTasks_.push_back(std::move(tasks));
  }
}

Engine::~Engine() = default;

void Engine::process(std::int64_t startFrame, int frames) {
  assert(inFlight_.empty() && "process() does not mix with step()");
  const InFlight block{nextSequence_++, startFrame, frames, 0};
  for (const auto& tasks : levelTasks_)
    pool_.run(static_cast<int>(tasks.size()),
              [&](int index) { processTask(tasks[static_cast<size_t>(index)], block); });
  completed_ = block;
}

void Engine::step(std::optional<std::int64_t> startFrame, int frames, int extraTasks,
                  const std::function<void(int)>& extraTask) {
  completed_.reset();
  assert((!startFrame || acceptsBlock()) && "at most one block per level, and kMaxBlocksInFlight, in flight");
  if (startFrame) inFlight_.push_back({nextSequence_++, *startFrame, frames, 0});
  // Every block in flight takes its next level; the levels read only earlier blocks' slots.
  stepTasks_.clear();
  // The caller's extra tasks may grow in number once, on the first steps; then nothing is allocated.
  if (taskSeconds_.size() < levelTasksInAll_ + static_cast<size_t>(extraTasks))
    taskSeconds_.resize(levelTasksInAll_ + static_cast<size_t>(extraTasks), 0.0);
  for (int extra = 0; extra < extraTasks; ++extra)
    stepTasks_.push_back({extra, 0, 0, levelTasksInAll_ + static_cast<size_t>(extra), stepTasks_.size()});
  for (size_t block = 0; block < inFlight_.size(); ++block) {
    const auto level = static_cast<size_t>(inFlight_[block].level);
    for (size_t task = 0; task < levelTasks_[level].size(); ++task)
      stepTasks_.push_back({-1, block, task, levelTiming_[level] + task, stepTasks_.size()});
  }
  // Longest first (by their last run; which core runs which task never changes a bit), so the short
  // ones come last and the cores finish the step together.
  std::sort(stepTasks_.begin(), stepTasks_.end(), [&](const StepTask& a, const StepTask& b) {
    const double secondsA = taskSeconds_[a.timing], secondsB = taskSeconds_[b.timing];
    return secondsA != secondsB ? secondsA > secondsB : a.position < b.position;
  });
  stepExtraTask_ = &extraTask;
  pool_.run(static_cast<int>(stepTasks_.size()), stepRunner_);
  stepExtraTask_ = nullptr;
  for (InFlight& block : inFlight_) ++block.level;
  if (!inFlight_.empty() && inFlight_.front().level == static_cast<int>(levelTasks_.size())) {
    completed_ = inFlight_.front();
    inFlight_.erase(inFlight_.begin());  // a handful of blocks: no deque, whose chunks come and go
  }
}

void Engine::runStepTask(int index) {
  const StepTask& task = stepTasks_[static_cast<size_t>(index)];
  const auto start = std::chrono::steady_clock::now();
  if (task.extra >= 0) {
    (*stepExtraTask_)(task.extra);
  } else {
    const InFlight& inFlight = inFlight_[task.block];
    processTask(levelTasks_[static_cast<size_t>(inFlight.level)][task.task], inFlight);
  }
  taskSeconds_[task.timing] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool Engine::pipelineEmpty() const noexcept { return inFlight_.empty(); }

bool Engine::acceptsBlock() const noexcept { return inFlight_.size() + 1 < static_cast<size_t>(depth_); }

std::optional<std::int64_t> Engine::completedStartFrame() const noexcept {
  return completed_ ? std::optional<std::int64_t>(completed_->startFrame) : std::nullopt;
}

void Engine::processTask(const Task& task, const InFlight& block) {
  const ScopedFlushDenormals flushDenormals;
  if (task.group >= 0) {
    processGroup(task.group, block.sequence, block.startFrame, block.frames);
    for (int node : groups_[static_cast<size_t>(task.group)].members) keepMeters(node, block.sequence);
  } else {
    processNode(task.node, block.sequence, block.startFrame, block.frames);
    keepMeters(task.node, block.sequence);
  }
}

void Engine::keepMeters(int nodeIndex, std::int64_t sequence) {
  NodeState& state = *states_[static_cast<size_t>(nodeIndex)];
  MeterSnapshot& snapshot = state.snapshots[static_cast<size_t>(sequence % static_cast<std::int64_t>(state.snapshots.size()))];
  snapshot.meters = state.meters;
  for (size_t insert = 0; insert < snapshot.gainReductionsDb.size(); ++insert)
    snapshot.gainReductionsDb[insert] = currentGainReductionDb(nodeIndex, static_cast<int>(insert));
}

const Engine::NodeBlock& Engine::completedBlock(int node) const {
  assert(completed_ && "a block was completed");
  const NodeState& state = *states_[static_cast<size_t>(node)];
  return state.blocks[static_cast<size_t>((completed_ ? completed_->sequence : 0) % static_cast<std::int64_t>(state.blocks.size()))];
}

const Engine::MeterSnapshot& Engine::completedSnapshot(int node) const {
  assert(completed_ && "a block was completed");
  const std::vector<MeterSnapshot>& snapshots = states_[static_cast<size_t>(node)]->snapshots;
  return snapshots[static_cast<size_t>((completed_ ? completed_->sequence : 0) % static_cast<std::int64_t>(snapshots.size()))];
}

ConstAudioBlock Engine::output(int node, int frames) const {
  if (states_[static_cast<size_t>(node)]->placedByReaders)
    throw std::logic_error("Engine::output: node " + std::to_string(node) + " is not tapped and writes no output");
  return completedBlock(node).post.constBlock(kStereo, frames);
}

ConstAudioBlock Engine::sumInput(int node, int frames) const { return completedBlock(node).sum.constBlock(kStereo, frames); }

const NodeMeters& Engine::meters(int node) const { return completedSnapshot(node).meters; }

std::vector<std::vector<int>> Engine::laneGroupMembers() const {
  std::vector<std::vector<int>> members;
  for (const auto& tasks : levelTasks_)
    for (const Task& task : tasks)
      if (task.group >= 0) members.push_back(groups_[static_cast<size_t>(task.group)].members);
  return members;
}

double Engine::maxGainReductionDb(int node, int insert) const {
  return completedSnapshot(node).gainReductionsDb[static_cast<size_t>(insert)];
}

bool Engine::reducesGain(int node, int insert) const { return gainReductionMeterOf(node, insert) != nullptr; }

const GainReductionMeter* Engine::gainReductionMeterOf(int node, int insert) const {
  const int groupIndex = states_[static_cast<size_t>(node)]->laneGroup;
  if (groupIndex >= 0) {
    const LaneGroup& group = groups_[static_cast<size_t>(groupIndex)];
    if (static_cast<size_t>(insert) < group.batches.size()) {
      const auto member = std::find(group.members.begin(), group.members.end(), node) - group.members.begin();
      return group.batches[static_cast<size_t>(insert)]->gainReductionMeter(static_cast<int>(member));
    }
  }
  return graph_.nodes[static_cast<size_t>(node)].inserts[static_cast<size_t>(insert)].processor->gainReductionMeter();
}

double Engine::currentGainReductionDb(int node, int insert) const {
  const GainReductionMeter* meter = gainReductionMeterOf(node, insert);
  return meter ? meter->maxGainReductionDb() : 0.0;
}

void Engine::processGroup(int groupIndex, std::int64_t sequence, std::int64_t startFrame, int frames) {
  const LaneGroup& group = groups_[static_cast<size_t>(groupIndex)];
  AudioBlock blocks[dsp::kLanes];
  for (size_t member = 0; member < group.members.size(); ++member) {
    const int node = group.members[member];
    readSource(node, sequence, startFrame, frames);
    blocks[member] = mainOf(node, sequence).block(graph_.nodes[static_cast<size_t>(node)].sourceChannels, frames);
  }
  const std::span<const AudioBlock> members(blocks, group.members.size());
  for (const auto& batch : group.batches) batch->process(members);
  for (int node : group.members) {
    runInserts(node, sequence, startFrame, frames, group.batches.size());
    faderAndSends(node, sequence, startFrame, frames);
  }
}

void Engine::processNode(int nodeIndex, std::int64_t sequence, std::int64_t startFrame, int frames) {
  const Node& node = graph_.nodes[static_cast<size_t>(nodeIndex)];
  if (node.kind == NodeKind::Track) readSource(nodeIndex, sequence, startFrame, frames);
  else sumInputs(nodeIndex, sequence, frames);
  runInserts(nodeIndex, sequence, startFrame, frames, 0);
  faderAndSends(nodeIndex, sequence, startFrame, frames);
}

Engine::NodeBlock& Engine::slotOf(int node, std::int64_t sequence) {
  NodeState& state = *states_[static_cast<size_t>(node)];
  return state.blocks[static_cast<size_t>(sequence % static_cast<std::int64_t>(state.blocks.size()))];
}

AudioBuffer& Engine::mainOf(int node, std::int64_t sequence) {
  NodeState& state = *states_[static_cast<size_t>(node)];
  return state.keySource || state.placedByReaders ? slotOf(node, sequence).main : state.blocks.front().main;
}

void Engine::readSource(int nodeIndex, std::int64_t sequence, std::int64_t startFrame, int frames) {
  const Node& node = graph_.nodes[static_cast<size_t>(nodeIndex)];
  NodeState& state = *states_[static_cast<size_t>(nodeIndex)];
  AudioBlock source = mainOf(nodeIndex, sequence).block(node.sourceChannels, frames);
  state.reader->read(startFrame, source);
  if (node.invertPolarity)
    for (int channel = 0; channel < source.channels(); ++channel) source.array(channel) *= -1.0f;
  state.meters.inputPeak = std::max(state.meters.inputPeak, peakOf(source));
}

void Engine::sumInputs(int nodeIndex, std::int64_t sequence, int frames) {
  const Node& node = graph_.nodes[static_cast<size_t>(nodeIndex)];
  NodeState& state = *states_[static_cast<size_t>(nodeIndex)];
  // The inputs add up in the node's main; a tapped node keeps a copy for sumInput().
  AudioBlock sum = mainOf(nodeIndex, sequence).block(kStereo, frames);
  sum.clear();
  for (size_t index = 0; index < node.inputs.size(); ++index) {
    const SumInput& input = node.inputs[index];
    const NodeState& sourceState = *states_[static_cast<size_t>(input.sourceNode)];
    if (sourceState.placedByReaders) {
      // The source's output or send, placed here from its main: each sample is the same product
      // placeStereo would have written, added in the same order.
      ConstAudioBlock chain = mainOf(input.sourceNode, sequence).constBlock(graph_.nodes[static_cast<size_t>(input.sourceNode)].chainChannels, frames);
      const Factors factors = sourceState.constantFactors[static_cast<size_t>(input.sendIndex + 1)];
      if (input.compensationFrames > 0) {
        AudioBlock delayed = state.inputScratch[index].block(kStereo, frames);
        placeStereo(chain, delayed, factors);
        state.inputDelays[index].process(delayed);
        for (int channel = 0; channel < kStereo; ++channel) sum.array(channel) += delayed.array(channel);
      } else {
        sum.array(0) += chain.array(0) * factors.left;
        sum.array(1) += chain.array(chain.channels() - 1) * factors.right;
      }
      continue;
    }
    const NodeBlock& source = slotOf(input.sourceNode, sequence);
    ConstAudioBlock contribution =
        input.sendIndex < 0 ? source.post.constBlock(kStereo, frames)
                            : source.sends[static_cast<size_t>(input.sendIndex)].constBlock(kStereo, frames);
    if (input.compensationFrames > 0) {
      AudioBlock delayed = state.inputScratch[index].block(kStereo, frames);
      for (int channel = 0; channel < kStereo; ++channel) delayed.array(channel) = contribution.array(channel);
      state.inputDelays[index].process(delayed);
      contribution = delayed;
    }
    for (int channel = 0; channel < kStereo; ++channel) sum.array(channel) += contribution.array(channel);
  }
  if (state.tapped) {
    AudioBlock kept = slotOf(nodeIndex, sequence).sum.block(kStereo, frames);
    for (int channel = 0; channel < kStereo; ++channel) kept.array(channel) = sum.array(channel);
  }
  state.meters.inputPeak = std::max(state.meters.inputPeak, peakOf(sum));
  if (node.invertPolarity)
    for (int channel = 0; channel < kStereo; ++channel) sum.array(channel) *= -1.0f;
}

void Engine::runInserts(int nodeIndex, std::int64_t sequence, std::int64_t startFrame, int frames, size_t firstInsert) {
  Node& node = graph_.nodes[static_cast<size_t>(nodeIndex)];
  NodeState& state = *states_[static_cast<size_t>(nodeIndex)];
  int channels = node.sourceChannels;  // lane batches keep the channels
  for (size_t index = firstInsert; index < node.inserts.size(); ++index) {
    InsertStage& stage = node.inserts[index];
    if (stage.outputChannels > channels) {
      AudioBlock widened = mainOf(nodeIndex, sequence).block(kStereo, frames);
      widened.array(1) = widened.array(0);
    }
    channels = stage.outputChannels;
    AudioBlock io = mainOf(nodeIndex, sequence).block(channels, frames);
    ConstAudioBlock key;
    if (stage.key) {
      const AudioBuffer& keySource = mainOf(stage.key->sourceNode, sequence);
      const int keyChannels = graph_.nodes[static_cast<size_t>(stage.key->sourceNode)].chainChannels;
      AudioBlock keyBlock = state.keyScratch[index].block(keyChannels, frames);
      ConstAudioBlock keyTap = keySource.constBlock(keyChannels, frames);
      for (int channel = 0; channel < keyChannels; ++channel) keyBlock.array(channel) = keyTap.array(channel);
      state.keyDelays[index].process(keyBlock);
      state.mainDelays[index].process(io);
      key = keyBlock;
    }
    if (stage.bypass) state.bypassDelays[index].process(io);
    else stage.processor->process(io, key, startFrame - stage.inputLatencyFrames);
  }
  state.meters.postInsertPeak = std::max(state.meters.postInsertPeak, peakOf(mainOf(nodeIndex, sequence).constBlock(channels, frames)));
}

void Engine::faderAndSends(int nodeIndex, std::int64_t sequence, std::int64_t startFrame, int frames) {
  const Node& node = graph_.nodes[static_cast<size_t>(nodeIndex)];
  NodeState& state = *states_[static_cast<size_t>(nodeIndex)];
  NodeBlock& own = slotOf(nodeIndex, sequence);
  ConstAudioBlock chain = mainOf(nodeIndex, sequence).constBlock(node.chainChannels, frames);
  if (state.placedByReaders) {  // its readers place it; the meter reads the same products
    state.meters.outputPeak = std::max(state.meters.outputPeak, placedPeak(chain, state.constantFactors.front()));
    return;
  }
  AudioBlock post = own.post.block(kStereo, frames);
  if (node.silenced) {  // muted, or not audible under solo: its sends too
    post.clear();
    for (auto& send : own.sends) send.block(kStereo, frames).clear();
    return;
  }
  if (state.faderGains.empty()) {  // nothing automated: constant gains
    placeStereo(chain, post, state.constantFactors.front());
    state.meters.outputPeak = std::max(state.meters.outputPeak, peakOf(post));
    for (size_t index = 0; index < node.sends.size(); ++index)
      placeStereo(chain, own.sends[index].block(kStereo, frames), state.constantFactors[index + 1]);
    return;
  }

  auto placement = [&](double pan) { return stereoGainsOf(node, pan); };
  // Automation: the signal here is node.outputLatencyFrames late against the session timeline.
  const std::int64_t sessionFrame = startFrame - node.outputLatencyFrames;
  node.gainDb.render(sessionFrame, frames, state.curveValues.data());
  for (int frame = 0; frame < frames; ++frame)
    state.faderGains[static_cast<size_t>(frame)] = audio::dbToGain(state.curveValues[static_cast<size_t>(frame)]);
  const bool panMoves = !node.pan.isConstant();
  if (panMoves) node.pan.render(sessionFrame, frames, state.panValues.data());
  // out = chain placed at the pan (fixedPan, else the node's pan per frame), times levels per frame.
  auto placeVarying = [&](AudioBlock out, std::optional<double> fixedPan, const std::vector<double>& levels) {
    for (int frame = 0; frame < frames; ++frame) {
      const auto index = static_cast<size_t>(frame);
      const dsp::StereoGains gains = placement(fixedPan ? *fixedPan : state.panValues[index]);
      state.leftGains[index] = static_cast<float>(gains.left * levels[index]);
      state.rightGains[index] = static_cast<float>(gains.right * levels[index]);
    }
    const int last = chain.channels() - 1;
    out.array(0) = chain.array(0) * Eigen::Map<const Eigen::ArrayXf>(state.leftGains.data(), frames);
    out.array(1) = chain.array(last) * Eigen::Map<const Eigen::ArrayXf>(state.rightGains.data(), frames);
  };
  const std::optional<double> nodePan = panMoves ? std::nullopt : std::optional<double>(node.pan.valueAt(0));
  placeVarying(post, nodePan, state.faderGains);
  state.meters.outputPeak = std::max(state.meters.outputPeak, peakOf(post));
  for (size_t index = 0; index < node.sends.size(); ++index) {
    const SendStage& send = node.sends[index];
    AudioBlock out = own.sends[index].block(kStereo, frames);
    send.levelDb.render(sessionFrame, frames, state.curveValues.data());
    for (int frame = 0; frame < frames; ++frame) {
      const auto at = static_cast<size_t>(frame);
      state.levelGains[at] = audio::dbToGain(state.curveValues[at]) * (send.preFader ? 1.0 : state.faderGains[at]);
    }
    placeVarying(out, send.pan ? send.pan : nodePan, state.levelGains);
  }
}

dsp::StereoGains Engine::stereoGainsOf(const Node& node, double pan) const {
  return node.kind == NodeKind::Master ? dsp::StereoGains{}
         : node.chainChannels == 1     ? dsp::monoPanGains(pan, graph_.panLaw)
                                       : dsp::balanceGains(pan);
}

std::vector<Engine::Factors> Engine::constantFactorsOf(const Node& node) const {
  const double fader = audio::dbToGain(node.gainDb.valueAt(0));
  std::vector<Factors> factors{factorsOf(stereoGainsOf(node, node.pan.valueAt(0)), fader)};
  for (const SendStage& send : node.sends) {
    const double level = audio::dbToGain(send.levelDb.valueAt(0)) * (send.preFader ? 1.0 : fader);
    factors.push_back(factorsOf(stereoGainsOf(node, send.pan.value_or(node.pan.valueAt(0))), level));
  }
  return factors;
}

}  // namespace mixdown::graph
