"""The git command for the corpus folder's history: list arguments, no shell, a clean environment."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

__all__ = ["GitError", "git", "git_bytes"]


class GitError(RuntimeError):
    """git failed, or is not installed."""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C", GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="host", GIT_AUTHOR_EMAIL="host@corpus",
               GIT_COMMITTER_NAME="nanking-bot", GIT_COMMITTER_EMAIL="bot@corpus")
    return env


def git_bytes(root: Path, *args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
    """Run ``git -C root ARGS``; its stdout, or ``GitError`` with git's own message."""
    cmd = ["git", "-C", str(root), "-c", "core.quotepath=off", "-c", "commit.gpgsign=false",
           "-c", "core.autocrlf=false", *args]
    try:
        done = subprocess.run(cmd, input=input, capture_output=True, env={**_env(), **(env or {})}, timeout=120)
    except FileNotFoundError:
        raise GitError("git is not installed: corpus versions need the git command") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took too long") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise GitError(f"git {args[0]}: {message}")
    return done.stdout


def git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return git_bytes(root, *args, env=env).decode("utf-8", "replace")
