#pragma once
// What to tell a user who wrote a key an object does not have: the key they
// most likely meant, found by its unit-less stem first ("gain" -> "gain_db",
// "attack_s" -> "attack_ms"), then by a few common synonyms ("volume" ->
// "gain_db"), then by spelling; else the keys the object takes.

#include <string>

#include "mixdown/session/params.h"

namespace mixdown::session {

/** `unknown key "KEY"` followed by the suggestion or the list of valid keys. */
std::string unknownKeyMessage(const std::string& key, const ObjectSpec& spec);

}  // namespace mixdown::session
