"""Switch one part of the answering pipeline off, for measuring what it contributes
(``python -m benchmarks.ablation``). A part is switched off by replacing the one function that
provides it, for this process and the ``with`` block only; the serving bot never calls this.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace
from unittest import mock

import bot.answering.answers as answers
import bot.answering.evidence as evidence
import bot.answering.fitting as fitting
from bot.answering.analysis import Analysis
from bot.answering.questions import QuestionShape
from index.engine import Index
from index.text import glossary

# (what is switched off, its key): the points of issue 9, in its order
PARTS = [
    ("1. no typo tolerance (the speller)", "typos"),
    ("2. no document context in the ranking (a source's `about` names)", "context"),
    ("3. no semantic stage (BM25 alone)", "semantic"),
    ("4. no answer-or-decline decision (answer whatever is found)", "decision"),
    ("5. no question shapes", "shapes"),
    ("6. no source scope", "scope"),
    ("7. no glossary (other languages: names and meaning only)", "glossary"),
]


class NoGlossary:
    """A glossary that reads nothing (and has no word a typo could be read as)."""

    single_words: dict[str, str] = {}

    @staticmethod
    def read_spans(_text: str, _names=()) -> list:
        return []


def answer_whatever_is_found(analysis: Analysis, deciders=None) -> tuple[bool, None]:
    """No decision: answer every question something was found for (facts and greetings aside)."""
    found = bool(analysis.dated or analysis.ranked)
    return (found and not analysis.fact and not analysis.chat), None


@contextmanager
def switched_off(index: Index, part: str) -> Iterator[None]:
    """``index`` answering with ``part`` switched off ("" or "semantic": nothing is switched
    here; BM25 alone is an index built with ``semantic=False``)."""
    real_evidence = evidence.question_evidence
    patches: dict[str, Callable[[], AbstractContextManager]] = {
        "": nullcontext,
        "semantic": nullcontext,
        "typos": lambda: mock.patch.multiple(index.speller, correct=lambda text: (text, ()),
                                             correct_names=lambda text, _forms=None: (text, ())),
        "context": lambda: mock.patch.object(
            answers, "question_evidence", lambda r, q: replace(real_evidence(r, q), about={})),
        "decision": lambda: mock.patch.object(fitting, "decide", answer_whatever_is_found),
        "shapes": lambda: mock.patch.object(evidence, "classify", lambda _text: QuestionShape()),
        "scope": lambda: mock.patch.object(evidence, "source_scope", lambda _r, _q: frozenset()),
        "glossary": lambda: mock.patch.object(glossary, "shipped", NoGlossary),
    }
    with patches[part]():
        yield
