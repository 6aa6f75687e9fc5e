# Fails when core/ reaches into the widget layer: no QtWidgets header, no
# QApplication, no message boxes or dialogs. Run by ctest as "layering".
file(GLOB_RECURSE sources "${SOURCE_DIR}/core/*.h" "${SOURCE_DIR}/core/*.cpp")
set(banned
    "#include[ \t]*<QtWidgets"
    "#include[ \t]*<Q(Application|Widget|MainWindow|Dialog|MessageBox|PushButton|Label|LineEdit|FileDialog|Action|Menu)>"
    "QMessageBox::"
    "QApplication::"
    "QWidget[ \t]*\\*")
set(failures "")
foreach(file IN LISTS sources)
    file(READ "${file}" content)
    foreach(pattern IN LISTS banned)
        if(content MATCHES "${pattern}")
            file(RELATIVE_PATH rel "${SOURCE_DIR}" "${file}")
            string(APPEND failures "  ${rel}: matches '${pattern}'\n")
        endif()
    endforeach()
endforeach()
list(LENGTH sources count)
if(failures)
    message(FATAL_ERROR "core/ must not depend on widgets:\n${failures}")
endif()
message(STATUS "layering: ${count} files in core/ checked, no widget dependency")
