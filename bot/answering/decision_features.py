"""The measured evidence the answer-or-decline decision weighs (``decision.FEATURES``), for a
question's best candidate: how much of the question it matches, whether it has the shape asked
for, how well its sentences mean what it lacks."""
from __future__ import annotations

import math

import numpy as np

from bot.answering.decision import FEATURES
from bot.answering.evidence import (
    QuestionEvidence,
    coverage,
    event_terms,
    is_dated,
    is_person,
    missing_content,
    names_text,
    plays_asked,
    shape_misfit,
)
from index.retrieval.protocol import Candidate, Retrieval, Retriever


def features(retriever: Retriever, retrieval: Retrieval, ev: QuestionEvidence,
             ranked: list[Candidate], english: bool = True, mapped: dict[str, float] | None = None) -> dict[str, float]:
    """The measured evidence for the best candidate (all in [0, 1] or small ranges); ``mapped``:
    the candidates' cosines with the question as the learned ranker's query map maps it
    (``ranking.mapped_cosines``; None: no map)."""
    query = retrieval.query
    top = ranked[0] if ranked else None
    n = max(retriever.passage_count, 1)
    max_idf = math.log(1 + (n + 0.5) / 0.5)
    weights = ev.weights
    total = sum(weights.values())
    unknown = sum(w for t, w in weights.items() if retriever.document_frequency(t) == 0)
    out = dict.fromkeys(FEATURES, 0.0)
    out["unknown_share"] = unknown / total if total else 1.0
    out["unread_share"] = query.unread   # a question in another language: its words nothing read
    if top is None:
        return out
    missing = missing_content(top, ev)
    if top.dense is not None:
        out["sent_top"] = max(top.sentence_scores, default=top.dense)
        if query.background is not None:
            out["background_margin"] = top.dense - query.background
        out["unmatched_meaning"] = out["sent_top"]
        if english:   # the other variants weigh neither: no embedding for them
            out["unmatched_meaning"] = _unmatched_meaning(retriever, query.text, top, missing, out["sent_top"])
            out["name_lift"] = _name_lift(retriever, top, ev, out["sent_top"])
        out["mapped_top"] = _mapped_top(retriever, query.vector, top, mapped)
    out["coverage"] = coverage(top, weights)
    # "when" asked, and the best passage holds no date: it talks about the thing, not its time
    out["undated_for_when"] = float(ev.shape.when and not is_dated(top, ev.shape.ago))
    # "when" asked about a person, and the best passage names them but holds none of what happened
    # ("when did Rabe die": "November 25 John Rabe wires Hitler"): a date of the person, not of the event
    event = event_terms(ev)
    person_named = any(is_person(retriever, t) and t in top.matched for t in ev.names)
    out["eventless_for_when"] = float(ev.shape.when and bool(event) and person_named
                                      and not any(t in top.matched for t in event))
    # "who plays X", and the best passage is no cast entry: it tells of X, not of who plays X. Only
    # when X is named (``plays_asked``): "who plays the officer who demands…" names nobody, and its
    # best passage is the plot that describes him (of the labelled English ones, 18 of 19 such
    # were answerable)
    out["uncast_for_who_plays"] = float(plays_asked(retriever, ev) and shape_misfit(retriever, top, ev) != 0)
    # "how many", and the best passage holds no number at all (the last shape a quantity wants is
    # any number): "First air raid on Nanking"
    out["unnumbered_for_quantity"] = float(ev.shape.quantity and shape_misfit(retriever, top, ev) == len(ev.wanted))
    # "what other films has X made": the sources name X's one film, which is not what is asked
    out["others_asked"] = float(ev.shape.others)
    out["missing_idf"] = max((query.idf.get(t, 0.0) for t in missing), default=0.0) / max_idf
    out["bm25_per_term"] = top.bm25 / (sum(query.idf.values()) or 1.0)
    return out


def _unmatched_meaning(retriever: Retriever, text: str, top: Candidate, missing: list[str], whole: float) -> float:
    """How well the best passage's sentences mean the English question's words it lacks ("awards
    ... win" of "what awards did City of Life and Death win": the film is there, its awards are
    not; a paraphrase's words are near what the passage says). Nothing lacking: the whole
    question's best sentence."""
    words = _lacking_words(retriever, text, missing)
    match = retriever.sentence_match(words, top.passage) if words else None
    return whole if match is None else match


def _lacking_words(retriever: Retriever, text: str, missing: list[str]) -> str:
    """The question's words, as typed, of the terms the best passage lacks (each once)."""
    wanted = set(missing)
    return " ".join(dict.fromkeys(text[t.start:t.end] for t in retriever.analyzer.tokens_with_spans(text)
                                  if t.term in wanted))


def phrases_weighed(retriever: Retriever, retrieval: Retrieval, ev: QuestionEvidence, top: Candidate) -> list[str]:
    """The short texts an English question's features embed (the words its best passage lacks,
    its names): embedded together beforehand, in one call (``Retriever.phrase_vectors``)."""
    lacking = _lacking_words(retriever, retrieval.query.text, missing_content(top, ev))
    return [t for t in (lacking, names_text(retriever, ev)) if t]


def _mapped_top(retriever: Retriever, vector: np.ndarray | None, top: Candidate,
                mapped: dict[str, float] | None) -> float:
    """The best passage's cosine with the question mapped towards the passages that answer the
    labelled questions (the ranker's own measure, ``query_map.py``); without a map, with the
    question itself. It takes back answerable questions the mapped ranking alone declined."""
    if mapped is not None:
        return mapped[top.passage.id]
    own = retriever.passage_vectors([top.passage])
    return 0.0 if own is None or vector is None else float(own[0] @ np.asarray(vector, np.float32))


def _name_lift(retriever: Retriever, top: Candidate, ev: QuestionEvidence, whole: float) -> float:
    """How much more the whole question means the best passage's sentences than its names alone
    do ("Who directed City of Life and Death?": the film's name is all that matches). A question
    naming nothing: its lift over an empty question."""
    match = retriever.sentence_match(names_text(retriever, ev), top.passage)
    return 0.0 if match is None else whole - match
