# RetortPlugin.cmake — retort_add_plugin(): builds a Retort plugin exactly as a third-party
# author would: a MODULE library that sees only the SDK headers, with hidden visibility, no
# undefined symbols, and only the entry symbol exported.
#
#   retort_add_plugin(NAME sqlite SOURCES a.cpp b.cpp LIBRARIES SQLite::SQLite3
#                     [OUTPUT_DIRECTORY dir] [NO_INSTALL] [COMPONENT name])
#
# The output file is retort_plugin_<NAME>.so.  In-tree it goes to RETORT_PLUGIN_BUILD_DIR and
# installs to RETORT_PLUGIN_INSTALL_DIR.
include_guard(GLOBAL)

set(_RETORT_PLUGIN_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(retort_add_plugin)
  cmake_parse_arguments(P "NO_INSTALL" "NAME;OUTPUT_DIRECTORY;COMPONENT" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT P_NAME)
    message(FATAL_ERROR "retort_add_plugin: NAME is required")
  endif()
  set(target retort_plugin_${P_NAME})
  add_library(${target} MODULE ${P_SOURCES})
  # Retort::sdk is the installed SDK (find_package(Retort)), or the alias in Retort's own tree.
  target_link_libraries(${target} PRIVATE Retort::sdk)
  target_link_libraries(${target} PRIVATE ${P_LIBRARIES})
  target_compile_features(${target} PRIVATE cxx_std_20)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  set(map "${_RETORT_PLUGIN_CMAKE_DIR}/retort_plugin.map")
  target_link_options(${target} PRIVATE
    -Wl,--no-undefined -Wl,-z,defs -Wl,--exclude-libs,ALL
    -Wl,--version-script=${map})
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${map})
  if(P_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${P_OUTPUT_DIRECTORY}")
  elseif(DEFINED RETORT_PLUGIN_BUILD_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${RETORT_PLUGIN_BUILD_DIR}")
  endif()
  if(NOT P_NO_INSTALL AND DEFINED RETORT_PLUGIN_INSTALL_DIR)
    if(NOT P_COMPONENT)
      set(P_COMPONENT plugin-${P_NAME})
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION "${RETORT_PLUGIN_INSTALL_DIR}"
            COMPONENT ${P_COMPONENT})
  endif()
endfunction()
