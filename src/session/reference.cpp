#include "mixdown/session/reference.h"

#include <cmath>
#include <initializer_list>
#include <string_view>
#include <set>
#include <vector>

#include "mixdown/session/params.h"
#include "mixdown/session/validate.h"

namespace mixdown::session {

namespace {

/** The parts one after the other (appends: GCC 12 warns falsely on "literal" + std::string). */
std::string joined(std::initializer_list<std::string_view> parts) {
  std::string text;
  for (const std::string_view part : parts) text.append(part);
  return text;
}

std::string typeOf(const ValueSpec& spec) {
  switch (spec.kind) {
    case ValueKind::Number: return spec.automatable ? "number or automation" : "number";
    case ValueKind::Integer: return "integer";
    case ValueKind::Boolean: return "boolean";
    case ValueKind::String: return "string";
    case ValueKind::Name: return "name";
    case ValueKind::Path: return "path";
    case ValueKind::Choice: {
      std::string text;
      for (std::size_t index = 0; index < spec.choices.size(); ++index)
        text.append(index ? " | " : "").append("`").append(spec.choices[index].dump()).append("`");
      return text;
    }
    case ValueKind::Object: return joined({"[", spec.object->name, "](#", spec.object->name, ")"});
    case ValueKind::Array: return joined({"array of ", typeOf(spec.items.front())});
    case ValueKind::Map: return joined({"object: name -> ", typeOf(spec.items.front())});
    case ValueKind::OneOf: {
      std::string text;
      for (std::size_t index = 0; index < spec.alternatives.size(); ++index)
        text.append(index ? ", or " : "").append(typeOf(spec.alternatives[index]));
      return text;
    }
    case ValueKind::Processor: return "[insert](#inserts)";
    case ValueKind::Any: return "any JSON value";
  }
  return "";
}

std::string rangeOf(const ValueSpec& spec) {
  const bool low = std::isfinite(spec.minimum);
  const bool high = std::isfinite(spec.maximum);
  std::string text;
  if (low && high) {
    text = joined({spec.exclusiveMinimum ? "> " : "", formatNumber(spec.minimum)});
    text.append(spec.exclusiveMinimum ? ", <= " : " .. ").append(formatNumber(spec.maximum));
  } else if (low) {
    text = joined({spec.exclusiveMinimum ? "> " : ">= ", formatNumber(spec.minimum)});
  } else if (high) {
    text = joined({"<= ", formatNumber(spec.maximum)});
  }
  if (spec.minItems > 0 || spec.maxItems != std::numeric_limits<std::size_t>::max()) {
    text.append(text.empty() ? "" : "; ").append(std::to_string(spec.minItems)).append(" to ");
    text.append(spec.maxItems == std::numeric_limits<std::size_t>::max() ? "any" : std::to_string(spec.maxItems));
    text.append(" entries");
  }
  for (const auto& alternative : spec.alternatives) {
    const std::string inner = rangeOf(alternative);
    if (!inner.empty()) text.append(text.empty() ? "" : "; ").append(inner);
  }
  if (spec.kind == ValueKind::Array && !spec.items.empty()) {
    const std::string inner = rangeOf(spec.items.front());
    if (!inner.empty()) text.append(text.empty() ? "" : "; ").append("each ").append(inner);
  }
  return text;
}

std::string defaultOf(const FieldSpec& field) {
  if (field.required) return "required";
  if (field.defaultValue.is_null()) return "none";
  return joined({"`", field.defaultValue.dump(), "`"});
}

/** The objects a spec refers to, each once, in the order first met. */
void collectObjects(const ValueSpec& spec, std::vector<const ObjectSpec*>& order, std::set<const ObjectSpec*>& seen);
void collectObjects(const ObjectSpec& object, std::vector<const ObjectSpec*>& order, std::set<const ObjectSpec*>& seen) {
  if (!seen.insert(&object).second) return;
  order.push_back(&object);
  for (const auto& field : object.fields) collectObjects(field.value, order, seen);
}
void collectObjects(const ValueSpec& spec, std::vector<const ObjectSpec*>& order, std::set<const ObjectSpec*>& seen) {
  if (spec.kind == ValueKind::Object) collectObjects(*spec.object, order, seen);
  for (const auto& item : spec.items) collectObjects(item, order, seen);
  for (const auto& alternative : spec.alternatives) collectObjects(alternative, order, seen);
}

std::string cell(std::string text) {
  std::string escaped;
  for (const char character : text) {
    if (character == '|') escaped += "\\|";
    else if (character == '\n') escaped += ' ';
    else escaped += character;
  }
  return escaped;
}

void appendTable(std::string& text, const ObjectSpec& object, const std::string& heading) {
  text.append("### ").append(heading).append("\n\n");
  text.append("<a id=\"").append(object.name).append("\"></a>").append(object.description).append(".\n\n");
  text.append("| key | type | unit | range | default | meaning |\n|---|---|---|---|---|---|\n");
  for (const auto& field : object.fields) {
    std::string meaning = field.description;
    if (!field.automationNotRendered.empty())
      meaning.append(" (not automatable in this version: ").append(field.automationNotRendered).append(")");
    text.append("| `").append(field.key).append("` | ").append(cell(typeOf(field.value))).append(" | ");
    text.append(cell(field.value.unit)).append(" | ").append(cell(rangeOf(field.value))).append(" | ");
    text.append(cell(defaultOf(field))).append(" | ").append(cell(meaning)).append(" |\n");
  }
  text += "\n";
}

}  // namespace

std::string referenceMarkdown() {
  std::string text =
      "# Session reference\n\n"
      "Generated from mixdown's parameter tables (src/session/params.cpp), the same source as the validator and "
      "`mixdown schema`; do not edit by hand: `make reference` rewrites it, and a test checks it is current. "
      "Keys that begin with `_` are comments, anywhere. Names are 1-64 letters, digits, spaces, `_`, `-` or `.`. "
      "\"number or automation\" also takes `{\"points\": [[time, value], ...], \"curve\": ...}` "
      "([automation](#automation)); see docs/session.md for how the pieces work together.\n\n"
      "## Session objects\n\n";
  std::vector<const ObjectSpec*> objects;
  std::set<const ObjectSpec*> seen;
  collectObjects(sessionSpec(), objects, seen);
  for (const ObjectSpec* extra : {&automationSpec(), &sidechainSpec(), &eqBandSpec(), &dynamicEqBandSpec()})
    collectObjects(*extra, objects, seen);
  for (const ObjectSpec* object : objects) appendTable(text, *object, object->name);
  text += "## Inserts\n\n<a id=\"inserts\"></a>Every insert takes `type`, `name` and `bypass`, then its own parameters.\n\n";
  for (const auto& [type, table] : processorSpecs()) appendTable(text, table, joined({"`", type, "`"}));
  return text;
}

}  // namespace mixdown::session
