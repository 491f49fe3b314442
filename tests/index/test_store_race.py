"""Two processes publishing and opening index versions of ONE corpus folder at once (the bot's own
path: build + save, open_published + load): every open is either refused (the published version
is the other state's) or exactly the asked state's arrays, never a mix or a half-written version.
Bounded to 2 processes x 15 s here; benchmarks/bench_store_race.py runs it for a minute."""
import json
import os
import subprocess
import sys

from index.snapshot import version
from tests.conftest import CORPUS, ROOT
from tests.support.store_race import twin_corpus

SECONDS = 15


def test_two_processes_sharing_a_store_never_load_a_foreign_or_mixed_index(tmp_path):
    other = twin_corpus(CORPUS, tmp_path / "other")
    index_dir = tmp_path / "index"
    cmd = [sys.executable, "-m", "tests.support.store_race", str(index_dir), str(CORPUS), str(other), str(SECONDS)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
             for _ in range(2)]
    outs = [p.communicate(timeout=SECONDS + 120) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err.decode()
    counts = [json.loads(out) for out, _ in outs]
    assert all(c["foreign_or_mixed"] == 0 and c["errors"] == 0 and not c["unexpected_refusals"]
               for c in counts), counts
    assert all(c["saves"] > 0 and c["loads"] > 0 for c in counts), counts
    home = version.home(index_dir, CORPUS)
    assert [p.name for p in index_dir.iterdir()] == [home.name]     # one store: both states' versions
    assert not [p for p in (home / "tmp").iterdir()]
    assert len(list((home / "versions").iterdir())) <= 3
