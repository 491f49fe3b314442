"""Scale benchmark: FastBM25 vs ReferenceBM25 (rank-bm25) on synthetic corpora.

    cd /work/main && .venv/bin/python -m benchmarks.bench_scale \
        [--sizes 10k,100k,1M] [--queries 300] [--seed 20240601] [--no-ref-1m]

The parent process runs each size in a fresh subprocess (``--one SIZE``) so that memory
figures are not polluted by the previous size, collects one JSON line from each, and prints
one table. Run it alone: the machine has 2 cores and the timings are single-threaded.

Per size, in one process: generate the corpus (int ids; ``list[list[str]]`` only when the
reference or the string build needs it) and the two query sets; warm numba up (first call
reported separately); then
* FastBM25: build from token ids (seconds, peak = VmHWM after reset - baseline RSS,
  retained = RSS after build + gc - baseline), build from token lists (seconds only),
  save / load (mmap) seconds, query p50/p95/p99 top-10 on the mixed and selective sets;
* ReferenceBM25 (rank-bm25): build seconds and memory, query latency (get_scores + top-10 of
  the non-zero scores) on all queries, or on a --ref-subset (30) subset at >= 1M passages;
  rank-bm25 has no non-pickle format, so no save/load for it;
* parity on every query the reference ran (tie-aware, 1e-4 relative).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

from benchmarks.synth import make_corpus, make_queries

SIZES = {"100": 100, "1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def parse_size(s: str) -> int:
    s = s.strip()
    if s in SIZES:
        return SIZES[s]
    mult = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}
    if s[-1] in mult:
        return int(float(s[:-1]) * mult[s[-1]])
    return int(s)


def fmt_size(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


# -- memory -----------------------------------------------------------------------------


def _status(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(key)


def rss() -> int:
    return _status("VmRSS")


def reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def peak() -> int:
    return _status("VmHWM")


MIB = 1024 * 1024


# -- one size ---------------------------------------------------------------------------


def percentiles(ms: list[float]) -> dict:
    a = np.asarray(ms)
    return {"p50": float(np.percentile(a, 50)), "p95": float(np.percentile(a, 95)),
            "p99": float(np.percentile(a, 99)), "mean": float(a.mean()), "n": int(a.size)}


def time_queries(fn, queries, k=10):
    out, ms = [], []
    for q in queries:
        t = time.perf_counter_ns()
        r = fn(q, k)
        ms.append((time.perf_counter_ns() - t) / 1e6)
        out.append(r)
    return out, ms


def evict_page_cache(directory: str) -> None:
    for name in os.listdir(directory):
        fd = os.open(os.path.join(directory, name), os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def throughput(scorer, queries, n_threads: int, rounds: int = 3) -> float:
    """Queries per second with ``n_threads`` threads each running the whole set."""
    import threading
    start = threading.Barrier(n_threads + 1)

    def work():
        start.wait()
        for _ in range(rounds):
            for q in queries:
                scorer.top_k(q, 10)

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return n_threads * rounds * len(queries) / (time.perf_counter() - t0)


def parity(ours, ref_top, ref_scores, rel=1e-4) -> tuple[int, int]:
    """(mismatching queries, bit-identical queries). A query mismatches when the lists differ
    in length, when one of our docs has a reference score below the reference's last
    (k-th) score by more than ``rel`` relative, or when one of our scores differs from the
    reference score of the same doc by more than ``rel`` relative."""
    bad = same = 0
    for o, r, s in zip(ours, ref_top, ref_scores, strict=False):
        if o == r:
            same += 1
        ok = len(o) == len(r)
        if ok and r:
            last = r[-1][1]
            for d, sc in o:
                rs = float(s[d])
                if rs < last - rel * abs(last) or abs(sc - rs) > rel * abs(rs):
                    ok = False
                    break
        bad += not ok
    return bad, same


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_one(n: int, args) -> dict:
    from index.bm25.kernels import HAVE_NUMBA
    from index.bm25.reference import ReferenceBM25
    from index.bm25.scorers import FastBM25

    res: dict = {"size": n, "label": fmt_size(n), "numba": HAVE_NUMBA}
    big = n >= 1_000_000
    ref_on = not (big and args.no_ref_1m)
    t = time.perf_counter()
    corpus = make_corpus(n, args.seed)
    mixed, selective = make_queries(args.queries, args.seed)
    log(f"{fmt_size(n)}: corpus {corpus.n_tokens:,} tokens, {len(corpus.vocab):,} terms "
        f"({time.perf_counter() - t:.1f} s)")
    docs = corpus.token_lists() if ref_on else None
    gc.collect()

    # warm numba up (compile, or load numba's on-disk cache) for writable and mmap'd arrays
    t = time.perf_counter()
    tiny = FastBM25([["a", "b"], ["b", "c", "c"]])
    tiny.top_k(["b", "c"], 1)
    tmp_tiny = tempfile.mkdtemp(prefix="bm25-warm-")
    tiny.save(tmp_tiny)
    FastBM25.load(tmp_tiny).top_k(["b"], 1)
    FastBM25.load(tmp_tiny, mmap=False).top_k(["b"], 1)
    shutil.rmtree(tmp_tiny)
    FastBM25.from_token_ids(np.array([0, 1, 1], np.int32), np.array([0, 1, 3]), ["a", "b"])
    res["warmup_s"] = time.perf_counter() - t
    del tiny
    gc.collect()

    # -- the reference's build first: it stays alive (for parity), so the FastBM25 build
    # that follows gets fresh memory rather than reusing what a freed index left behind
    ref = None
    if docs is not None:
        gc.collect()
        base = rss()
        reset_peak()
        t = time.perf_counter()
        ref = ReferenceBM25(docs)
        res["ref_build_s"] = time.perf_counter() - t
        res["ref_peak_mib"] = (peak() - base) / MIB
        gc.collect()
        res["ref_retained_mib"] = (rss() - base) / MIB
        log(f"{fmt_size(n)}: rank-bm25 built in {res['ref_build_s']:.1f} s, "
            f"retained {res['ref_retained_mib']:.0f} MiB")

    # -- FastBM25 build from ids
    gc.collect()
    base = rss()
    reset_peak()
    t = time.perf_counter()
    fast = FastBM25.from_token_ids(corpus.flat, corpus.offsets, corpus.vocab)
    res["fast_build_s"] = time.perf_counter() - t
    res["fast_peak_mib"] = (peak() - base) / MIB
    gc.collect()
    res["fast_retained_mib"] = (rss() - base) / MIB
    res["fast_nbytes_mib"] = fast.nbytes() / MIB
    res["postings"] = fast.n_postings
    res["terms"] = fast.n_terms
    res["tokens"] = corpus.n_tokens
    log(f"{fmt_size(n)}: FastBM25 built in {res['fast_build_s']:.2f} s, "
        f"retained {res['fast_retained_mib']:.0f} MiB")

    if docs is not None:
        t = time.perf_counter()
        fast_str = FastBM25(docs)
        res["fast_build_str_s"] = time.perf_counter() - t
        # term ids differ (first-appearance order vs vocab order), so compare answers
        res["fast_build_str_identical"] = all(fast_str.top_k(q, 10) == fast.top_k(q, 10)
                                              for q in mixed[:50] + selective[:50])
        del fast_str
        gc.collect()

    # -- FastBM25 queries (k = 10)
    t = time.perf_counter()
    fast.top_k(mixed[0], 10)
    res["fast_first_query_ms"] = (time.perf_counter() - t) * 1e3
    for q in mixed[1:4]:
        fast.top_k(q, 10)
    fast_results = {}
    for name, qs in (("mixed", mixed), ("selective", selective)):
        out, ms = time_queries(fast.top_k, qs)
        fast_results[name] = out
        res[f"fast_{name}"] = percentiles(ms)
        # how each query was answered, and how many postings it would touch exhaustively
        paths, post = [], []
        for q in qs:
            fast.top_k(q, 10)
            paths.append(fast.last_path if fast.backend == "numba" else -1)
            post.append(sum(fast.df(w) for w in q))
        res[f"fast_{name}_paths"] = {str(p): paths.count(p) for p in sorted(set(paths))}
        res[f"fast_{name}_postings"] = {"mean": float(np.mean(post)),
                                        "p95": float(np.percentile(post, 95))}
    # every query against the top-10 of FastBM25's exact float64 get_scores (bit-identical
    # to rank-bm25's get_scores, tests/index/test_bm25.py): covers all queries at 1M too
    from index.bm25.reference import top_k_from_scores
    res["selfcheck_mismatch"] = sum(
        fast_results[name][i] != top_k_from_scores(fast.get_scores(q), 10)
        for name, qs in (("mixed", mixed), ("selective", selective)) for i, q in enumerate(qs))
    res["selfcheck_queries"] = 2 * len(mixed)
    # throughput with 1 and 2 threads (the kernel releases the GIL; 2 cores)
    for n_threads in (1, 2):
        res[f"fast_mixed_qps_{n_threads}t"] = throughput(fast, mixed, n_threads)
    # variants, for the notes: no pruning; numpy fallback (few queries at 1M)
    fast.prune = False
    _, ms = time_queries(fast.top_k, mixed)
    res["fast_noprune_mixed"] = percentiles(ms)
    _, ms = time_queries(fast.top_k, selective)
    res["fast_noprune_selective"] = percentiles(ms)
    fast.prune = True
    fast.backend = "numpy"
    sub = mixed[: (30 if big else len(mixed))]
    out, ms = time_queries(fast.top_k, sub)
    res["numpy_mixed"] = percentiles(ms)
    res["numpy_equal_numba"] = out == fast_results["mixed"][: len(sub)]
    out, ms = time_queries(fast.top_k, selective[: len(sub)])
    res["numpy_selective"] = percentiles(ms)
    res["numpy_equal_numba"] &= out == fast_results["selective"][: len(sub)]
    fast.backend = "numba" if HAVE_NUMBA else "numpy"
    log(f"{fmt_size(n)}: FastBM25 mixed p50 {res['fast_mixed']['p50']:.3f} ms, "
        f"selective p50 {res['fast_selective']['p50']:.3f} ms")

    # -- save / load
    tmp = tempfile.mkdtemp(prefix="bm25-bench-", dir=args.tmpdir)
    try:
        t = time.perf_counter()
        fast.save(tmp)
        res["fast_save_s"] = time.perf_counter() - t
        res["disk_mib"] = sum(os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp)) / MIB
        del fast
        gc.collect()
        # cold: this index's files pushed out of the page cache (fsync + FADV_DONTNEED, our
        # files only), so load reads them from disk; then warm, as the table reports
        evict_page_cache(tmp)
        t = time.perf_counter()
        cold = FastBM25.load(tmp, mmap=True)
        res["fast_load_cold_s"] = time.perf_counter() - t
        del cold
        gc.collect()
        base_l = rss()
        t = time.perf_counter()
        loaded = FastBM25.load(tmp, mmap=True)
        res["fast_load_s"] = time.perf_counter() - t
        res["fast_load_rss_mib"] = (rss() - base_l) / MIB
        t = time.perf_counter()
        loaded.top_k(mixed[0], 10)
        res["fast_load_first_query_ms"] = (time.perf_counter() - t) * 1e3
        out, ms = time_queries(loaded.top_k, mixed)
        res["fast_loaded_mixed"] = percentiles(ms)
        res["load_roundtrip_ok"] = out == fast_results["mixed"]
        t = time.perf_counter()
        copy = FastBM25.load(tmp, mmap=False)
        res["fast_load_nommap_s"] = time.perf_counter() - t
        del copy, loaded
        gc.collect()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log(f"{fmt_size(n)}: save {res['fast_save_s']:.2f} s, load {res['fast_load_s']:.2f} s")

    # -- the reference's queries and the parity check
    if ref is not None:
        n_ref = min(args.ref_subset, args.queries) if big else args.queries
        res["ref_queries"] = n_ref
        for name, qs in (("mixed", mixed), ("selective", selective)):
            qs = qs[:n_ref]
            tops, scores, ms = [], [], []
            for q in qs:
                t = time.perf_counter_ns()
                top = ref.top_k(q, 10)
                ms.append((time.perf_counter_ns() - t) / 1e6)
                tops.append(top)
                scores.append(ref.get_scores(q))
            res[f"ref_{name}"] = percentiles(ms)
            bad, same = parity(fast_results[name][:n_ref], tops, scores)
            res[f"parity_{name}"] = {"checked": len(qs), "mismatch": bad, "identical": same}
            log(f"{fmt_size(n)}: rank-bm25 {name} p50 {res[f'ref_{name}']['p50']:.1f} ms, "
                f"parity mismatches {bad}/{len(qs)}")
        del ref
    return res


# -- the parent -------------------------------------------------------------------------


def print_table(results: list[dict]) -> None:
    def f(x, nd=2):
        if x is None:
            return "-"
        if isinstance(x, float):
            if x >= 100:
                return f"{x:.0f}"
            if x >= 10:
                return f"{x:.1f}"
            return f"{x:.{nd}f}" if x >= 0.1 else f"{x:.3f}"
        return str(x)

    head = ("| size | scorer | build s | peak MiB | retained MiB | save s | load s | 1st q ms "
            "| mixed p50 / p95 / p99 ms | selective p50 / p95 / p99 ms | x rank-bm25 (p50 mixed / sel) "
            "| parity mismatches (mixed / sel) |")
    print(head)
    print("|---|---|---:|---:|---:|---:|---:|---:|---|---|---|---|")
    for r in results:
        lab = r["label"]
        fm, fs = r["fast_mixed"], r["fast_selective"]
        rm, rs = r.get("ref_mixed"), r.get("ref_selective")
        ratio = "-"
        if rm:
            ratio = f"{rm['p50'] / fm['p50']:.0f}x / {rs['p50'] / fs['p50']:.0f}x"
        par = "-"
        if "parity_mixed" in r:
            pm, ps = r["parity_mixed"], r["parity_selective"]
            par = f"{pm['mismatch']}/{pm['checked']} / {ps['mismatch']}/{ps['checked']}"
            par += f" (bit-identical {pm['identical']}+{ps['identical']})"
        print(f"| {lab} | FastBM25 | {f(r['fast_build_s'])} | {f(r['fast_peak_mib'])} "
              f"| {f(r['fast_retained_mib'])} | {f(r['fast_save_s'])} | {f(r['fast_load_s'])} "
              f"| {f(r['fast_first_query_ms'])} "
              f"| {f(fm['p50'], 3)} / {f(fm['p95'], 3)} / {f(fm['p99'], 3)} "
              f"| {f(fs['p50'], 3)} / {f(fs['p95'], 3)} / {f(fs['p99'], 3)} | {ratio} | {par} |")
        if rm:
            sub = "" if r["ref_queries"] == rm["n"] and r["ref_queries"] == fm["n"] else \
                f" ({r['ref_queries']}-query subset)"
            print(f"| {lab} | rank-bm25{sub} | {f(r['ref_build_s'])} | {f(r['ref_peak_mib'])} "
                  f"| {f(r['ref_retained_mib'])} | n/a (pickle only) | n/a | - "
                  f"| {f(rm['p50'])} / {f(rm['p95'])} / {f(rm['p99'])} "
                  f"| {f(rs['p50'])} / {f(rs['p95'])} / {f(rs['p99'])} | 1x | - |")
        else:
            print(f"| {lab} | rank-bm25 | skipped (--no-ref-1m) | | | | | | | | | |")
    print()
    print("Details per size:")
    for r in results:
        lab = r["label"]
        print(f"* {lab}: {r['tokens']:,} tokens, {r['terms']:,} terms, {r['postings']:,} postings; "
              f"index arrays {r['fast_nbytes_mib']:.0f} MiB, disk {r['disk_mib']:.0f} MiB; "
              f"numba warm-up {r['warmup_s']:.2f} s (first call, not in the figures)")
        if "fast_build_str_s" in r:
            print(f"  - FastBM25 from list[list[str]]: {r['fast_build_str_s']:.3f} s "
                  f"(same top-10 as the token-id build on 100 queries: {r['fast_build_str_identical']})")
        print(f"  - load: mmap {r['fast_load_s']:.3f} s (RSS +{r['fast_load_rss_mib']:.0f} MiB; "
              f"validation included, page cache warm; {r['fast_load_cold_s']:.3f} s with the "
              f"files evicted from the page cache first), first query after load "
              f"{r['fast_load_first_query_ms']:.2f} ms, mixed p50 on the mmap'd index "
              f"{r['fast_loaded_mixed']['p50']:.3f} ms, round trip identical: "
              f"{r['load_roundtrip_ok']}; load without mmap {r['fast_load_nommap_s']:.3f} s")
        for name in ("mixed", "selective"):
            print(f"  - {name}: postings per query mean {r[f'fast_{name}_postings']['mean']:,.0f} "
                  f"p95 {r[f'fast_{name}_postings']['p95']:,.0f}; paths "
                  f"{_paths(r[f'fast_{name}_paths'])}; without pruning p50/p95 "
                  f"{r[f'fast_noprune_{name}']['p50']:.3f}/{r[f'fast_noprune_{name}']['p95']:.3f} ms; "
                  f"numpy fallback p50/p95 {r[f'numpy_{name}']['p50']:.3f}/"
                  f"{r[f'numpy_{name}']['p95']:.3f} ms ({r[f'numpy_{name}']['n']} queries)")
        print(f"  - top-10 == top-10 of the exact dense score vector (FastBM25.get_scores): "
              f"{r['selfcheck_queries'] - r['selfcheck_mismatch']}/{r['selfcheck_queries']} queries")
        print(f"  - numpy fallback results == numba results: {r['numpy_equal_numba']}; "
              f"mixed-set throughput 1 thread {r['fast_mixed_qps_1t']:,.0f} q/s, "
              f"2 threads {r['fast_mixed_qps_2t']:,.0f} q/s")
        if r.get("ref_queries") and r["size"] >= 1_000_000:
            print(f"  - rank-bm25 ran on the first {r['ref_queries']} queries of each set only "
                  f"(~1-1.5 s per query at 1M); parity is checked on those")


def _paths(p: dict) -> str:
    names = {"0": "touched-list", "1": "dense", "2": "pruned", "3": "blocked", "-1": "numpy"}
    return ", ".join(f"{names.get(k, k)} {v}" for k, v in p.items())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--no-ref-1m", action="store_true",
                    help="skip rank-bm25 (build and queries) at 1M passages and above")
    ap.add_argument("--ref-subset", type=int, default=30,
                    help="queries per set for rank-bm25 at >= 1M passages")
    ap.add_argument("--tmpdir", default=None, help="where to save the index for save/load")
    ap.add_argument("--json", default=None, help="also write all results to this file")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.one:
        res = run_one(parse_size(args.one), args)
        print("RESULT " + json.dumps(res), flush=True)
        return 0

    results = []
    for s in args.sizes.split(","):
        cmd = [sys.executable, "-m", "benchmarks.bench_scale", "--one", s,
               "--queries", str(args.queries), "--seed", str(args.seed),
               "--ref-subset", str(args.ref_subset)]
        if args.no_ref_1m:
            cmd.append("--no-ref-1m")
        if args.tmpdir:
            cmd += ["--tmpdir", args.tmpdir]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
        if proc.returncode or not lines:
            print(f"size {s}: subprocess failed (exit {proc.returncode})", file=sys.stderr)
            return 1
        results.append(json.loads(lines[-1][len("RESULT "):]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    print(f"BM25 scale benchmark: seed {args.seed}, {args.queries} mixed + {args.queries} "
          f"selective queries, top-10, one thread, k1=1.5 b=0.75, Lucene IDF; "
          f"times are wall-clock per query (token list -> sorted top-10)")
    print()
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
