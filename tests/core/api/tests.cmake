fleet_add_test(tst_apiparsers SOURCES tst_apiparsers.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_apisigner SOURCES tst_apisigner.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_apiclient SOURCES tst_apiclient.cpp LIBS Fleet::core Fleet::sim LABELS integration)
fleet_add_test(tst_jimiapi SOURCES tst_jimiapi.cpp LIBS Fleet::core Fleet::sim LABELS integration TIMEOUT 300)
