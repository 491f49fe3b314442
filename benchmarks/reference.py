"""A small fixed workload timed beside a benchmark, so its figures can be read as ratios.

This machine's speed varies by a third from run to run (same code: a 1M build took 59-82 s), and
other processes share its two cores. A benchmark runs :func:`run_reference` at its start and at
its end, in its own process, and prints each time figure also as a multiple of the reference's
time and scaled to the "reference machine": ``figure * REFERENCE_SECONDS / reference time``.

The workload is what the figures spend their time on, in fixed amounts and with no project code
(a change to the project never changes it):

* Python: a regex word split, lower-casing and a dict count over a fixed 4 MB text;
* hashing: SHA-256 of a fixed 128 MB buffer;
* numpy: a stable argsort of 1M fixed int32s, a bincount of 8M and a cumsum;
* fresh memory: 256 MB allocated and touched (on this virtual machine, memory the guest has not
  touched for a couple of seconds costs a host fault a page: most of a reload's time);
* memory latency: 4M random reads of a 256 MB array and 1M random lookups in a dict of 1M
  words (what tokenizing against large term caches and scoring long postings wait on: on this
  machine they slowed down by up to 1.7 times in hours when the CPU-bound parts did not);
* files: 64 MB written to a temporary file, fsynced, read back and deleted.

``REFERENCE_SECONDS`` is the least total measured on this machine (2 cores) by
``python -m benchmarks.reference`` (five runs at a time) with no other benchmark or test running,
over the runs of 2026-12-01: 2.24 s at 14:26 (load average 1.0-1.3; the fresh-memory part alone
took 0.76-0.86 s then, 0.07-0.64 s an hour before). Without the latency part it was 0.90 s at 14:05.
"""
from __future__ import annotations

import hashlib
import os
import random
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np

REFERENCE_SECONDS = 2.24  # measured, see the docstring
SETTLE = 3.0              # seconds: freed memory is handed back to the host after about two
_WORD = re.compile(r"\w+")


def _text() -> str:
    rng = random.Random(12)
    words = ["".join(rng.choice("etaoinshrdlucmfwypvbgk") for _ in range(rng.randint(2, 10))) for _ in range(5000)]
    return " ".join(rng.choice(words) for _ in range(600_000))


def _python(text: str) -> None:
    Counter(w.lower() for w in _WORD.findall(text))


def _hashing(buffer: bytes) -> None:
    hashlib.sha256(buffer).digest()


def _numpy(values: np.ndarray) -> None:
    order = np.argsort(values[: 1 << 20], kind="stable")
    np.cumsum(np.bincount(values % 65536)[order % 65536])


def _latency(array: np.ndarray, picks: np.ndarray, table: dict, keys: list[str]) -> None:
    int(array[picks].sum())
    sum(map(table.__getitem__, keys))


def _memory() -> None:
    block = np.empty(64 << 20, np.int32)   # 256 MB
    block.fill(1)
    del block


def _files(buffer: bytes) -> None:
    with tempfile.NamedTemporaryFile(prefix="bench-reference-") as f:
        f.write(buffer[: 64 << 20])
        f.flush()
        os.fsync(f.fileno())
        with open(f.name, "rb") as back:
            back.read()


@dataclass(frozen=True)
class Reference:
    seconds: float                # the whole workload, this run
    parts: dict[str, float]

    def describe(self) -> str:
        return f"{self.seconds:.2f} s (" + ", ".join(f"{k} {v:.2f}" for k, v in self.parts.items()) + ")"


def run_reference() -> Reference:
    """Time the workload once (its inputs are made first, untimed, then ``SETTLE`` seconds pass)."""
    text = _text()
    buffer = np.random.default_rng(3).integers(0, 256, 128 << 20, np.uint8).tobytes()
    values = np.random.default_rng(5).integers(0, 1 << 30, 8 << 20, np.int32)
    array = np.random.default_rng(7).integers(0, 1 << 30, 64 << 20, np.int32)   # 256 MB
    picks = np.random.default_rng(8).integers(0, len(array), 4 << 20)
    table = {f"w{i}": i for i in range(1 << 20)}
    keys = [f"w{i}" for i in np.random.default_rng(9).integers(0, 1 << 20, 1 << 20).tolist()]
    time.sleep(SETTLE)   # memory freed just before is still cheap to take again: let it go cold
    parts = {}
    for name, job in (("memory", _memory), ("python", lambda: _python(text)), ("sha256", lambda: _hashing(buffer)),
                      ("numpy", lambda: _numpy(values)), ("latency", lambda: _latency(array, picks, table, keys)),
                      ("files", lambda: _files(buffer))):
        started = time.perf_counter()
        job()
        parts[name] = time.perf_counter() - started
    return Reference(sum(parts.values()), parts)


@dataclass
class Figures:
    """Time figures of one benchmark run, printed against the reference runs at its end."""

    rows: list[tuple[str, float, str, str]]   # what, seconds, unit shown ("s" or "ms"), target

    def add(self, what: str, seconds: float, target: str, unit: str = "s") -> None:
        self.rows.append((what, seconds, unit, target))

    def table(self, references: list[Reference]) -> list[str]:
        ref = sum(r.seconds for r in references) / len(references)
        scale = REFERENCE_SECONDS / ref
        out = [f"reference workload: {', '.join(r.describe() for r in references)}; "
               f"mean {ref:.2f} s = {1 / scale:.2f} x the reference machine's {REFERENCE_SECONDS:.2f} s",
               f"{'figure':<58} {'here':>10} {'/ reference':>12} {'on ref. machine':>16}  target"]
        for what, seconds, unit, target in self.rows:
            k = 1e3 if unit == "ms" else 1.0
            out.append(f"{what:<58} {seconds * k:>8.3g} {unit:<2} {seconds / ref:>11.3g}x "
                       f"{seconds * scale * k:>13.3g} {unit:<2}  {target}")
        return out


if __name__ == "__main__":
    for _ in range(5):
        print(run_reference().describe(), f"load average {os.getloadavg()[0]:.2f}", flush=True)
