#include "mixdown/session/overrides.h"

#include <vector>

#include "mixdown/session/read_json.h"
#include "mixdown/session/validate.h"

namespace mixdown::session {

namespace {

using nlohmann::json;

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> segments;
  std::string segment;
  for (char character : path) {
    if (character == '.') {
      segments.push_back(segment);
      segment.clear();
    } else {
      segment += character;
    }
  }
  segments.push_back(segment);
  return segments;
}

std::string join(const std::vector<std::string>& segments, std::size_t first, std::size_t count) {
  std::string joined;
  for (std::size_t index = first; index < first + count; ++index) joined += (index > first ? "." : "") + segments[index];
  return joined;
}

/** Whether an array element answers to label: its name, a send's bus, or an unnamed insert's unique type. */
bool elementAnswers(const json& array, const json& element, const std::string& label) {
  if (!element.is_object()) return false;
  if (element.contains("name")) return element.at("name") == label;
  if (element.contains("bus") && element.at("bus") == label) return true;
  if (element.contains("type") && element.at("type") == label) {
    std::size_t sameType = 0;
    for (const auto& other : array)
      if (other.is_object() && !other.contains("name") && other.value("type", json()) == label) ++sameType;
    return sameType == 1;
  }
  return false;
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

bool isIndex(const std::string& segment) {
  return !segment.empty() && segment.find_first_not_of("0123456789") == std::string::npos && segment.size() < 9;
}

}  // namespace

bool applyOverride(json& document, const std::string& path, const json& value, Diagnostics& diagnostics) {
  const std::vector<std::string> segments = splitPath(path);
  json* node = &document;
  std::string pointer;
  std::size_t index = 0;
  auto fail = [&](const std::string& message) {
    diagnostics.add(pointer, "--set " + path + ": " + message);
    return false;
  };
  while (index < segments.size()) {
    if (node->is_array()) {
      bool matched = false;
      for (std::size_t count = segments.size() - index; count >= 1 && !matched; --count) {
        const std::string label = join(segments, index, count);
        for (std::size_t element = 0; element < node->size(); ++element) {
          if (elementAnswers(*node, (*node)[element], label)) {
            node = &(*node)[element];
            pointer = childPointer(pointer, element);
            index += count;
            matched = true;
            break;
          }
        }
      }
      if (matched) continue;
      if (isIndex(segments[index])) {
        const std::size_t element = std::stoul(segments[index]);
        if (element >= node->size())
          return fail("index " + segments[index] + " is past the end (" + std::to_string(node->size()) + " elements)");
        node = &(*node)[element];
        pointer = childPointer(pointer, element);
        ++index;
        continue;
      }
      std::string message = "nothing named \"" + segments[index] + "\" in " + (pointer.empty() ? "/" : pointer);
      if (const auto suggestion = closestMatch(segments[index], labelsOf(*node)))
        message += " (did you mean \"" + *suggestion + "\"?)";
      return fail(message);
    }
    if (!node->is_object()) return fail((pointer.empty() ? "/" : pointer) + " holds no keys");
    // The longest run of segments that is an existing key, else one new key.
    std::size_t count = segments.size() - index;
    for (; count > 1; --count)
      if (node->contains(join(segments, index, count))) break;
    const std::string key = join(segments, index, count);
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
    diagnostics.add("", "--set " + assignment + ": expected PATH=VALUE");
    return false;
  }
  const std::string path = assignment.substr(0, equals);
  const std::string text = assignment.substr(equals + 1);
  // Parsed as session files are (nesting depth and number checks included).
  Diagnostics parseProblems;
  const std::optional<json> parsed = parseJsonText(text, parseProblems);
  if (!parsed) {
    diagnostics.add("", "--set " + path + ": VALUE must be JSON, got " + text +
                            " (a string needs quotes: '\"" + text + "\"')");
    return false;
  }
  const json& value = *parsed;
  json changed = document;
  if (!applyOverride(changed, path, value, diagnostics)) return false;
  document = std::move(changed);
  return true;
}

json applyVariant(const json& document, const std::string& variantName, Diagnostics& diagnostics) {
  json changed = document;
  const std::string variantPointer = childPointer("/variants", variantName);
  const json& variant = document.at("variants").at(variantName);
  if (variant.contains("mute")) {
    const json& mutes = variant.at("mute");
    for (std::size_t index = 0; index < mutes.size(); ++index) {
      const std::string name = mutes[index].get<std::string>();
      bool found = false;
      for (const char* collection : {"tracks", "buses"}) {
        if (!changed.contains(collection)) continue;
        for (auto& strip : changed.at(collection))
          if (strip.is_object() && strip.value("name", json()) == name) {
            strip["mute"] = true;
            found = true;
          }
      }
      if (!found)
        diagnostics.add(childPointer(childPointer(variantPointer, "mute"), index),
                        "no track or bus named \"" + name + "\"");
    }
  }
  if (variant.contains("set")) {
    for (const auto& [path, value] : variant.at("set").items()) {
      if (!path.empty() && path.front() == '_') continue;
      Diagnostics setProblems;
      if (!applyOverride(changed, path, value, setProblems))
        for (const auto& problem : setProblems.items())
          diagnostics.add(childPointer(childPointer(variantPointer, "set"), path), problem.message);
    }
  }
  changed.erase("variants");
  return changed;
}

}  // namespace mixdown::session
