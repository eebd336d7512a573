#pragma once
// Files for the end-to-end CLI tests: audio sources written with libsndfile
// (good, empty, truncated, not audio at all), session files, and the fixture
// folder the bad sessions of tests/sessions/bad/ expect beside them.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/sound_fixtures.h"

namespace mixdown::test {

enum class SampleFormat { Float32, Pcm16 };

/** libsndfile's format code for a WAV file of that sample format. */
int wavFormat(SampleFormat format);

/** amplitude * sin(2 pi f n / rate) in every channel (channel c phase-shifted by c * pi / 3). */
PlanarSamples sineChannels(double frequencyHz, int sampleRate, std::int64_t frames, int channels, double amplitude);

/**
 * Deterministic noise, uniform in [-amplitude, amplitude], different in every
 * channel: a 64-bit linear congruential generator seeded with seed.
 */
PlanarSamples noiseChannels(std::int64_t frames, int channels, double amplitude, std::uint64_t seed);

void writeWav(const std::filesystem::path& path, const PlanarSamples& channels, int sampleRate, SampleFormat format);

/** A valid WAV header with no frames. */
void writeEmptyWav(const std::filesystem::path& path, int channels, int sampleRate);

/** A 1 s mono 16-bit WAV cut to keepBytes bytes: its header promises more frames than it holds. */
void writeTruncatedWav(const std::filesystem::path& path, std::uintmax_t keepBytes);

void writeTextFile(const std::filesystem::path& path, const std::string& text);
std::string readTextFile(const std::filesystem::path& path);
void writeJsonFile(const std::filesystem::path& path, const nlohmann::json& document);

/**
 * The folder the bad sessions expect beside them, under root:
 *   audio/sine.wav          1 s, 48 kHz, mono, 16-bit, 440 Hz at -6 dBFS
 *   audio/stereo.wav        1 s, 48 kHz, stereo, float
 *   audio/four_channels.wav 0.5 s, 48 kHz, 4 channels, 16-bit
 *   audio/empty.wav         0 frames
 *   audio/truncated.wav     a 1 s file cut to 2000 bytes
 *   audio/not_audio.wav     text
 *   audio/link_to_sine.wav  a symbolic link to sine.wav
 *   read_only/              an empty folder with mode 0555
 */
void makeBadSessionFixtures(const std::filesystem::path& root);

/** Whether the process runs as root (which ignores permission bits). */
bool runningAsRoot();

/** The test sources' directory (MIXDOWN_SOURCE_DIR). */
std::filesystem::path sourceDir();

}  // namespace mixdown::test
