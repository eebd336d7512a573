// docs/reference.md is what the parameter tables produce now (`make reference` rewrites it), and it
// names every key of every table.

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "mixdown/session/params.h"
#include "mixdown/session/reference.h"

TEST_CASE("docs: reference.md equals what the parameter tables produce (make reference rewrites it)") {
  std::ifstream file(std::string(MIXDOWN_SOURCE_DIR) + "/docs/reference.md", std::ios::binary);
  REQUIRE(file);
  std::ostringstream committed;
  committed << file.rdbuf();
  CHECK_MESSAGE(committed.str() == mixdown::session::referenceMarkdown(),
                "docs/reference.md is stale: run `make reference` and commit it");
}

TEST_CASE("docs: the reference has a row for every key of every processor") {
  const std::string text = mixdown::session::referenceMarkdown();
  for (const auto& [type, table] : mixdown::session::processorSpecs()) {
    INFO(type);
    CHECK(text.find("### `" + type + "`") != std::string::npos);
    for (const auto& field : table.fields) CHECK(text.find("| `" + field.key + "` |") != std::string::npos);
  }
}
