# fleet_add_test(<name> SOURCES <files...> [LIBS <targets...>] [LABELS <labels...>]
#                [TIMEOUT <seconds>] [WRAPPER <command...>] [ARGS <arguments...>])
#
# WRAPPER runs the test through another program (e.g. xvfb-run for tests that
# need a real X server). ARGS go to the test executable (e.g. the test
# functions to run).
#
# One Qt Test executable per class. Every test runs with the same environment:
# offscreen platform, C locale, UTC, and a private HOME/XDG tree so that no test
# reads or writes the developer's own settings.
function(fleet_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS;WRAPPER;ARGS" ${ARGN})
    # Sources are relative to the list file that declares the test.
    set(sources)
    foreach(src IN LISTS ARG_SOURCES)
        if(NOT IS_ABSOLUTE "${src}")
            set(src "${CMAKE_CURRENT_LIST_DIR}/${src}")
        endif()
        list(APPEND sources "${src}")
    endforeach()
    add_executable(${name} ${sources})
    target_link_libraries(${name} PRIVATE Qt6::Test Fleet::options ${ARG_LIBS})
    target_compile_definitions(${name} PRIVATE
        FLEET_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
    if(FLEET_PCH_TESTS)
        # Widget tests share a header of their own: the precompiled header
        # must see the same Qt modules and definitions as its users.
        if("Fleet::ui" IN_LIST ARG_LIBS)
            target_precompile_headers(${name} REUSE_FROM fleet_ui_test_pch)
        else()
            target_precompile_headers(${name} REUSE_FROM fleet_test_pch)
        endif()
    endif()
    if(ARG_WRAPPER)
        add_test(NAME ${name} COMMAND ${ARG_WRAPPER} $<TARGET_FILE:${name}> ${ARG_ARGS})
    else()
        add_test(NAME ${name} COMMAND ${name} ${ARG_ARGS})
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    set(test_home "${CMAKE_CURRENT_BINARY_DIR}/${name}.home")
    set_tests_properties(${name} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "${ARG_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LANG=C.UTF-8;LC_ALL=C.UTF-8;TZ=UTC;HOME=${test_home};XDG_CONFIG_HOME=${test_home}/config;XDG_DATA_HOME=${test_home}/data;XDG_CACHE_HOME=${test_home}/cache;QT_LOGGING_RULES=fleet.*.debug=false")
endfunction()
