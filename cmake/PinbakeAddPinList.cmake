# pinbake_add_pin_list(): bake a TLS pin list into a C++ library at build
# time, like Bazel's pin_list_cc_library (bazel/pinbake.bzl, docs/baking.md).
#
#   pinbake_add_pin_list(<target>
#     LIST <file.json>           the pin list (pinbake JSON or Chromium's)
#     [PINS <file.pins>]         Chromium .pins file
#     [NAMESPACE <ns>]           C++ namespace ("a" or "a::b"); default
#                                pinbake_generated
#     [FUNCTION_NAME <name>]     accessor; default <target> (must then be a
#                                C++ identifier)
#     [TIMESTAMP <t>]            for lists without one: RFC 3339, unix
#                                seconds, or "now" (the build time)
#     [ALLOW_STALE]              accept a list without a timestamp or already
#                                stale (tests with fixed old lists only)
#     [WERROR]                   the list's warnings fail the build
#     [DATA <files>...])         files the list refers to (pem_file keys,
#                                relative to the list's directory)
#
# Creates a static library <target> whose header, included as "<target>.h",
# declares
#     namespace NS { const ::pinbake::PinList& NAME();
#                    ::absl::string_view NAME_table(); }
# and which links pinbake::runtime. `pinbake compile --cc-out --cc-header`
# runs in an add_custom_command that depends on the list, the .pins file,
# the DATA files and the pinbake executable: editing any of them rebuilds
# the table; any error in the list fails the build. With TIMESTAMP now the
# stamp is the time that command last ran (like Bazel's local action
# cache): release builds should start from a clean build directory or pass
# a fixed TIMESTAMP.
#
# Relative paths are relative to CMAKE_CURRENT_SOURCE_DIR. The compiler is
# the imported target pinbake::pinbake (the installed CLI), or the CLI being
# built inside the pinbake project.
function(pinbake_add_pin_list target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "WERROR;ALLOW_STALE"
    "LIST;PINS;NAMESPACE;FUNCTION_NAME;TIMESTAMP" "DATA")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "pinbake_add_pin_list(${target}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_LIST)
    message(FATAL_ERROR "pinbake_add_pin_list(${target}): LIST <file.json> is required")
  endif()
  if(NOT TARGET pinbake::pinbake)
    message(FATAL_ERROR "pinbake_add_pin_list(${target}): no pinbake::pinbake executable; find_package(pinbake) first")
  endif()
  if(NOT arg_NAMESPACE)
    set(arg_NAMESPACE pinbake_generated)
  endif()
  if(NOT arg_FUNCTION_NAME)
    set(arg_FUNCTION_NAME ${target})
  endif()
  if(NOT arg_FUNCTION_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "pinbake_add_pin_list(${target}): the accessor name \"${arg_FUNCTION_NAME}\" is not a C++ identifier; set FUNCTION_NAME")
  endif()

  get_filename_component(list ${arg_LIST} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  set(inputs ${list})
  set(args compile ${list})
  if(arg_PINS)
    get_filename_component(pins ${arg_PINS} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND args --pins ${pins})
    list(APPEND inputs ${pins})
  endif()
  if(arg_WERROR)
    list(APPEND args --werror)
  endif()
  if(arg_TIMESTAMP)
    list(APPEND args --timestamp ${arg_TIMESTAMP})
  endif()
  if(arg_ALLOW_STALE)
    list(APPEND args --allow-stale)
  endif()
  foreach(f IN LISTS arg_DATA)
    get_filename_component(f ${f} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND inputs ${f})
  endforeach()

  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${target}_pinbake)
  set(cc ${dir}/${target}.cc)
  set(header ${dir}/${target}.h)
  list(APPEND args --cc-out ${cc} --cc-header ${header}
    --cc-namespace ${arg_NAMESPACE} --cc-name ${arg_FUNCTION_NAME}
    --cc-include ${target}.h)
  file(RELATIVE_PATH shown ${CMAKE_SOURCE_DIR} ${list})
  if(shown MATCHES "^\\.\\./")
    set(shown ${list})
  endif()
  add_custom_command(
    OUTPUT ${cc} ${header}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND pinbake::pinbake ${args}
    DEPENDS ${inputs} pinbake::pinbake
    COMMENT "Baking pin list ${shown}"
    VERBATIM)
  add_library(${target} STATIC ${cc} ${header})
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${dir}>)
  target_link_libraries(${target} PUBLIC pinbake::runtime)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()
