
fleet_add_test(tst_simfleet SOURCES tst_simfleet.cpp LIBS Fleet::core Fleet::sim LABELS unit)
fleet_add_test(tst_simserver SOURCES tst_simserver.cpp LIBS Fleet::core Fleet::sim LABELS integration)
fleet_add_test(tst_simpusher SOURCES tst_simpusher.cpp LIBS Fleet::core Fleet::sim LABELS integration TIMEOUT 180)
fleet_add_test(tst_fleetstart SOURCES tst_fleetstart.cpp LIBS Fleet::core Fleet::sim LABELS unit)
fleet_add_test(tst_simflv SOURCES tst_simflv.cpp LIBS Fleet::core Fleet::sim LABELS unit)
fleet_add_test(tst_simstreamserver SOURCES tst_simstreamserver.cpp LIBS Fleet::core Fleet::sim LABELS integration)
