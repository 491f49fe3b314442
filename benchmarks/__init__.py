"""Benchmarks (not part of the bot). Run from the project root, e.g.
``.venv/bin/python -m benchmarks.bench_scale --sizes 10k,100k``."""
