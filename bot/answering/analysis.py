"""What the answer builder learnt about a question before deciding: the retrieval, the question's
evidence, the ranked candidates and the decision's features."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bot.answering.decision import variant_of
from bot.answering.evidence import QuestionEvidence
from index.retrieval.protocol import Candidate, Retrieval


@dataclass(frozen=True)
class Analysis:
    question: str
    retrieval: Retrieval
    evidence: QuestionEvidence
    english: bool
    ranked: tuple[Candidate, ...]
    dated: tuple[Candidate, ...] = ()        # timeline entries of a date the question names
    notes: tuple[str, ...] = ()
    fact: str | None = None                  # a decline that is a fact, in words ("nothing in them is dated 2022")
    values: dict | None = None               # the decision's features
    chat: bool = False                       # a greeting, thanks or "help", not a question (``chat_words.chat_only``)
    beyond: bool = False                     # asks to write, play a role, ping or set the sources aside (``requests``)
    top_source: str = ""                     # the best candidate's source as the question prior knows it
    # the question without its names, embedded (``question_prior.intent_text``; None: no semantic stage)
    intent: np.ndarray | None = field(default=None, compare=False, repr=False)
    # the question's vector times its best passage's nearest sentence's (``decision.FIT``; None: no semantic stage)
    pair: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def variant(self) -> str:
        return variant_of(self.english, self.retrieval.semantic)

    @property
    def undated(self) -> list[Candidate]:
        """The retrieved candidates the ranking orders: all but the dated entries."""
        dated = {c.passage.id for c in self.dated}
        return [c for c in self.retrieval.candidates if c.passage.id not in dated]
