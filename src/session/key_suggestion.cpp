#include "mixdown/session/key_suggestion.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

#include "mixdown/session/validate.h"
#include "mixdown/util/printable_text.h"

namespace mixdown::session {

namespace {

/** The unit suffixes of the format's keys, the longer of two that share an end first. */
constexpr std::array<std::string_view, 10> kUnitSuffixes = {"_db_oct", "_dbfs", "_dbtp", "_lufs", "_beats",
                                                             "_bpm",    "_db",   "_ms",   "_hz",   "_s"};

/** Words users write for a key's stem (tried when no stem matches). */
struct Synonym {
  std::string_view word;
  std::string_view stem;
};
constexpr std::array<Synonym, 9> kSynonyms = {{{"volume", "gain"},
                                               {"vol", "gain"},
                                               {"level", "gain"},
                                               {"fader", "gain"},
                                               {"frequency", "freq"},
                                               {"cutoff", "freq"},
                                               {"thresh", "threshold"},
                                               {"delay", "time"},
                                               {"wet", "mix"}}};

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
  return text;
}

/** The key without its unit suffix ("attack_ms" -> "attack"), lowercase. */
std::string stemOf(const std::string& key) {
  const std::string lower = lowercase(key);
  for (const std::string_view suffix : kUnitSuffixes)
    if (lower.size() > suffix.size() && lower.ends_with(suffix)) return lower.substr(0, lower.size() - suffix.size());
  return lower;
}

std::vector<std::string> keysWithStem(const ObjectSpec& spec, const std::string& stem, const std::string& except) {
  std::vector<std::string> keys;
  for (const auto& field : spec.fields)
    if (field.key != except && stemOf(field.key) == stem) keys.push_back(field.key);
  return keys;
}

std::vector<std::string> likelyKeys(const std::string& key, const ObjectSpec& spec) {
  const std::string stem = stemOf(key);
  if (auto byStem = keysWithStem(spec, stem, key); !byStem.empty()) return byStem;
  for (const Synonym& synonym : kSynonyms)
    if (stem == synonym.word)
      if (auto bySynonym = keysWithStem(spec, std::string(synonym.stem), key); !bySynonym.empty()) return bySynonym;
  std::vector<std::string> keys;
  std::vector<std::string> stems;
  for (const auto& field : spec.fields) {
    keys.push_back(field.key);
    stems.push_back(stemOf(field.key));
  }
  if (const auto spelled = closestMatch(key, keys)) return {*spelled};
  if (const auto spelledStem = closestMatch(stem, stems)) return keysWithStem(spec, *spelledStem, key);
  return {};
}

}  // namespace

std::string unknownKeyMessage(const std::string& key, const ObjectSpec& spec) {
  std::string message = "unknown key " + quotedText(key);
  const std::vector<std::string> likely = likelyKeys(key, spec);
  if (!likely.empty()) {
    message += " (did you mean ";
    for (std::size_t index = 0; index < likely.size(); ++index) {
      if (index > 0) message += index + 1 == likely.size() ? " or " : ", ";
      message.append("\"").append(likely[index]).append("\"");
    }
    return message + "?)";
  }
  message += "; the keys here are ";
  for (std::size_t index = 0; index < spec.fields.size(); ++index) {
    if (index > 0) message += ", ";
    message += spec.fields[index].key;
  }
  return message;
}

}  // namespace mixdown::session
