# models tests
