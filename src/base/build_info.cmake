# Writes the build identity header (build_info.h) on every build, so the git revision recorded
# in results and certificates is the one actually built. Called by CMakeLists.txt as
#   cmake -DSRC_DIR=... -DIN=... -DOUT=... -DPROJECT_VERSION=... -DCMAKE_BUILD_TYPE=... -P this
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SRC_DIR}
                OUTPUT_VARIABLE KESU_GIT_REV OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT KESU_GIT_REV)
  set(KESU_GIT_REV "unknown")
endif()
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SRC_DIR}
                OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(dirty)
  string(APPEND KESU_GIT_REV "-modified")
endif()
configure_file(${IN} ${OUT}.tmp @ONLY)
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
