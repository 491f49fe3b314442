"""The Nanking sources bot from the command line: ask it, look the timeline up, check the corpus, build the index,
measure retrieval, talk to it in a console, connect it to Discord (and say if it is healthy), or import a page."""
from __future__ import annotations

import argparse
import asyncio
import io
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.answering.answers import build_answer, models_problem
from bot.cli_index import config_or_say, corpus_dir, index_or_say
from bot.config import settings_help
from bot.eval_commands import add_parsers as add_eval_parsers
from bot.heartbeat import add_health_parser
from bot.importing import add_import_parser
from bot.render import console as text
from bot.render.jsonout import answer_dict, dumps, timeline_dict
from index.corpus.errors import CorpusError
from index.corpus.loader import load_corpus
from index.engine import Index
from index.passages import passage_count
from index.semantic.embedder import load_embedder, switched_off


def _questions(arg: str, stdin: TextIO) -> Iterable[str]:
    if arg != "-":
        yield arg
        return
    for line in stdin:
        if line.strip():
            yield line.rstrip("\n")


def _models_fail(err: TextIO) -> bool:
    """Whether the shipped answer model does not load or verify, said in words: the commands that
    answer stop before the first question, not with a traceback on it."""
    problem = models_problem()
    if problem:
        print(problem, file=err)
    return problem is not None


def cmd_ask(args, out: TextIO, err: TextIO) -> int:
    if _models_fail(err):
        return 1
    index = index_or_say(args, err)
    if index is None:
        return 1
    color = out.isatty() and not os.environ.get("NO_COLOR")
    for question in _questions(args.question, sys.stdin):
        answer = build_answer(index, question, k=args.k)
        if args.json:
            print(dumps(answer_dict(answer)), file=out)
        else:
            print(text.render_answer(answer, color=color), file=out)
            print(file=out)
    return 0


def cmd_timeline(args, out: TextIO, err: TextIO) -> int:
    index = index_or_say(args, err)
    if index is None:
        return 1
    result = index.timeline.search(args.query)
    if args.json:
        print(dumps(timeline_dict(args.query, result.entries, error=result.error,
                                  suggestions=[e.id for e in result.suggestions])), file=out)
        return 0
    print(text.render_timeline(result, index.corpus.titles), file=out)
    return 0


def cmd_check(args, out: TextIO, err: TextIO) -> int:
    """Validate and count; no BM25 build (a check of a large corpus stays quick)."""
    config = config_or_say(args, err)
    if config is None:
        return 2
    try:
        corpus = load_corpus(corpus_dir(args, config), config.max_source_bytes, lazy=True)  # no text kept
    except CorpusError as exc:
        print(text.render_corpus_errors(exc), file=err)
        return 1
    print(f"ok: {len(corpus.sources)} sources, "
          f"{passage_count(corpus)} passages, "
          f"{len(corpus.timeline)} timeline entries, {len(corpus.entities)} entities ({corpus.root})", file=out)
    return 0


def cmd_console(args, out: TextIO, err: TextIO) -> int:
    from bot.console import run_console

    config = config_or_say(args, err)
    if config is None:
        return 2
    if _models_fail(err):
        return 1
    return run_console(corpus_dir(args, config), sys.stdin, out, config.index_dir, config.max_source_bytes)


def cmd_build(args, out: TextIO, err: TextIO) -> int:
    config = config_or_say(args, err)
    if config is None:
        return 2
    target = args.out or config.index_dir
    try:
        embed = False if switched_off() else True if load_embedder().embedder is not None else None  # no budget
        index = Index.from_dir(corpus_dir(args, config), cache_dir=target, semantic=embed,
                               max_source_bytes=config.max_source_bytes, workers=os.cpu_count() or 1, lazy=True)
    except CorpusError as exc:
        print(text.render_corpus_errors(exc), file=err)
        return 1
    state = "up to date" if index.loaded_from_cache else f"built in {index.build_seconds:.2f} s"
    print(f"{target}: {state} ({index.counts['passages']} passages)", file=out)
    return 0


def cmd_run(args, out: TextIO, err: TextIO) -> int:
    from bot.coordination.shards import ShardError, parse_plan

    try:
        plan = parse_plan(args.shards, args.shard_count)
    except ShardError as exc:
        print(exc, file=err)
        return 2
    config = config_or_say(args, err)
    if config is None:
        return 2
    if _models_fail(err):   # before the console or Discord
        return 1
    corpus = corpus_dir(args, config)
    token = os.environ.get("DISCORD_TOKEN", "").strip()
    if not token:
        print("DISCORD_TOKEN is not set, so I'm opening the local console instead of connecting to Discord.", file=err)
        from bot.console import run_console

        return run_console(corpus, sys.stdin, out, config.index_dir, config.max_source_bytes)
    from bot.store.connect import url_problem

    if problem := url_problem(config.database_url):   # a URL that cannot work stops here, before Discord
        print(f"config error: {problem}", file=err)
        return 2
    if args.sync == "guild" and config.dev_guild_id is None:
        print("--sync guild needs the guild to sync to: set dev_guild_id in the config or BOT_DEV_GUILD_ID.", file=err)
        return 2
    import discord

    from bot.console import open_live
    from bot.discord.client import make_bot, run_bot

    logging.getLogger().handlers.clear()  # main()'s basicConfig handler: else each line shows twice
    discord.utils.setup_logging(level=getattr(logging, config.log_level), root=True)
    live = open_live(corpus, config.index_dir, err, config.max_source_bytes)
    if live is None:
        return 1
    try:
        asyncio.run(run_bot(make_bot(live, config, args.sync, plan), token))
    except discord.LoginFailure:
        print("Discord rejected the token in DISCORD_TOKEN (it is not shown here). Check it and try again.", file=err)
        return 1
    except (OSError, discord.GatewayNotFound, discord.HTTPException) as exc:
        print(f"Could not reach Discord ({type(exc).__name__}: {exc}). Check the network and try again.", file=err)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def cmd_eval(args, out: TextIO, err: TextIO) -> int:
    """eval and eval-conversations: measured on the index of the corpus the command names."""
    index = index_or_say(args, err)
    return 1 if index is None else args.measure(args, index, out, err)


def cmd_fit(args, out: TextIO, err: TextIO) -> int:
    from bot.eval_commands import cmd_fit as run_fit

    config = config_or_say(args, err)
    return 2 if config is None else run_fit(args, config, corpus_dir(args, config), out, err)


def corpus_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", type=Path, default=None,
                   help="corpus directory (default: corpus_dir from the config file or $BOT_CORPUS_DIR, else ./corpus)")


def config_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, default=None, help="YAML config file (default: $BOT_CONFIG)")


def json_arg(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--json", action="store_true", help=f"print {what} as JSON, one object per line")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     epilog="settings (YAML file, then environment):\n  " + "\n  ".join(settings_help())
                                     + "\nThe Discord token comes only from DISCORD_TOKEN.",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _query_commands(sub)
    _service_commands(sub)
    return parser


def _query_commands(sub) -> None:
    """The commands that read the corpus and print: ask, timeline, check, eval, eval-conversations."""
    ask = sub.add_parser("ask", help="answer a question by quoting the sources ('-' reads questions from stdin)")
    ask.add_argument("question", help="the question, or - to read one question per line from stdin")
    json_arg(ask, "each answer")
    ask.add_argument("-k", type=int, default=3, help="how many quotes (default 3)")
    corpus_arg(ask)
    ask.set_defaults(func=cmd_ask)

    tl = sub.add_parser("timeline", help="look up the timeline by date or words")
    tl.add_argument("query", nargs="?", default="", help="a date, a range or words (empty: the whole timeline)")
    json_arg(tl, "the entries")
    corpus_arg(tl)
    tl.set_defaults(func=cmd_timeline)

    check = sub.add_parser("check", help="validate the corpus and print its counts")
    corpus_arg(check)
    check.set_defaults(func=cmd_check)

    add_eval_parsers(sub, corpus_arg)
    for name in ("eval", "eval-conversations"):
        sub.choices[name].set_defaults(func=cmd_eval)
    sub.choices["fit"].set_defaults(func=cmd_fit)


def _service_commands(sub) -> None:
    """The commands that keep running or write: console, build, run."""
    con = sub.add_parser("console", help="interactive local console (Ctrl-C or /quit leaves)")
    corpus_arg(con)
    config_arg(con)
    con.set_defaults(func=cmd_console)

    build = sub.add_parser("build", help="build the persisted index (reused while the corpus is unchanged)")
    corpus_arg(build)
    build.add_argument("--out", type=Path, default=None, help="index directory (default: index_dir, ./.cache/index)")
    config_arg(build)
    build.set_defaults(func=cmd_build)

    run = sub.add_parser("run", help="connect to Discord (or open the console when DISCORD_TOKEN is unset)")
    corpus_arg(run)
    config_arg(run)
    run.add_argument("--sync", choices=("guild", "global"), default=None,
                     help="push slash commands to the dev guild or globally at start-up (default: no sync)")
    run.add_argument("--shards", default=None, metavar="IDS",
                     help="gateway shards this process runs, e.g. 0-3 or 0,2,4 (needs --shard-count)")
    run.add_argument("--shard-count", default=None, metavar="N",
                     help="total shards across all processes, or 'auto' for Discord's recommendation; "
                          "alone: this process runs them all. DMs arrive on shard 0")
    run.set_defaults(func=cmd_run)
    add_health_parser(sub)
    add_import_parser(sub)


def _quiet_stdout() -> None:
    """The reader of our output went away (``| head``): send the rest to /dev/null, so that the
    interpreter's last flush at exit cannot fail again (Python's docs, "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real stream (tests): nothing will flush it at exit


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "ask" and args.k < 1:
        print("-k must be at least 1", file=err)
        return 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    try:
        code = args.func(args, out, err)
        out.flush()
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    except KeyboardInterrupt:  # Ctrl-C outside the console (which says goodbye itself)
        print("\nInterrupted.", file=err)
        return 130
