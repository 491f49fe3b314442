"""A large corpus end to end through the command line: build, start, one question, reload, queries.

    .venv/bin/python -m benchmarks.bench_million [--passages 1000000] [--keep DIR]

Writes a synthetic corpus in the project's format (the real sources plus filler sources of 200
paragraphs each, ``tests/support/synth_corpus.py``) in a temporary folder, then measures, each
against the target of issue 12 (figures print; nothing asserts):

* ``python -m bot build``: wall time and peak memory (the largest process, and the sum over the
  process and its workers, sampled from /proc every 20 ms);
* the start of ``python -m bot console`` on the fresh index (to its first prompt and out: the
  whole process), with BOT_SEMANTIC=off and with the semantic stage left to decide;
* ``python -m bot ask`` of one question from a cold process;
* three reloads (``LiveIndex.reload``: child build + verified load), each after one filler
  source changed;
* a full pass of the garbage collector while serving (it holds the event loop), the served
  snapshot frozen as the serving process keeps it, and scanned;
* scorer latency (p50 / p95) and the answer built (p95) on the loaded index, BM25 alone.

A fixed reference workload (``benchmarks.reference``) runs at the start and at the end, in this
process; a last table gives every time figure also as a multiple of the reference's time and
scaled to the reference machine, so runs on a busier or slower day can be compared.

The event-loop lag during a reload under /ask traffic is ``benchmarks.bench_discord_scale``'s.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.reference import Figures, run_reference

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ["Who was John Rabe?", "when did japan attack shanghai", "how many women does the japanese officer demand",
             "noble samurai", "Who was Minnie Vautrin?", "Tokyo Trials", "safety zone committee conceived",
             "what happened to the city itself during the occupation", "who ran nanking after the massacre",
             "what year did city of life and death come out"]


def _tree_pss(pid: int) -> int:
    """Proportional resident bytes of ``pid`` and all its descendants (forked workers share
    their parent's pages: PSS counts a shared page once overall, RSS once per process)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError, StopIteration):
            continue
    return total


def measure(args: list[str], env: dict, stdin: str = "") -> tuple[float, float, float, str]:
    """(seconds, peak MB of the largest process, peak MB (PSS) of the process tree, stdout) of
    ``python -m bot ARGS`` run through a wrapper whose RUSAGE_CHILDREN is this command's alone;
    prints the CPU seconds it took (the machine may be shared: wall time alone misleads)."""
    wrapper = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
               "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
               "print('MAXRSS', u.ru_maxrss, u.ru_utime + u.ru_stime, file=sys.stderr); "
               "sys.exit(r.returncode)")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", wrapper, sys.executable, "-m", "bot", *args], env=env, cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_pss(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate(stdin)
    seconds = time.perf_counter() - started
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"python -m bot {' '.join(args)} failed ({proc.returncode}): {err[-2000:]}")
    usage = next((line.split()[1:] for line in err.splitlines() if line.startswith("MAXRSS")), ["0", "0"])
    print(f"  ({' '.join(args[:1])}: {float(usage[1]):.1f} CPU seconds; load average now "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)", flush=True)
    return seconds, int(usage[0]) / 1024, peak[0] / 2**20, out


def line(what: str, value: str, target: str, ok: bool) -> None:
    print(f"{what:<58} {value:<30} target {target:<14} {'ok' if ok else 'MISSED'}", flush=True)


def cli_figures(corpus: Path, env: dict, figures: Figures) -> None:
    s, big, tree, _ = measure(["build", "--corpus", str(corpus)], env)
    figures.add("python -m bot build (fresh folder)", s, "60 s")
    line("python -m bot build (fresh folder)", f"{s:.1f} s, {big:.0f} MB ({tree:.0f} MB all)", "60 s, 2 GB",
         s <= 60 and tree <= 2048)
    for semantic in ("off", "decides"):
        run_env = dict(env, BOT_SEMANTIC="off") if semantic == "off" else {k: v for k, v in env.items()
                                                                            if k != "BOT_SEMANTIC"}
        s, big, tree, _ = measure(["console", "--corpus", str(corpus)], run_env, stdin="/quit\n")
        figures.add(f"console start + quit, fresh index (semantic {semantic})", s, "3 s")
        line(f"console start + quit, fresh index (semantic {semantic})", f"{s:.2f} s, {big:.0f} MB", "3 s, 1.2 GB",
             s <= 3 and big <= 1229)
    s, big, _, _ = measure(["ask", QUESTIONS[0], "--corpus", str(corpus)], env)
    figures.add("python -m bot ask (one question, cold process)", s, "3 s")
    line("python -m bot ask (one question, cold process)", f"{s:.2f} s, {big:.0f} MB", "3 s", s <= 3)


def reloads(corpus: Path, index_dir: Path, figures: Figures, times: int = 3):
    """The live index after ``times`` reloads, each after one filler source changed."""
    from index.live import LiveIndex

    live = LiveIndex(corpus, cache_dir=index_dir, freeze=True)   # as the serving process's
    live.load()
    n = len(list((corpus / "sources").glob("*.md")))
    seconds = []
    for k in range(times):
        source = corpus / "sources" / f"filler-{k + 1:04d}.md"
        changed = source.with_suffix(".tmp")
        changed.write_text(source.read_text(encoding="utf-8") + "\nThe quokka archive was opened.\n",
                           encoding="utf-8")
        os.replace(changed, source)
        time.sleep(1.0)   # a moderator edits, then reloads (a file changed within 0.5 s is refused)
        cpu = time.process_time()
        report = live.reload()
        print(f"  (reload: {time.process_time() - cpu:.1f} CPU seconds in this process, the child build apart)")
        line(f"reload {k + 1} after one of {n} sources changed", f"{report.seconds:.2f} s ({report.ok})", "5 s",
             report.ok and report.seconds <= 5)
        seconds.append(report.seconds if report.ok else float("inf"))
    figures.add(f"reload after one of {n} sources changed (median of {times})", statistics.median(seconds), "5 s")
    return live


def reload_and_latency(corpus: Path, index_dir: Path, figures: Figures) -> None:
    from bot.answering.answers import build_answer

    index = reloads(corpus, index_dir, figures).current
    collector_pause(figures)
    rng = __import__("random").Random(7)
    words = [w for w in index.scorer.vocab if not w.startswith("ent:")]
    queries = [index.tokenizer.tokens(q) for q in QUESTIONS]
    queries += [rng.sample(words, rng.randint(2, 6)) for _ in range(490)]
    times = []
    for tokens in queries * 3:
        t = time.perf_counter()
        index.scorer.top_k(tokens, 10)
        times.append(time.perf_counter() - t)
    q = statistics.quantiles(times, n=100)
    line("scorer top-10 p50 / p95 (2-6 random corpus words)", f"{q[49] * 1e3:.3f} / {q[94] * 1e3:.3f} ms",
         "0.08 / 0.3 ms", q[49] <= 0.08e-3 * 1.5 and q[94] <= 0.3e-3 * 1.5)
    figures.add("scorer top-10 p50 (2-6 random corpus words)", q[49], "0.08 ms", "ms")
    figures.add("scorer top-10 p95 (2-6 random corpus words)", q[94], "0.3 ms", "ms")
    q = statistics.quantiles([t for k, t in enumerate(times) if k % len(queries) < len(QUESTIONS)], n=100)
    line("scorer top-10 p50 / p95 (the questions)", f"{q[49] * 1e3:.3f} / {q[94] * 1e3:.3f} ms",
         "0.08 / 0.3 ms", q[49] <= 0.08e-3 * 1.5 and q[94] <= 0.3e-3 * 1.5)
    p95 = answer_p95(index, build_answer, QUESTIONS * 10)
    line("answer built p95 (BM25 alone; the questions, 10 times)", f"{p95 * 1e3:.2f} ms", "5 ms", p95 <= 5e-3)
    figures.add("answer built p95 (BM25 alone; the questions, 10 times)", p95, "5 ms", "ms")
    fresh = [" ".join(rng.sample(words, rng.randint(3, 6))) for _ in range(200)]   # each asked once
    p95 = answer_p95(index, build_answer, fresh)
    line("answer built p95 (BM25 alone; 200 new word lists)", f"{p95 * 1e3:.2f} ms", "5 ms", p95 <= 5e-3)
    figures.add("answer built p95 (BM25 alone; 200 new word lists)", p95, "5 ms", "ms")


def collector_pause(figures: Figures) -> None:
    """A full pass of the garbage collector, which holds the event loop while it scans: with the
    served snapshot frozen (the serving process's ``LiveIndex``), and with it scanned."""
    import gc

    t = time.perf_counter()
    gc.collect()
    frozen = time.perf_counter() - t
    gc.unfreeze()
    t = time.perf_counter()
    gc.collect()
    scanned = time.perf_counter() - t
    gc.freeze()
    line("full collector pass while serving (snapshot frozen / scanned)",
         f"{frozen * 1e3:.1f} / {scanned * 1e3:.0f} ms", "30 ms (loop lag)", frozen <= 0.03)
    figures.add("full collector pass while serving (snapshot frozen)", frozen, "30 ms", "ms")


def answer_p95(index, build_answer, questions: list[str]) -> float:
    answers = []
    for question in questions:
        t = time.perf_counter()
        build_answer(index, question)
        answers.append(time.perf_counter() - t)
    return statistics.quantiles(answers, n=100)[94]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_million", description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=50_000, help="filler paragraphs (default 50,000)")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    os.environ["BOT_SEMANTIC"] = "off"
    from tests.support.synth_corpus import write_corpus

    references = [run_reference()]
    print(f"reference workload at the start: {references[0].describe()}", flush=True)
    figures = Figures([])

    with tempfile.TemporaryDirectory(prefix="bench-million-") as tmp:
        work = args.keep or Path(tmp)
        t = time.perf_counter()
        corpus = write_corpus(work / "corpus", args.passages, per_file=200)
        print(f"corpus: {args.passages:,} filler paragraphs in {work / 'corpus'} "
              f"(written in {time.perf_counter() - t:.0f} s)", flush=True)
        shutil.rmtree(work / "index", ignore_errors=True)   # the build is timed from nothing, even with --keep
        env = dict(os.environ, BOT_INDEX_DIR=str(work / "index"), BOT_VECTORS_DIR=str(work / "vectors"),
                   BOT_DATA_DIR=str(work / "data"), PYTHONPATH=str(ROOT))
        cli_figures(corpus, env, figures)
        reload_and_latency(corpus, work / "index", figures)
    references.append(run_reference())
    print("\n".join(["", *figures.table(references)]), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
