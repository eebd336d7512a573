#include "mixdown/analysis/masking_of_files.h"

#include <algorithm>
#include <memory>
#include <string>

#include "mixdown/io/planar_file_reader.h"
#include "mixdown/util/error.h"

namespace mixdown::analysis {

namespace {

constexpr int kBlockFrames = 4096;

std::vector<std::string> trackNamesOf(const std::vector<std::filesystem::path>& paths) {
  std::vector<std::string> names;
  for (const auto& path : paths) names.push_back(path.stem().string());
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  for (size_t t = 0; t < names.size(); ++t)
    if (std::count(sorted.begin(), sorted.end(), names[t]) > 1) names[t] = paths[t].string();
  return names;
}

}  // namespace

MaskingResult analyseMaskingOfFiles(const std::vector<std::filesystem::path>& paths) {
  std::vector<std::unique_ptr<io::PlanarFileReader>> readers;
  for (const auto& path : paths) {
    readers.push_back(std::make_unique<io::PlanarFileReader>(path, kBlockFrames));
    const io::AudioFileInfo& info = readers.back()->info();
    if (info.channels > 2)
      throw IoError("cannot analyse masking of " + io::quotedPath(path) + ": it has " + std::to_string(info.channels) +
                    " channels (at most 2)");
    if (info.sampleRate != readers.front()->info().sampleRate)
      throw IoError("cannot analyse masking of " + io::quotedPath(path) + ": its sample rate " +
                    std::to_string(info.sampleRate) + " Hz differs from " + io::quotedPath(paths.front()) + "'s " +
                    std::to_string(readers.front()->info().sampleRate) + " Hz");
  }
  MaskingAnalysis analysis(trackNamesOf(paths), readers.front()->info().sampleRate);
  // A file with fewer frames left than the block is read into its pad, the rest of it silence.
  std::vector<AudioBuffer> pads;
  for (const auto& reader : readers) pads.emplace_back(reader->info().channels, kBlockFrames);
  std::vector<ConstAudioBlock> blocks(readers.size());
  for (;;) {
    std::int64_t longest = 0;
    for (const auto& reader : readers) longest = std::max(longest, reader->framesLeft());
    if (longest == 0) break;
    const auto blockFrames = static_cast<int>(std::min<std::int64_t>(longest, kBlockFrames));
    for (size_t t = 0; t < readers.size(); ++t) {
      if (readers[t]->framesLeft() >= blockFrames) {
        blocks[t] = readers[t]->next();
        continue;
      }
      const AudioBlock pad = pads[t].block(blockFrames);
      pad.clear();
      const ConstAudioBlock rest = readers[t]->next();
      for (int c = 0; c < rest.channels(); ++c) std::copy(rest.channel(c), rest.channel(c) + rest.frames(), pad.channel(c));
      blocks[t] = pad;
    }
    analysis.add(blocks);
  }
  return analysis.finish();
}

}  // namespace mixdown::analysis
