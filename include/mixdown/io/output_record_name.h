#pragma once
// The name of the hidden record a render keeps in its output folder of the
// files it wrote (render/output_manifest.h). It is not an output: a folder
// comparison (analysis/compare_folders.h) leaves it out.

namespace mixdown::io {

inline constexpr const char* kOutputRecordName = ".mixdown-outputs.json";

}  // namespace mixdown::io
