# ui/map: projection, viewport and tile sources
fleet_add_test(tst_geomath SOURCES tst_geomath.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_offlinebasemap SOURCES tst_offlinebasemap.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_offlinebasemapsource SOURCES tst_offlinebasemapsource.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_mbtilessource SOURCES tst_mbtilessource.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_xyztilesource SOURCES tst_xyztilesource.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_tilesourcespec SOURCES tst_tilesourcespec.cpp LIBS Fleet::ui LABELS unit)
fleet_add_test(tst_tilelayer SOURCES tst_tilelayer.cpp LIBS Fleet::ui LABELS unit)
