# The suite on any day and at any hour: the integration tests again, run by
# a nested ctest under Debian's faketime (install-deps installs it) at two
# times when the simulated fleet would be resting if anything still followed
# the calendar: a Sunday night and a late Saturday evening (UTC).
#
#  -m                   libfaketime for multi-threaded programs (Qt, SQLite).
#  --exclude-monotonic  only the calendar moves: timed waits (condition
#                       variables, poll()) measure against the real monotonic
#                       clock, and a faked one would make them wake at the
#                       wrong moment or never.
#
# RUN_SERIAL: the nested run uses the same test executables, homes and
# screenshot folder as the outer one. The sanitizer preset leaves this label
# out: ASan must be the first library loaded, and faketime preloads its own.
find_program(FAKETIME faketime REQUIRED)
foreach(moment IN ITEMS "sunday_night|2026-12-06 03:00:00" "saturday_late|2026-12-05 23:30:00")
    string(REPLACE "|" ";" parts "${moment}")
    list(GET parts 0 name)
    list(GET parts 1 time)
    add_test(NAME anytime_${name}
        COMMAND ${CMAKE_COMMAND} -E env TZ=UTC
                ${FAKETIME} -m --exclude-monotonic "${time}"
                ${CMAKE_CTEST_COMMAND} --test-dir ${CMAKE_BINARY_DIR} -L integration -LE anytime
                --output-on-failure --timeout 600 -j 2)
    set_tests_properties(anytime_${name} PROPERTIES LABELS anytime RUN_SERIAL TRUE TIMEOUT 1800)
endforeach()
