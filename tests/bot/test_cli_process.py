"""The command line as a shell runs it: a reader that stops early (``| head``) and Ctrl-C end
it quietly, without a traceback (and so without make's "*** Interrupt" under ``make run``)."""
import os
import signal
import subprocess
import sys

from tests.conftest import CORPUS, ROOT


def _bot(*args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    return subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_closed_pipe_ends_ask_quietly():
    proc = _bot("ask", "-", "--json", "-k", "1", "--corpus", str(CORPUS))
    proc.stdin.write(b"Who was John Rabe?\n" * 200)   # far more than a pipe buffers
    proc.stdin.close()
    assert proc.stdout.readline().startswith(b"{")
    proc.stdout.close()                                # what `| head -1` does after its line
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_ctrl_c_in_the_console_says_goodbye_and_exits_0():
    proc = _bot("console", "--corpus", str(CORPUS))
    greeting = proc.stdout.readline()
    if greeting.startswith(b"Answering with BM25 alone"):  # the tests run without the semantic stage
        greeting = proc.stdout.readline()
    assert b"Type /help" in greeting     # the console waits for a line now
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert b"Goodbye." in out and b"Traceback" not in err, err.decode()
