#pragma once
// The session as plain structs, in physical units, after validation. Every
// element keeps its JSON Pointer so later stages can name it in messages.

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mixdown/audio/sample_format.h"
#include "mixdown/session/musical_time.h"

namespace mixdown::session {

struct Automation {
  enum class Curve { Linear, Step, Smooth };
  std::vector<std::pair<double, double>> points;  // (time in seconds, value in the parameter's unit)
  Curve curve = Curve::Linear;
};

/** A number that may instead follow automation. */
struct AutomatableValue {
  double value = 0.0;  // the constant, or the first point's value when automated
  std::optional<Automation> automation;
  bool isAutomated() const noexcept { return automation.has_value(); }
};

enum class PanLaw { Minus3Db, Minus4_5Db, Minus6Db, ZeroDb };

struct Clip {
  std::string pointer;
  std::string fileAsWritten;        // for messages
  std::filesystem::path file;       // resolved against the session's directory
  double atS = 0.0;
  double fromS = 0.0;
  std::optional<double> durationS;  // none: to the end of the file
  double gainDb = 0.0;
  double fadeInS = 0.0;
  double fadeOutS = 0.0;
  std::vector<int> channels;        // empty: all
};

struct Insert {
  std::string pointer;
  std::string type;
  std::string name;                 // the "name" key, else "<type>" or "<type> <index>"
  bool bypass = false;
  nlohmann::json parameters;        // the processor object as written (validated against its table)
  std::optional<Tempo> tempo;       // the session's, for beat-based parameters (time_beats)
  std::filesystem::path baseDir;    // the session's directory: path parameters (ir) resolve here

  /** A path parameter (such as a convolution's "ir") resolved against baseDir. */
  std::filesystem::path file(const char* key) const { return baseDir / parameters.at(key).get<std::string>(); }
};

struct Send {
  std::string pointer;
  std::string bus;
  AutomatableValue levelDb;
  bool preFader = false;
  std::optional<double> pan;        // none: follows the source's pan
};

/** What tracks and buses share. */
struct Strip {
  std::string pointer;
  std::string name;
  AutomatableValue gainDb;
  AutomatableValue pan;
  bool mute = false;
  bool solo = false;
  bool invertPolarity = false;
  std::vector<Insert> inserts;
  std::vector<Send> sends;
  std::string output = "master";
};

struct Track : Strip {
  std::vector<Clip> clips;
  double delayMs = 0.0;
};

struct Bus : Strip {};

struct Loudness {
  double targetLufs = -14.0;
  double truePeakDbtp = -1.0;
  double limiterLookaheadMs = 1.5;  // the true-peak limiter's, as the limiter insert's
  double limiterReleaseMs = 50.0;
};

struct Master {
  AutomatableValue gainDb;
  std::vector<Insert> inserts;
  std::optional<Loudness> loudness;
};

using audio::BitDepth;
using audio::Dither;

struct FileOutput {
  std::string pointer;
  std::string file;                 // as written (may hold {name})
  BitDepth bitDepth = BitDepth::Pcm24;
  std::optional<int> sampleRate;
  Dither dither = Dither::None;     // resolved: tpdf by default at 16 bits
};

struct StemsOutput : FileOutput {
  enum class Of { Tracks, Buses, All, List };
  Of of = Of::Tracks;
  std::vector<std::string> names;   // Of::List
  std::string dir = "stems";
};

struct Outputs {
  std::string dir = "renders/{session}";
  std::optional<FileOutput> mix = FileOutput{};
  std::optional<StemsOutput> stems;
  std::string report = "report.json";
  std::optional<std::string> html;  // the page of the render (render/html_page.h); none by default
};

/** A reference track the render compares its mix with. */
struct Reference {
  std::string pointer;              // /references/N
  std::string fileAsWritten;        // for messages
  std::filesystem::path file;       // resolved against the session's directory
};

/** A CI gate on one track's masked fraction, over all bands or in one named region. */
struct MaskingLimit {
  std::string pointer;              // /insight/masking_limits/N
  std::string track;
  std::string region;               // "" for all bands
  double maxMaskedFraction = 1.0;
};

struct Insight {
  std::optional<bool> maskingAsWritten;  // none: the default
  /** Whether the render analyses masking: as written, else params.h's default up to its track limit. */
  bool masking = false;
  std::vector<MaskingLimit> maskingLimits;
  std::optional<double> referenceToleranceDb;  // the broad bands' gate
};

struct Session {
  std::filesystem::path file;       // the session file, as given
  std::filesystem::path baseDir;    // its directory: relative paths resolve here
  std::optional<int> sampleRate;    // none: the first track's first clip's rate
  std::optional<double> lengthS;
  std::optional<double> tailS;      // none: auto
  PanLaw panLaw = PanLaw::Minus3Db;
  std::optional<Tempo> tempo;
  std::vector<Track> tracks;
  std::vector<Bus> buses;
  Master master;
  Outputs outputs;
  std::map<std::string, nlohmann::json> variants;  // name -> variant object as written
  std::vector<Reference> references;
  Insight insight;
};

}  // namespace mixdown::session
