"""Test support shared by tests and benchmarks: the fake Discord, the bot harness, load runs."""
