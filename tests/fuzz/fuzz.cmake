# Fuzz targets. Every target is built into a replay program and registered as
# a test that runs its corpus (tests/fuzz/corpus/<target>) and a fixture
# folder (DATA, relative to tests/data; default: the API fixtures); with clang
# and -DFLEET_FUZZ=ON it is also built as a libFuzzer binary for real fuzzing
# (see docs/TESTING.md).
function(fleet_add_fuzz_target name)
    cmake_parse_arguments(ARG "" "DATA" "" ${ARGN})
    if(NOT ARG_DATA)
        set(ARG_DATA api)
    endif()
    add_executable(${name}_replay ${CMAKE_CURRENT_LIST_DIR}/${name}.cpp ${CMAKE_CURRENT_LIST_DIR}/fuzz_replay.cpp)
    target_link_libraries(${name}_replay PRIVATE Fleet::core Fleet::options)
    add_test(NAME ${name}_corpus
        COMMAND ${name}_replay ${CMAKE_CURRENT_LIST_DIR}/corpus/${name} ${PROJECT_SOURCE_DIR}/tests/data/${ARG_DATA})
    set_tests_properties(${name}_corpus PROPERTIES LABELS unit TIMEOUT 120)
    if(FLEET_FUZZ)
        add_executable(${name} ${CMAKE_CURRENT_LIST_DIR}/${name}.cpp)
        target_link_libraries(${name} PRIVATE Fleet::core Fleet::options)
        target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
        target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    endif()
endfunction()

fleet_add_fuzz_target(fuzz_apiparsers)
fleet_add_fuzz_target(fuzz_pushparser DATA push)
fleet_add_fuzz_target(fuzz_httprequest DATA http)
fleet_add_fuzz_target(fuzz_fencefiles DATA fences)
