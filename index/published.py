"""Loading the index version another process published (several bot processes, one index folder).

A process that did not build a version itself swaps to it by reading the corpus folder (it
serves that text) and loading the version the store publishes for exactly that corpus; it never
builds one of its own here: when the folder no longer holds the announced corpus, or the store
has no version for it, the announcement is refused with a reason and the served index stays.
"""
from __future__ import annotations

import logging
from pathlib import Path

from index import store
from index.corpus import loader
from index.engine import Index
from index.snapshot import version

log = logging.getLogger(__name__)


class NotPublished(Exception):
    """The announced version cannot be adopted here; the message says why."""


def load_published(root: Path, cache_dir: Path | None, corpus_hash: str, max_source_bytes: int | None,
                   settle_seconds: float) -> Index:
    """The index of the corpus at ``root`` from the published version built for ``corpus_hash``;
    raises NotPublished, or CorpusError for a corpus that no longer loads."""
    if cache_dir is None:
        raise NotPublished("this process keeps no index folder (index_dir), so it cannot share versions")
    # sources it was built from are not parsed again, and a large corpus's files whose stat
    # signature is unchanged not even read (``load_corpus``: each passage is checked when quoted)
    _, known, signed = version.published_inputs(cache_dir, root)
    corpus = loader.load_corpus(root, max_source_bytes, settle_seconds, known=known, signed=signed)
    if corpus.content_hash != corpus_hash:
        raise NotPublished(f"{root} holds corpus {corpus.content_hash[:12]}, not the announced "
                           f"{corpus_hash[:12]} (it changed again since; the next /reload publishes it)")
    published = store.current_manifest(store.corpus_store(cache_dir, corpus.root))
    if not published or published.get("corpus_hash") != corpus_hash:
        raise NotPublished(f"{cache_dir} has no published index version for corpus {corpus_hash[:12]}")
    index = Index(corpus, cache_dir=cache_dir)
    if not index.loaded_from_cache:  # CURRENT moved on between the check and the load
        log.warning("the published index version changed while it was being loaded; built it here")
    return index
