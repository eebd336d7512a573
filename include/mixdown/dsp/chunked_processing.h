#pragma once
// Splitting one process() call into chunks that fit a processor's per-frame scratch
// buffers, sized at prepare() time.

#include <algorithm>

#include "mixdown/audio/audio_block.h"

namespace mixdown::dsp {

/**
 * Calls processChunk(ioChunk, keyChunk) on consecutive slices of io of at most
 * maxChunkFrames (> 0) frames, first to last. keyChunk is the matching slice of key,
 * or an empty block when key is empty.
 */
template <typename ProcessChunk>
void forEachChunk(AudioBlock io, ConstAudioBlock key, int maxChunkFrames, ProcessChunk&& processChunk) noexcept {
  for (int first = 0; first < io.frames(); first += maxChunkFrames) {
    const int frames = std::min(maxChunkFrames, io.frames() - first);
    processChunk(io.slice(first, frames), key.empty() ? ConstAudioBlock() : key.slice(first, frames));
  }
}

/**
 * As forEachChunk, for a processor keyed by its own input when no key is routed: an
 * empty key gives keyChunk = the io chunk itself.
 */
template <typename ProcessChunk>
void forEachChunkKeyedOrSelfKeyed(AudioBlock io, ConstAudioBlock key, int maxChunkFrames,
                                  ProcessChunk&& processChunk) noexcept {
  forEachChunk(io, key, maxChunkFrames, [&processChunk](AudioBlock chunk, ConstAudioBlock keyChunk) {
    processChunk(chunk, keyChunk.empty() ? ConstAudioBlock(chunk) : keyChunk);
  });
}

}  // namespace mixdown::dsp
