"""One of several bot processes writing to one database at the same time (tests/bot/
test_store_postgres.py, benchmarks/bench_store_db.py).

    python -m tests.support.store_twin URL NAME N [BUSY_SECONDS]

Opens the store (migrating it, perhaps at the same moment as its twins), prints "ready", waits
for a line on stdin, then writes N answer records of its own (ids NAME-0000...), a vote on each
of the shared answers "shared-<i % 10>" by user i // 10 % 5 (the twins vote on the same rows at once),
and the settings of guild 1 (the twins save the same row at once). Prints one JSON line: its
counts, errors and seconds; then, after another line on stdin, what it reads of its twins'
answer records (ids not its own). ``run_twins`` starts several and drives them through these steps.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from bot.store import AnswerRecord, GuildSettings, Store

ROOT = Path(__file__).resolve().parents[2]


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


def run_twins(url: str, count: int, writes: int,
              busy: float | None = None) -> tuple[list[dict], list[list[str]], float]:
    """``count`` twins p0, p1... on ``url``: all open (and migrate) it at the same time, then all
    write at once. Their result lines, what each read of the others, and the seconds the writing took."""
    procs = [subprocess.Popen([sys.executable, "-m", "tests.support.store_twin", url, f"p{k}", str(writes),
                               *([] if busy is None else [str(busy)])],
                              cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for k in range(count)]
    try:
        assert [p.stdout.readline().strip() for p in procs] == ["ready"] * count
        started = time.perf_counter()
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        results = [json.loads(p.stdout.readline()) for p in procs]
        seconds = time.perf_counter() - started
        for p in procs:
            p.stdin.write("read\n")
            p.stdin.flush()
        seen = [json.loads(p.stdout.readline()) for p in procs]
    finally:
        for p in procs:
            p.communicate(timeout=120)
    return results, seen, seconds


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
