# Warnings for every target of the project; -Werror in CI (MIXDOWN_WERROR).
function(mixdown_set_warnings target)
  # -Wno-psabi: 32-byte vectors (dsp/simd_lanes.h) change the calling convention between the baseline
  # and AVX2 builds; they never cross a call that is not inlined, which GCC cannot see.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wconversion -Wpedantic -Wno-psabi)
  if(MIXDOWN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(MIXDOWN_SANITIZE)
  # GCC 12 reports false "may be used uninitialized" inside libstdc++ (std::function,
  # std::regex) when the sanitizers instrument optimised code; the release build keeps the warning.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
                      -Wno-maybe-uninitialized)
  add_link_options(-fsanitize=address,undefined)
endif()
