"""The local console: the bot without Discord, for trying it out and for moderators' checks."""
from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import TextIO

from bot.answering.answers import build_answer, warm_up
from bot.command_requests import sources_asked, timeline_asked
from bot.conversation import ConversationMemory, answer_in
from bot.render import console as text
from bot.render.reload import counts_text, reload_report
from index.corpus.errors import CorpusError
from index.corpus.loader import DEFAULT_MAX_SOURCE_BYTES
from index.live import LiveIndex

HELP = """Ask a question in plain words, e.g.  Who was John Rabe?
Follow-ups keep the topic ("why did he stay?"); "tell me more" shows the next quotes.
Commands:
  /timeline [date or words]  look up the timeline (Dec 13, 1937-12, Aug 1946 - Feb 1947, safety zone)
  /sources                   list the sources I quote
  /reload                    reload the corpus from disk (keeps the old one if the new one is broken)
  /help                      this text
  /quit                      leave ("quit", "exit" and Ctrl-D work too)"""


CONVERSATION = "console"   # the console is one conversation, as a DM is


def handle_line(live: LiveIndex, line: str, color: bool = False,
                memory: ConversationMemory | None = None) -> str | None:
    """The console's reply to one input line; None means quit. With ``memory``, a follow-up
    ("what did she do?") is read in the conversation's topic, as in a DM."""
    line = line.strip()
    if not line:
        return ""
    command, _, rest = line.partition(" ")
    command = command.lower()
    # the whole line "quit" or "exit" is someone leaving, not a question
    if command in ("/quit", "/exit") or line.lower().rstrip(".!") in ("quit", "exit"):
        return None
    if command == "/help":
        return HELP
    if command == "/sources":
        return text.render_sources(live.current.corpus.sources)
    if command == "/timeline":
        index = live.current
        return text.render_timeline(index.timeline.search(rest), index.corpus.titles)
    if command == "/reload":
        return reload_report(live.reload())
    if command.startswith("/"):
        return f"Unknown command {command}. Type /help."
    if (query := timeline_asked(line)) is not None:   # "show me the timeline": as /timeline
        return handle_line(live, f"/timeline {query}", color, memory)
    if sources_asked(line):                             # "what are your sources?": as /sources
        return handle_line(live, "/sources", color, memory)
    return _answer(live, line, color, memory)


def _answer(live: LiveIndex, question: str, color: bool, memory: ConversationMemory | None) -> str:
    if memory is None:
        return text.render_answer(build_answer(live.current, question), color=color)
    answer, resolution = answer_in(memory, CONVERSATION, live.current, question)
    reply = text.render_answer(answer, color=color)
    if resolution.topic:
        return f"{text.topic_assumed(resolution.topic.name)}\n{reply}"
    if resolution.step is not None and answer.answered:
        return f"{text.step_shown(resolution.step, resolution.continues.dates)}\n{reply}"
    if resolution.continues and answer.answered:
        return f"{text.more_shown(resolution.continues)}\n{reply}"
    return reply


def open_live(corpus: Path, index_dir: Path | None, err: TextIO,
              max_source_bytes: int | None = DEFAULT_MAX_SOURCE_BYTES) -> LiveIndex | None:
    """The live index of ``corpus``, or None after printing each ``file:line: message``."""
    live = LiveIndex(corpus, cache_dir=index_dir, max_source_bytes=max_source_bytes, freeze=True)
    try:
        live.load()
    except CorpusError as exc:
        print(text.render_corpus_errors(exc), file=err)
        return None
    if live.current.semantic is None:  # said once at start: answers are BM25's alone
        print(f"Answering with BM25 alone (no semantic stage: {live.current.semantic_off_reason}).", file=err)
    # the word-frequency tables (0.3-0.6 s) load on a thread: the console's prompt does not wait
    # for them (a question asked sooner loads what it needs itself); ``run``'s client waits for
    # this same warm-up in its setup, before it connects
    threading.Thread(target=_warm_up_and_freeze, name="warm-up", daemon=True).start()
    return live


def _warm_up_and_freeze() -> None:
    """The tables are kept as long as the snapshot: frozen with it, out of the collector's full
    passes (they add 25 ms to each, ``LiveIndex(freeze=True)``)."""
    warm_up()
    gc.freeze()


def run_console(corpus: Path, stdin: TextIO, out: TextIO, index_dir: Path | None = None,
                max_source_bytes: int | None = DEFAULT_MAX_SOURCE_BYTES) -> int:
    live = open_live(corpus, index_dir, out, max_source_bytes)
    if live is None:
        return 1
    interactive = stdin.isatty()
    color = interactive and out.isatty()
    try:
        print(f"Nanking sources console: {counts_text(live.current.counts)}. Type /help for commands.",
              file=out, flush=True)
        _loop(live, stdin, out, interactive, color)
    except KeyboardInterrupt:  # Ctrl-C: the same clean exit as /quit, without a traceback
        print(file=out)
    print("Goodbye.", file=out, flush=True)
    return 0


def _loop(live: LiveIndex, stdin: TextIO, out: TextIO, interactive: bool, color: bool) -> None:
    """Read a line, print the reply, until end of input or /quit."""
    memory = ConversationMemory()
    while True:
        if interactive:
            print("> ", end="", file=out, flush=True)
        line = stdin.readline()
        if not line:
            return
        reply = handle_line(live, line, color, memory)
        if reply is None:
            return
        if reply:
            print(reply, file=out, flush=True)
            print(file=out, flush=True)
