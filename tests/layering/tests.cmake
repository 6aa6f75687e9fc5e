# The layering check reads the link graph CMake builds: write each library's
# direct edges (target_link_libraries) to a file, one "from to" per line.
set(fleet_layering_targets fleet_util fleet_domain fleet_net fleet_api fleet_store fleet_media fleet_push fleet_sync fleet_history
    fleet_fences fleet_cli fleet_sim fleet_demo fleet_core fleet_player fleet_ui)
set(fleet_link_graph "")
foreach(target IN LISTS fleet_layering_targets)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY")
        get_target_property(links ${target} INTERFACE_LINK_LIBRARIES)
    else()
        get_target_property(links ${target} LINK_LIBRARIES)
    endif()
    if(NOT links)
        continue()
    endif()
    foreach(link IN LISTS links)
        # Fleet::x is the alias of fleet_x; directory markers are not edges.
        if(link MATCHES "^::@" OR link STREQUAL "")
            continue()
        endif()
        string(REGEX REPLACE "^Fleet::" "fleet_" link "${link}")
        string(APPEND fleet_link_graph "${target} ${link}\n")
    endforeach()
endforeach()
set(fleet_link_graph_file "${CMAKE_CURRENT_BINARY_DIR}/layering/linkgraph.txt")
file(WRITE "${fleet_link_graph_file}" "${fleet_link_graph}")

set(fleet_layering_check ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DGRAPH=${fleet_link_graph_file})
add_test(NAME layering COMMAND ${fleet_layering_check} -P ${CMAKE_CURRENT_LIST_DIR}/check_layering.cmake)
# The check catches what it is there for: an edge that puts the simulator
# under sync, a store that links the API, a demo header in the window, and a
# push that includes the API.
add_test(NAME layering_catches_sync_linking_sim
    COMMAND ${fleet_layering_check} "-DPLANT=fleet_sync fleet_sim" -P ${CMAKE_CURRENT_LIST_DIR}/check_layering.cmake)
set_tests_properties(layering_catches_sync_linking_sim PROPERTIES
    PASS_REGULAR_EXPRESSION "forbidden edge: fleet_sync -> fleet_sim.*forbidden path: fleet_sync reaches fleet_sim")
add_test(NAME layering_catches_store_linking_api
    COMMAND ${fleet_layering_check} "-DPLANT=fleet_store fleet_api" -P ${CMAKE_CURRENT_LIST_DIR}/check_layering.cmake)
set_tests_properties(layering_catches_store_linking_api PROPERTIES
    PASS_REGULAR_EXPRESSION "forbidden edge: fleet_store -> fleet_api")
# The video player (Qt Multimedia, QtGui) stays above core: the CLI's video
# commands get it handed in by the executable.
add_test(NAME layering_catches_cli_linking_player
    COMMAND ${fleet_layering_check} "-DPLANT=fleet_cli fleet_player" -P ${CMAKE_CURRENT_LIST_DIR}/check_layering.cmake)
set_tests_properties(layering_catches_cli_linking_player PROPERTIES
    PASS_REGULAR_EXPRESSION "forbidden edge: fleet_cli -> fleet_player.*forbidden path: fleet_cli reaches Qt6::Gui")
add_test(NAME layering_catches_ui_including_sim
    COMMAND ${fleet_layering_check} "-DPLANT_INCLUDE=ui/app/mainwindow.cpp:sim/simserver.h"
        -P ${CMAKE_CURRENT_LIST_DIR}/check_layering.cmake)
set_tests_properties(layering_catches_ui_including_sim PROPERTIES
    PASS_REGULAR_EXPRESSION "forbidden include: ui/app/mainwindow.cpp includes the simulator")
add_test(NAME layering_catches_push_including_api
    COMMAND ${fleet_layering_check} "-DPLANT_INCLUDE=core/push/pushenvelope.cpp:api/apisigner.h"
        -P ${CMAKE_CURRENT_LIST_DIR}/check_layering.cmake)
set_tests_properties(layering_catches_push_including_api PROPERTIES
    PASS_REGULAR_EXPRESSION "forbidden include: core/push/pushenvelope.cpp includes api/")
# Fences evaluate what the store holds: they do not call the cloud.
add_test(NAME layering_catches_fences_including_api
    COMMAND ${fleet_layering_check} "-DPLANT_INCLUDE=core/fences/fenceindex.cpp:api/jimiapi.h"
        -P ${CMAKE_CURRENT_LIST_DIR}/check_layering.cmake)
set_tests_properties(layering_catches_fences_including_api PROPERTIES
    PASS_REGULAR_EXPRESSION "forbidden include: core/fences/fenceindex.cpp includes api/")
set_tests_properties(layering layering_catches_sync_linking_sim layering_catches_store_linking_api
    layering_catches_fences_including_api
    layering_catches_ui_including_sim layering_catches_push_including_api PROPERTIES LABELS "unit")
