fleet_add_test(tst_streamsessions SOURCES tst_streamsessions.cpp LIBS Fleet::core Fleet::sim LABELS integration TIMEOUT 180)
fleet_add_test(tst_recordinglister SOURCES tst_recordinglister.cpp LIBS Fleet::core Fleet::sim LABELS integration TIMEOUT 180)
fleet_add_test(tst_mediacapture SOURCES tst_mediacapture.cpp LIBS Fleet::core Fleet::sim LABELS integration TIMEOUT 180)
