cmake_minimum_required(VERSION 3.21)

# The layering check, run by ctest as "layering". It reads two things:
#
# - the link graph that CMake built (GRAPH: one "from to" line per direct
#   target_link_libraries edge, written at configure time by tests.cmake);
# - the #include lines of every source in core/, demo/ and ui/.
#
# and holds them to the arrows of DESIGN.md below. A forbidden edge or include
# fails it, naming what is wrong. PLANT ("from to") adds an edge and
# PLANT_INCLUDE ("core/<layer>/<file>:<layer>/<header>") an include before
# the check, so that a test can show the check catches them.

# What each library may link directly (project libraries only). An edge
# between two of these that is not listed here is forbidden.
set(allowed_fleet_util "")
set(allowed_fleet_domain fleet_util)
set(allowed_fleet_net fleet_util)
set(allowed_fleet_api fleet_net fleet_domain fleet_util)
set(allowed_fleet_store fleet_domain fleet_util)
set(allowed_fleet_push fleet_net fleet_store fleet_domain fleet_util)
set(allowed_fleet_media fleet_api fleet_store fleet_domain fleet_util)
set(allowed_fleet_sync fleet_api fleet_push fleet_store fleet_media fleet_domain fleet_util)
set(allowed_fleet_history fleet_store fleet_domain fleet_util)
# Fence geometry and the local fence engine: the store and plain values only.
set(allowed_fleet_fences fleet_store fleet_domain fleet_util)
set(allowed_fleet_cli fleet_sync fleet_history fleet_media fleet_api fleet_store fleet_domain fleet_util)
# The simulator sits beside the stack: it may use it, nothing in it uses the simulator.
set(allowed_fleet_sim fleet_api fleet_push fleet_net fleet_domain fleet_util)
# Demo wiring: linked only by executables and tests.
set(allowed_fleet_demo fleet_sync fleet_sim)
set(allowed_fleet_core fleet_sync fleet_history fleet_fences fleet_media fleet_push fleet_api fleet_store fleet_net fleet_domain
    fleet_util)
# The video player: Qt Multimedia and FFmpeg, nothing of ours.
set(allowed_fleet_player "")
set(allowed_fleet_ui fleet_core fleet_player)
set(layers fleet_util fleet_domain fleet_net fleet_api fleet_store fleet_media fleet_push fleet_sync fleet_history fleet_fences
    fleet_cli fleet_sim fleet_demo fleet_core fleet_player fleet_ui)
# Libraries that no production library may reach, directly or not.
set(production fleet_util fleet_domain fleet_net fleet_api fleet_store fleet_media fleet_push fleet_sync fleet_history
    fleet_fences fleet_cli fleet_core fleet_player fleet_ui)
set(beside fleet_sim fleet_demo)
# Below the user interface, no widget or GUI module.
set(core_layers fleet_util fleet_domain fleet_net fleet_api fleet_store fleet_media fleet_push fleet_sync fleet_history
    fleet_fences fleet_cli fleet_sim fleet_demo fleet_core)

file(STRINGS "${GRAPH}" edges)
if(PLANT)
    list(APPEND edges "${PLANT}")
endif()
list(LENGTH edges edge_count)
foreach(edge IN LISTS edges)
    string(REPLACE " " ";" pair "${edge}")
    list(GET pair 0 from)
    list(GET pair 1 to)
    list(APPEND "links_${from}" "${to}")
endforeach()

set(failures "")
# Direct edges between our libraries.
foreach(from IN LISTS layers)
    foreach(to IN LISTS links_${from})
        if(to IN_LIST layers AND NOT to IN_LIST allowed_${from})
            string(APPEND failures "  forbidden edge: ${from} -> ${to}\n")
        endif()
    endforeach()
endforeach()

# What each library reaches, through any number of edges.
function(reach from out)
    set(seen "")
    set(queue ${links_${from}})
    while(queue)
        list(POP_FRONT queue node)
        if(node IN_LIST seen)
            continue()
        endif()
        list(APPEND seen "${node}")
        list(APPEND queue ${links_${node}})
    endwhile()
    set(${out} "${seen}" PARENT_SCOPE)
endfunction()
foreach(from IN LISTS production)
    reach(${from} reached)
    foreach(to IN LISTS beside)
        if(to IN_LIST reached)
            string(APPEND failures "  forbidden path: ${from} reaches ${to} (the simulator is never linked by a production layer)\n")
        endif()
    endforeach()
endforeach()
foreach(from IN LISTS core_layers)
    reach(${from} reached)
    foreach(to IN LISTS reached)
        if(to MATCHES "^Qt6?::(Widgets|Gui|OpenGL|Quick)")
            string(APPEND failures "  forbidden path: ${from} reaches ${to} (core is never a GUI)\n")
        endif()
    endforeach()
endforeach()

# Includes: a source in core/<layer> includes only its own layer's headers and
# those of the layers its library may reach; demo/ and ui/ never include sim/
# headers (demo/ may), and core/ never a widget.
function(allowed_includes layer out)
    reach(fleet_${layer} reached)
    set(result "${layer}")
    foreach(lib IN LISTS reached)
        if(lib MATCHES "^fleet_(.*)$")
            list(APPEND result "${CMAKE_MATCH_1}")
        endif()
    endforeach()
    set(${out} "${result}" PARENT_SCOPE)
endfunction()
set(core_layer_names util domain net api store media push sync history fences cli sim)
set(file_count 0)
foreach(layer IN LISTS core_layer_names)
    allowed_includes(${layer} may_include)
    file(GLOB sources "${SOURCE_DIR}/core/${layer}/*.h" "${SOURCE_DIR}/core/${layer}/*.cpp"
        "${SOURCE_DIR}/core/${layer}/*.inc")
    foreach(file IN LISTS sources)
        math(EXPR file_count "${file_count} + 1")
        file(RELATIVE_PATH rel "${SOURCE_DIR}" "${file}")
        file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include")
        if(PLANT_INCLUDE MATCHES "^${rel}:(.*)$")
            list(APPEND includes "#include \"${CMAKE_MATCH_1}\"")
        endif()
        foreach(line IN LISTS includes)
            if(line MATCHES "#[ \t]*include[ \t]*\"([a-z_]+)/[^\"]+\"")
                set(target_layer "${CMAKE_MATCH_1}")
                if(target_layer IN_LIST core_layer_names AND NOT target_layer IN_LIST may_include)
                    string(APPEND failures "  forbidden include: ${rel} includes ${target_layer}/ (${layer} may use: ${may_include})\n")
                endif()
            endif()
            if(line MATCHES "#[ \t]*include[ \t]*<(QtWidgets|QtGui/|Q(Application|Widget|MainWindow|Dialog|MessageBox|PushButton|Label|LineEdit|FileDialog|Action|Menu)>)")
                string(APPEND failures "  forbidden include: ${rel} includes a widget header (${line})\n")
            endif()
        endforeach()
        file(READ "${file}" content)
        if(content MATCHES "QMessageBox::|QApplication::|QWidget[ \t]*\\*")
            string(APPEND failures "  ${rel}: uses widgets\n")
        endif()
        # Core reports errors as codes with data; the UI words them (docs/ARCHITECTURE.md).
        if(content MATCHES "QCoreApplication::translate|QT_TR_NOOP|[^A-Za-z0-9_:.>]tr\\(")
            string(APPEND failures "  ${rel}: words text for the user (tr); core reports codes and data\n")
        endif()
    endforeach()
endforeach()
file(GLOB_RECURSE ui_sources "${SOURCE_DIR}/ui/*.h" "${SOURCE_DIR}/ui/*.cpp")
foreach(file IN LISTS ui_sources)
    math(EXPR file_count "${file_count} + 1")
    file(RELATIVE_PATH rel "${SOURCE_DIR}" "${file}")
    file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"(sim/|democloud)")
    if(PLANT_INCLUDE MATCHES "^${rel}:(.*)$")
        list(APPEND includes "#include \"${CMAKE_MATCH_1}\"")
    endif()
    foreach(line IN LISTS includes)
        if(line MATCHES "\"(sim/|democloud)")
            string(APPEND failures "  forbidden include: ${rel} includes the simulator (${line})\n")
        endif()
    endforeach()
endforeach()

if(failures)
    message(FATAL_ERROR "The layering of DESIGN.md is broken:\n${failures}")
endif()
message(STATUS "layering: ${edge_count} link edges and ${file_count} files checked, the layers hold")
