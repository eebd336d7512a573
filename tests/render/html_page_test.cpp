// The page of a render (render/html_page.h): self-contained, its bytes from the
// report alone, every name escaped, the loudness chart bounded in size, and the
// charts placed where the figures say.

#include <doctest/doctest.h>

#include <string>

#include "mixdown/render/html_page.h"

namespace mixdown::render {

namespace {

using json = nlohmann::ordered_json;

json reportWithTracks(const std::string& name) {
  return json{{"mixdown", "1.0.0"},
              {"session", "song.json"},
              {"sample_rate", 48000},
              {"duration_s", 10.0},
              {"latency_frames", 0},
              {"outputs", {{{"kind", "mix"}, {"file", "mix.wav"}, {"integrated_lufs", -14.0}, {"true_peak_dbtp", -1.2}}}},
              {"nodes", {{{"name", name}, {"kind", "track"}, {"output_peak_dbfs", -30.0}, {"max_gain_reduction_db", 6.0}}}},
              {"normalization", {{"target_lufs", -14.0}, {"true_peak_ceiling_dbtp", -1.0}}},
              {"warnings", json::array({"track \"" + name + "\" clips after its fader"})}};
}

std::vector<analysis::LoudnessReading> steadyReadings(std::size_t count, double lufs) {
  std::vector<analysis::LoudnessReading> readings;
  for (std::size_t at = 0; at < count; ++at)
    readings.push_back({static_cast<double>(at + 1) / 10.0, lufs, at >= 30 ? std::optional<double>(lufs) : std::nullopt});
  return readings;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t found = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++found;
  return found;
}

}  // namespace

TEST_CASE("html page: no script, nothing fetched, the same bytes for the same report") {
  const json report = reportWithTracks("kick");
  const std::string page = htmlPage(report, steadyReadings(100, -14.0));
  CHECK(page == htmlPage(report, steadyReadings(100, -14.0)));
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find(" src=") == std::string::npos);
  CHECK(page.find(" href=") == std::string::npos);
  CHECK(page.find("@import") == std::string::npos);
  CHECK(page.find("url(") == std::string::npos);
  // The only address is SVG's namespace name, which is never fetched.
  CHECK(count(page, "http") == count(page, "xmlns=\"http://www.w3.org/2000/svg\""));
}

TEST_CASE("html page: names from the session are escaped") {
  const std::string page = htmlPage(reportWithTracks("<b>&\"kick\""), {});
  CHECK(page.find("<b>&") == std::string::npos);
  CHECK(page.find("&lt;b&gt;&amp;&quot;kick&quot;") != std::string::npos);
  CHECK(page.find("The mix was not rendered.") != std::string::npos);
}

TEST_CASE("html page: the loudness chart draws the target where its axis puts it, and at most 1800 points") {
  // The plot spans y 10 .. 232 (height 260 less 28 below) for -60 .. 0 LUFS: -14 LUFS at 10 + 222 * 14 / 60.
  const std::string page = htmlPage(reportWithTracks("kick"), steadyReadings(100, -14.0));
  const double targetY = 10.0 + 222.0 * 14.0 / 60.0;
  char expected[64];
  std::snprintf(expected, sizeof expected, "y1=\"%.1f\"", targetY);
  CHECK(page.find(std::string("stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"")) != std::string::npos);
  CHECK(page.find(expected) != std::string::npos);
  // Three hours of readings each 100 ms: drawn as at most 1800 points per line.
  const std::string longPage = htmlPage(reportWithTracks("kick"), steadyReadings(108000, -20.0));
  std::size_t lines = 0;
  for (std::size_t at = longPage.find("<polyline"); at != std::string::npos; at = longPage.find("<polyline", at + 1)) {
    ++lines;
    const std::size_t points = longPage.find("points=\"", at) + 8;
    CHECK(count(longPage.substr(points, longPage.find('"', points) - points), ",") <= 1800);
  }
  CHECK(lines == 2);  // momentary and short-term
}

TEST_CASE("html page: without references or masking it says how to get them") {
  const std::string page = htmlPage(reportWithTracks("kick"), {});
  CHECK(page.find("the session names no <code>references</code>") != std::string::npos);
  CHECK(page.find("The masking analysis is off") != std::string::npos);
  CHECK(page.find("track &quot;kick&quot; clips after its fader") != std::string::npos);
}

}  // namespace mixdown::render
