# core/ must stay widget-free (the link is checked too: fleet_core's link
# interface must not name Qt6::Widgets).
add_test(NAME layering
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -P ${CMAKE_CURRENT_LIST_DIR}/check_layering.cmake)
get_target_property(fleet_core_links fleet_core LINK_LIBRARIES)
if(fleet_core_links MATCHES "Widgets")
    message(FATAL_ERROR "fleet_core links a Widgets module: ${fleet_core_links}")
endif()
set_tests_properties(layering PROPERTIES LABELS "unit")
