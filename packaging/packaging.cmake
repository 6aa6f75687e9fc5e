# Installers are driven by the install rules and CPack. Linux packages are
# built here; the Windows (WiX MSI) and macOS (DMG) configurations join them
# with the desktop application.
set(CPACK_PACKAGE_NAME "fleetdesk")
set(CPACK_PACKAGE_VENDOR "FleetDesk")
set(CPACK_PACKAGE_CONTACT "FleetDesk maintainers <maintainers@fleetdesk.example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_RESOURCE_FILE_README "${PROJECT_SOURCE_DIR}/README.md")
set(CPACK_STRIP_FILES ON)

if(UNIX AND NOT APPLE)
    set(CPACK_GENERATOR "TGZ;DEB")
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
endif()

include(CPack)
