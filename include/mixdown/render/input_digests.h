#pragma once
// The SHA-256 of each file a render reads (audio, impulse responses,
// references), for the up-to-date check (render/output_recipes.h). A file is
// read again only when its identity (size, mtime, ctime, inode, device:
// io/file_identity.h) differs from the one the output folder's record holds
// (render/output_manifest.h); a touch or a git checkout changes the identity,
// and then the content decides. A file changed less than kSettleS before it
// was read is recorded without its identity, so it is read again next time:
// a change within the file system's timestamp granularity would keep the
// identity (git's "racy" files).

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "mixdown/io/file_identity.h"

namespace mixdown::render {

class InputDigests {
public:
  /** How recently a file may have changed and still be trusted by its identity, in seconds. */
  static constexpr double kSettleS = 2.0;

  /** From the record's "inputs" (an array of {file, sha256, identity}); anything else holds none. */
  explicit InputDigests(const nlohmann::json& recorded);

  /** The SHA-256 of file's content (links followed). Throws IoError if it is missing or unreadable. */
  const std::string& digestOf(const std::filesystem::path& file);

  /** The files digested so far, for the next record. */
  nlohmann::json record() const;

  /** Whether a file digested so far has an identity to trust that the record did not hold. */
  bool learned() const;

private:
  struct Known {
    std::string sha256;
    std::optional<io::FileIdentity> identity;  // none: read it again next time
  };
  std::map<std::string, Known> recorded_;  // by absolute path
  std::map<std::string, Known> used_;
};

}  // namespace mixdown::render
