# ui/map: the map widget's interaction
fleet_add_test(tst_mapwidget SOURCES tst_mapwidget.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_geojsonlayer SOURCES tst_geojsonlayer.cpp LIBS Fleet::ui LABELS unit)
