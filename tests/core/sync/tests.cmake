fleet_add_test(tst_ingestconfig SOURCES tst_ingestconfig.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_syncengine SOURCES tst_syncengine.cpp LIBS Fleet::core Fleet::sim LABELS integration TIMEOUT 300)
fleet_add_test(tst_storesink SOURCES tst_storesink.cpp LIBS Fleet::core Fleet::sim LABELS integration TIMEOUT 300)
fleet_add_test(tst_livesession SOURCES tst_livesession.cpp LIBS Fleet::core Fleet::demo LABELS integration TIMEOUT 180)
