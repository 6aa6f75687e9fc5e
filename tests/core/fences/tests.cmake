# core/fences: fence geometry and its spatial index (fencetestdata.h: shared with bench_fences)
fleet_add_test(tst_fencegeometry SOURCES tst_fencegeometry.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_fenceindex SOURCES tst_fenceindex.cpp LIBS Fleet::core LABELS unit)
fleet_add_test(tst_fenceengine SOURCES tst_fenceengine.cpp LIBS Fleet::core LABELS unit)
