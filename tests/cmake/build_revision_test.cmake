# cmake/BuildRevision.cmake, run as the build runs it: "unknown" outside a git checkout (an unpacked
# tarball, even one inside another repository), the commit in a checkout, the new commit after a
# commit (no stale value), "-modified" with uncommitted changes to tracked files.
# Usage: cmake -DSCRIPT=.../BuildRevision.cmake -DWORK_DIR=... -P build_revision_test.cmake
find_package(Git REQUIRED)
file(REMOVE_RECURSE "${WORK_DIR}")
set(tree "${WORK_DIR}/tree")
set(header "${WORK_DIR}/mixdown_revision.h")
file(MAKE_DIRECTORY "${tree}")

function(expect_revision expected)
  execute_process(COMMAND "${CMAKE_COMMAND}" -DSOURCE_DIR=${tree} -DOUTPUT=${header} -P "${SCRIPT}"
                  RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "BuildRevision.cmake failed")
  endif()
  file(READ "${header}" text)
  if(NOT text MATCHES "#define MIXDOWN_REVISION \"${expected}\"")
    message(FATAL_ERROR "expected revision \"${expected}\", got:\n${text}")
  endif()
endfunction()

function(git)
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${tree}" -c user.name=test -c user.email=test@example.invalid
                          -c commit.gpgsign=false ${ARGN}
                  RESULT_VARIABLE failed OUTPUT_QUIET ERROR_QUIET)
  if(failed)
    message(FATAL_ERROR "git ${ARGN} failed")
  endif()
endfunction()

function(head_commit out)
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${tree}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(${out} "${commit}" PARENT_SCOPE)
endfunction()

# WORK_DIR lies in the build folder, often inside the project's own checkout: still not a checkout of this tree.
file(WRITE "${tree}/CMakeLists.txt" "project(x)\n")
expect_revision("unknown")

git(init -q)
git(add CMakeLists.txt)
git(commit -q -m first)
head_commit(first)
expect_revision("${first}")

file(APPEND "${tree}/CMakeLists.txt" "# changed\n")
expect_revision("${first}-modified")
file(WRITE "${tree}/untracked.txt" "not part of the build\n")
git(commit -q -a -m second)
head_commit(second)
if(second STREQUAL first)
  message(FATAL_ERROR "the second commit has the first one's hash")
endif()
expect_revision("${second}")

file(REMOVE_RECURSE "${WORK_DIR}")
