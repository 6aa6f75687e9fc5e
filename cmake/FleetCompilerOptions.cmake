# Compiler settings shared by every FleetDesk target, applied through an
# interface library so that nothing leaks into third-party code.
add_library(fleet_options INTERFACE)
add_library(Fleet::options ALIAS fleet_options)

if(MSVC)
    target_compile_options(fleet_options INTERFACE /W4 /permissive- /utf-8)
    if(FLEET_WARNINGS_AS_ERRORS)
        target_compile_options(fleet_options INTERFACE /WX)
    endif()
else()
    target_compile_options(fleet_options INTERFACE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
        -Woverloaded-virtual -Wimplicit-fallthrough)
    if(FLEET_WARNINGS_AS_ERRORS)
        target_compile_options(fleet_options INTERFACE -Werror)
    endif()
endif()

target_compile_definitions(fleet_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_DISABLE_DEPRECATED_UP_TO=0x060400)

if(FLEET_SANITIZE)
    target_compile_options(fleet_options INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(fleet_options INTERFACE -fsanitize=address,undefined)
endif()

if(FLEET_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "FLEET_FUZZ needs clang (libFuzzer)")
    endif()
    # Coverage instrumentation everywhere; the fuzz targets add the driver.
    target_compile_options(fleet_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
