# Warnings for every target of the project; -Werror in CI (MIXDOWN_WERROR).
function(mixdown_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wconversion -Wpedantic)
  if(MIXDOWN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(MIXDOWN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
