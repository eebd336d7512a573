#include "mixdown/session/starting_session.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "mixdown/io/audio_file_info.h"

namespace mixdown::session {

namespace {

using json = nlohmann::ordered_json;

constexpr std::size_t kMaxNameLength = 64;
constexpr double kTargetLufs = -14.0;
constexpr double kCeilingDbtp = -1.0;

constexpr std::array<std::string_view, 11> kAudioExtensions = {".wav", ".flac", ".aif", ".aiff", ".aifc", ".ogg",
                                                               ".mp3", ".w64",  ".rf64", ".caf",  ".au"};

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
  return text;
}

/** The file's stem as a session name: letters, digits, space, '_', '-', '.', at most 64 bytes. */
std::string nameFromFile(const std::filesystem::path& file) {
  std::string name;
  for (const char character : file.stem().string()) {
    const auto byte = static_cast<unsigned char>(character);
    const bool allowed = byte < 0x80 && (std::isalnum(byte) || character == ' ' || character == '_' ||
                                         character == '-' || character == '.');
    name += allowed ? character : '_';
  }
  if (name.size() > kMaxNameLength) name.resize(kMaxNameLength);
  if (name.empty() || name == "." || name == ".." || lowercase(name) == "master") name = "track";
  return name;
}

/** name, or "name 2", "name 3", ... : the first not yet used (names are compared as written). */
std::string uniqueName(const std::string& name, std::set<std::string>& used) {
  std::string candidate = name;
  for (int number = 2; !used.insert(candidate).second; ++number) {
    std::string suffix = " ";
    suffix.append(std::to_string(number));
    candidate = name.substr(0, kMaxNameLength - suffix.size());
    candidate.append(suffix);
  }
  return candidate;
}

/** A left/right marker at the end of a stem: "gtr_L" -> {"gtr", -1}; none -> side 0. */
struct Side {
  std::string base;
  int side = 0;
};
Side sideOf(const std::filesystem::path& file) {
  const std::string stem = file.stem().string();
  const std::string lower = lowercase(stem);
  for (const auto& [marker, side] : std::array<std::pair<std::string_view, int>, 4>{
           {{"left", -1}, {"right", 1}, {"l", -1}, {"r", 1}}}) {
    if (lower.size() <= marker.size() + 1 || !lower.ends_with(marker)) continue;
    const char separator = lower[lower.size() - marker.size() - 1];
    if (separator == '_' || separator == '.' || separator == '-' || separator == ' ')
      return {lower.substr(0, lower.size() - marker.size() - 1), side};
  }
  return {lower, 0};
}

}  // namespace

std::vector<std::filesystem::path> audioFilesIn(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string extension = lowercase(entry.path().extension().string());
    if (entry.is_regular_file() &&
        std::find(kAudioExtensions.begin(), kAudioExtensions.end(), extension) != kAudioExtensions.end())
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

nlohmann::ordered_json startingSession(const std::vector<std::filesystem::path>& files, const std::filesystem::path& sessionDir) {
  std::vector<io::AudioFileInfo> infos;
  std::map<int, int> filesAtRate;
  for (const auto& file : files) {
    infos.push_back(io::probeAudioFile(file));
    ++filesAtRate[infos.back().sampleRate];
  }
  int sampleRate = 0;
  int mostFiles = 0;
  for (const auto& [rate, count] : filesAtRate)
    if (count >= mostFiles) {  // ascending rates: a tie goes to the higher
      sampleRate = rate;
      mostFiles = count;
    }

  // A side counts as a pair only when both sides of one base name are there, each mono.
  std::map<std::string, std::array<int, 2>> sideCounts;
  for (std::size_t index = 0; index < files.size(); ++index) {
    const Side side = sideOf(files[index]);
    if (side.side != 0 && infos[index].channels == 1) ++sideCounts[side.base][side.side < 0 ? 0 : 1];
  }

  std::set<std::string> used;
  json tracks = json::array();
  for (std::size_t index = 0; index < files.size(); ++index) {
    const io::AudioFileInfo& info = infos[index];
    json track;
    track["name"] = uniqueName(nameFromFile(files[index]), used);
    const std::filesystem::path absolute = std::filesystem::absolute(files[index]);
    track["source"] = absolute.lexically_relative(std::filesystem::absolute(sessionDir)).generic_string();
    std::string comment = info.channels == 1 ? "mono, " : "stereo, ";
    comment.append(std::to_string(info.sampleRate)).append(" Hz");
    if (info.sampleRate != sampleRate) comment.append(" (resampled to ").append(std::to_string(sampleRate)).append(" Hz)");
    const Side side = sideOf(files[index]);
    const auto pair = sideCounts.find(side.base);
    if (side.side != 0 && info.channels == 1 && pair != sideCounts.end() && pair->second == std::array<int, 2>{1, 1}) {
      track["pan"] = static_cast<double>(side.side);
      comment += side.side < 0 ? "; the left of a pair, panned hard left" : "; the right of a pair, panned hard right";
    }
    track["gain_db"] = 0.0;
    comment.append(". Next: set gain_db and pan, add inserts (eq, compressor, ...) in \"inserts\".");
    track["_comment"] = comment;
    tracks.push_back(std::move(track));
  }

  json session;
  std::string sessionComment = "A starting session written by mixdown init from ";
  sessionComment.append(std::to_string(files.size())).append(
      " file(s). Edit the tracks' gain_db, pan and inserts, add buses and sends, check "
                        "master.loudness, then run: mixdown render THIS_FILE. Keys that begin with '_' are comments.");
  session["_comment"] = sessionComment;
  session["mixdown"] = 1;
  session["sample_rate"] = sampleRate;
  session["tracks"] = std::move(tracks);
  session["master"] = {{"_comment", "Normalised to a loudness target under a true-peak ceiling; -14 LUFS suits streaming, "
                                    "-23 LUFS broadcast (EBU R128). Master inserts go in \"inserts\"."},
                       {"inserts", json::array()},
                       {"loudness", {{"target_lufs", kTargetLufs}, {"true_peak_dbtp", kCeilingDbtp}}}};
  session["outputs"] = {{"_comment", "The mix, one stem per track and report.json, into renders/{session}/ beside this file."},
                        {"mix", {{"file", "mix.wav"}, {"bit_depth", 24}}},
                        {"stems", {{"of", "tracks"}, {"dir", "stems"}, {"file", "{name}.wav"}, {"bit_depth", 24}}},
                        {"report", "report.json"}};
  return session;
}

}  // namespace mixdown::session
