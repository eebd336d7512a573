#include <doctest/doctest.h>

#include "mixdown/session/overrides.h"

using nlohmann::json;
using namespace mixdown::session;

namespace {

json sampleDocument() {
  return json::parse(R"({"mixdown": 1,
    "tracks": [{"name": "lead vox", "source": "v.wav", "inserts": [{"type": "compressor", "name": "comp"}, {"type": "gain"}],
                "sends": [{"bus": "verb.long"}]},
               {"name": "bgv", "source": "b.wav"}],
    "buses": [{"name": "verb.long"}],
    "master": {}})");
}

}  // namespace

TEST_CASE("session: --set addresses tracks, inserts and sends by name, names with dots and spaces included") {
  json document = sampleDocument();
  Diagnostics problems;
  CHECK(applyAssignment(document, "tracks.lead vox.gain_db=-2", problems));
  CHECK(applyAssignment(document, "tracks.lead vox.inserts.comp.threshold_db=-20", problems));
  CHECK(applyAssignment(document, "tracks.lead vox.inserts.gain.gain_db=3", problems));
  CHECK(applyAssignment(document, "tracks.lead vox.sends.verb.long.level_db=-6", problems));
  CHECK(applyAssignment(document, "buses.verb.long.mute=true", problems));
  CHECK(applyAssignment(document, "tracks.1.solo=true", problems));
  CHECK(applyAssignment(document, "master.loudness.target_lufs=-16", problems));
  CHECK(problems.empty());
  CHECK(document["tracks"][0]["gain_db"] == -2);
  CHECK(document["tracks"][0]["inserts"][0]["threshold_db"] == -20);
  CHECK(document["tracks"][0]["inserts"][1]["gain_db"] == 3);
  CHECK(document["tracks"][0]["sends"][0]["level_db"] == -6);
  CHECK(document["buses"][0]["mute"] == true);
  CHECK(document["tracks"][1]["solo"] == true);
  CHECK(document["master"]["loudness"]["target_lufs"] == -16);
}

TEST_CASE("session: --set on a path that does not exist, or with a value that is not JSON, fails and changes nothing") {
  json document = sampleDocument();
  const json before = document;
  Diagnostics problems;
  CHECK_FALSE(applyAssignment(document, "tracks.lead.gain_db=-2", problems));
  CHECK_FALSE(applyAssignment(document, "tracks.bgv.gain_db=loud", problems));
  CHECK_FALSE(applyAssignment(document, "tracks.7.gain_db=1", problems));
  CHECK_FALSE(applyAssignment(document, "no_equals_sign", problems));
  CHECK(document == before);
  REQUIRE(problems.size() == 4);
  CHECK(problems.items()[0].message == "--set tracks.lead.gain_db: nothing named \"lead\" in /tracks");
  CHECK(problems.items()[1].message.find("VALUE must be JSON") != std::string::npos);
  CHECK(problems.items()[2].message.find("past the end") != std::string::npos);
}

TEST_CASE("session: an override path has at most 64 segments, and a failing one changes nothing") {
  json document = sampleDocument();
  const json before = document;
  Diagnostics problems;
  std::string path = "tracks.bgv";
  for (int segment = 2; segment < 65; ++segment) path += ".x";
  CHECK_FALSE(applyAssignment(document, path + "=1", problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems.items()[0].message.find("a path may have at most 64 segments, got 65") != std::string::npos);
  CHECK(document == before);

  Diagnostics fine;
  path.resize(path.size() - 2);  // 64 segments: new keys, one in another
  CHECK(applyAssignment(document, path + "=1", fine));
  CHECK(fine.empty());
  CHECK(document.at("tracks").at(1).at("x").is_object());
}

TEST_CASE("session: a name of many dots is matched whole among many names") {
  // The longest name allowed, 32 segments of a path, among 2000 names that share its end.
  json document = sampleDocument();
  std::string longName(64, 'a');
  for (std::size_t position = 1; position < longName.size(); position += 2) longName[position] = '.';
  for (int index = 0; index < 2000; ++index) document["tracks"].push_back({{"name", std::to_string(index) + longName.substr(8)}});
  document["tracks"].push_back({{"name", longName}});
  Diagnostics problems;
  CHECK(applyAssignment(document, "tracks." + longName + ".gain_db=-3", problems));
  CHECK(problems.empty());
  CHECK(document.at("tracks").back().at("gain_db") == -3);
}
