"""The load scenario run by tests/discord/test_load.py and benchmarks/bench_load.py."""
