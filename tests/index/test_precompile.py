"""``python -m index.precompile`` (run by ``make install``) leaves nothing for the bot to compile:
a build, a rebuild after an edit and a question of a new installation load every numba kernel
from the cache, so its first start does not wait about 11 s with nothing on the screen."""
import os
import shutil
import subprocess
import sys

from tests.conftest import ROOT


def _run(args, env, cwd=ROOT):
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_after_precompiling_a_build_a_rebuild_and_a_question_compile_nothing(tmp_path):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "numba"), BOT_SEMANTIC="off")
    env.pop("NUMBA_DISABLE_JIT", None)
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    assert "compiled and cached" in _run(["-m", "index.precompile"], env)
    watched = dict(env, NUMBA_DEBUG_CACHE="1")   # numba prints "[cache] data saved" for each compile
    out = _run(["-m", "bot", "build", "--corpus", str(corpus)], watched)
    assert "data loaded" in out and "data saved" not in out, out
    source = corpus / "sources" / "documentary-nanking.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA paragraph added since.\n", encoding="utf-8")
    os.utime(source, (1, 1))   # not "just changed": a build waits for a file that changed a moment ago
    out = _run(["-m", "bot", "build", "--corpus", str(corpus)], watched)
    assert "data saved" not in out, out
    out = _run(["-m", "bot", "ask", "who was John Rabe", "--corpus", str(corpus)], watched)
    assert "John Rabe" in out and "data saved" not in out, out
