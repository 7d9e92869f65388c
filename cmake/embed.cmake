# ironlaw_embed(TARGET NAMESPACE DIR PATTERN): a static library holding every
# file under DIR matching PATTERN as a string, regenerated when a file changes;
# `NAMESPACE::files()` lists them (declared in ironlaw/embedded_registry.hpp).
function(ironlaw_embed target namespace dir pattern)
  file(GLOB_RECURSE files CONFIGURE_DEPENDS RELATIVE "${dir}" "${dir}/${pattern}")
  list(SORT files)
  set(generated "${CMAKE_CURRENT_BINARY_DIR}/${target}.cpp")
  set(absolute "")
  foreach(f IN LISTS files)
    list(APPEND absolute "${dir}/${f}")
  endforeach()
  add_custom_command(
    OUTPUT "${generated}"
    COMMAND "${CMAKE_COMMAND}" -DSOURCE_DIR=${dir} "-DFILES=${files}" -DOUTPUT=${generated}
            -DNAMESPACE=${namespace} -P "${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake"
    DEPENDS ${absolute} "${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake"
    COMMENT "Embedding ${dir}/${pattern}"
    VERBATIM)
  add_library(${target} STATIC "${generated}")
  target_include_directories(${target} PUBLIC "${PROJECT_SOURCE_DIR}/registry/include")
endfunction()
