#pragma once
// Problems found in a session, each tied to a JSON Pointer, collected in one
// pass so the user sees all of them at once.

#include <string>
#include <vector>

namespace mixdown::session {

struct Diagnostic {
  std::string pointer;  // JSON Pointer ("" is the whole document), or "line:column" for syntax errors
  std::string message;
};

class Diagnostics {
public:
  void add(std::string pointer, std::string message) {
    items_.push_back({std::move(pointer), std::move(message)});
  }
  bool empty() const noexcept { return items_.empty(); }
  std::size_t size() const noexcept { return items_.size(); }
  const std::vector<Diagnostic>& items() const noexcept { return items_; }
  void append(const Diagnostics& other) { items_.insert(items_.end(), other.items_.begin(), other.items_.end()); }

  /** "FILE: POINTER: MESSAGE" per problem, as the CLI prints them. */
  std::vector<std::string> format(const std::string& sessionFile) const;

private:
  std::vector<Diagnostic> items_;
};

/** Appends a reference token to a JSON Pointer, escaping '~' and '/'. */
std::string childPointer(const std::string& pointer, const std::string& key);
std::string childPointer(const std::string& pointer, std::size_t index);

}  // namespace mixdown::session
