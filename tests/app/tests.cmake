# The executables as a user runs them: bad flags must be a one-line error
# with exit code 2. (`fleetdesk --demo` itself: tests/ui/app, tst_demoscreenshot.)
add_test(NAME fleetdesk_bad_flag COMMAND fleetdesk --demo --vehicles 0)
set_tests_properties(fleetdesk_bad_flag PROPERTIES
    LABELS integration WILL_FAIL TRUE ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

add_test(NAME fleetdesk_sim_bad_flag COMMAND fleetdesk-sim --listen nowhere)
set_tests_properties(fleetdesk_sim_bad_flag PROPERTIES
    LABELS integration WILL_FAIL TRUE)

# fleetdesk-ingest refuses a missing or broken configuration with exit code 2.
add_test(NAME fleetdesk_ingest_no_config COMMAND fleetdesk-ingest --config ${CMAKE_CURRENT_LIST_DIR}/no-such-file.ini)
set_tests_properties(fleetdesk_ingest_no_config PROPERTIES
    LABELS integration WILL_FAIL TRUE)

if(UNIX)
    add_test(NAME fleetdesk_ingest_cli
        COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/ingest_cli.sh $<TARGET_FILE:fleetdesk-sim> $<TARGET_FILE:fleetdesk-ingest>)
    set_tests_properties(fleetdesk_ingest_cli PROPERTIES LABELS integration TIMEOUT 180
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TZ=UTC")
endif()

# The webhook receiver killed with SIGKILL under load loses nothing it acknowledged.
if(UNIX)
    add_executable(push_crash ${CMAKE_CURRENT_LIST_DIR}/push_crash.cpp)
    target_link_libraries(push_crash PRIVATE fleet_pushload Qt6::Sql Fleet::options)
    add_test(NAME fleetdesk_ingest_push_crash COMMAND push_crash $<TARGET_FILE:fleetdesk-ingest>)
    set_tests_properties(fleetdesk_ingest_push_crash PROPERTIES LABELS integration TIMEOUT 120)
endif()

# --help and --version print and exit 0 where no window system is reachable
# (a server, a build machine, an ssh session): the command line is read
# before the GUI starts.
foreach(flag help version)
    add_test(NAME fleetdesk_${flag}_without_display
        COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY QT_QPA_PLATFORM=xcb
                $<TARGET_FILE:fleetdesk> --${flag})
endforeach()
set_tests_properties(fleetdesk_help_without_display PROPERTIES
    LABELS integration PASS_REGULAR_EXPRESSION "--fleet-start <TIME>")
set_tests_properties(fleetdesk_version_without_display PROPERTIES
    LABELS integration PASS_REGULAR_EXPRESSION "fleetdesk [0-9]+\\.[0-9]+")

# The same against a cloud that grants 60 s tokens (the official sample) and
# starts its token.get minute at every answer: polling without pushes goes on.
if(UNIX)
    add_test(NAME fleetdesk_ingest_short_tokens
        COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/ingest_cli.sh $<TARGET_FILE:fleetdesk-sim> $<TARGET_FILE:fleetdesk-ingest>
                --token-lifetime 60 --strict-token-limit)
    set_tests_properties(fleetdesk_ingest_short_tokens PROPERTIES LABELS integration TIMEOUT 180
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TZ=UTC")
endif()

# fleetdesk-cli against fleetdesk-sim in another process (fleet time pinned).
fleet_add_test(tst_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_cli.cpp LIBS Fleet::core LABELS integration TIMEOUT 600)
target_compile_definitions(tst_cli PRIVATE FLEETDESK_SIM_PATH="$<TARGET_FILE:fleetdesk-sim>"
                                           FLEETDESK_CLI_PATH="$<TARGET_FILE:fleetdesk-cli>")
add_dependencies(tst_cli fleetdesk-sim fleetdesk-cli)
# libfaketime (Debian's faketime package), preloaded into the simulator and
# the CLI of the commands test so both live in the pinned fleet time. Not the
# faketime wrapper: it forks, and a terminated wrapper leaves its child behind.
find_file(FLEET_LIBFAKETIME libfaketime.so.1
    PATHS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/faketime /usr/lib/faketime /usr/local/lib/faketime
    NO_DEFAULT_PATH)
if(FLEET_LIBFAKETIME)
    target_compile_definitions(tst_cli PRIVATE FLEET_LIBFAKETIME="${FLEET_LIBFAKETIME}")
endif()
