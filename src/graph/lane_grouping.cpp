#include "mixdown/graph/lane_grouping.h"

#include <algorithm>
#include <optional>
#include <string>

namespace mixdown::graph {

namespace {

// The seam to dsp: what an insert offers for batching, and the batches' constraints.
constexpr int kMaxBatchChannels = 2;  // a compressor lane keys on two channels at most

/** The kind of batch the insert can join (equal keys share one); none for an insert that never joins one. */
std::optional<std::string> batchKeyOf(const Node& node, const InsertStage& stage) {
  if (stage.bypass || stage.key || stage.outputChannels != node.sourceChannels) return std::nullopt;
  return dsp::laneBatchKey(*stage.processor);
}

std::unique_ptr<dsp::LaneBatch> batchOf(std::span<const Processor* const> processors, std::span<const int> channels) {
  return dsp::makeLaneBatch(processors, channels);
}

/** A track's batchable prefix: the keys of its leading inserts that can join a batch. */
std::vector<std::string> prefixOf(const Node& node) {
  std::vector<std::string> keys;
  if (node.kind != NodeKind::Track || node.sourceChannels > kMaxBatchChannels) return keys;
  for (const InsertStage& stage : node.inserts) {
    std::optional<std::string> key = batchKeyOf(node, stage);
    if (!key) break;
    keys.push_back(std::move(*key));
  }
  return keys;
}

}  // namespace

void groupLanes(const Graph& graph, ExecutionPlan& plan) {
  for (std::vector<PlanStep>& level : plan.levels) {
    std::vector<PlanStep> steps;
    // The level's tracks by batchable prefix, in the order the prefixes first appear.
    std::vector<std::pair<std::vector<std::string>, std::vector<int>>> classes;
    for (const PlanStep& step : level) {
      std::vector<std::string> prefix = prefixOf(graph.nodes[static_cast<size_t>(step.node)]);
      if (prefix.empty()) {
        steps.push_back(step);
        continue;
      }
      auto found = std::find_if(classes.begin(), classes.end(), [&](const auto& entry) { return entry.first == prefix; });
      if (found == classes.end()) found = classes.insert(classes.end(), {std::move(prefix), {}});
      found->second.push_back(step.node);
    }
    // Each class in groups of kLanes tracks, mono before stereo (stable otherwise): a compressor batch
    // takes a lane per track and an EQ batch a lane per channel, so four mono or four stereo tracks fill
    // every vector pass of both. A group of one gains nothing: its track runs on its own.
    for (auto& [prefix, members] : classes) {
      std::stable_sort(members.begin(), members.end(), [&](int a, int b) {
        return graph.nodes[static_cast<size_t>(a)].sourceChannels < graph.nodes[static_cast<size_t>(b)].sourceChannels;
      });
      for (size_t first = 0; first < members.size(); first += dsp::kLanes) {
        const size_t count = std::min(members.size() - first, static_cast<size_t>(dsp::kLanes));
        if (count == 1) {
          steps.push_back({members[first], -1});
          continue;
        }
        const int groupIndex = static_cast<int>(plan.laneGroups.size());
        LaneGroupStep& group = plan.laneGroups.emplace_back();
        group.members.assign(members.begin() + static_cast<std::ptrdiff_t>(first),
                             members.begin() + static_cast<std::ptrdiff_t>(first + count));
        std::vector<int> channels;
        for (size_t member = 0; member < group.members.size(); ++member) {
          const int node = group.members[member];
          channels.push_back(graph.nodes[static_cast<size_t>(node)].sourceChannels);
          PlanNode& planned = plan.nodes[static_cast<size_t>(node)];
          planned.laneGroup = groupIndex;
          planned.laneMember = static_cast<int>(member);
          planned.firstInsert = static_cast<int>(prefix.size());
        }
        for (size_t position = 0; position < prefix.size(); ++position) {
          std::vector<const Processor*> processors;
          for (int member : group.members)
            processors.push_back(graph.nodes[static_cast<size_t>(member)].inserts[position].processor.get());
          group.batches.push_back(batchOf(processors, channels));
        }
        steps.push_back({-1, groupIndex});
      }
    }
    level = std::move(steps);
  }
}

}  // namespace mixdown::graph
