#pragma once
// Helpers of the end-to-end render tests: a session folder in a temporary
// directory, rendering it through the real binary, and reading what it wrote.

#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli_fixtures.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

namespace mixdown::test {

/** A temporary folder holding session.json and the audio it names. */
class RenderFolder {
public:
  const std::filesystem::path& path() const noexcept { return folder_.path(); }
  std::filesystem::path file(const std::string& name) const { return folder_.file(name); }

  /** Writes samples as audio/NAME (a WAV file). */
  void writeSource(const std::string& name, const PlanarSamples& samples, int sampleRate,
                   SampleFormat format = SampleFormat::Float32) const;
  void writeSession(const nlohmann::json& session, const std::string& name = "session.json") const;

  /** mixdown ARGS... in this folder; checks it succeeded (exit 0, nothing on stderr but warnings). */
  CommandResult run(const std::vector<std::string>& arguments) const;

private:
  TempDir folder_;
};

/** A one-track session: tail 0, float mix, the given pan law; the track is tracks[0]. */
nlohmann::json oneTrackSession(const std::string& source, const std::string& panLaw);

/** Writes session as session.json, renders it to out/ and returns out/mix.wav. */
SoundFileContents renderMix(const RenderFolder& folder, const nlohmann::json& session);

/** Reads a written file; REQUIREs it exists. */
SoundFileContents readOutput(const std::filesystem::path& path);

/** Largest |a - b * gain| over every sample of equal-shaped signals (frames and channels must match). */
double maxDeviation(const std::vector<float>& actual, const std::vector<float>& reference, double gain);

/** sum(actual * reference) / sum(reference^2): the least-squares gain from reference to actual. */
double fittedGain(const std::vector<float>& actual, const std::vector<float>& reference);

/** RMS over every sample of every channel. */
double rmsOfPlanar(const PlanarSamples& samples);

std::vector<unsigned char> bytesOf(const std::filesystem::path& path);

}  // namespace mixdown::test
