# ui/settings: typed settings, keychain, account dialog
fleet_add_test(tst_appsettings SOURCES tst_appsettings.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_accountdialog SOURCES tst_accountdialog.cpp LIBS Fleet::ui Fleet::sim LABELS unit)
fleet_add_test(tst_secretstore SOURCES tst_secretstore.cpp LIBS Fleet::ui LABELS integration ARGS noKeychainIsAClearOutcome)
# Writing, reading and removing against a real Secret Service (see FLEET_KEYRING_WRAPPER).
add_test(NAME tst_secretstore_keyring COMMAND ${FLEET_KEYRING_WRAPPER} $<TARGET_FILE:tst_secretstore> writeReadRemove)
set_tests_properties(tst_secretstore_keyring PROPERTIES
    LABELS integration TIMEOUT 60
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;HOME=${CMAKE_CURRENT_BINARY_DIR}/tst_secretstore_keyring.home;XDG_DATA_HOME=${CMAKE_CURRENT_BINARY_DIR}/tst_secretstore_keyring.home/data;XDG_CONFIG_HOME=${CMAKE_CURRENT_BINARY_DIR}/tst_secretstore_keyring.home/config")
