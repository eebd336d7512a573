// The render's length before it starts, and the 4 GiB that WAV and AIFF
// files can hold: the boundary computed from the RIFF/FORM size field (an
// unsigned 32-bit count of the bytes after it) and the sample size.

#include "mixdown/render/render_length.h"

#include <doctest/doctest.h>

#include <cstdint>

namespace mixdown::render {

namespace {

session::PlannedFile plannedMix(const std::string& name, const session::FileOutput& format) {
  session::PlannedFile file;
  file.kind = session::PlannedFile::Kind::Mix;
  file.path = "out/" + name;
  file.shownPath = name;
  file.pointer = "/outputs/mix";
  file.format = &format;
  return file;
}

}  // namespace

TEST_CASE("render length: length_s, content plus tail_s, or content plus at most 30 s of automatic tail") {
  session::Session session;
  CHECK(renderLength(session, 48000, 48000).fixedFrames == std::nullopt);
  CHECK(renderLength(session, 48000, 48000).maxFrames == 48000 + 30 * 48000);
  session.tailS = 2.5;
  CHECK(renderLength(session, 48000, 48000).fixedFrames == 48000 + 120000);
  session.lengthS = 10.0;
  CHECK(renderLength(session, 48000, 48000).maxFrames == 480000);
}

TEST_CASE("render length: a WAV or AIFF past 4 GiB is refused before rendering, naming the formats that hold it") {
  session::FileOutput pcm24;
  pcm24.bitDepth = audio::BitDepth::Pcm24;
  session::FileOutput float32At96k;
  float32At96k.bitDepth = audio::BitDepth::Float32;
  float32At96k.sampleRate = 96000;
  // Stereo 24-bit: 6 bytes a frame; the file may hold 2^32 - 1 bytes, 4096 of them kept for the header.
  const std::int64_t largestPcm24Frames = (0xFFFFFFFFll - 4096) / 6;
  session::OutputPlan plan;
  plan.files = {plannedMix("mix.wav", pcm24), plannedMix("mix.aiff", pcm24), plannedMix("mix.w64", pcm24),
                plannedMix("mix.flac", pcm24)};
  session::Diagnostics fits;
  checkOutputSizes(plan, largestPcm24Frames, 48000, fits);
  CHECK(fits.empty());
  session::Diagnostics tooLong;
  checkOutputSizes(plan, largestPcm24Frames + 1, 48000, tooLong);
  REQUIRE(tooLong.items().size() == 2);  // the W64 and the FLAC hold it
  CHECK(tooLong.items()[0].pointer == "/outputs/mix");
  CHECK(tooLong.items()[0].message ==
        "\"mix.wav\" would be 4.29 GB (715827200 frames), past the 4 GiB a wav file can hold: use .w64, .rf64 or .flac");
  CHECK(tooLong.items()[1].message.find("\"mix.aiff\" would be 4.29 GB") == 0);
  // Float at twice the render rate: 8 bytes a frame and twice the frames.
  session::OutputPlan resampled;
  resampled.files = {plannedMix("mix.wav", float32At96k)};
  const std::int64_t largestFloatFrames = (0xFFFFFFFFll - 4096) / 8;
  session::Diagnostics half;
  checkOutputSizes(resampled, largestFloatFrames / 2, 48000, half);
  CHECK(half.empty());
  checkOutputSizes(resampled, largestFloatFrames / 2 + 1, 48000, half);
  CHECK(half.items().size() == 1);
}

}  // namespace mixdown::render
