"""Build an answer: retrieve, rank, decide whether the sources answer, quote verbatim.

``build_answer`` = ``analyse`` (retrieval, evidence, ranking, the decision's features) +
``decide`` (the calibrated answer-or-decline model) + ``compose`` (quotes and notes). Evaluation
calls them separately (``analyse`` without the learned ranker, then ``order`` with the one a fold
fitted), so cross-validation refits the ranker and the decision, and retrieves once.
"""
from __future__ import annotations

from dataclasses import replace

from bot.answering.analysis import Analysis
from bot.answering.decision import Decider, load_deciders, load_ranker
from bot.answering.decision_features import features, phrases_weighed
from bot.answering.evidence import coverage, question_evidence, the_voice_asked
from bot.answering.language import is_english
from bot.answering.language import warm_up as warm_up_language
from bot.answering.question_prior import intent_text, source_key
from bot.answering.quotes import make_quote
from bot.answering.ranking import mapped_cosines, rank
from bot.answering.reading import read_message
from bot.answering.reasons import DECLINED, chat_reply, decline_reason
from bot.answering.reranker import Ranker
from bot.answering.sections import past_the_last
from bot.answering.types import Answer, Quote
from index.retrieval.protocol import Candidate, Retrieval, Retriever
from index.text.hanzi import as_typed
from index.text.tokenize import ENTITY_PREFIX
from index.timeline.dated import dated_entries

__all__ = ["Answer", "Quote", "Analysis", "analyse", "order", "decide", "compose", "build_answer", "unanswered",
           "warm_up", "models_problem"]

CANDIDATES = 20
MIN_COVERAGE = 0.12     # a further quote must match this share of the question ...
DENSE_CLOSE = 0.03      # ... or be this close in meaning to the best one
NO_WORDS = "Your question has no words I can search for. Try names, places, events or dates."
MAX_SHOWN = 6
SOURCES_LISTED = 8
SOURCES_IN_ENGLISH = "My sources are in English: the quotes are in English, word for word."


_SHIPPED = object()   # analyse's default ranker: the shipped model's


def _is_english(retriever: Retriever, text: str) -> bool:
    """The language vote, on the question with its names mended: a name's words do not vote, even
    with one typed as another word ("City of Live and Death" in a German question)."""
    read = retriever.names_mended(text)
    names = [(t.start, t.end) for t in retriever.analyzer.tokens_with_spans(read) if t.term.startswith(ENTITY_PREFIX)]
    return is_english(read, retriever.knows_word, names)


def analyse(retriever: Retriever, question: str, ranker: Ranker | None | object = _SHIPPED) -> Analysis:
    """``ranker``: the shipped learned order by default; None keeps the fused order (what
    cross-validation starts from before it fits a ranker per fold, ``order``)."""
    text, chat, also, beyond, asked = read_message(question)   # as read: no markup, emoji or greeting first
    english = _is_english(retriever, asked)
    # the question prior's text (the question as read without its names) is embedded with the question
    kinds: dict[str, str] = {}
    retrieval = retriever.retrieve(text, CANDIDATES, english=english,
                                   also=lambda read: kinds.setdefault(read, intent_text(retriever, read)))
    query = retrieval.query
    notes = _reading_notes(retrieval, english, question)
    if also:   # a message of several questions: the first is answered
        others = " and ".join(f"“{q}”" for q in also[:MAX_SHOWN])
        each = "on its own" if len(also) == 1 else "each on its own"
        notes.insert(0, f"You asked {1 + len(also)} questions: this answers the first. Ask {others} {each}.")
    ev = question_evidence(retriever, query)
    if not query.terms and not (retrieval.semantic and not english):
        return Analysis(question, retrieval, ev, english, (), notes=tuple(notes), fact=NO_WORDS, chat=chat,
                        beyond=beyond)
    dated, fact = _dated(retriever, query, notes)
    if fact is None and (missing := past_the_last(retriever, query)):   # "the sixth comment" of three
        fact = f"{DECLINED}: {missing}."
    intent = kinds.get(query.text, "") if retrieval.semantic else ""   # (BM25 alone weighs no prior)
    analysis = Analysis(question, retrieval, ev, english, (), tuple(dated), tuple(notes), fact, chat=chat,
                        beyond=beyond)
    analysis = order(retriever, analysis, load_ranker() if ranker is _SHIPPED else ranker)
    return replace(analysis, intent=retriever.phrase_vectors([intent])[intent]) if intent else analysis


def order(retriever: Retriever, analysis: Analysis, ranker: Ranker | None) -> Analysis:
    """The analysis with its candidates (the dated entries aside) ranked, and the decision's
    features of the best one."""
    # the candidates' cosines with the mapped question, once: the ranker's feature and the decision's
    mapped = mapped_cosines(retriever, analysis.undated, analysis.retrieval.query.vector,
                            ranker.query_map if ranker is not None else None)
    ranked = rank(retriever, analysis.undated, analysis.evidence, analysis.english, analysis.retrieval.semantic, ranker,
                  mapped)
    if analysis.retrieval.semantic and ranked and analysis.english:   # (only English questions' features embed phrases)
        retriever.phrase_vectors(phrases_weighed(retriever, analysis.retrieval, analysis.evidence, ranked[0]))
    values = features(retriever, analysis.retrieval, analysis.evidence, ranked, analysis.english, mapped)
    top = source_key(retriever.source(ranked[0].passage.source_id)) if ranked else ""
    pair = _pair(retriever, analysis, ranked)
    return replace(analysis, ranked=tuple(ranked), values=values, top_source=top, pair=pair)


def _pair(retriever: Retriever, analysis: Analysis, ranked: list[Candidate]):
    """The question's vector times the best passage's sentence nearest it (``decision.FIT``)."""
    vector = analysis.retrieval.query.vector
    if vector is None or not ranked:
        return None
    sentence = retriever.best_sentence_vector(vector, ranked[0].passage)
    return None if sentence is None else vector * sentence


def _reading_notes(retrieval: Retrieval, english: bool, question: str) -> list[str]:
    """``question``: as asked, whose words the notes name (traditional Chinese is read simplified)."""
    query, notes = retrieval.query, []
    if query.truncated:
        notes.append(f"Your question was long; I searched its first {len(query.text)} characters.")
    for pairs in (query.corrections, query.translated):   # misspellings; glossary words
        # a word read as itself ("blog" as "blog") tells the reader nothing
        told = tuple((as_typed(typed, question), read) for typed, read in pairs if typed.casefold() != read.casefold())
        if told:
            notes.append(_read_as(told))
    if not english:
        notes.append(SOURCES_IN_ENGLISH)
    return notes


def _read_as(pairs: tuple[tuple[str, str], ...]) -> str:
    """“typed” as “read” for each word typed (its readings joined by "or"), at most MAX_SHOWN."""
    shown: dict[str, list[str]] = {}
    for typed, read in pairs:
        shown.setdefault(typed, []).append(read)
    return "I read " + ", ".join(f"“{typed}” as “{' or '.join(reads)}”"
                                 for typed, reads in list(shown.items())[:MAX_SHOWN]) + "."


def _dated(retriever: Retriever, query, notes: list[str]) -> tuple[list[Candidate], str | None]:
    """Timeline entries of a date the question names, or a fact-based decline when the sources
    date nothing then. A date that is not the subject ("who was the US president in 1937": no
    entry of that date holds the question's other words), or a year that names a thing ("who
    directed the 2007 documentary": ``DatedEntries.qualifies``), is left to the words and the
    decision."""
    found = dated_entries(retriever.timeline, query.text)
    if found.error:
        notes.append(f"{found.error}; I searched the words instead.")
        return [], None
    if found.query is None:
        return [], None
    if not found.entries:
        return [], f"{DECLINED}: nothing in them is dated {found.label}."
    if found.qualifies:
        return [], None
    analyzer = retriever.analyzer
    date_terms = set(analyzer.tokens(query.text[found.span[0]:found.span[1]]))
    others = set(query.terms) - date_terms
    hits = []   # (candidate, whether its dates lie inside the asked ones)
    for entry in found.entries:
        passage = retriever.timeline_passage(entry)
        words = set(analyzer.expanded_tokens(f"{passage.date_text} {passage.text}"))
        inside = found.query.holds(retriever.timeline.span(entry))
        hits.append((Candidate(passage, matched=frozenset(t for t in query.terms if t in words)), inside))
    if others and not any(others & c.matched for c, _ in hits):
        return [], None
    # the entries inside the asked dates before those around them ("Dec 10" before "December
    # 1937"); among them, those holding more of the question's other words first ("what month
    # did the invasion of China begin in 1937": the invasion, not the film's "transports us to
    # 1937"); else by how well their dates fit
    idf = query.idf
    ordered = sorted(hits, key=lambda hit: (not hit[1], -sum(idf.get(t, 0.0) for t in others & hit[0].matched)))
    return [c for c, _ in ordered], None


def decide(analysis: Analysis, deciders: dict[str, Decider] | None = None) -> tuple[bool, float | None]:
    """(answered, P(answerable)) for an analysed question."""
    if analysis.fact or analysis.beyond:   # (a request beyond quoting stays a row the decider learns from)
        return False, None
    if analysis.dated:
        return True, None
    if not analysis.ranked or analysis.chat or _no_word_known(analysis):
        return False, None
    decider = (deciders if deciders is not None else load_deciders())[analysis.variant]
    p = decider.probability(decider.with_learnt(analysis.values, analysis.intent, analysis.pair, analysis.top_source))
    return p >= decider.threshold, p


def models_problem() -> str | None:
    """Why the shipped answer model cannot be used, in words (None: it loads, its vectors
    verified): a command or the bot says so at start instead of failing on a question."""
    try:
        load_ranker()
        load_deciders()
    except (OSError, ValueError, KeyError) as exc:   # a JSON error is a ValueError
        return f"The answer model cannot be loaded: {exc}"
    return None


def warm_up() -> None:
    """What the first question would otherwise load: the language tables (``language.warm_up``)
    and the shipped decision model with its neighbours' vectors (``models_problem`` has already
    said at start whether they load and verify)."""
    warm_up_language()
    load_ranker()
    load_deciders()


def _no_word_known(analysis: Analysis) -> bool:
    """An English question none of whose words the sources use ("hello", "asdfghjkl"), or a
    question in another language in which nothing of the sources was read, no name and no
    glossary word ("Wie geht es dir?", "wie hoch ist der Fuji"): nothing can be quoted for it,
    whatever the similarity of meaning says. In the labelled questions all such English ones are
    unanswerable, and 10 of 12 such questions in other languages (cross-validated, three fold
    assignments: their unanswerable declined 35/96 -> 51/96, answerable declined 16/384 -> 21/384,
    success@3 0.836 -> 0.826). Decided here rather than made an ``Analysis.fact``: facts are left
    out of fitting, and these questions teach the decider what ``unknown_share`` means (left out,
    cross-validated English success@1 fell from 0.796 to 0.770). A question asking what a voice of
    the sources thinks ("what does the blog author think?", "what do readers think?") lacks no
    word: its author and its readers are the sources' own (no labelled question is such)."""
    terms = analysis.retrieval.query.terms
    if not analysis.english:
        return not terms
    return (bool(terms) and (analysis.values or {}).get("unknown_share", 0.0) >= 1.0
            and not analysis.evidence.shape.voice)


def compose(retriever: Retriever, analysis: Analysis, answered: bool, probability: float | None,
            k: int = 3, first_page: int | None = None) -> Answer:
    """``first_page``: the quotes after that many only while they are about the question
    (``about_the_question``): further pages, where a quote that only closeness of meaning brought
    was mostly about something else ("tell me about Germany": "Japan and China resume diplomatic
    relations"). None: up to ``k``, as the decision and the evaluation see them."""
    notes = list(analysis.notes)
    if not answered:   # (``decide`` never answers chat)
        # a greeting gets what the bot does instead of a reason ("they never mention “hello”")
        notes = (chat_reply(analysis.question) if analysis.chat
                 else [*notes, analysis.fact or decline_reason(retriever, analysis)])
        return unanswered(retriever, analysis.question, notes, probability, analysis.chat)
    quotes: list[Quote] = []
    about = about_the_question(retriever, analysis) if first_page is not None else None
    for c in _quotable(analysis):
        past_first_page = about is not None and len(quotes) >= first_page
        if len(quotes) >= k or (past_first_page and c.passage.id not in about):
            break
        quote = make_quote(retriever, c, len(quotes) + 1, analysis)
        if any(q.source_id == quote.source_id and q.start < quote.end and quote.start < q.end for q in quotes):
            continue  # the same words quoted twice (a timeline line inside a prose passage)
        quotes.append(quote)
    for quote in quotes:
        for note in quote.context:
            if note not in notes:
                notes.append(note)
    return Answer(analysis.question, True, tuple(quotes), tuple(notes), confidence=probability)


def about_the_question(retriever: Retriever, analysis: Analysis) -> set[str]:
    """The candidates that hold a word of the question (a timeline entry: of its date too),
    belong to a source about a name it asks about (the blog's "This movie investigates ..." for
    "tell me about The Truth about Nanking"), or are the voice it asks for (the comments, for
    "what do readers think?", which names nothing they say)."""
    ev = analysis.evidence
    sources = set().union(*ev.about.values())
    return {c.passage.id for c in (*analysis.dated, *analysis.ranked)
            if c.matched or c.passage.source_id in sources or ev.shape.voice and the_voice_asked(retriever, c, ev)}


def unanswered(retriever: Retriever, question: str, notes: list[str], probability: float | None = None,
               chat: bool = False) -> Answer:
    """A reply without quotes: its notes, and the first sources' titles (a few, not thousands)."""
    sources = retriever.corpus.sources
    return Answer(question, False, notes=tuple(notes), sources=tuple(s.title for s in sources[:SOURCES_LISTED]),
                  more_sources=max(0, len(sources) - SOURCES_LISTED), confidence=probability, chat=chat)


def _quotable(analysis: Analysis):
    """The dated entries, then the ranked candidates that still answer something: after the
    first, a quote must match part of the question or be close in meaning to the best one."""
    yield from analysis.dated
    ranked = analysis.ranked
    if not ranked:
        return
    best = ranked[0].dense
    for n, c in enumerate(ranked):
        close = best is not None and c.dense is not None and c.dense >= best - DENSE_CLOSE
        if n == 0 and not analysis.dated or coverage(c, analysis.evidence.weights) >= MIN_COVERAGE or close:
            yield c


def build_answer(retriever: Retriever, question: str, k: int = 3,
                 deciders: dict[str, Decider] | None = None, first_page: int | None = None) -> Answer:
    analysis = analyse(retriever, question)
    answered, probability = decide(analysis, deciders)
    return compose(retriever, analysis, answered, probability, k, first_page)
