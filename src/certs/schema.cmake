# The schemas compiled into kesu, generated from certificates/schema-v1.json (the erasure
# certificate) and certificates/document-v1.json (every other signed document).
#
# Included by the top-level CMakeLists.txt, this file defines
#   kesu_generate_schema(TARGET)
# which adds build steps writing ${CMAKE_BINARY_DIR}/generated/kesu/schema_v1.inc and
# document_v1.inc (each file's bytes as a comma-separated list of hexadecimal unsigned char
# values) and makes TARGET, the library that compiles src/certs/schema.cc, depend on them and
# see ${CMAKE_BINARY_DIR}/generated. An .inc is rewritten whenever its JSON file (or this file)
# changes; a schema is never copied by hand.
#
# Run as a script (cmake -DIN=schema.json -DOUT=schema_v1.inc -P schema.cmake) it does the
# conversion; that is what the build step runs.

if(CMAKE_SCRIPT_MODE_FILE)
  if(NOT IN OR NOT OUT)
    message(FATAL_ERROR "usage: cmake -DIN=SCHEMA.json -DOUT=FILE.inc -P schema.cmake")
  endif()
  file(READ "${IN}" hex HEX)
  if(hex STREQUAL "")
    message(FATAL_ERROR "${IN} is empty")
  endif()
  # Twenty bytes to a line, each as 0xNN.
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REPEAT "0x[0-9a-f][0-9a-f]," 20 line)
  string(REGEX REPLACE "(${line})" "\\1\n" bytes "${bytes}")
  file(WRITE "${OUT}"
       "// Generated from ${IN} by src/certs/schema.cmake; do not edit.\n"
       "${bytes}\n")
  return()
endif()

function(kesu_generate_schema target)
  foreach(name schema_v1 document_v1)
    string(REPLACE "_" "-" stem ${name})
    set(in ${PROJECT_SOURCE_DIR}/certificates/${stem}.json)
    set(out ${CMAKE_BINARY_DIR}/generated/kesu/${name}.inc)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -DIN=${in} -DOUT=${out} -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
      DEPENDS ${in} ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
      COMMENT "schema (certificates/${stem}.json -> generated/kesu/${name}.inc)"
      VERBATIM)
    # A generated source of the target: Ninja and Make build it before the target's objects.
    target_sources(${target} PRIVATE ${out})
  endforeach()
  target_include_directories(${target} PRIVATE ${CMAKE_BINARY_DIR}/generated)
endfunction()
