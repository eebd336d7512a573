#include "mixdown/session/check_routing.h"

#include <functional>
#include <map>
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

void checkInsertOptions(const std::vector<Insert>& inserts, const Session& session, Diagnostics& diagnostics) {
  for (const auto& insert : inserts) {
    const json& parameters = insert.parameters;
    if (insert.type == "delay") {
      const bool hasMs = parameters.contains("time_ms");
      const bool hasBeats = parameters.contains("time_beats");
      if (hasMs == hasBeats) diagnostics.add(insert.pointer, "a delay needs exactly one of \"time_ms\" and \"time_beats\"");
      if (hasBeats && !session.tempo)
        diagnostics.add(childPointer(insert.pointer, "time_beats"), "\"time_beats\" needs a top-level \"tempo\"");
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

/** Names the first routing cycle found, as "a -> b -> a", with the pointers of its edges. */
void checkCycles(const std::map<std::string, std::vector<Edge>>& edges, const Session& session,
                 Diagnostics& diagnostics) {
  enum class Mark { Unvisited, OnPath, Done };
  std::map<std::string, Mark> marks;
  std::vector<std::pair<std::string, const Edge*>> path;
  std::set<std::string> reported;

  std::function<void(const std::string&)> visit = [&](const std::string& node) {
    marks[node] = Mark::OnPath;
    const auto found = edges.find(node);
    if (found != edges.end()) {
      for (const auto& edge : found->second) {
        const Mark mark = marks[edge.to];
        if (mark == Mark::OnPath) {
          std::size_t start = 0;
          while (path[start].first != edge.to) ++start;
          std::string cycle;
          std::string pointers;
          std::set<std::string> members;
          for (std::size_t index = start; index < path.size(); ++index) {
            cycle += path[index].first + " -> ";
            pointers += (index > start ? ", " : "") + path[index].second->pointer;
            members.insert(path[index].first);
          }
          cycle += node + " -> " + edge.to;
          pointers += (path.size() > start ? ", " : "") + edge.pointer;
          members.insert(node);
          std::string key;
          for (const auto& member : members) key += member + "\n";
          if (reported.insert(key).second)
            diagnostics.add(edge.pointer, "routing cycle: " + cycle + " (through " + pointers + ")");
        } else if (mark == Mark::Unvisited) {
          path.emplace_back(node, &edge);
          visit(edge.to);
          path.pop_back();
        }
      }
    }
    marks[node] = Mark::Done;
  };
  for (const Strip* strip : stripsOf(session))
    if (marks[strip->name] == Mark::Unvisited) visit(strip->name);
}

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

  auto unknownBus = [&](const std::string& name, const std::string& pointer, const std::string& what) {
    std::string message = what + " \"" + name + "\" is not a bus";
    if (trackNames.count(name)) message += " (it is a track)";
    else if (const auto suggestion = closestMatch(name, allBusNames)) message += " (did you mean \"" + *suggestion + "\"?)";
    diagnostics.add(pointer, message);
  };

  std::map<std::string, std::vector<Edge>> edges;
  auto checkInserts = [&](const std::vector<Insert>& inserts, const std::string& owner) {
    checkInsertOptions(inserts, session, diagnostics);
    for (const auto& insert : inserts) {
      for (const auto& reference : sidechainsOf(insert)) {
        if (!trackNames.count(reference.source) && !busNames.count(reference.source)) {
          std::string message = "sidechain source \"" + reference.source + "\" is not a track or bus";
          if (const auto suggestion = closestMatch(reference.source, allNames))
            message += " (did you mean \"" + *suggestion + "\"?)";
          diagnostics.add(reference.pointer, message);
        } else if (reference.source == owner) {
          diagnostics.add(reference.pointer, "\"" + owner + "\" cannot key its own processor");
        } else if (!owner.empty()) {
          edges[reference.source].push_back({owner, reference.pointer, "sidechain"});
        }
      }
    }
  };

  for (const Strip* strip : stripsOf(session)) {
    const std::string outputPointer = childPointer(strip->pointer, "output");
    if (strip->output != "master") {
      if (!busNames.count(strip->output)) unknownBus(strip->output, outputPointer, "output");
      else if (strip->output == strip->name) diagnostics.add(outputPointer, "a bus cannot output to itself");
      else edges[strip->name].push_back({strip->output, outputPointer, "output"});
    }
    for (const auto& send : strip->sends) {
      const std::string busPointer = childPointer(send.pointer, "bus");
      if (!busNames.count(send.bus)) unknownBus(send.bus, busPointer, "send destination");
      else if (send.bus == strip->name) diagnostics.add(busPointer, "a bus cannot send to itself");
      else edges[strip->name].push_back({send.bus, busPointer, "send"});
    }
    checkInserts(strip->inserts, strip->name);
  }
  checkInserts(session.master.inserts, "");
  checkCycles(edges, session, diagnostics);
}

}  // namespace mixdown::session
