"""--shards / --shard-count: what they mean, and a clear message for every bad value."""
import pytest

from bot.coordination.shards import ShardError, ShardPlan, parse_plan


@pytest.mark.parametrize("shards, count, plan", [
    (None, None, ShardPlan()),
    ("0-3", "8", ShardPlan((0, 1, 2, 3), 8)),
    ("4-7", "8", ShardPlan((4, 5, 6, 7), 8)),
    ("5", "8", ShardPlan((5,), 8)),
    ("0,2, 5-6", "8", ShardPlan((0, 2, 5, 6), 8)),
    ("1-2,0-1", "4", ShardPlan((0, 1, 2), 4)),
    (None, "4", ShardPlan(None, 4)),
    (None, "auto", ShardPlan(None, 0)),
    (None, "AUTO", ShardPlan(None, 0)),
])
def test_good_values(shards, count, plan):
    assert parse_plan(shards, count) == plan


@pytest.mark.parametrize("shards, count, message", [
    ("0-3", "2", "shard ids go from 0 to 1 with --shard-count 2"),
    ("3-1", "8", "a range goes from low to high (write 1-3)"),
    ("a-b", "8", "--shards takes shard ids and ranges such as 0-3"),
    ("0-", "8", "--shards takes shard ids and ranges"),
    ("-1", "8", "--shards takes shard ids and ranges"),
    ("", "8", "--shards takes shard ids and ranges"),
    ("0-3", None, "--shards needs --shard-count"),
    (None, "zero", "--shard-count must be a whole number from 1 to 65536 or 'auto'"),
    (None, "0", "--shard-count must be a whole number"),
    (None, "-2", "--shard-count must be a whole number"),
    (None, "99999", "--shard-count must be a whole number"),
    ("0-1", "auto", "needs a fixed --shard-count"),
])
def test_bad_values_say_what_is_wrong(shards, count, message):
    with pytest.raises(ShardError) as caught:
        parse_plan(shards, count)
    assert message in str(caught.value)


def test_describe():
    assert parse_plan("0-3,6", "8").describe() == "shards 0-3,6 of 8"
    assert parse_plan(None, "2").describe() == "shards 0-1 of 2"
    assert parse_plan(None, None).describe() == "one connection, no sharding"


@pytest.mark.parametrize("argv, message", [
    (["--shards", "0-3", "--shard-count", "2"], "shard ids go from 0 to 1"),
    (["--shards", "3-1", "--shard-count", "8"], "write 1-3"),
    (["--shards", "x", "--shard-count", "8"], "--shards takes shard ids"),
    (["--shard-count", "many"], "--shard-count must be"),
])
def test_run_refuses_bad_shards_with_exit_2(argv, message, monkeypatch):
    import io

    from bot.cli import main

    monkeypatch.setenv("DISCORD_TOKEN", "not-used")
    out, err = io.StringIO(), io.StringIO()
    assert main(["run", *argv], out, err) == 2
    assert message in err.getvalue() and "Traceback" not in err.getvalue()
