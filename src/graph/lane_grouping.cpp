#include "mixdown/graph/lane_grouping.h"

#include <algorithm>
#include <optional>
#include <string>

namespace mixdown::graph {

namespace {

/** The kind of batch the insert offers to join (equal kinds share one); none for an insert that never joins one. */
std::optional<std::string> batchKindOf(const InsertStage& stage) {
  if (stage.bypass || stage.key || stage.outputChannels != stage.inputChannels) return std::nullopt;
  std::optional<LaneBatchOffer> offer = stage.processor->laneBatchOffer(stage.inputChannels);
  if (!offer) return std::nullopt;
  return std::move(offer->kind);
}

/** A track's batchable prefix: the kinds of its leading inserts that can join a batch. */
std::vector<std::string> prefixOf(const Node& node) {
  std::vector<std::string> kinds;
  if (node.kind != NodeKind::Track) return kinds;
  for (const InsertStage& stage : node.inserts) {
    std::optional<std::string> kind = batchKindOf(stage);
    if (!kind) break;
    kinds.push_back(std::move(*kind));
  }
  return kinds;
}

}  // namespace

void groupLanes(Graph& graph, ExecutionPlan& plan) {
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
    // Each class in the groups the kernels' policy forms; a track in none runs on its own.
    for (auto& [prefix, members] : classes) {
      std::vector<int> channels;
      for (int member : members) channels.push_back(graph.nodes[static_cast<size_t>(member)].sourceChannels);
      std::vector<bool> grouped(members.size(), false);
      for (const std::vector<int>& indices : dsp::LaneGroupPolicy::groups(channels)) {
        const int groupIndex = static_cast<int>(plan.laneGroups.size());
        LaneGroupStep& group = plan.laneGroups.emplace_back();
        for (int index : indices) {
          grouped[static_cast<size_t>(index)] = true;
          const int node = members[static_cast<size_t>(index)];
          PlanNode& planned = plan.nodes[static_cast<size_t>(node)];
          planned.laneGroup = groupIndex;
          planned.laneMember = static_cast<int>(group.members.size());
          planned.firstInsert = static_cast<int>(prefix.size());
          group.members.push_back(node);
        }
        // The batch takes the processors over: they leave their stages.
        for (size_t position = 0; position < prefix.size(); ++position) {
          std::vector<dsp::LaneBatchMember> batchMembers;
          for (int member : group.members) {
            InsertStage& stage = graph.nodes[static_cast<size_t>(member)].inserts[position];
            batchMembers.push_back({std::move(stage.processor), stage.inputChannels});
          }
          group.batches.push_back(dsp::makeLaneBatch(std::move(batchMembers)));
        }
        steps.push_back({-1, groupIndex});
      }
      for (size_t index = 0; index < members.size(); ++index)
        if (!grouped[index]) steps.push_back({members[index], -1});
    }
    level = std::move(steps);
  }
}

}  // namespace mixdown::graph
