#include "mixdown/cli/batch_entries.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <stdexcept>

namespace mixdown::cli {

namespace fs = std::filesystem;

std::vector<std::string> splitManifestLine(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool inWord = false;
  for (std::size_t at = 0; at < line.size(); ++at) {
    const char c = line[at];
    if (c == ' ' || c == '\t' || c == '\r') {
      if (inWord) words.push_back(std::move(word));
      word.clear();
      inWord = false;
    } else if (c == '#' && !inWord) {
      break;
    } else if (c == '\'') {
      const std::size_t end = line.find('\'', at + 1);
      if (end == std::string::npos) throw std::invalid_argument("a single quote is not closed");
      word.append(line, at + 1, end - at - 1);
      at = end;
      inWord = true;
    } else if (c == '"') {
      // Inside double quotes a backslash escapes only ", \, $ and ` (as in sh).
      for (++at;; ++at) {
        if (at >= line.size()) throw std::invalid_argument("a double quote is not closed");
        if (line[at] == '"') break;
        if (line[at] == '\\' && at + 1 < line.size() && std::string("\"\\$`").find(line[at + 1]) != std::string::npos) ++at;
        word += line[at];
      }
      inWord = true;
    } else if (c == '\\') {
      if (at + 1 >= line.size()) throw std::invalid_argument("a backslash ends the line");
      word += line[++at];
      inWord = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push_back(std::move(word));
  return words;
}

namespace {

/** The lexically normal generic form of a path as written ("./a/../b.json" is "b.json"). */
std::string normalPath(const std::string& written) { return fs::path(written).lexically_normal().generic_string(); }

/** A manifest line's words after the session path, parsed as render's options of the same names. */
EntryOptions parseLineOptions(const std::vector<std::string>& words, std::string& session) {
  CLI::App line{"a manifest line", "manifest"};
  line.set_help_flag();
  EntryOptions options;
  std::vector<std::string> variants;
  std::string outputDir;
  line.add_option("SESSION", session)->required();
  line.add_option("-o,--output-dir", outputDir)->allow_extra_args(false);
  line.add_option("--set", options.assignments)->allow_extra_args(false);
  CLI::Option* variantOption = line.add_option("--variant", variants)->allow_extra_args(false);
  line.add_flag("--no-variants", options.noVariants)->excludes(variantOption);
  CLI::Option* mixOnly = line.add_flag("--mix-only", options.mixOnly);
  line.add_flag("--stems-only", options.stemsOnly)->excludes(mixOnly);
  std::vector<std::string> reversed(words.rbegin(), words.rend());  // CLI11 takes a vector last word first
  line.parse(reversed);
  if (line.count("--output-dir")) {
    if (outputDir.empty()) throw std::invalid_argument("-o: an empty folder name");
    options.outputDir = outputDir;
  }
  if (variantOption->count()) options.variants = variants;
  return options;
}

}  // namespace

std::vector<BatchEntry> readManifest(const fs::path& manifest) {
  const std::string shown = manifest.generic_string();
  std::ifstream in(manifest, std::ios::binary);
  if (!in) throw ManifestError(shown + ": cannot open the manifest: " + std::strerror(errno));
  const fs::path folder = manifest.parent_path();
  std::vector<BatchEntry> entries;
  std::map<std::string, long> lineOfKey;  // a line repeated would render the same outputs twice
  std::string text;
  for (long number = 1; std::getline(in, text); ++number) {
    const std::string where = shown + ":" + std::to_string(number);
    BatchEntry entry;
    try {
      const std::vector<std::string> words = splitManifestLine(text);
      if (words.empty()) continue;
      if (words.front().empty() || words.front()[0] == '-')
        throw std::invalid_argument("a line starts with its session's path, then that session's options");
      std::string session;
      entry.options = parseLineOptions(words, session);
      entry.session = normalPath(session);
      entry.words.assign(words.begin() + 1, words.end());
    } catch (const CLI::ParseError& error) {
      throw ManifestError(where + ": " + error.what());
    } catch (const std::invalid_argument& error) {
      throw ManifestError(where + ": " + error.what());
    }
    const fs::path written(entry.session);
    entry.file = written.is_absolute() ? written : folder / written;
    if (entry.options.outputDir && !fs::path(*entry.options.outputDir).is_absolute())
      entry.options.outputDir = (folder / *entry.options.outputDir).generic_string();
    entry.origin = where;
    const auto [earlier, added] = lineOfKey.emplace(entryKey(entry), number);
    if (!added) throw ManifestError(where + ": repeats line " + std::to_string(earlier->second) + " (it would render the same outputs twice)");
    entries.push_back(std::move(entry));
  }
  if (in.bad()) throw ManifestError(shown + ": cannot read the manifest");
  return entries;
}

BatchEntry commandLineEntry(const std::string& file) {
  BatchEntry entry;
  entry.session = normalPath(file);
  entry.file = file;
  return entry;
}

std::string entryKey(const BatchEntry& entry) {
  std::string key = entry.session;
  for (const std::string& word : entry.words) key.append(1, '\0').append(word);
  return key;
}

std::vector<int> taskIndexes(const std::vector<BatchEntry>& entries, const Selection& selection) {
  std::vector<std::size_t> byKey(entries.size());
  std::iota(byKey.begin(), byKey.end(), 0);
  std::vector<std::string> keys;
  for (const BatchEntry& entry : entries) keys.push_back(entryKey(entry));
  std::stable_sort(byKey.begin(), byKey.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  std::vector<int> indexes(entries.size(), -1);
  std::size_t inShard = 0;  // position within the shard
  for (std::size_t position = 0; position < byKey.size(); ++position) {
    if (static_cast<int>(position % static_cast<std::size_t>(selection.shards)) != selection.shard - 1) continue;
    indexes[byKey[position]] = static_cast<int>(inShard % static_cast<std::size_t>(selection.stride));
    ++inShard;
  }
  return indexes;
}

std::vector<BatchEntry> selectEntries(std::vector<BatchEntry> entries, const Selection& selection) {
  const std::vector<int> indexes = taskIndexes(entries, selection);
  std::vector<BatchEntry> selected;
  for (std::size_t at = 0; at < entries.size(); ++at)
    if (indexes[at] == selection.index) selected.push_back(std::move(entries[at]));
  return selected;
}

namespace {

/** A decimal number from 0 to 10^9 filling text; nullopt otherwise. */
std::optional<long> wholeNumber(const std::string& text) {
  if (text.empty() || text.size() > 10 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const long value = std::stol(text);
  if (value > 1000000000L) return std::nullopt;
  return value;
}

}  // namespace

std::pair<int, int> parseShard(const std::string& text) {
  const std::size_t slash = text.find('/');
  const std::optional<long> shard = wholeNumber(text.substr(0, slash));
  const std::optional<long> shards = slash == std::string::npos ? std::nullopt : wholeNumber(text.substr(slash + 1));
  if (!shard || !shards || *shard < 1 || *shard > *shards)
    throw std::invalid_argument("--shard: \"" + text + "\" is not K/N with 1 <= K <= N (e.g. --shard 2/7)");
  return {static_cast<int>(*shard), static_cast<int>(*shards)};
}

std::optional<int> indexFromEnvironment() {
  for (const char* name : {"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"}) {
    const char* value = std::getenv(name);
    if (!value) continue;
    const std::optional<long> index = wholeNumber(value);
    if (!index) throw std::invalid_argument(std::string(name) + "=\"" + value + "\" is not a task index");
    return static_cast<int>(*index);
  }
  return std::nullopt;
}

}  // namespace mixdown::cli
