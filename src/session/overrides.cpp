#include "mixdown/session/overrides.h"

#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "mixdown/session/params.h"
#include "mixdown/session/read_json.h"
#include "mixdown/session/validate.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::session {

namespace {

using nlohmann::json;

/**
 * Where each dot-separated segment of a path begins and ends: segment k is
 * path[starts[k], ends[k]). Labels are matched against the rest of the path in
 * place, so a path of n bytes costs O(n) per element it is compared with.
 */
struct PathSegments {
  std::vector<std::size_t> starts;
  std::vector<std::size_t> ends;

  explicit PathSegments(const std::string& path) {
    starts.push_back(0);
    for (std::size_t index = 0; index < path.size(); ++index)
      if (path[index] == '.') {
        ends.push_back(index);
        starts.push_back(index + 1);
      }
    ends.push_back(path.size());
  }
  std::size_t size() const noexcept { return starts.size(); }
};

/** Segments from `first` that label spells exactly (label == segments first.. joined by dots), else 0. */
std::size_t segmentsSpelled(const std::string& path, const PathSegments& segments, std::size_t first,
                            std::string_view label) {
  const std::size_t begin = segments.starts[first];
  if (path.size() - begin < label.size() || path.compare(begin, label.size(), label) != 0) return 0;
  const std::size_t end = begin + label.size();
  if (end != path.size() && path[end] != '.') return 0;
  std::size_t count = 1;
  while (segments.ends[first + count - 1] != end) ++count;
  return count;
}

/** The labels an array element answers to: its name, else a send's bus or an unnamed insert's type if unique. */
std::vector<std::string_view> labelsAnsweredBy(const json& element,
                                               const std::map<std::string, std::size_t, std::less<>>& unnamedTypes) {
  std::vector<std::string_view> labels;
  if (!element.is_object()) return labels;
  const auto addString = [&](const char* key) {
    const auto found = element.find(key);
    if (found != element.end() && found->is_string()) labels.emplace_back(found->get_ref<const std::string&>());
  };
  if (element.contains("name")) {
    addString("name");
    return labels;
  }
  addString("bus");
  const auto type = element.find("type");
  if (type != element.end() && type->is_string()) {
    const auto counted = unnamedTypes.find(type->get_ref<const std::string&>());
    if (counted != unnamedTypes.end() && counted->second == 1) labels.emplace_back(type->get_ref<const std::string&>());
  }
  return labels;
}

/** The element of array that answers to the most segments from `first` (the earliest on ties), and how many. */
std::pair<std::size_t, std::size_t> longestLabelMatch(const json& array, const std::string& path,
                                                      const PathSegments& segments, std::size_t first) {
  std::map<std::string, std::size_t, std::less<>> unnamedTypes;
  for (const auto& element : array)
    if (element.is_object() && !element.contains("name")) {
      const auto type = element.find("type");
      if (type != element.end() && type->is_string()) ++unnamedTypes[type->get<std::string>()];
    }
  std::size_t bestElement = 0;
  std::size_t bestCount = 0;
  for (std::size_t element = 0; element < array.size(); ++element)
    for (const std::string_view label : labelsAnsweredBy(array[element], unnamedTypes)) {
      const std::size_t count = segmentsSpelled(path, segments, first, label);
      if (count > bestCount) {
        bestCount = count;
        bestElement = element;
      }
    }
  return {bestElement, bestCount};
}

/** The longest run of segments from `first` that is a key of object (the key and its segment count), else 0. */
std::pair<std::string, std::size_t> longestKeyMatch(const json& object, const std::string& path,
                                                    const PathSegments& segments, std::size_t first) {
  std::string bestKey;
  std::size_t bestCount = 0;
  for (const auto& [key, member] : object.items()) {
    const std::size_t count = segmentsSpelled(path, segments, first, key);
    if (count > bestCount) {
      bestCount = count;
      bestKey = key;
    }
  }
  return {bestKey, bestCount};
}

std::vector<std::string> labelsOf(const json& array) {
  std::vector<std::string> labels;
  for (const auto& element : array) {
    if (!element.is_object()) continue;
    for (const char* key : {"name", "bus", "type"})
      if (element.contains(key) && element.at(key).is_string()) {
        labels.push_back(element.at(key).get<std::string>());
        break;
      }
  }
  return labels;
}

bool isIndex(std::string_view segment) {
  return !segment.empty() && segment.find_first_not_of("0123456789") == std::string::npos && segment.size() < 9;
}

}  // namespace

bool applyOverride(json& document, const std::string& path, const json& value, Diagnostics& diagnostics,
                   Suggest suggest) {
  std::string pointer;
  auto fail = [&](const std::string& message) {
    diagnostics.add(pointer, "--set " + shortenedText(path) + ": " + message);
    return false;
  };
  const PathSegments segments(path);
  if (segments.size() > kMaxOverridePathSegments)
    return fail("a path may have at most " + std::to_string(kMaxOverridePathSegments) + " segments, got " +
                std::to_string(segments.size()));
  const auto segmentAt = [&](std::size_t index) {
    return std::string_view(path).substr(segments.starts[index], segments.ends[index] - segments.starts[index]);
  };
  // Nothing changes until the last segment is reached: a path that fails leaves the document as it was.
  json* node = &document;
  std::size_t index = 0;
  while (index < segments.size()) {
    if (node->is_array()) {
      const auto [element, count] = longestLabelMatch(*node, path, segments, index);
      if (count > 0) {
        node = &(*node)[element];
        pointer = childPointer(pointer, element);
        index += count;
        continue;
      }
      const std::string segment(segmentAt(index));
      if (isIndex(segment)) {
        const std::size_t position = std::stoul(segment);
        if (position >= node->size())
          return fail("index " + segment + " is past the end (" + std::to_string(node->size()) + " elements)");
        node = &(*node)[position];
        pointer = childPointer(pointer, position);
        ++index;
        continue;
      }
      std::string message = "nothing named \"" + shortenedText(segment) + "\" in " + (pointer.empty() ? "/" : pointer);
      if (suggest == Suggest::Yes)
        if (const auto suggestion = closestMatch(segment, labelsOf(*node)))
          message += " (did you mean \"" + *suggestion + "\"?)";
      return fail(message);
    }
    if (!node->is_object()) return fail((pointer.empty() ? "/" : pointer) + " holds no keys");
    // The longest run of segments that is an existing key, else one new key.
    auto [key, count] = longestKeyMatch(*node, path, segments, index);
    if (count == 0) {
      key = std::string(segmentAt(index));
      count = 1;
    }
    pointer = childPointer(pointer, key);
    index += count;
    if (index == segments.size()) {
      (*node)[key] = value;
      return true;
    }
    if (!node->contains(key)) (*node)[key] = json::object();
    node = &(*node)[key];
  }
  return fail("empty path");
}

bool applyAssignment(json& document, const std::string& assignment, Diagnostics& diagnostics) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) {
    diagnostics.add("", "--set " + shortenedText(assignment) + ": expected PATH=VALUE");
    return false;
  }
  const std::string path = assignment.substr(0, equals);
  const std::string text = assignment.substr(equals + 1);
  // Parsed as session files are (nesting depth and number checks included).
  Diagnostics parseProblems;
  const std::optional<json> parsed = parseJsonText(text, parseProblems);
  if (!parsed) {
    diagnostics.add("", "--set " + shortenedText(path) + ": VALUE must be JSON, got " + shortenedText(text) +
                            " (a string needs quotes: '\"" + shortenedText(text) + "\"')");
    return false;
  }
  return applyOverride(document, path, *parsed, diagnostics, diagnostics.empty() ? Suggest::Yes : Suggest::No);
}

json applyVariant(const json& document, const std::string& variantName, Diagnostics& diagnostics) {
  json changed = document;
  const std::string variantPointer = childPointer("/variants", variantName);
  const json& variant = document.at("variants").at(variantName);
  if (variant.contains("mute")) {
    // The strips by name, found once: muting changes no name.
    std::map<std::string, std::vector<json*>, std::less<>> stripsByName;
    for (const char* collection : {"tracks", "buses"}) {
      if (!changed.contains(collection)) continue;
      for (auto& strip : changed.at(collection)) {
        const auto name = strip.is_object() ? strip.find("name") : strip.end();
        if (name != strip.end() && name->is_string()) stripsByName[name->get<std::string>()].push_back(&strip);
      }
    }
    const json& mutes = variant.at("mute");
    for (std::size_t index = 0; index < mutes.size(); ++index) {
      const std::string name = mutes[index].get<std::string>();
      const auto found = stripsByName.find(name);
      if (found == stripsByName.end()) {
        diagnostics.add(childPointer(childPointer(variantPointer, "mute"), index),
                        "no track or bus named \"" + name + "\"");
        continue;
      }
      for (json* strip : found->second) (*strip)["mute"] = true;
    }
  }
  if (variant.contains("set")) {
    const std::string setPointer = childPointer(variantPointer, "set");
    for (const auto& [path, value] : variant.at("set").items()) {
      if (!path.empty() && path.front() == '_') continue;
      Diagnostics setProblems;
      // One did-you-mean per variant: each compares a name with every name of an array.
      if (!applyOverride(changed, path, value, setProblems, diagnostics.empty() ? Suggest::Yes : Suggest::No))
        for (const auto& problem : setProblems.items())
          // A path too long to quote whole is named by its object; the message shows its beginning.
          diagnostics.add(path.size() <= kMaxQuotedTextBytes ? childPointer(setPointer, path) : setPointer,
                          problem.message);
    }
  }
  changed.erase("variants");
  return changed;
}

}  // namespace mixdown::session
