#include "mixdown/session/validate.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "mixdown/session/key_suggestion.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::session {

namespace {

using nlohmann::json;

std::string describe(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case json::value_t::string: return quotedText(value.get<std::string>());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return formatNumber(value.get<double>());
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "an unsupported value";
  }
}

std::string expected(const ValueSpec& spec) {
  switch (spec.kind) {
    case ValueKind::Number: return spec.automatable ? "a number or an automation object" : "a number";
    case ValueKind::Integer: return "a whole number";
    case ValueKind::Boolean: return "true or false";
    case ValueKind::String: return "a string";
    case ValueKind::Name: return "a name (string)";
    case ValueKind::Path: return "a file path (string)";
    case ValueKind::Object:
    case ValueKind::Processor:
    case ValueKind::Map: return "an object";
    case ValueKind::Array: return "an array";
    case ValueKind::Choice: {
      std::string text = "one of ";
      for (std::size_t index = 0; index < spec.choices.size(); ++index)
        text += (index ? ", " : "") + spec.choices[index].dump();
      return text;
    }
    case ValueKind::OneOf: {
      std::string text;
      for (std::size_t index = 0; index < spec.alternatives.size(); ++index)
        text += (index ? " or " : "") + expected(spec.alternatives[index]);
      return text;
    }
    case ValueKind::Any: return "a value";
  }
  return "a value";
}

bool isNumber(const json& value) { return value.is_number(); }

/** Whether value has the JSON type the alternative takes (used to choose among OneOf). */
bool typeFits(const json& value, const ValueSpec& spec) {
  switch (spec.kind) {
    case ValueKind::Number:
      return isNumber(value) || (spec.automatable && value.is_object());
    case ValueKind::Integer: return isNumber(value);
    case ValueKind::Boolean: return value.is_boolean();
    case ValueKind::String:
    case ValueKind::Name:
    case ValueKind::Path: return value.is_string();
    case ValueKind::Choice:
      return std::any_of(spec.choices.begin(), spec.choices.end(),
                         [&value](const json& choice) { return choice.type() == value.type() ||
                                                                (choice.is_number() && value.is_number()); });
    case ValueKind::Object:
    case ValueKind::Map:
    case ValueKind::Processor: return value.is_object();
    case ValueKind::Array: return value.is_array();
    case ValueKind::OneOf:
      return std::any_of(spec.alternatives.begin(), spec.alternatives.end(),
                         [&value](const ValueSpec& alternative) { return typeFits(value, alternative); });
    case ValueKind::Any: return true;
  }
  return false;
}

constexpr const char* kNameRule = "a name of 1-64 letters, digits, spaces, '_', '-' or '.'";

bool isValidName(const std::string& name) {
  // "." and ".." would name the folder itself or its parent where a name becomes a path (variants/NAME/).
  if (name.empty() || name.size() > 64 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char character) {
    const auto byte = static_cast<unsigned char>(character);
    return std::isalnum(byte) || character == ' ' || character == '_' || character == '-' || character == '.';
  });
}

void checkRange(double number, const ValueSpec& spec, const std::string& pointer, Diagnostics& diagnostics) {
  if (!std::isfinite(number)) {
    diagnostics.add(pointer, "must be a finite number, got " + formatNumber(number));
    return;
  }
  const bool belowMinimum = spec.exclusiveMinimum ? number <= spec.minimum : number < spec.minimum;
  if (belowMinimum) {
    diagnostics.add(pointer, std::string("must be ") + (spec.exclusiveMinimum ? "> " : ">= ") +
                                 formatNumber(spec.minimum) + ", got " + formatNumber(number));
  } else if (number > spec.maximum) {
    diagnostics.add(pointer, "must be <= " + formatNumber(spec.maximum) + ", got " + formatNumber(number));
  }
}

void validateAutomation(const json& value, const ValueSpec& spec, const std::string& pointer,
                        const ValidationContext& context, Diagnostics& diagnostics) {
  validateObject(value, automationSpec(), pointer, context, diagnostics);
  if (!value.contains("points") || !value.at("points").is_array()) return;
  ValueSpec valueSpec = spec;
  valueSpec.automatable = false;
  const json& points = value.at("points");
  double previousTimeS = -1.0;
  for (std::size_t index = 0; index < points.size(); ++index) {
    if (!points[index].is_array() || points[index].size() != 2) continue;  // reported by validateObject
    const std::string pointPointer = childPointer(childPointer(pointer, "points"), index);
    const json& time = points[index][0];
    std::optional<double> timeS;
    if (time.is_number()) {
      timeS = time.get<double>();
      if (!std::isfinite(*timeS) || *timeS < 0.0 || *timeS > kMaxTimeS) {
        diagnostics.add(childPointer(pointPointer, 0), "time must be 0 .. 86400 seconds, got " + describe(time));
        timeS.reset();
      }
    } else if (time.is_string()) {
      const auto position = parseBarBeat(time.get<std::string>());
      if (!position) {
        diagnostics.add(childPointer(pointPointer, 0), "time must be seconds or \"bar:beat\" (e.g. \"5:1\"), got " +
                                                           describe(time));
      } else if (!context.tempo) {
        if (context.tempoUses) context.tempoUses->barBeatPointers.push_back(childPointer(pointPointer, 0));
        else diagnostics.add(childPointer(pointPointer, 0), "\"bar:beat\" times need a top-level \"tempo\"");
      } else if (position->beat >= context.tempo->beatsPerBar + 1) {
        // "1:5" in 4/4 would silently mean "2:1": a slip, not a way to write it.
        diagnostics.add(childPointer(pointPointer, 0), "beat " + formatNumber(position->beat) + " is past the end of a " +
                                                           std::to_string(context.tempo->beatsPerBar) +
                                                           "-beat bar (beats count from 1 to below " +
                                                           std::to_string(context.tempo->beatsPerBar + 1) + "), got " +
                                                           describe(time));
      } else {
        timeS = barBeatToSeconds(*position, *context.tempo);
        if (*timeS > kMaxTimeS) {
          diagnostics.add(childPointer(pointPointer, 0), "time must be at most 86400 seconds (a day), got " +
                                                             describe(time) + " = " + formatNumber(*timeS) + " s");
          timeS.reset();
        }
      }
    } else {
      diagnostics.add(childPointer(pointPointer, 0), "time must be seconds or \"bar:beat\", got " + describe(time));
    }
    if (timeS) {
      if (*timeS < previousTimeS)
        diagnostics.add(childPointer(pointPointer, 0), "times must not decrease (" + formatNumber(*timeS) +
                                                           " s after " + formatNumber(previousTimeS) + " s)");
      previousTimeS = std::max(previousTimeS, *timeS);
    }
    validateValue(points[index][1], valueSpec, childPointer(pointPointer, 1), context, diagnostics);
  }
}

}  // namespace

std::string formatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "infinity" : "-infinity";
  std::ostringstream stream;
  stream.precision(10);
  stream << value;
  return stream.str();
}

void addTempoMissingDiagnostic(const TempoUses& uses, Diagnostics& diagnostics) {
  if (uses.empty()) return;
  std::vector<std::string> places = uses.barBeatPointers;
  places.insert(places.end(), uses.beatValuePointers.begin(), uses.beatValuePointers.end());
  std::string what;
  if (!uses.barBeatPointers.empty()) what = "\"bar:beat\" times";
  if (!uses.beatValuePointers.empty()) what += std::string(what.empty() ? "" : " and ") + "times in beats";
  std::string message = what + " need" +
                        " a top-level \"tempo\" (e.g. \"tempo\": {\"bpm\": 120, \"beats_per_bar\": 4})";
  constexpr std::size_t kPlacesNamed = 5;
  if (places.size() > 1) {
    message += "; also used at ";
    for (std::size_t index = 1; index < places.size() && index <= kPlacesNamed; ++index)
      message.append(index > 1 ? ", " : "").append(places[index]);
    if (places.size() > kPlacesNamed + 1) message += " and " + std::to_string(places.size() - kPlacesNamed - 1) + " more";
    message += " (" + std::to_string(places.size()) + " places)";
  }
  diagnostics.add(places.front(), message);
}

std::optional<std::string> closestMatch(const std::string& word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t bestDistance = std::max<std::size_t>(2, word.size() / 3) + 1;
  std::vector<std::size_t> row;
  for (const auto& candidate : candidates) {
    // The distance is at least the difference in length.
    const std::size_t lengthDifference =
        word.size() > candidate.size() ? word.size() - candidate.size() : candidate.size() - word.size();
    if (lengthDifference >= bestDistance) continue;
    // Levenshtein distance, one row at a time; a row's smallest entry never decreases in later rows,
    // so a candidate stops as soon as it cannot beat the best so far.
    row.resize(candidate.size() + 1);
    for (std::size_t column = 0; column < row.size(); ++column) row[column] = column;
    bool beaten = false;
    for (std::size_t line = 1; line <= word.size() && !beaten; ++line) {
      std::size_t diagonal = row[0];
      row[0] = line;
      std::size_t smallest = row[0];
      for (std::size_t column = 1; column <= candidate.size(); ++column) {
        const std::size_t above = row[column];
        const std::size_t substitution = diagonal + (word[line - 1] == candidate[column - 1] ? 0 : 1);
        row[column] = std::min({above + 1, row[column - 1] + 1, substitution});
        smallest = std::min(smallest, row[column]);
        diagonal = above;
      }
      beaten = smallest >= bestDistance;
    }
    if (!beaten && row.back() < bestDistance) {
      bestDistance = row.back();
      best = candidate;
    }
  }
  return best;
}

void validateObject(const json& value, const ObjectSpec& spec, const std::string& pointer,
                    const ValidationContext& context, Diagnostics& diagnostics) {
  if (!value.is_object()) {
    diagnostics.add(pointer, "must be an object, got " + describe(value));
    return;
  }
  for (const auto& [key, member] : value.items()) {
    if (!key.empty() && key.front() == '_') continue;
    const FieldSpec* field = spec.field(key);
    if (!field) {
      // The key as printable text in the pointer too: a message stays on one line.
      diagnostics.add(childPointer(pointer, printableText(key)), unknownKeyMessage(key, spec));
      continue;
    }
    validateValue(member, field->value, childPointer(pointer, key), context, diagnostics);
  }
  for (const auto& field : spec.fields)
    if (field.required && !value.contains(field.key))
      diagnostics.add(pointer, "missing required key \"" + field.key + "\"");
}

void validateValue(const json& value, const ValueSpec& spec, const std::string& pointer,
                   const ValidationContext& context, Diagnostics& diagnostics) {
  switch (spec.kind) {
    case ValueKind::Number:
      if (spec.unit == kBeatsUnit && !context.tempo) {
        if (context.tempoUses) context.tempoUses->beatValuePointers.push_back(pointer);
        else diagnostics.add(pointer, "a time in beats needs a top-level \"tempo\"");
      }
      if (spec.automatable && value.is_object()) return validateAutomation(value, spec, pointer, context, diagnostics);
      if (!isNumber(value)) return diagnostics.add(pointer, "must be " + expected(spec) + ", got " + describe(value));
      return checkRange(value.get<double>(), spec, pointer, diagnostics);
    case ValueKind::Integer: {
      if (!isNumber(value)) return diagnostics.add(pointer, "must be a whole number, got " + describe(value));
      const double number = value.get<double>();
      if (!std::isfinite(number) || std::floor(number) != number)
        return diagnostics.add(pointer, "must be a whole number, got " + describe(value));
      return checkRange(number, spec, pointer, diagnostics);
    }
    case ValueKind::Boolean:
      if (!value.is_boolean()) diagnostics.add(pointer, "must be true or false, got " + describe(value));
      return;
    case ValueKind::String:
      if (!value.is_string()) diagnostics.add(pointer, "must be a string, got " + describe(value));
      return;
    case ValueKind::Name:
      if (!value.is_string() || !isValidName(value.get<std::string>()))
        diagnostics.add(pointer, std::string("must be ") + kNameRule + ", got " + describe(value));
      return;
    case ValueKind::Path:
      if (!value.is_string() || value.get<std::string>().empty())
        diagnostics.add(pointer, "must be a non-empty file path, got " + describe(value));
      // The filesystem would read the path only up to its first NUL: "a.wav\u0000b" would open a.wav.
      else if (value.get_ref<const std::string&>().find('\0') != std::string::npos)
        diagnostics.add(pointer, "a file path may not contain a NUL character (\\u0000), got " + describe(value));
      else if (value.get_ref<const std::string&>().size() > kMaxPathBytes)
        diagnostics.add(pointer, "a file path may have at most " + std::to_string(kMaxPathBytes) + " bytes, got " +
                                     describe(value));
      return;
    case ValueKind::Choice: {
      const bool listed = std::any_of(spec.choices.begin(), spec.choices.end(), [&value](const json& choice) {
        return choice == value || (choice.is_number() && value.is_number() && choice.get<double>() == value.get<double>());
      });
      if (!listed) diagnostics.add(pointer, "must be " + expected(spec) + ", got " + describe(value));
      return;
    }
    case ValueKind::Object: return validateObject(value, *spec.object, pointer, context, diagnostics);
    case ValueKind::Array: {
      if (!value.is_array()) return diagnostics.add(pointer, "must be an array, got " + describe(value));
      if (value.size() < spec.minItems)
        diagnostics.add(pointer, "must hold at least " + std::to_string(spec.minItems) + " element" +
                                     (spec.minItems == 1 ? "" : "s"));
      if (value.size() > spec.maxItems)
        diagnostics.add(pointer, "must hold at most " + std::to_string(spec.maxItems) + " elements, got " +
                                     std::to_string(value.size()));
      for (std::size_t index = 0; index < value.size(); ++index)
        validateValue(value[index], spec.items.front(), childPointer(pointer, index), context, diagnostics);
      return;
    }
    case ValueKind::Map: {
      if (!value.is_object()) return diagnostics.add(pointer, "must be an object, got " + describe(value));
      if (value.size() > spec.maxItems)
        diagnostics.add(pointer, "must hold at most " + std::to_string(spec.maxItems) + " entries, got " +
                                     std::to_string(value.size()));
      for (const auto& [key, member] : value.items()) {
        if (!key.empty() && key.front() == '_') continue;
        const std::string memberPointer = childPointer(pointer, printableText(key));
        // A map of objects (the variants) is keyed by names: each renders into a folder of its name.
        if (spec.items.front().kind == ValueKind::Object && !isValidName(key)) {
          diagnostics.add(memberPointer, std::string("the key must be ") + kNameRule + ", got " + quotedText(key));
          continue;
        }
        validateValue(member, spec.items.front(), memberPointer, context, diagnostics);
      }
      return;
    }
    case ValueKind::OneOf:
      for (const auto& alternative : spec.alternatives)
        if (typeFits(value, alternative)) return validateValue(value, alternative, pointer, context, diagnostics);
      return diagnostics.add(pointer, "must be " + expected(spec) + ", got " + describe(value));
    case ValueKind::Processor: {
      if (!value.is_object()) return diagnostics.add(pointer, "must be a processor object, got " + describe(value));
      if (!value.contains("type")) return diagnostics.add(pointer, "missing required key \"type\"");
      const json& type = value.at("type");
      const ObjectSpec* processor = type.is_string() ? processorSpec(type.get<std::string>()) : nullptr;
      if (!processor) {
        std::vector<std::string> types;
        for (const auto& [name, table] : processorSpecs()) types.push_back(name);
        std::string message = "unknown processor type " + describe(type);
        if (type.is_string())
          if (const auto suggestion = closestMatch(type.get<std::string>(), types))
            message += " (did you mean \"" + *suggestion + "\"?)";
        return diagnostics.add(childPointer(pointer, "type"), message);
      }
      return validateObject(value, *processor, pointer, context, diagnostics);
    }
    case ValueKind::Any: return;
  }
}

}  // namespace mixdown::session
