# Warning sets for the project's targets (STYLE.md "Help yourself").
set(SP_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wwrite-strings -Wformat=2 -Wno-format-truncation -Wundef -Wvla -Wimplicit-fallthrough -fno-common)
if(SP_WERROR)
  list(APPEND SP_WARNINGS -Werror)
endif()

# sp_target_warnings(target [CORE]): CORE adds -Wconversion (the pure core).
function(sp_target_warnings target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:C>:${SP_WARNINGS}>)
  if("CORE" IN_LIST ARGN)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:C>:-Wconversion>)
  endif()
endfunction()
