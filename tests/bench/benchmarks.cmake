# Benchmarks are plain executables, not tests: they print figures and their
# baselines. Build them with a release preset; "benchmarks" builds them all.
add_custom_target(benchmarks)
function(fleet_add_benchmark name)
    add_executable(${name} ${CMAKE_CURRENT_LIST_DIR}/${name}.cpp)
    target_link_libraries(${name} PRIVATE Fleet::core Fleet::options)
    add_dependencies(benchmarks ${name})
endfunction()

fleet_add_benchmark(bench_api)
fleet_add_benchmark(bench_sim)
fleet_add_benchmark(bench_store)
fleet_add_benchmark(bench_sync)
