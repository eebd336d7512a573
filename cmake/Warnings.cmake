# Warnings for every target of the project; -Werror in CI (MIXDOWN_WERROR).
function(mixdown_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wconversion -Wpedantic)
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
