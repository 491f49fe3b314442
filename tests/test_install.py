"""A plain (not editable) install works from any folder: nothing reads files next to the package;
an editable one installs without setuptools' warnings.

Slow (a fresh virtual environment and its dependencies, about a minute): run with
``pytest -m slow`` (``make test-install``; .ci/run does).
"""
import subprocess
import venv

import pytest

from tests.conftest import CORPUS, ROOT


@pytest.mark.slow
def test_pip_install_then_run_from_another_folder(tmp_path):
    env_dir, elsewhere = tmp_path / "venv", tmp_path / "elsewhere"
    elsewhere.mkdir()
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", str(ROOT)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr

    def bot(*args):
        return subprocess.run([python, "-m", "bot", *args], cwd=elsewhere, capture_output=True, text=True,
                              env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, timeout=300)

    where = subprocess.run([python, "-c", "import bot; print(bot.__file__)"], cwd=elsewhere,
                           capture_output=True, text=True)
    assert str(env_dir) in where.stdout and str(ROOT) not in where.stdout
    check = bot("check", "--corpus", str(CORPUS))
    assert check.returncode == 0 and "3 sources" in check.stdout, check.stderr
    ask = bot("ask", "Who was John Rabe?", "-k", "1", "--corpus", str(CORPUS))
    assert ask.returncode == 0 and "John Rabe" in ask.stdout, ask.stderr
    missing = bot("check")   # the default corpus is ./corpus of the folder it runs in
    assert missing.returncode == 1 and f"corpus folder not found: {elsewhere / 'corpus'}" in missing.stderr

    # and the developer's editable install says nothing worrying (no setuptools finder warning)
    editable = subprocess.run([python, "-m", "pip", "install", "--no-deps", "-e", str(ROOT)], capture_output=True,
                              text=True)
    assert editable.returncode == 0, editable.stderr
    assert "Warning" not in editable.stdout + editable.stderr, editable.stderr   # e.g. BuildBackendWarning
