#pragma once
// How far a render is, as it tells its caller between blocks (RenderOptions::progress).

#include <cstdint>
#include <string_view>

namespace mixdown::render {

struct RenderProgress {
  /** "render" (the graph, block by block), then "normalize" (master.loudness writing the mix). */
  std::string_view phase;
  std::int64_t framesDone = 0;
  /** What the phase is expected to take: the fixed length, or the content's end (an automatic tail goes past it). */
  std::int64_t framesTotal = 1;
};

}  // namespace mixdown::render
