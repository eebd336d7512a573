#include "cli/render_support.h"

#include <cmath>

namespace mixdown::test {

namespace fs = std::filesystem;

void RenderFolder::writeSource(const std::string& name, const PlanarSamples& samples, int sampleRate,
                               SampleFormat format) const {
  writeWav(file("audio") / name, samples, sampleRate, format);
}

void RenderFolder::writeSession(const nlohmann::json& session, const std::string& name) const {
  writeJsonFile(file(name), session);
}

CommandResult RenderFolder::run(const std::vector<std::string>& arguments) const {
  CommandResult result = runMixdown(arguments, path());
  std::string shown = "mixdown";
  for (const auto& argument : arguments) shown += " " + argument;
  INFO("command: " << shown << "\nstatus: " << result.status() << "\nstderr:\n" << result.err);
  REQUIRE(result.exitStatus == 0);
  CHECK(result.err.find("error") == std::string::npos);
  return result;
}

nlohmann::json oneTrackSession(const std::string& source, const std::string& panLaw) {
  return {{"mixdown", 1},
          {"pan_law", panLaw},
          {"tail_s", 0},
          {"tracks", {{{"name", "source"}, {"source", source}}}},
          {"outputs", {{"mix", {{"file", "mix.wav"}, {"bit_depth", "float"}}}}}};
}

SoundFileContents renderMix(const RenderFolder& folder, const nlohmann::json& session) {
  folder.writeSession(session);
  folder.run({"render", "session.json", "-o", "out", "--quiet"});
  return readOutput(folder.file("out") / "mix.wav");
}

SoundFileContents readOutput(const fs::path& path) {
  INFO("output: " << path.string());
  REQUIRE(fs::is_regular_file(path));
  return readSoundFile(path);
}

double maxDeviation(const std::vector<float>& actual, const std::vector<float>& reference, double gain) {
  REQUIRE(actual.size() == reference.size());
  double deviation = 0.0;
  for (std::size_t index = 0; index < actual.size(); ++index)
    deviation = std::max(deviation, std::abs(static_cast<double>(actual[index]) - gain * reference[index]));
  return deviation;
}

double fittedGain(const std::vector<float>& actual, const std::vector<float>& reference) {
  REQUIRE(actual.size() == reference.size());
  double product = 0.0;
  double energy = 0.0;
  for (std::size_t index = 0; index < actual.size(); ++index) {
    product += static_cast<double>(actual[index]) * reference[index];
    energy += static_cast<double>(reference[index]) * reference[index];
  }
  REQUIRE(energy > 0.0);
  return product / energy;
}

double rmsOfPlanar(const PlanarSamples& samples) {
  double energy = 0.0;
  std::size_t count = 0;
  for (const auto& channel : samples) {
    for (float sample : channel) energy += static_cast<double>(sample) * sample;
    count += channel.size();
  }
  return count == 0 ? 0.0 : std::sqrt(energy / static_cast<double>(count));
}

std::vector<unsigned char> bytesOf(const fs::path& path) {
  INFO("file: " << path.string());
  REQUIRE(fs::is_regular_file(path));
  return fileBytes(path);
}

}  // namespace mixdown::test
