"""What the bot's database (votes, answer records, settings) sustains: writes per second on a SQLite
file and on a PostgreSQL server (pgserver's binaries, started here on 127.0.0.1), from one process
and from several processes writing at once (tests.support.store_twin: an answer record, a vote on
a row the others vote on too, and the shared settings row, per step). Prints writes/s and errors.

    python -m benchmarks.bench_store_db [--writes 500] [--processes 1,2,4]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.support.postgres import PostgresServer, ServerUnavailable
from tests.support.store_twin import run_twins


def run(url: str, processes: int, writes: int) -> dict:
    results, _, seconds = run_twins(url, processes, writes)
    total = sum(r["writes"] for r in results)
    errors = [e for r in results for e in r["errors"]]
    return {"writes": total, "seconds": seconds, "per_second": total / seconds, "errors": errors}


def report(kind: str, processes: int, r: dict) -> None:
    kinds = sorted({e.split(":")[0] for e in r["errors"]})
    print(f"  {kind:10s} {processes} process(es): {r['writes']} writes in {r['seconds']:.2f} s = "
          f"{r['per_second']:.0f}/s, errors {len(r['errors'])}{' ' + ', '.join(kinds) if kinds else ''}"
          + (f" (first: {r['errors'][0][:120]})" if r["errors"] else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writes", type=int, default=500, help="steps per process (3 writes each)")
    parser.add_argument("--processes", default="1,2,4")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.processes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp, \
            tempfile.TemporaryDirectory(prefix="bench-store-pg-") as pg_home:
        server = PostgresServer(Path(pg_home), fsync=True)   # its own temp folder: the server's user owns it
        try:
            server.start()
        except ServerUnavailable as exc:
            print(f"PostgreSQL: not measured ({exc})")
            server = None
        try:
            print(f"store writes ({args.writes} steps of 3 writes per process, each its own transaction; "
                  f"fsync on for both):")
            for n in counts:
                report("sqlite", n, run(f"sqlite:///{Path(tmp) / f'sqlite-{n}' / 'bot.sqlite3'}", n, args.writes))
                if server is not None:
                    report("postgresql", n, run(server.url(server.create_database()), n, args.writes))
        finally:
            if server is not None:
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
