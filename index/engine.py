"""The search engine over one corpus snapshot: passages, tokenizer, BM25, the semantic stage, timeline.

``Index`` is immutable once built and implements the retrieval seam
(``index.retrieval.protocol.Retriever``): the answer builder sees nothing else of it.
"""
from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path

import numpy as np

from index import store
from index.bm25.formula import DEFAULT_B, DEFAULT_K1
from index.corpus.loader import DEFAULT_MAX_SOURCE_BYTES, load_corpus
from index.corpus.model import Corpus, Source
from index.passages import Passage
from index.retrieval.lexical import LexicalStage, shorten
from index.retrieval.protocol import Query, Retrieval
from index.retrieval.semantic import SemanticStage, TooMuchToEmbed
from index.semantic.cache import cached_rows
from index.semantic.embedder import load_embedder, switched_off
from index.semantic.vectors import sentence_spans
from index.snapshot import version
from index.snapshot.table import PassageTable
from index.text import glossary
from index.text.homophones import Homophones
from index.text.nearwords import LATIN_WORD
from index.text.phrases import NamePhrases
from index.text.spelling import Speller, part_words
from index.text.tokenize import ENTITY_PREFIX, Tokenizer, fold_word
from index.text.unread import unread_words
from index.text.wordfreqs import everyday_anywhere
from index.timeline.search import TimelineSearch

log = logging.getLogger(__name__)

# Where vectors are cached when no index folder is given (tests share one across processes).
VECTORS_ENV = "BOT_VECTORS_DIR"
MAX_NEW_EMBEDDINGS = 3000


def _part_labels(corpus: Corpus):
    """What the sources' parts are called: each distinct kind, section heading and attribution."""
    yield from corpus.kinds
    yield from {label for s in corpus.sources for section in s.sections
                for label in (section.title or "", section.attribution)}


class Index:
    """An immutable snapshot: build once, query from any thread.

    With ``cache_dir`` the BM25 arrays are loaded from there when they were built from exactly
    this corpus (``index.store``), and rebuilt and saved otherwise; passage vectors are cached by
    text hash beside it (``<cache_dir>/../vectors``, or ``$BOT_VECTORS_DIR`` without a cache_dir).
    ``semantic=False`` builds BM25 alone; ``None`` uses the embedding model when it is installed.
    """

    def __init__(self, corpus: Corpus, k1: float = DEFAULT_K1, b: float = DEFAULT_B,
                 cache_dir: Path | None = None, semantic: bool | None = None, vectors_dir: Path | None = None,
                 *, read_only: bool = False, workers: int = 1, prepared: Future | None = None,
                 on_build: Callable[[Corpus], None] | None = None):
        started = time.perf_counter()
        self.corpus = corpus
        self.tokenizer = Tokenizer(corpus.entities)
        self.loaded_from_cache = False
        self.semantic_off_reason = ""
        parts = self._cached(cache_dir, k1, b, prepared) if cache_dir else None
        self.reused_sources = 0
        if parts is None:
            if on_build is not None:   # e.g. the command line says why a question takes a while
                on_build(corpus)
            prev = version.previous(Path(cache_dir), corpus) if cache_dir else None
            parts, built = version.build(corpus, self.tokenizer, k1, b, prev, workers)
            if cache_dir and not read_only:
                version.save(Path(cache_dir), corpus, parts, built, self._counts(len(parts.rows.start)),
                             time.perf_counter() - started)
            self.reused_sources = built.reused
            del built
        self.passages = PassageTable(corpus, parts.rows)
        self.scorer = parts.scorer
        self.lexical = LexicalStage(self.scorer, self.passages, self.tokenizer)
        self.speller = Speller.from_counts(parts.words, parts.counts, self.lexical.knows_word,
                                           names=self.tokenizer.alias_words, parts=part_words(_part_labels(corpus)),
                                           homophones=Homophones((n, e.id) for e in corpus.entities
                                                                 for n in (e.name, *e.aliases)),
                                           phrases=NamePhrases(self.tokenizer.alias_phrases))
        self.semantic = self._semantic_stage(semantic, vectors_dir or (Path(cache_dir).parent / "vectors"
                                                                       if cache_dir else None))
        self._entity_names = {ENTITY_PREFIX + e.id: e.name for e in corpus.entities}
        self.timeline = TimelineSearch(corpus.timeline, self.tokenizer.expanded_tokens)
        self._timeline_passages = {p.id: p for p in map(self.passages.__getitem__, self.passages.timeline_rows())}
        self.build_seconds = time.perf_counter() - started

    @classmethod
    def from_dir(cls, root: Path | str, cache_dir: Path | None = None, semantic: bool | None = None,
                 max_source_bytes: int | None = DEFAULT_MAX_SOURCE_BYTES, settle_seconds: float = 0.0,
                 lazy: bool = False, signed: bool = False, **options) -> Index:
        """Load the corpus at ``root`` and its index. With ``cache_dir``, sources the published
        version was built from are not parsed again (``index.corpus.records``) and, when the
        corpus is exactly the one it was built from, nothing is rebuilt. ``signed`` (a start or
        a question, not a build): a large corpus's files whose stat signature is unchanged are
        not read (``load_corpus``)."""
        published, known, signatures = version.published_inputs(cache_dir, root)
        prepared = version.preparing(cache_dir, root, published)
        corpus = load_corpus(Path(root), max_source_bytes, settle_seconds, known=known, lazy=lazy,
                             signed=signatures if signed else None)
        return cls(corpus, cache_dir=cache_dir, semantic=semantic, prepared=prepared, **options)

    # -- building -------------------------------------------------------------------------------

    def _cached(self, cache_dir: Path, k1: float, b: float, prepared: Future | None) -> version.Parts | None:
        """The published version's parts when built from exactly this corpus. ``prepared``
        (``version.preparing``, started before the corpus was read) is taken when it is that
        version; otherwise it is opened now."""
        early = prepared.result() if prepared is not None else None
        if early is not None and early.opened.manifest.get("corpus_hash") == self.corpus.content_hash:
            opened, scorer = early
        else:
            opened, scorer = version.open_published(Path(cache_dir), self.corpus.root, self.corpus.content_hash), None
        if opened is None:
            return None
        try:
            parts = version.load(opened, self.corpus, scorer)
        except store.StaleIndex as why:
            log.info("building the index: %s", why)
            return None
        if (parts.scorer.k1, parts.scorer.b) != (k1, b):   # scores of other parameters: never served
            log.info("building the index: the published version has k1=%s b=%s, not k1=%s b=%s",
                     parts.scorer.k1, parts.scorer.b, k1, b)
            return None
        self.loaded_from_cache = True
        return parts

    def _semantic_stage(self, wanted: bool | None, vectors_dir: Path | None) -> SemanticStage | None:
        """The semantic stage. ``wanted=None`` (serving): only when the model is installed and at
        most MAX_NEW_EMBEDDINGS texts are new (embedding runs at about 30 texts a second on two
        cores, so a large new corpus is embedded once by ``python -m bot build``, not inside a
        reload); ``True`` embeds whatever is missing; ``False`` is BM25 alone."""
        if wanted is False or not self.passages:
            return None
        if wanted is None and switched_off():
            self.semantic_off_reason = "BOT_SEMANTIC is off"
            return None
        if vectors_dir is None and os.environ.get(VECTORS_ENV):
            vectors_dir = Path(os.environ[VECTORS_ENV])
        if wanted is None and (unembedded := len(self.passages) - cached_rows(vectors_dir)) > MAX_NEW_EMBEDDINGS:
            # decided from counts alone: no model loaded, no sentence split, no text hashed
            self.semantic_off_reason = (f"at least {unembedded} passages are not embedded yet "
                                        f"(more than {MAX_NEW_EMBEDDINGS})")
            log.warning("semantic stage off for this corpus: %s; run `python -m bot build` to embed them "
                        "(answering with BM25 alone until then)", self.semantic_off_reason)
            return None
        status = load_embedder()
        if status.embedder is None:
            if wanted:
                raise RuntimeError(f"the semantic stage was asked for, but {status.reason}")
            self.semantic_off_reason = status.reason
            return None
        try:
            return SemanticStage(self.corpus, self.passages, status.embedder, vectors_dir,
                                 max_new=None if wanted else MAX_NEW_EMBEDDINGS)
        except TooMuchToEmbed as why:
            log.warning("semantic stage off for this corpus: %s; run `python -m bot build` to embed "
                        "them (answering with BM25 alone until then)", why)
            self.semantic_off_reason = str(why)
            return None

    def passage_terms(self, passage: Passage) -> list[str]:
        # the date and the section heading ("Comment 3", "Plot Summary") are searchable with the text
        parts = [passage.date_text, passage.section, passage.text]
        return self.tokenizer.tokens(" ".join(p for p in parts if p))

    # -- the retrieval seam ---------------------------------------------------------------------

    @property
    def analyzer(self) -> Tokenizer:
        return self.tokenizer

    @property
    def passage_count(self) -> int:
        return len(self.passages)

    def document_frequency(self, term: str) -> int:
        return self.scorer.df(term)

    def source(self, source_id: str) -> Source:
        return self.corpus.source_by_id[source_id]

    def sentence_spans(self, passage: Passage) -> list[tuple[int, int]]:
        return sentence_spans(passage)

    def knows_word(self, folded_word: str) -> bool:
        return self.speller.uses(folded_word) or self.lexical.knows_word(folded_word)

    def sentence_match(self, text: str, passage: Passage) -> float | None:
        return None if self.semantic is None else self.semantic.sentence_match(text, passage.id)

    def best_sentence_vector(self, vector: np.ndarray, passage: Passage) -> np.ndarray | None:
        return None if self.semantic is None else self.semantic.best_sentence_vector(vector, passage.id)

    def passage_vectors(self, passages: list[Passage]) -> np.ndarray | None:
        return None if self.semantic is None else self.semantic.passage_vectors([p.id for p in passages])

    def phrase_vectors(self, texts: list[str]) -> dict[str, np.ndarray]:
        return {} if self.semantic is None else self.semantic.phrases.embed(texts)

    def passage(self, passage_id: str) -> Passage | None:
        """The passage with this id (None if the corpus has none), without a scan."""
        return self.passages.by_id(passage_id)

    def timeline_passage(self, entry) -> Passage:
        """The passage that quotes a timeline entry (its date travels with it)."""
        return self._timeline_passages[f"{entry.source_id}@{entry.id}"]

    def retrieve(self, question: str, k: int, english: bool = True,
                 also: Callable[[str], str] | None = None) -> Retrieval:
        """BM25's best ``k`` passages, then the semantic stage's best ``k`` not among them, each
        with what matched. An English question's misspelt words are corrected for the search; a
        question in another language is matched by its names only (its words are not English:
        German "die" is not "death") and by meaning. ``also(query.text)``: a text embedded in
        the same call as the question (two texts run on a core each: faster than two calls)."""
        text, truncated = shorten(question)
        query = self._english_query(text, truncated) if english else self._foreign_query(text, truncated)
        hits = self.lexical.search(query, k)
        if self.semantic is None:
            return Retrieval(query, tuple(hits), semantic=False)
        meaning = query.text if english else self.names_in_english(query.text)
        if query.glossed:
            meaning = f"{meaning} ({', '.join(query.glossed)})"
        query, candidates = self.semantic.add(query, hits, k, self.lexical, meaning, also(query.text) if also else "")
        return Retrieval(query, tuple(candidates), semantic=True)

    def _english_query(self, text: str, truncated: bool) -> Query:
        text, fixes = self.speller.correct(text)
        return self.lexical.query(text, truncated, fixes)

    def _foreign_query(self, text: str, truncated: bool) -> Query:
        """Its words are not English: only a misspelt name or glossary word is read ("Vautrn");
        its names, glossary words and words of the sources are searched, and the share of its
        words that nothing read is kept (``Query.unread``)."""
        words = glossary.shipped()
        text, fixes = self.speller.correct_names(text, words.single_words)
        names = self._name_spans(text)
        glossed = words.read_spans(text, names)
        translated = tuple((text[s:e], w) for s, e, w in glossed)
        kept = self._sources_own_words(text)
        query = self.lexical.query(text, truncated, fixes, names_only=True, translated=translated, kept=kept)
        # the words nothing read: no name, no glossary form, no word of the sources
        unread = unread_words(text, names + [(s, e) for s, e, _ in glossed], self.speller.uses)
        read = len(names) + len({form for form, _ in translated}) + len(kept)
        return replace(query, unread=len(unread) / (len(unread) + read or 1), unread_words=tuple(unread))

    def names_mended(self, text: str) -> str:
        """``text`` with the names typed apart, by their sound or with a word another word read
        as the names (``Speller.mend_names``): no word of a question's own language is changed."""
        return self.speller.mend_names(text)[0]

    def names_as_read(self, text: str) -> str:
        """``text`` with the names a search reads through a typo spelt as the sources spell them
        ("Vautrn" -> "vautrin", "Xiao Jiang" -> "Xiaojiang"), in any language. With the glossary's
        forms, as ``retrieve`` reads them: the speller keeps the choices of one set of forms, and
        another set would rebuild them on every call (5 ms)."""
        return self.speller.correct_names(text, glossary.shipped().single_words)[0]

    def _sources_own_words(self, text: str) -> frozenset[str]:
        """The terms of a question's words in Latin letters that the sources use and that are an
        everyday word in none of the languages the bot reads ("Tang", "Metacritic", "Cinemascope"):
        the sources' words in a question in another language, as a name is. The word as the
        sources write it, not its stem: German "backe" is no "back"."""
        words = (fold_word(w) for w in LATIN_WORD.findall(text))
        terms = (self.tokenizer.term(w) for w in words if self.speller.uses(w) and not everyday_anywhere(w))
        return frozenset(t for t in terms if t and self.scorer.df(t) > 0)

    def _name_spans(self, text: str) -> list[tuple[int, int]]:
        return [(t.start, t.end) for t in self.tokenizer.tokens_with_spans(text) if t.term.startswith(ENTITY_PREFIX)]

    def names_in_english(self, text: str) -> str:
        """``text`` with every name the corpus knows written as the corpus writes it ("拉贝" ->
        "John Rabe"), so a question in another language meets the English passages half-way."""
        out, pos = [], 0
        for t in self.tokenizer.tokens_with_spans(text):
            if t.term.startswith(ENTITY_PREFIX) and t.term in self._entity_names:
                out += [text[pos:t.start], self._entity_names[t.term]]
                pos = t.end
        return "".join(out) + text[pos:]

    @property
    def counts(self) -> dict[str, int]:
        return self._counts(len(self.passages))

    def _counts(self, passages: int) -> dict[str, int]:
        return {"sources": len(self.corpus.sources), "passages": passages,
                "timeline": len(self.corpus.timeline), "entities": len(self.corpus.entities)}

