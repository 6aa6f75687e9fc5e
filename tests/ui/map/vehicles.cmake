# map tests
