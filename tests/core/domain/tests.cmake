# core/domain tests
