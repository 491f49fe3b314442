"""The two commands a new user types: make says what it is doing, and Ctrl-C ends `make run`
without make's "*** Interrupt" error."""
import os
import shutil
import signal
import subprocess
import sys

import pytest

from tests.conftest import ROOT

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@needs_make
def test_installing_says_what_it_does_before_the_slow_steps(tmp_path):
    out = subprocess.run(["make", "-n", "--always-make", "install", f"VENV={tmp_path / 'venv'}"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    venv_step = next(i for i, line in enumerate(out) if " -m venv " in line)
    pip_step = next(i for i, line in enumerate(out) if "pip install" in line and "-e" in line)
    assert any("echo" in line and "creating the virtual environment" in line for line in out[:venv_step])
    assert any("echo" in line and "installing" in line for line in out[venv_step:pip_step])
    compile_step = next(i for i, line in enumerate(out) if "-m index.precompile" in line)
    assert pip_step < compile_step
    assert any("echo" in line and "compiling" in line for line in out[pip_step:compile_step])


@needs_make
def test_ctrl_c_ends_make_run_without_a_make_error():
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    # -o: take the installed stamp as up to date; PY: this interpreter, with the project installed
    proc = subprocess.Popen(["make", "-o", ".venv/.installed", "run", f"PY={sys.executable}"], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    while b"Type /help" not in (line := proc.stdout.readline()):
        assert line, "the console never started"
    os.killpg(proc.pid, signal.SIGINT)        # what the terminal does on Ctrl-C: the whole group
    out = proc.communicate(timeout=60)[0].decode()
    assert "Goodbye." in out
    assert "***" not in out and "Traceback" not in out, out
