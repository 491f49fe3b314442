"""Two processes saving and loading ONE index store folder at once: every load is either refused
(the published version is the other corpus's) or exactly the asked corpus's arrays, never a mix.
Bounded to 2 processes x 15 s here; benchmarks/bench_store_race.py runs it for a minute."""
import json
import os
import subprocess
import sys

from tests.conftest import CORPUS, ROOT
from tests.support.store_race import twin_corpus

SECONDS = 15


def test_two_processes_sharing_a_store_never_load_a_foreign_or_mixed_index(tmp_path):
    other = twin_corpus(CORPUS, tmp_path / "other")
    store_dir = tmp_path / "store"
    cmd = [sys.executable, "-m", "tests.support.store_race", str(store_dir), str(CORPUS), str(other), str(SECONDS)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
             for _ in range(2)]
    outs = [p.communicate(timeout=SECONDS + 120) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err.decode()
    counts = [json.loads(out) for out, _ in outs]
    assert all(c["foreign_or_mixed"] == 0 and c["errors"] == 0 for c in counts), counts
    assert all(c["saves"] > 0 and c["loads"] > 0 for c in counts), counts
    assert not [p for p in (store_dir / "tmp").iterdir()]
    assert len(list((store_dir / "versions").iterdir())) <= 3
