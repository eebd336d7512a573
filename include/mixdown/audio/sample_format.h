#pragma once
// How samples are stored in an output file.

namespace mixdown::audio {

enum class BitDepth { Pcm16, Pcm24, Pcm32, Float32 };
enum class Dither { None, Tpdf, Shaped };

}  // namespace mixdown::audio
