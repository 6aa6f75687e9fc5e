# ui/map: the map widget's interaction
fleet_add_test(tst_mapwidget SOURCES tst_mapwidget.cpp LIBS Fleet::ui LABELS unit)
