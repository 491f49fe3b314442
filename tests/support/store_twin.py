"""One of several bot processes writing to one database at the same time (tests/bot/
test_store_postgres.py, benchmarks/bench_store_db.py).

    python -m tests.support.store_twin URL NAME N [BUSY_SECONDS]

Opens the store (migrating it, perhaps at the same moment as its twins), prints "ready", waits
for a line on stdin, then writes N answer records of its own (ids NAME-0000...), a vote on each
of the shared answers "shared-<i % 10>" by user i // 10 % 5 (the twins vote on the same rows at once),
and the settings of guild 1 (the twins save the same row at once). Prints one JSON line: its
counts, errors and seconds; then, after another line on stdin, what it reads of its twins'
answer records (ids not its own).
"""
from __future__ import annotations

import json
import sys
import time

from bot.store import AnswerRecord, GuildSettings, Store


def write(store: Store, name: str, n: int) -> dict:
    errors: list[str] = []
    started = time.perf_counter()
    for i in range(n):
        record = AnswerRecord(f"{name}-{i:04d}", 1000.0 + i, 1, 10, "slash", "h", ("p1",), False,
                              question=f"q {i}", user_id=i % 5)
        for op, args in ((store.record_answer, (record,)),
                         (store.vote, (f"shared-{i % 10}", i // 10 % 5, 1 if (i + len(name)) % 2 else -1)),
                         (store.save_settings, (GuildSettings(1, retention_days=1 + i % 30),))):
            try:
                op(*args)
            except Exception as exc:  # noqa: BLE001 - counted and reported, the test fails on any
                errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    return {"name": name, "writes": 3 * n, "errors": errors, "seconds": time.perf_counter() - started}


def main() -> int:
    url, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store(url, busy_seconds=float(sys.argv[4])) if len(sys.argv) > 4 else Store(url)
    assert store.engine is not None   # opened and migrated now
    print("ready", flush=True)
    sys.stdin.readline()
    print(json.dumps(write(store, name, n)), flush=True)
    sys.stdin.readline()
    others = sorted(r.id for r in store.answers_since(1, 0) if not r.id.startswith(f"{name}-"))
    print(json.dumps(others), flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
