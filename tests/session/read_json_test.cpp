#include <doctest/doctest.h>

#include "mixdown/session/read_json.h"

using namespace mixdown::session;

TEST_CASE("session: JSON syntax errors give line and column") {
  Diagnostics problems;
  CHECK_FALSE(parseJsonText("{\n  \"mixdown\": 1,\n  \"tracks\": NaN\n}", problems).has_value());
  REQUIRE(problems.size() == 1);
  CHECK(problems.items()[0].pointer == "line 3, column 13");
}

TEST_CASE("session: a key repeated in one object is an error naming its pointer") {
  Diagnostics problems;
  CHECK_FALSE(parseJsonText(R"({"tracks": [{"name": "a"}, {"name": "b", "gain_db": 1, "gain_db": 2}]})", problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems.items()[0].pointer == "/tracks/1/gain_db");
  CHECK(problems.items()[0].message == "key \"gain_db\" appears more than once in this object");
}

TEST_CASE("session: a missing session file is reported") {
  Diagnostics problems;
  CHECK_FALSE(readJsonFile("/nonexistent/song.json", problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems.items()[0].message == "cannot read the session file: no such file");
}
