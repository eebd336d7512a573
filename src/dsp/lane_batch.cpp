#include "mixdown/dsp/lane_batch.h"

#include <algorithm>
#include <cassert>
#include <numeric>

namespace mixdown::dsp {

std::vector<std::vector<int>> LaneGroupPolicy::groups(std::span<const int> channels) {
  std::vector<int> order(channels.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return channels[static_cast<size_t>(a)] < channels[static_cast<size_t>(b)]; });
  std::vector<std::vector<int>> groups;
  for (size_t first = 0; first < order.size(); first += kMaxMembers) {
    const size_t count = std::min(order.size() - first, static_cast<size_t>(kMaxMembers));
    if (count < 2) continue;
    groups.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(first),
                        order.begin() + static_cast<std::ptrdiff_t>(first + count));
  }
  return groups;
}

std::unique_ptr<LaneBatch> makeLaneBatch(std::vector<LaneBatchMember> members) {
  assert(!members.empty() && members.size() <= static_cast<size_t>(LaneGroupPolicy::kMaxMembers));
  const std::optional<LaneBatchOffer> offer = members.front().processor->laneBatchOffer(members.front().channels);
  assert(offer && offer->make && "the first member offers a batch");
  if (!offer || !offer->make) return nullptr;
  return offer->make(std::move(members));
}

}  // namespace mixdown::dsp
