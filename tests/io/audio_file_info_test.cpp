// probeAudioFile: what it reports for good files, and the messages for missing,
// empty, non-audio and truncated ones. Fixtures are written with libsndfile itself.

#include <doctest/doctest.h>
#include <sndfile.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "mixdown/io/audio_file_info.h"
#include "mixdown/util/error.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"
#include "support/test_signals.h"

using mixdown::IoError;
using mixdown::io::probeAudioFile;
using mixdown::test::TempDir;

namespace {

std::string probeError(const std::filesystem::path& path) {
  try {
    probeAudioFile(path);
  } catch (const IoError& error) {
    return error.what();
  }
  return "(no error)";
}

std::string quoted(const std::filesystem::path& path) {
  std::string text(1, '"');
  text += path.string();
  text += '"';
  return text;
}

void chopBytes(const std::filesystem::path& path, std::uintmax_t bytes) {
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - bytes);
}

mixdown::test::PlanarSamples stereoSine(std::size_t frames, double sampleRate) {
  return {mixdown::test::makeSine(440.0, sampleRate, frames, 0.5), mixdown::test::makeSine(660.0, sampleRate, frames, 0.25)};
}

}  // namespace

TEST_CASE("io: probe reports channels, rate, frames and container") {
  TempDir dir;
  struct Case {
    const char* name;
    int sfFormat;
    const char* container;
  };
  const Case cases[] = {
      {"a.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, "wav"},    {"a.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, "flac"},
      {"a.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_24, "aiff"}, {"a.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, "ogg"},
      {"a.w64", SF_FORMAT_W64 | SF_FORMAT_FLOAT, "w64"},     {"a.rf64", SF_FORMAT_RF64 | SF_FORMAT_PCM_24, "rf64"},
      {"a.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, "mp3"},
  };
  for (const Case& c : cases) {
    const std::string caseName = c.name;
    CAPTURE(caseName);
    const auto path = dir.file(c.name);
    mixdown::test::writeSoundFile(path, stereoSine(30000, 44100.0), 44100, c.sfFormat);
    const auto info = probeAudioFile(path);
    CHECK(info.channels == 2);
    CHECK(info.sampleRate == 44100);
    CHECK(info.frames == 30000);
    CHECK(info.format == c.container);
  }
}

TEST_CASE("io: probe rejects a missing file") {
  TempDir dir;
  const auto path = dir.file("missing.wav");
  CHECK(probeError(path) == "cannot open " + quoted(path) + ": no such file");
}

TEST_CASE("io: probe rejects a directory") {
  TempDir dir;
  CHECK(probeError(dir.path()) == "cannot open " + quoted(dir.path()) + ": is a directory");
}

TEST_CASE("io: probe rejects a file that is not audio") {
  TempDir dir;
  const auto path = dir.file("notes.wav");
  std::ofstream(path) << "these are session notes, not audio\n";
  const std::string message = probeError(path);
  const std::string prefix = "cannot open " + quoted(path) + ": not a readable audio file (";
  CHECK(message.rfind(prefix, 0) == 0);
  CHECK(message.size() > prefix.size() + 1);  // libsndfile's reason is inside the parentheses
  CHECK(message.back() == ')');
}

TEST_CASE("io: probe rejects a zero-length file") {
  TempDir dir;
  const auto path = dir.file("empty.wav");
  std::ofstream(path).close();
  CHECK(probeError(path) == quoted(path) + " holds no audio frames (0 bytes)");
}

TEST_CASE("io: probe rejects a file whose header holds no frames") {
  TempDir dir;
  const auto path = dir.file("header-only.wav");
  mixdown::test::writeSoundFile(path, {{}, {}}, 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  CHECK(probeError(path) == quoted(path) + " holds no audio frames");
}

TEST_CASE("io: probe detects truncated uncompressed files") {
  TempDir dir;
  // 1000 stereo frames; cutting bytes off the end leaves floor((dataBytes - cut) / frameBytes) frames.
  struct Case {
    const char* name;
    int sfFormat;
    std::uintmax_t frameBytes;
  };
  const Case cases[] = {
      {"t.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 4},    {"t24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 6},
      {"tf.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 8},    {"t.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_24, 6},
      {"t.w64", SF_FORMAT_W64 | SF_FORMAT_FLOAT, 8},     {"t.rf64", SF_FORMAT_RF64 | SF_FORMAT_PCM_24, 6},
      {"tx.wav", SF_FORMAT_WAVEX | SF_FORMAT_PCM_16, 4},
  };
  for (const Case& c : cases) {
    for (const std::uintmax_t cut : {std::uintmax_t{1}, std::uintmax_t{401}}) {
      const std::string caseName = c.name;
      CAPTURE(caseName);
      CAPTURE(cut);
      const auto path = dir.file(c.name);
      mixdown::test::writeSoundFile(path, stereoSine(1000, 48000.0), 48000, c.sfFormat);
      chopBytes(path, cut);
      const auto held = (1000 * c.frameBytes - cut) / c.frameBytes;
      CHECK(probeError(path) ==
            quoted(path) + " is truncated: header promises 1000 frames, file holds " + std::to_string(held));
    }
  }
}

TEST_CASE("io: probe detects truncated compressed files") {
  TempDir dir;
  for (const std::string name : {"t.flac", "t.mp3"}) {
    CAPTURE(name);
    const auto path = dir.file(name);
    const int sfFormat = name == "t.flac" ? (SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
                                                       : (SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III);
    mixdown::test::writeSoundFile(path, stereoSine(48000, 48000.0), 48000, sfFormat);
    REQUIRE(probeAudioFile(path).frames == 48000);
    chopBytes(path, 100);
    const std::string message = probeError(path);
    const std::string prefix = quoted(path) + " is truncated: header promises 48000 frames, file holds ";
    REQUIRE(message.rfind(prefix, 0) == 0);
    const long held = std::stol(message.substr(prefix.size()));
    CHECK(held < 48000);
    CHECK(held > 0);
  }
  const auto ogg = dir.file("t.ogg");
  mixdown::test::writeSoundFile(ogg, stereoSine(48000, 48000.0), 48000, SF_FORMAT_OGG | SF_FORMAT_VORBIS);
  chopBytes(ogg, 100);
  CHECK(probeError(ogg).rfind(quoted(ogg) + " is truncated: ", 0) == 0);
}

namespace {

struct FormatCase {
  const char* name;
  int sfFormat;
  int channels;
  bool checkable;  // a format whose length mixdown checks
};

/** What probing path says when its format cannot be checked. */
std::string uncheckedFormatError(const std::filesystem::path& path, int sfFormat) {
  SF_FORMAT_INFO formatInfo{};
  formatInfo.format = sfFormat & SF_FORMAT_TYPEMASK;
  REQUIRE(sf_command(nullptr, SFC_GET_FORMAT_INFO, &formatInfo, sizeof formatInfo) == 0);
  return quoted(path) + " is in the " + formatInfo.name +
         " format, whose length mixdown cannot check against its header (a cut file would play as silence or "
         "noise); use WAV, W64, RF64, AIFF, AU, CAF, FLAC, Ogg (Vorbis, Opus) or MP3";
}

}  // namespace

TEST_CASE("io: a file cut in half is refused in every format, whole, only the checkable formats are read") {
  // Compressed encodings in containers (ADPCM, GSM, G.721, ALAC) included: libsndfile clamps their
  // length to the file too, so the data chunk's promised end is what finds the cut. The formats whose
  // length cannot be checked are refused by name, whole or cut.
  const FormatCase formats[] = {
      {"pcm.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2, true},      {"ima.wav", SF_FORMAT_WAV | SF_FORMAT_IMA_ADPCM, 2, true},
      {"ms.wav", SF_FORMAT_WAV | SF_FORMAT_MS_ADPCM, 2, true},     {"gsm.wav", SF_FORMAT_WAV | SF_FORMAT_GSM610, 1, true},
      {"ulaw.wav", SF_FORMAT_WAV | SF_FORMAT_ULAW, 2, true},       {"x.wav", SF_FORMAT_WAVEX | SF_FORMAT_PCM_24, 2, true},
      {"pcm.w64", SF_FORMAT_W64 | SF_FORMAT_PCM_16, 2, true},      {"ima.w64", SF_FORMAT_W64 | SF_FORMAT_IMA_ADPCM, 2, true},
      {"pcm.rf64", SF_FORMAT_RF64 | SF_FORMAT_PCM_16, 2, true},    {"pcm.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 2, true},
      {"ima.aifc", SF_FORMAT_AIFF | SF_FORMAT_IMA_ADPCM, 2, true}, {"pcm.au", SF_FORMAT_AU | SF_FORMAT_PCM_16, 2, true},
      {"float.au", SF_FORMAT_AU | SF_FORMAT_FLOAT, 2, true},       {"g721.au", SF_FORMAT_AU | SF_FORMAT_G721_32, 1, true},
      {"pcm.caf", SF_FORMAT_CAF | SF_FORMAT_PCM_16, 2, true},      {"alac.caf", SF_FORMAT_CAF | SF_FORMAT_ALAC_16, 2, true},
      {"a.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 2, true},      {"vorbis.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 2, true},
      {"opus.ogg", SF_FORMAT_OGG | SF_FORMAT_OPUS, 2, true},       {"a.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 2, true},
      {"a.ircam", SF_FORMAT_IRCAM | SF_FORMAT_PCM_16, 2, false},   {"a.nist", SF_FORMAT_NIST | SF_FORMAT_PCM_16, 2, false},
      {"a.voc", SF_FORMAT_VOC | SF_FORMAT_PCM_16, 2, false},       {"a.paf", SF_FORMAT_PAF | SF_FORMAT_PCM_16, 2, false},
      {"a.svx", SF_FORMAT_SVX | SF_FORMAT_PCM_16, 1, false},       {"a.mat5", SF_FORMAT_MAT5 | SF_FORMAT_PCM_16, 2, false},
      {"a.mat4", SF_FORMAT_MAT4 | SF_FORMAT_PCM_16, 2, false},     {"a.pvf", SF_FORMAT_PVF | SF_FORMAT_PCM_16, 2, false},
      {"a.xi", SF_FORMAT_XI | SF_FORMAT_DPCM_16, 1, false},        {"a.avr", SF_FORMAT_AVR | SF_FORMAT_PCM_16, 2, false},
      {"a.wve", SF_FORMAT_WVE | SF_FORMAT_ALAW, 1, false},         {"a.mpc2k", SF_FORMAT_MPC2K | SF_FORMAT_PCM_16, 2, false},
      {"a.sds", SF_FORMAT_SDS | SF_FORMAT_PCM_16, 1, false},       {"a.htk", SF_FORMAT_HTK | SF_FORMAT_PCM_16, 1, false},
  };
  TempDir dir;
  for (const FormatCase& format : formats) {
    // Cut to half, and by 1 % (which a CAF, say, still opens after: its data chunk runs past the end).
    for (const std::uintmax_t keptPercent : {std::uintmax_t{50}, std::uintmax_t{99}}) {
      const std::string name = format.name;
      CAPTURE(name);
      CAPTURE(keptPercent);
      const auto path = dir.file(name);
      mixdown::test::PlanarSamples channels = stereoSine(48000, 48000.0);
      channels.resize(static_cast<std::size_t>(format.channels));
      mixdown::test::writeSoundFile(path, channels, 48000, format.sfFormat);
      if (format.checkable) {
        const mixdown::io::AudioFileInfo whole = probeAudioFile(path);
        CHECK(whole.frames >= 48000);  // ADPCM pads its last block
        CHECK(whole.channels == format.channels);
      } else {
        CHECK(probeError(path) == uncheckedFormatError(path, format.sfFormat));
      }
      const std::uintmax_t bytes = std::filesystem::file_size(path);
      chopBytes(path, bytes - bytes * keptPercent / 100);
      const std::string message = probeError(path);
      // Truncation found by mixdown, the format refused, or a file libsndfile itself cannot open.
      const bool refused = message.rfind(quoted(path) + " is truncated: ", 0) == 0 ||
                           (!format.checkable && message == uncheckedFormatError(path, format.sfFormat)) ||
                           message.rfind("cannot open " + quoted(path) + ": not a readable audio file", 0) == 0;
      CHECK_MESSAGE(refused, message);
    }
  }
}
