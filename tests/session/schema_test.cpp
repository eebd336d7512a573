#include <doctest/doctest.h>

#include "mixdown/session/params.h"
#include "mixdown/session/schema.h"

using nlohmann::json;
using namespace mixdown::session;

TEST_CASE("session: the schema is generated from the same tables as the validator") {
  const json schema = sessionJsonSchema();
  CHECK(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");
  CHECK(schema["additionalProperties"] == false);
  CHECK(schema["required"] == json::array({"mixdown", "tracks"}));
  // Every processor type appears with its own parameters, ranges and defaults.
  for (const auto& [type, spec] : processorSpecs()) {
    const json& definition = schema["$defs"]["processor_" + type];
    REQUIRE(definition.is_object());
    for (const auto& field : spec.fields) {
      CHECK(definition["properties"].contains(field.key));
      if (!field.defaultValue.is_null()) CHECK(definition["properties"][field.key]["default"] == field.defaultValue);
    }
  }
  const json& ratio = schema["$defs"]["processor_compressor"]["properties"]["ratio"]["anyOf"][0];
  CHECK(ratio["minimum"] == 1.0);
  CHECK(ratio["maximum"] == 100.0);
  CHECK(schema["$defs"]["processor"]["oneOf"].size() == processorSpecs().size());
}
