#include "support/sample_inserts.h"

#include <cmath>
#include <random>
#include <string>

#include <sndfile.h>

#include "mixdown/plugins/plugin_description.h"
#include "support/installed_plugins.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"

namespace mixdown::test {

namespace {

using nlohmann::json;

/** A 0.1 s stereo impulse response (decaying noise) at 44.1 kHz, written once for the whole test run. */
std::string impulseResponsePath() {
  static const TempDir folder;
  static const std::string path = [] {
    std::vector<std::vector<float>> channels(2, std::vector<float>(4410));
    std::mt19937 generator(77);
    for (auto& channel : channels)
      for (size_t frame = 0; frame < channel.size(); ++frame)
        channel[frame] = std::exp(-static_cast<float>(frame) / 600.0f) *
                         (static_cast<float>(generator()) / 4294967296.0f - 0.5f);
    writeSoundFile(folder.file("ir.wav"), channels, 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    return folder.file("ir.wav").string();
  }();
  return path;
}

}  // namespace

std::vector<json> sampleInserts() {
  std::vector<json> inserts{
      json::parse(R"({"type": "gain", "gain_db": -3})"),
      json::parse(R"({"type": "stereo", "width": 1.5, "balance": 0.1})"),
      json::parse(R"({"type": "eq", "bands": [{"type": "highpass", "freq_hz": 80, "slope_db_oct": 24},
                                               {"type": "peak", "freq_hz": 2500, "gain_db": 3, "q": 1.5}]})"),
      json::parse(R"({"type": "saturation", "drive_db": 9, "curve": "tape", "mix": 0.5, "output_db": -2})"),
      json::parse(R"({"type": "compressor", "threshold_db": -24, "ratio": 3, "knee_db": 6, "lookahead_ms": 2,
                      "detector": "rms", "mix": 0.8, "makeup_db": 2, "attack_ms": 5, "release_ms": 80})"),
      // The threshold sits just under the loud noise's peak (-6 dBFS), so the gate chatters there and a
      // hysteresis matters.
      json::parse(R"({"type": "gate", "threshold_db": -6.1, "range_db": -30, "hold_ms": 5, "ratio": 0,
                      "attack_ms": 1, "release_ms": 40})"),
      json::parse(R"({"type": "limiter", "ceiling_db": -9, "release_ms": 30})"),
      json::parse(R"({"type": "dynamic_eq", "bands": [{"type": "peak", "freq_hz": 3000, "q": 2, "gain_db": 2,
                                                       "threshold_db": -30, "ratio": 3, "attack_ms": 5,
                                                       "release_ms": 60, "range_db": -6}]})"),
      json::parse(R"({"type": "delay", "time_ms": 20, "feedback": 0.4, "mix": 0.5, "lowcut_hz": 200,
                      "highcut_hz": 6000, "ping_pong": true})"),
      json::parse(R"({"type": "reverb", "decay_s": 0.4, "predelay_ms": 5, "size": 0.3, "mix": 0.5, "damping": 0.3,
                      "width": 0.8})"),
      json{{"type", "convolution"}, {"ir", impulseResponsePath()}, {"mix", 0.4}, {"predelay_ms", 3}},
  };
  // An LV2 plugin where lv2-examples is installed (the coverage test says when it is not).
  if (plugins::describePlugin(kEgAmp)) inserts.push_back(json{{"type", "lv2"}, {"uri", kEgAmp}, {"controls", {{"gain", -4.5}}}});
  return inserts;
}

session::Insert insertOf(const json& parameters) {
  session::Insert insert;
  insert.type = parameters.at("type").get<std::string>();
  insert.name = insert.type;
  insert.parameters = parameters;
  return insert;
}

}  // namespace mixdown::test
