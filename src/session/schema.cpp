#include "mixdown/session/schema.h"

#include <cmath>

#include "mixdown/session/params.h"

namespace mixdown::session {

namespace {

using nlohmann::json;

json reference(const std::string& name) { return json{{"$ref", "#/$defs/" + name}}; }

/** 1-64 letters, digits, spaces, '_', '-' or '.'; not "." or ".." (a name may become a folder). */
json nameSchema() {
  return json{{"type", "string"}, {"pattern", "^[A-Za-z0-9 _.-]{1,64}$"}, {"not", {{"enum", {".", ".."}}}}};
}

json schemaOf(const ValueSpec& spec) {
  json schema;
  switch (spec.kind) {
    case ValueKind::Number:
    case ValueKind::Integer: {
      schema["type"] = spec.kind == ValueKind::Number ? "number" : "integer";
      if (std::isfinite(spec.minimum)) schema[spec.exclusiveMinimum ? "exclusiveMinimum" : "minimum"] = spec.minimum;
      if (std::isfinite(spec.maximum)) schema["maximum"] = spec.maximum;
      if (!spec.unit.empty()) schema["x-unit"] = spec.unit;
      if (spec.automatable) return json{{"anyOf", json::array({schema, reference("automation")})}};
      return schema;
    }
    case ValueKind::Boolean: return json{{"type", "boolean"}};
    case ValueKind::String: return json{{"type", "string"}};
    case ValueKind::Name: return nameSchema();
    case ValueKind::Path:  // no NUL, at most kMaxPathBytes (the schema counts characters: a bound for the bytes)
      return json{{"type", "string"}, {"minLength", 1}, {"maxLength", kMaxPathBytes}, {"pattern", "^[^\\u0000]*$"}};
    case ValueKind::Choice: return json{{"enum", spec.choices}};
    case ValueKind::Object: return reference(spec.object->name);
    case ValueKind::Array: {
      schema = json{{"type", "array"}, {"items", schemaOf(spec.items.front())}};
      if (spec.minItems > 0) schema["minItems"] = spec.minItems;
      if (spec.maxItems != std::numeric_limits<std::size_t>::max()) schema["maxItems"] = spec.maxItems;
      return schema;
    }
    case ValueKind::Map: {
      schema = json{{"type", "object"}, {"additionalProperties", schemaOf(spec.items.front())}};
      // Comment keys count too, as the validator counts them.
      if (spec.maxItems != std::numeric_limits<std::size_t>::max()) schema["maxProperties"] = spec.maxItems;
      // A map of objects (the variants) is keyed by names, or by comment keys beginning with '_'.
      if (spec.items.front().kind == ValueKind::Object)
        schema["propertyNames"] = json{{"anyOf", json::array({nameSchema(), json{{"pattern", "^_"}}})}};
      return schema;
    }
    case ValueKind::OneOf: {
      json alternatives = json::array();
      for (const auto& alternative : spec.alternatives) alternatives.push_back(schemaOf(alternative));
      return json{{"anyOf", alternatives}};
    }
    case ValueKind::Processor: return reference("processor");
    case ValueKind::Any: return json::object();
  }
  return json::object();
}

json objectSchema(const ObjectSpec& spec) {
  json properties = json::object();
  json required = json::array();
  for (const auto& field : spec.fields) {
    json property = schemaOf(field.value);
    std::string description = field.description;
    if (!field.automationNotRendered.empty())
      description += " (automation is valid in the format but refused by this version: " +
                     field.automationNotRendered + ")";
    if (!description.empty()) property["description"] = description;
    if (!field.defaultValue.is_null()) property["default"] = field.defaultValue;
    properties[field.key] = std::move(property);
    if (field.required) required.push_back(field.key);
  }
  json schema{{"type", "object"},
              {"description", spec.description},
              {"properties", properties},
              {"patternProperties", {{"^_", json::object()}}},
              {"additionalProperties", false}};
  if (!required.empty()) schema["required"] = required;
  return schema;
}

void addDefinition(json& definitions, const ObjectSpec& spec) { definitions[spec.name] = objectSchema(spec); }

}  // namespace

json sessionJsonSchema() {
  json definitions = json::object();
  for (const ObjectSpec* spec :
       {&tempoSpec(), &trackSpec(), &busSpec(), &clipSpec(), &sendSpec(), &masterSpec(), &loudnessSpec(),
        &outputsSpec(), &mixOutputSpec(), &stemsOutputSpec(), &variantSpec(), &insightSpec(), &maskingLimitSpec(), &automationSpec(),
        &sidechainSpec(), &eqBandSpec(), &dynamicEqBandSpec()})
    addDefinition(definitions, *spec);
  json processors = json::array();
  for (const auto& [type, spec] : processorSpecs()) {
    addDefinition(definitions, spec);
    processors.push_back(reference(spec.name));
  }
  definitions["processor"] = json{{"oneOf", processors}};

  json schema = objectSchema(sessionSpec());
  schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  schema["$id"] = "https://mixdown.dev/schema/session-v1.json";
  schema["title"] = "mixdown session, format version 1";
  schema["$defs"] = definitions;
  return schema;
}

}  // namespace mixdown::session
