"""What the command line's commands share: the configuration, the corpus folder, and the index
the query commands (``ask``, ``timeline``, ``eval``) answer from."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from bot.config import Config, ConfigError, load_config
from bot.render import console as text
from index.corpus.errors import CorpusError
from index.engine import Index

# Above this much source text an index built in memory takes a few seconds (about 6 MB of text
# a second on one core): the command says why it waits.
NOTE_BUILD_CHARS = 10_000_000


def config_or_say(args, err: TextIO) -> Config | None:
    """The YAML config (``--config`` or $BOT_CONFIG) with the environment; None after a message."""
    try:
        return load_config(getattr(args, "config", None))
    except ConfigError as exc:
        print(f"config error: {exc}", file=err)
        return None


def corpus_dir(args, config: Config) -> Path:
    return args.corpus or config.corpus_dir


def index_or_say(args, err: TextIO) -> Index | None:
    """The corpus's persisted index when built from exactly it, else one built in memory (never
    written), on every core, after saying so when the corpus is large enough to take a while."""
    config = config_or_say(args, err)
    if config is None:
        return None
    return open_index(config, corpus_dir(args, config), err,
                      semantic=False if getattr(args, "bm25_only", False) else None)


def open_index(config: Config, root: Path, err: TextIO, semantic: bool | None = None) -> Index | None:
    """The index of the corpus at ``root`` for a command (see ``index_or_say``); None after the
    corpus's errors are printed."""
    def building(corpus) -> None:
        if corpus.text_length > NOTE_BUILD_CHARS:
            print(f"No index in {config.index_dir} was built from this corpus by this version: building it "
                  "in memory for this command (not saved). Run `python -m bot build` once and commands "
                  "start in seconds.", file=err, flush=True)

    try:
        # vectors (a cache by text hash) are shared with run/console: one question embeds nothing again
        return Index.from_dir(root, cache_dir=config.index_dir, read_only=True, semantic=semantic,
                              vectors_dir=config.index_dir.parent / "vectors", max_source_bytes=config.max_source_bytes,
                              signed=True, workers=os.cpu_count() or 1, on_build=building)
    except CorpusError as exc:
        print(text.render_corpus_errors(exc), file=err)
        return None
