#include "mixdown/session/check_routing.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "mixdown/session/params.h"
#include "mixdown/session/validate.h"

namespace mixdown::session {

namespace {

using nlohmann::json;

struct Edge {
  std::string to;
  std::string pointer;
  std::string what;  // "output", "send", "sidechain"
};

std::vector<const Strip*> stripsOf(const Session& session) {
  std::vector<const Strip*> strips;
  for (const auto& track : session.tracks) strips.push_back(&track);
  for (const auto& bus : session.buses) strips.push_back(&bus);
  return strips;
}

void checkNames(const Session& session, Diagnostics& diagnostics) {
  std::map<std::string, std::string> firstPointer;
  for (const Strip* strip : stripsOf(session)) {
    const std::string pointer = childPointer(strip->pointer, "name");
    if (strip->name == "master") {
      diagnostics.add(pointer, "\"master\" is reserved for the master bus");
      continue;
    }
    const auto [existing, inserted] = firstPointer.emplace(strip->name, pointer);
    if (!inserted)
      diagnostics.add(pointer, "name \"" + strip->name + "\" is already used at " + existing->second +
                                   " (tracks and buses share one namespace)");
  }
}

void checkInsertOptions(const std::vector<Insert>& inserts, Diagnostics& diagnostics) {
  for (const auto& insert : inserts) {
    const json& parameters = insert.parameters;
    if (insert.type == "delay") {
      const bool hasMs = parameters.contains("time_ms");
      const bool hasBeats = parameters.contains("time_beats");
      if (hasMs == hasBeats) diagnostics.add(insert.pointer, "a delay needs exactly one of \"time_ms\" and \"time_beats\"");
    }
    if (insert.type == "dynamic_eq") {
      const auto keys = sidechainsOf(insert);
      for (const auto& key : keys)
        if (key.source != keys.front().source)
          diagnostics.add(key.pointer, "all bands of one dynamic_eq must share one sidechain source (here \"" +
                                           keys.front().source + "\" and \"" + key.source +
                                           "\"); use a second dynamic_eq insert for the other key");
    }
    if (insert.type == "gate" && parameters.contains("ratio") && parameters.at("ratio").is_number()) {
      const double ratio = parameters.at("ratio").get<double>();
      if (ratio != 0.0 && ratio <= 1.0)
        diagnostics.add(childPointer(insert.pointer, "ratio"),
                        "must be 0 (hard gate) or > 1 (expander), got " + formatNumber(ratio));
    }
  }
}

/** Cycles reported at most (each names its members); a session with more has these to fix first. */
constexpr std::size_t kMaxReportedCycles = 16;
/** A cycle's message lists at most this many of its edges, the first and the last ones. */
constexpr std::size_t kMaxListedCycleEdges = 12;
/** Distinct unknown names given a did-you-mean: each compares the name with every name of the session. */
constexpr std::size_t kMaxSuggestedNames = 4;

using Node = std::size_t;

/** The routing edges between strips, by strip index (tracks, then buses, as stripsOf lists them). */
struct RoutingGraph {
  std::vector<std::string> names;
  std::vector<std::vector<Edge>> edges;  // per strip, in the order the session names them
};

/** "a -> b -> c" and their pointers for the cycle path[start..] + closing, shortened past kMaxListedCycleEdges. */
std::string cycleMessage(const RoutingGraph& graph, const std::vector<std::pair<Node, const Edge*>>& path,
                         std::size_t start, Node last, const Edge& closing) {
  std::vector<std::pair<Node, const Edge*>> steps(path.begin() + static_cast<std::ptrdiff_t>(start), path.end());
  steps.emplace_back(last, &closing);
  std::string cycle;
  std::string pointers;
  const std::size_t half = kMaxListedCycleEdges / 2;
  const bool cut = steps.size() > kMaxListedCycleEdges;
  for (std::size_t index = 0; index < steps.size(); ++index) {
    if (cut && index == half) {
      std::string skipped(1, '(');  // appended piece by piece: GCC 12 misreads "(" + std::string as overlapping
      skipped += std::to_string(steps.size() - kMaxListedCycleEdges);
      skipped += " more)";
      cycle += skipped + " -> ";
      pointers += ", " + skipped;
      index = steps.size() - half;
    }
    cycle += graph.names[steps[index].first] + " -> ";
    pointers += (index > 0 ? ", " : "") + steps[index].second->pointer;
  }
  return "routing cycle: " + cycle + closing.to + " (through " + pointers + ")";
}

/**
 * Names routing cycles as "a -> b -> a", with the pointers of their edges: a depth-first walk with
 * an explicit stack (a chain of thousands of buses would overflow the call stack), in session order.
 * Returns whether any cycle was found.
 */
bool checkCycles(const RoutingGraph& graph, const std::map<std::string, Node>& indexOf, Diagnostics& diagnostics) {
  enum class Mark { Unvisited, OnPath, Done };
  const std::size_t count = graph.names.size();
  std::vector<Mark> marks(count, Mark::Unvisited);
  std::vector<std::size_t> positionOnPath(count, 0);
  std::vector<std::pair<Node, const Edge*>> path;  // the strips being walked and the edge taken from each
  struct Frame {
    Node node;
    std::size_t nextEdge;
  };
  std::vector<Frame> stack;
  std::set<std::vector<Node>> reported;
  for (Node root = 0; root < count; ++root) {
    if (marks[root] != Mark::Unvisited) continue;
    marks[root] = Mark::OnPath;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      Frame& frame = stack.back();
      const std::vector<Edge>& edges = graph.edges[frame.node];
      if (frame.nextEdge == edges.size()) {
        marks[frame.node] = Mark::Done;
        stack.pop_back();
        if (!path.empty()) path.pop_back();
        continue;
      }
      const Edge& edge = edges[frame.nextEdge++];
      const Node target = indexOf.at(edge.to);
      if (marks[target] == Mark::OnPath) {
        const std::size_t start = target == frame.node ? path.size() : positionOnPath[target];
        std::vector<Node> members{frame.node};
        for (std::size_t index = start; index < path.size(); ++index) members.push_back(path[index].first);
        std::sort(members.begin(), members.end());
        if (reported.insert(members).second)
          diagnostics.add(edge.pointer, cycleMessage(graph, path, start, frame.node, edge));
        if (reported.size() == kMaxReportedCycles) return true;
      } else if (marks[target] == Mark::Unvisited) {
        positionOnPath[frame.node] = path.size();
        path.emplace_back(frame.node, &edge);
        marks[target] = Mark::OnPath;
        stack.push_back({target, 0});
      }
    }
  }
  return !reported.empty();
}

/**
 * Refuses routing deeper than kMaxRoutingDepth strips, at the edge that first goes deeper: a walk in
 * topological order (Kahn's algorithm) of a graph known to have no cycle.
 */
void checkDepth(const RoutingGraph& graph, const std::map<std::string, Node>& indexOf, Diagnostics& diagnostics) {
  const std::size_t count = graph.names.size();
  std::vector<std::size_t> pendingInputs(count, 0);
  for (const auto& edges : graph.edges)
    for (const Edge& edge : edges) ++pendingInputs[indexOf.at(edge.to)];
  std::vector<std::size_t> depth(count, 1);  // strips on the longest chain that ends at each
  std::vector<Node> ready;
  for (Node node = 0; node < count; ++node)
    if (pendingInputs[node] == 0) ready.push_back(node);
  while (!ready.empty()) {
    const Node node = ready.back();
    ready.pop_back();
    for (const Edge& edge : graph.edges[node]) {
      const Node target = indexOf.at(edge.to);
      if (depth[node] + 1 > kMaxRoutingDepth) {
        diagnostics.add(edge.pointer, "routing is deeper than " + std::to_string(kMaxRoutingDepth) +
                                          " tracks and buses one after another (through outputs, sends and sidechain keys)");
        return;
      }
      depth[target] = std::max(depth[target], depth[node] + 1);
      if (--pendingInputs[target] == 0) ready.push_back(target);
    }
  }
}

/** closestMatch for the first kMaxSuggestedNames distinct names asked about, none for later ones. */
class Suggestions {
public:
  explicit Suggestions(const std::vector<std::string>& candidates) : candidates_(candidates) {}
  std::optional<std::string> closestTo(const std::string& name) {
    const auto found = known_.find(name);
    if (found != known_.end()) return found->second;
    if (known_.size() == kMaxSuggestedNames) return std::nullopt;
    return known_.emplace(name, closestMatch(name, candidates_)).first->second;
  }

private:
  const std::vector<std::string>& candidates_;
  std::map<std::string, std::optional<std::string>> known_;
};

}  // namespace

std::vector<SidechainReference> sidechainsOf(const Insert& insert) {
  std::vector<SidechainReference> references;
  auto collect = [&references](const json& holder, const std::string& pointer) {
    const auto found = holder.find("sidechain");
    if (found == holder.end()) return;
    const std::string sidechainPointer = childPointer(pointer, "sidechain");
    if (found->is_string()) references.push_back({sidechainPointer, found->get<std::string>()});
    else if (found->is_object() && found->contains("source") && found->at("source").is_string())
      references.push_back({childPointer(sidechainPointer, "source"), found->at("source").get<std::string>()});
  };
  collect(insert.parameters, insert.pointer);
  if (insert.type == "dynamic_eq" && insert.parameters.contains("bands")) {
    const json& bands = insert.parameters.at("bands");
    for (std::size_t index = 0; index < bands.size(); ++index)
      collect(bands[index], childPointer(childPointer(insert.pointer, "bands"), index));
  }
  return references;
}

void checkRouting(const Session& session, Diagnostics& diagnostics) {
  checkNames(session, diagnostics);

  std::set<std::string> trackNames;
  std::set<std::string> busNames;
  for (const auto& track : session.tracks) trackNames.insert(track.name);
  for (const auto& bus : session.buses) busNames.insert(bus.name);
  std::vector<std::string> allBusNames(busNames.begin(), busNames.end());
  std::vector<std::string> allNames(allBusNames);
  allNames.insert(allNames.end(), trackNames.begin(), trackNames.end());
  Suggestions busSuggestions(allBusNames);
  Suggestions nameSuggestions(allNames);

  auto unknownBus = [&](const std::string& name, const std::string& pointer, const std::string& what) {
    std::string message = what + " \"" + name + "\" is not a bus";
    if (trackNames.count(name)) message += " (it is a track)";
    else if (const auto suggestion = busSuggestions.closestTo(name)) message += " (did you mean \"" + *suggestion + "\"?)";
    diagnostics.add(pointer, message);
  };

  const std::vector<const Strip*> strips = stripsOf(session);
  RoutingGraph graph;
  std::map<std::string, Node> indexOf;
  for (const Strip* strip : strips) {
    indexOf.emplace(strip->name, graph.names.size());  // a repeated name keeps its first strip (checkNames reports it)
    graph.names.push_back(strip->name);
  }
  graph.edges.resize(strips.size());
  const auto addEdge = [&](const std::string& from, Edge edge) { graph.edges[indexOf.at(from)].push_back(std::move(edge)); };
  auto checkInserts = [&](const std::vector<Insert>& inserts, const std::string& owner) {
    checkInsertOptions(inserts, diagnostics);
    for (const auto& insert : inserts) {
      for (const auto& reference : sidechainsOf(insert)) {
        if (!trackNames.count(reference.source) && !busNames.count(reference.source)) {
          std::string message = "sidechain source \"" + reference.source + "\" is not a track or bus";
          if (const auto suggestion = nameSuggestions.closestTo(reference.source))
            message += " (did you mean \"" + *suggestion + "\"?)";
          diagnostics.add(reference.pointer, message);
        } else if (reference.source == owner) {
          diagnostics.add(reference.pointer, "\"" + owner + "\" cannot key its own processor");
        } else if (!owner.empty()) {
          addEdge(reference.source, {owner, reference.pointer, "sidechain"});
        }
      }
    }
  };

  for (const Strip* strip : strips) {
    const std::string outputPointer = childPointer(strip->pointer, "output");
    if (strip->output != "master") {
      if (!busNames.count(strip->output)) unknownBus(strip->output, outputPointer, "output");
      else if (strip->output == strip->name) diagnostics.add(outputPointer, "a bus cannot output to itself");
      else addEdge(strip->name, {strip->output, outputPointer, "output"});
    }
    for (const auto& send : strip->sends) {
      const std::string busPointer = childPointer(send.pointer, "bus");
      if (!busNames.count(send.bus)) unknownBus(send.bus, busPointer, "send destination");
      else if (send.bus == strip->name) diagnostics.add(busPointer, "a bus cannot send to itself");
      else addEdge(strip->name, {send.bus, busPointer, "send"});
    }
    checkInserts(strip->inserts, strip->name);
  }
  checkInserts(session.master.inserts, "");
  if (!checkCycles(graph, indexOf, diagnostics)) checkDepth(graph, indexOf, diagnostics);
}

}  // namespace mixdown::session
