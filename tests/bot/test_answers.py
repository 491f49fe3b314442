"""Answers: verbatim quotes with attribution, context notes, and honest refusals."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answering.answers import analyse, build_answer
from index.text.verbatim import normalize_ws
from tests.conftest import CORPUS, SHARED


def assert_verbatim(index, answer):
    for q in answer.quotes:
        source = index.corpus.source_by_id[q.source_id]
        assert source.text[q.start:q.end] == q.text, "a quote is exactly its span of the source"
        assert not q.text[:1].isspace() and not q.text[-1:].isspace()
        # never cut mid-word: the characters around the span are not letters
        before = source.text[q.start - 1] if q.start > 0 else " "
        after = source.text[q.end] if q.end < len(source.text) else " "
        assert not (before.isalnum() and q.text[0].isalnum()), q.text
        assert not (after.isalnum() and q.text[-1].isalnum()), q.text


def test_rabe_is_quoted_from_the_documentary(index):
    answer = build_answer(index, "Who was John Rabe?")
    assert answer.answered
    top = answer.quotes[0]
    assert "John Rabe" in top.text
    assert top.source_id == "documentary-nanking"
    assert top.attribution
    assert_verbatim(index, answer)


def test_reader_comment_is_attributed_to_the_reader_not_the_blog(index):
    answer = build_answer(index, "noble samurai")
    top = answer.quotes[0]
    assert top.source_id == "blog-truth-about-nanking" and top.section == "Comment 3"
    assert "Reader comment 3" in top.attribution and "not the blog author" in top.attribution
    assert any("reader's opinion" in c for c in top.context)


@pytest.mark.parametrize("question", ["what does the blogger think about the massacre",
                                      "so what does the blogger personally think, was it just an incident?"])
def test_what_the_blog_author_thinks_is_quoted_from_the_post_itself(index, question):
    """"Blogger" and "think" are in no passage: the question asks for the blog author's own view,
    so the post's own text comes first, not the excerpts it quotes or its readers' comments."""
    answer = build_answer(index, question)
    assert answer.answered
    top = answer.quotes[0]
    assert top.source_id == "blog-truth-about-nanking"
    assert top.attribution == "Blog post “The Truth About Nanking (Movie)”"   # the post's own voice
    assert any("horrible crime" in q.text for q in answer.quotes[:2])


def test_the_author_of_something_else_is_no_source_s_author(index):
    # "the author of the rape of nanking" points at no source: "author" stays a word to match
    book = analyse(index, "who is the author of the rape of nanking").evidence
    assert "author" in book.weights and not book.shape.author   # nor is any source's own text preferred
    blog = analyse(index, "does the blog author agree with the film").evidence
    assert "author" not in blog.weights and blog.shape.author


def test_disputing_film_carries_its_context_note(index):
    answer = build_answer(index, "Mizushima film overemphasized")
    assert answer.answered
    blog = [q for q in answer.quotes if q.source_id == "blog-truth-about-nanking"]
    assert blog and all(any("disputes" in c for c in q.context) for q in blog)
    assert any("disputes" in n for n in answer.notes)


@pytest.mark.parametrize("traditional, simplified", [
    ("日本是什麼時候開始全面侵華的？", "日本是什么时候开始全面侵华的？"),   # "when": a date
    ("順子和那個小男孩躲到哪兒去了", "顺子和那个小男孩躲到哪儿去了"),
    ("水島總還拍過哪些電影", "水岛总还拍过哪些电影"),               # not in the sources either way
    ("日本在南京扶植的傀儡政府首腦是誰？", "日本在南京扶植的傀儡政府首脑是谁？"),
])
def test_a_question_in_traditional_chinese_is_answered_as_in_simplified(index, traditional, simplified):
    """The glossary, the question words and the word lists are written mostly in simplified
    characters: a question typed in traditional ones gets the same answer, or the same decline."""
    typed, plain = build_answer(index, traditional), build_answer(index, simplified)
    assert [q.text for q in typed.quotes] == [q.text for q in plain.quotes]
    assert typed.answered == plain.answered


def test_the_notes_name_the_words_as_typed_in_traditional_characters(index):
    """Read as simplified, a question's words are still named as the asker typed them."""
    read = build_answer(index, "南京大屠殺是什麼時候開始的？")
    assert any("“開始”" in note for note in read.notes) and not any("开始" in note for note in read.notes)
    declined = build_answer(index, "南京鹽水鴨哪家最正宗？")   # salted duck: not in the sources
    assert not declined.answered
    # its words as the question runs them: "鹽水" and "鴨" one after the other, "正宗" apart
    assert any("“鹽水鴨 正宗”" in note for note in declined.notes), declined.notes
    assert not any("盐水" in note or "鸭" in note for note in declined.notes)


def test_when_question_answers_with_the_timeline_date(index):
    answer = build_answer(index, "when did shanghai fall")
    top = answer.quotes[0]
    assert top.date is not None and top.date_text
    assert "Shanghai" in top.text
    # a city "falls" when it is invaded: the day Nanking fell is the day the page says it was
    # invaded, not the first air raid on it, nor the day Shanghai fell (session 45: the background's
    # sentence that says so, the timeline's line of that day being the same words)
    fell = build_answer(index, "what day did nanking fall")
    assert "by December 13th, the Japanese had defeated the defending Chinese army and invaded the city of Nanking" \
        in fell.quotes[0].text


def test_a_post_credits_scene_is_not_the_blog_post(index):
    answer = build_answer(index, "post credits scene?")
    assert answer.quotes[0].text == "City of Life and Death does not have end credit scenes."


def test_a_size_asked_by_its_word_wants_a_number(index):
    assert "two square miles" in build_answer(index, "safety zone size").quotes[0].text


def test_the_director_s_name_is_not_his_film_s_lieutenant_lu(index):
    """"Lu Chuan's film" is City of Life and Death, whose page never names its director: not
    Lieutenant Lu of its story, and nothing the sources say about Lu Chuan himself."""
    film = build_answer(index, "In Lu Chuan's Nanking movie, who is Rabe's secretary?")
    assert "Rabe’s secretary Tang Tianxiang" in film.quotes[0].text
    assert not build_answer(index, "who is lu chuan").answered


def test_date_in_question_finds_the_entry(index):
    answer = build_answer(index, "dec 14-21 what happened")
    assert answer.quotes[0].date_text == "December 14 -21"


def test_of_the_entries_of_a_named_date_those_holding_the_question_s_words_come_first(index):
    answer = build_answer(index, "what month did the full on invasion of china kick off in 1937")
    assert answer.quotes[0].text == "In August 1937, Japan began a full-scale invasion of China."
    plain = build_answer(index, "what happened in 1937")   # no other words: by date
    assert [q.date_text for q in plain.quotes[:2]] == ["1937", "August 1937"]
    # an entry of the day asked comes before those of the month around it, whatever their words
    day = build_answer(index, "dec 10 nanjing")
    assert day.quotes[0].date_text == "December 10" and "surrender flag" in day.quotes[0].text


def test_invalid_date_in_question_is_explained(index):
    answer = build_answer(index, "what happened on feb 30 1938")
    assert any("not a valid date" in n for n in answer.notes)


@pytest.mark.parametrize("question", [
    "what is the recipe for dumplings",
    "when was the eiffel tower built",
    "how do I reset my router password",
])
def test_off_topic_questions_are_declined(index, question):
    answer = build_answer(index, question)
    assert not answer.answered and not answer.quotes
    assert any("Not in my sources" in n for n in answer.notes)
    assert answer.sources  # tells what it does know about


def test_a_decline_names_the_words_the_sources_never_use(index):
    answer = build_answer(index, "what is the recipe for dumplings")
    assert any("never mention" in n and "recipe" in n and "dumplings" in n for n in answer.notes), answer.notes


def test_a_date_the_sources_never_mention_is_declined_whatever_the_model(index):
    answer = build_answer(index, "who won the 2022 world cup")
    assert not answer.answered and any("dated 2022" in n for n in answer.notes)


@pytest.fixture(scope="module")
def lexical():
    from index.engine import Index
    return Index.from_dir(CORPUS, semantic=False)


def _always_answers(analysis):
    """A decider that answers whatever the features say (P = sigmoid(9), threshold 0.5)."""
    from bot.answering.decision import Decider
    from bot.answering.lr import Logistic

    n = len(analysis.values)
    model = Logistic((9.0,) + (0.0,) * n, (0.0,) * n, (1.0,) * n)
    return {analysis.variant: Decider(tuple(analysis.values), model, 0.5)}


@pytest.mark.parametrize("question", ["teapot", "x" * 5000, "xyzzy plugh", "asdfghjkl qwertz"])
@pytest.mark.parametrize("semantic", [True, False])
def test_a_question_none_of_whose_words_the_sources_use_is_declined_whatever_the_model(index, lexical, question,
                                                                                        semantic):
    from bot.answering.answers import analyse, decide

    retriever = index if semantic else lexical
    analysis = analyse(retriever, question)
    assert decide(analysis, _always_answers(analysis)) == (False, None)
    answer = build_answer(retriever, question)
    assert not answer.answered and not answer.quotes
    reason = next(n for n in answer.notes if n.startswith("Not in my sources"))
    assert "never mention" in reason and len(reason) < 200, reason


def test_one_word_the_sources_use_leaves_the_decision_to_the_model(index):
    from bot.answering.answers import analyse, decide

    analysis = analyse(index, "xyzzy plugh nanking")
    assert decide(analysis, _always_answers(analysis))[0]


@pytest.mark.parametrize("question, voice", [("what does the blog author think?", r"Post( \(continued\))?"),
                                             ("what do readers think?", r"Comment \d+")])
def test_asking_what_a_voice_of_the_sources_thinks_is_no_question_of_words_they_lack(index, question, voice):
    """"author", "readers" and "think" are in no passage, yet the blog's author and its readers
    are voices of the sources: the question goes to the decision, which quotes them (it was
    declined with "they never mention “author think”")."""
    answer = build_answer(index, question)
    assert answer.answered, answer.notes
    assert [q.source_id for q in answer.quotes[:2]] == ["blog-truth-about-nanking"] * 2
    assert any(re.fullmatch(voice, q.section) for q in answer.quotes[:2])   # the post's words, a reader's comment


def test_a_declined_question_to_a_voice_of_the_sources_is_not_told_they_never_mention_it(index):
    answer = build_answer(index, "what did readers say about the weather?")
    assert not answer.answered
    assert "Not in my sources: they never mention “weather”." in answer.notes


def test_a_declined_how_long_question_is_not_told_they_never_mention_long(index):
    """"long" of "how long" says what kind of answer is asked (the sources give the film no
    runtime), as "year" of "what year" does: it was declined with "they never mention “long”"."""
    answer = build_answer(index, "how long is city of life and death?")
    assert not answer.answered
    assert answer.notes[0].startswith("Not in my sources: they mention City of Life and Death"), answer.notes
    assert "long" not in answer.notes[0]


@pytest.mark.parametrize("question, slot", [("how long did the rape of nanking last?", "long"),
                                            ("how old was Iwane Matsui?", "old")])
def test_the_word_of_the_quantity_asked_is_not_what_a_passage_must_hold(index, question, slot):
    """As "year" of "what year": "long" of "how long" is the kind of answer, not its subject, so
    it weighs nothing in the share of the question a passage matches (nor as a word the sources
    lack)."""
    weights = analyse(index, question).evidence.weights
    assert weights and not any(t.startswith(slot) for t in weights)


@pytest.mark.parametrize("question", ["", "   ", "?!?", "the of and to", "\u200b\u200b"])
def test_questions_without_words(index, question):
    answer = build_answer(index, question)
    assert not answer.answered
    assert any("no words" in n for n in answer.notes)


def test_long_question_is_answered_from_its_beginning(index):
    question = "Who was John Rabe? " + "please tell me more " * 300
    answer = build_answer(index, question)
    assert answer.answered
    assert any("first" in n and "characters" in n for n in answer.notes)


def test_k_limits_quotes_and_no_quote_repeats(index):
    answer = build_answer(index, "Safety Zone", k=9)
    assert 1 <= len(answer.quotes) <= 9
    spans = [(q.source_id, q.start, q.end) for q in answer.quotes]
    for i, (sid, s, e) in enumerate(spans):
        for sid2, s2, e2 in spans[i + 1:]:
            assert not (sid == sid2 and s < e2 and s2 < e), "overlapping quotes"
    assert [q.rank for q in answer.quotes] == list(range(1, len(answer.quotes) + 1))


def test_highlights_are_matched_words(index):
    answer = build_answer(index, "Who was John Rabe?")
    q = answer.quotes[0]
    assert q.highlights
    assert all(q.text[s:e] in ("John Rabe", "Rabe") for s, e in q.highlights)


# --- every quote is verbatim source text, and the source text is verbatim seed text ---------

def _seed(index, source):
    path = SHARED / "seeds" / source.seed
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared is not beside the project")
    return normalize_ws(path.read_text(encoding="utf-8"))


def test_every_passage_is_verbatim_seed_text(index):
    for p in index.passages:
        source = index.corpus.source_by_id[p.source_id]
        assert source.text[p.start:p.end] == p.text
        assert normalize_ws(p.text) in _seed(index, source), p.id


def _vocabulary(index):
    words = set()
    for s in index.corpus.sources:
        words.update(w for w in re.findall(r"[A-Za-z]{4,}", s.text))
    return sorted(words)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_question_gets_only_verbatim_quotes(index, data):
    words = data.draw(st.lists(st.sampled_from(_vocabulary(index)), min_size=1, max_size=6))
    answer = build_answer(index, " ".join(words), k=9)
    assert_verbatim(index, answer)
    for q in answer.quotes:
        assert normalize_ws(q.text) in _seed(index, index.corpus.source_by_id[q.source_id])


@pytest.mark.parametrize("question", ["tang tianxiang who is he in the movie", "where is the yasukuni shrine",
                                      "what does yasukuni mean", "was emperor hirohito punished",
                                      "do we ever find out what became of mrs tang later on in city of life and death"])
def test_a_name_with_only_context_words_is_answered(index, question):
    assert build_answer(index, question).answered


def test_a_question_in_another_language_gets_the_english_quote_and_a_note(index):
    answer = build_answer(index, "约翰·拉贝是谁？")
    assert answer.answered and "Rabe" in answer.quotes[0].text
    assert any("sources are in English" in n for n in answer.notes)


@pytest.mark.parametrize("question", ["¿Quién es Xiao Jiang?", "¡Háblame de Rabe!"])
def test_a_question_with_spanish_opening_marks_is_spanish(index, question):
    """"¿" and "¡" are written by Spanish alone: "¿Quién es Xiao Jiang?" had as many English
    votes ("xiao", and "jiang", a word of the sources) as Spanish ones."""
    from bot.answering.answers import analyse

    assert not analyse(index, question).english


# ("你是谁", "who are you", asks about the bot: the reply says what it does, ``test_chat_messages``)
@pytest.mark.parametrize("question", ["Wie geht es dir?", "¿Qué tal?", "富士山有多高", "Was ist das?",
                                      "wie hoch ist der Fuji"])
def test_a_question_in_another_language_with_nothing_of_the_sources_in_it_is_declined(index, question):
    """No name and no glossary word: the meaning alone found "TMDB 74 % User Score" for "how are
    you?". Decided like an English question none of whose words the sources use."""
    from bot.answering.answers import analyse, decide

    analysis = analyse(index, question)
    assert not analysis.english and not analysis.retrieval.query.terms
    assert decide(analysis, _always_answers(analysis)) == (False, None)
    answer = build_answer(index, question)
    assert not answer.answered and not answer.chat
    assert any("no name or word" in n for n in answer.notes), answer.notes


def test_a_question_in_another_language_is_searched_by_its_glossary_words_and_says_how_it_was_read(index):
    retrieval = index.retrieve("日军的暴行持续了多久？", 10, english=False)
    assert set(retrieval.query.terms) >= set(index.analyzer.tokens("atrocities lasted"))
    assert ("暴行", "atrocities") in retrieval.query.translated
    answer = build_answer(index, "日军的暴行持续了多久？")
    assert any("“暴行” as “" in n and "atrocities" in n for n in answer.notes), answer.notes


@pytest.mark.parametrize("question, word", [
    ("was passiert mit frau tang am ende?", "tang"),          # a name of no entity's own
    ("¿cómo salva Jiang a Shunzi?", "jiang"),                 # a word of three names: no name alone
    ("Tangは最後どうなるの？", "tang"),                        # in Latin letters among Japanese
])
def test_a_word_of_the_sources_no_language_uses_counts_in_a_question_in_another_language(index, question, word):
    """Only names and glossary words count in a question in another language (German "die" is no
    "death"); a word the sources use that is an everyday word in none of the languages the bot
    reads ("Tang", "Jiang") is the sources' word whatever the language around it."""
    query = index.retrieve(question, 10, english=False).query
    assert set(index.analyzer.tokens(word)) <= set(query.terms)


@pytest.mark.parametrize("question", ["Was hat er gesagt?", "¿Dónde vive ella ahora?",
                                      "¿Es algo natural?"])   # "natural": a word of the sources, everyday in Spanish
def test_everyday_words_of_another_language_stay_unread(index, question):
    assert not index.retrieve(question, 10, english=False).query.terms


def test_a_declined_question_in_another_language_says_which_of_its_words_nothing_read(index):
    """"geboren" (born) is no name, no glossary word and no word of the sources: the question was
    searched as "John Rabe" alone, and the decline says what it could not read."""
    answer = build_answer(index, "in welchem Jahr wurde John Rabe geboren")
    assert not answer.answered
    assert any("I could not read “geboren”" in n for n in answer.notes), answer.notes


def test_without_the_semantic_stage_a_question_in_another_language_is_answered_from_its_glossary_words():
    from index.engine import Index
    lexical = Index.from_dir(CORPUS, semantic=False)
    answer = build_answer(lexical, "¿Quién era John Rabe y a cuántos refugiados protegió la zona de seguridad?")
    assert answer.answered and any("Rabe" in q.text for q in answer.quotes)
    assert any("sources are in English" in n for n in answer.notes)


def test_a_misspelt_name_is_read_as_the_name_and_said_so(index):
    answer = build_answer(index, "who is satoru mizushma")
    assert answer.answered and "Mizushima" in answer.quotes[0].text
    assert any("“mizushma” as “mizushima”" in n for n in answer.notes), answer.notes


@pytest.mark.parametrize("typed, read", [
    ("sfaety", "safety"),        # two letters swapped: one typo, not two edits
    ("tirbunal", "tribunal"),
    ("jpaan", "japan"),
    ("ajpanese", "japanese"),    # a nationality the corpus only has folded to its country
    ("amercian", "american"),
])
def test_swapped_letters_are_one_typo(index, typed, read):
    assert index.speller.correct(f"what about the {typed} side")[1] == ((typed, read),)


def test_a_typo_of_a_word_the_sources_lack_is_read_as_the_english_word(index):
    assert index.speller.correct("when did japan lanuch the invasion")[1] == (("lanuch", "launch"),)
    assert index.speller.correct("what does the second comment complian about")[1] == (("complian", "complain"),)


def test_one_edit_to_an_english_word_beats_two_to_a_word_of_the_sources(index):
    """One typo is far likelier than two: "artices" is "articles", not the corpus's "arrives"."""
    assert index.speller.correct("which wikipedia artices does the post link to")[1] == (("artices", "articles"),)
    # one edit from a word of the sources: that word, whatever English has
    assert index.speller.correct("who is satoru mizushma")[1] == (("mizushma", "mizushima"),)


def test_a_misspelt_first_word_is_read_as_the_question_word_it_is_nearest(index):
    """Questions start with a question word: "whree" is "where", not the content word "three"."""
    assert index.speller.correct("whree does the blog's description come from")[1] == (("whree", "where"),)
    assert index.speller.correct("wehre's the denial movie being screened") == (
        "where's the denial movie being screened", (("wehre's", "where's"),))   # the "'s" kept
    assert index.speller.correct("the comfort wmen demand")[1] == (("wmen", "women"),)   # not first: "women"


def test_of_equally_near_words_a_letter_left_out_or_two_swapped_beats_one_exchanged(index):
    """"wher" is one edit from "where" (an "e" left out) and from "when" (an "n" typed as "r"):
    a letter dropped, doubled or swapped with its neighbour is the likelier typo, so "where"."""
    assert index.speller.correct("wher does the first part start off")[1] == (("wher", "where"),)
    assert index.speller.correct("wehn did nanking fall")[1] == (("wehn", "when"),)   # swapped


def test_of_equally_near_words_one_that_says_something_wins_and_contractions_stay(index):
    assert index.speller.correct("the comfort wmen demand")[1] == (("wmen", "women"),)   # not "when"
    assert index.speller.correct("what we've been told")[1] == ()


def test_a_short_rare_word_is_not_taken_for_a_typo_of_a_common_one(index):
    assert index.speller.correct("does the movie's blurb hint at it")[1] == ()


def test_a_real_word_the_sources_do_not_use_is_not_corrected(index):
    assert index.speller.correct("how long did the trials go on")[1] == ()


def test_a_decline_names_who_the_sources_mention_and_what_they_do_not_say(index):
    """Not "they name it, but say nothing about ...": the reason names the person."""
    from bot.answering.answers import analyse
    from bot.answering.reasons import decline_reason

    reason = decline_reason(index, analyse(index, "was john rabe a prostitute"))
    assert reason == ("Not in my sources: they mention John Rabe, but nothing I have says “prostitute” "
                      "about that."), reason


def test_a_decline_of_a_question_whose_words_its_passage_holds_names_whom_they_mention(index):
    """Declined on what the question asks, not on a word (the question prior: "how long is City
    of Life and Death"): the reason still says the sources know the film, not "nothing I have"."""
    from bot.answering.answers import analyse
    from bot.answering.reasons import decline_reason

    reason = decline_reason(index, analyse(index, "Who was John Rabe?"))
    assert reason == "Not in my sources: they mention John Rabe, but nothing I have answers this.", reason


def test_a_decline_names_a_few_sources_and_counts_the_rest():
    from bot.render.console import render_answer
    from bot.render.discord_embeds import not_found_text
    from index.engine import Index
    from tests.bot.test_hostile_input import _corpus
    many = Index(_corpus([f"Passage {i} about the harbour and its ships." for i in range(20)], "Harbour log", ""),
                 semantic=False)
    answer = build_answer(many, "how tall is mount fuji")
    assert not answer.answered and len(answer.sources) == 8 and answer.more_sources == 12
    assert "and 12 more." in render_answer(answer) and "and 12 more." in not_found_text(answer, "q")


def test_the_start_warm_up_loads_the_spellers_english_lists_and_the_glossary():
    """Not on the first question: the glossary, parsed on the first question in another language,
    held the GIL (so the event loop) for 0.1-0.3 s."""
    from bot.answering.language import warm_up
    from index.text import glossary, spelling
    from index.text.wordfreqs import common_words

    common_words.cache_clear()
    spelling._english_words.cache_clear()   # the English list grouped by length, for the speller
    glossary.shipped.cache_clear()
    warm_up()
    assert common_words.cache_info().currsize == 1
    assert spelling._english_words.cache_info().currsize == 1
    assert glossary.shipped.cache_info().currsize == 1


def test_the_start_warm_up_also_loads_and_verifies_the_decision_model(monkeypatch):
    """The client and the console warm up with ``answers.warm_up``: the shipped decision model and
    its neighbours' vectors (hashed) load at start, not on someone's first question."""
    import bot.console
    import bot.discord.client
    from bot.answering import answers
    from bot.answering.decision import forget_loaded, load_deciders, load_ranker

    assert bot.console.warm_up is answers.warm_up and bot.discord.client.warm_up is answers.warm_up
    forget_loaded()
    assert load_deciders.cache_info().currsize == 0 and load_ranker.cache_info().currsize == 0
    monkeypatch.setattr(answers, "warm_up_language", lambda: None)
    answers.warm_up()
    assert load_deciders.cache_info().currsize == 1 and load_ranker.cache_info().currsize == 1


def test_a_name_the_passage_s_source_is_about_counts_for_the_passage_in_the_ranking(index):
    """Document context: the blog is about Mizushima, so its passage on the testimonies matches
    "Mizushima's film" though it never repeats his name; the decision still weighs what the
    passage itself says. It comes first in the fused order; the learned ranker (English since
    session 42) weighs meaning more and puts "Mizushima's new film ... will be shown" first, the
    testimonies second."""
    from bot.answering.answers import analyse
    from bot.answering.evidence import coverage
    question = "which testimonies does Mizushima's film examine"
    analysis = analyse(index, question, ranker=None)
    ev = analysis.evidence
    assert "blog-truth-about-nanking" in ev.about["ent:satoru-mizushima"]
    testimonies = next(c for c in analysis.ranked if "testimonies" in c.passage.text)
    assert "ent:satoru-mizushima" not in testimonies.matched
    assert coverage(testimonies, ev.weights, ev.about) > coverage(testimonies, ev.weights)
    assert "testimonies" in analysis.ranked[0].passage.text
    assert any("testimonies" in q.text for q in build_answer(index, question).quotes[:2])


@pytest.mark.parametrize("question, described", [
    ("who's kadokawa", "Superior Private (later Sergeant) Kadokawa Masao (Nakaizumi Hideo)"),
    ("minnie vautrin?", "Minni Vautrin, the American headmistress"),
])
def test_who_is_x_quotes_first_the_passage_that_describes_x(index, question, described):
    """Among the best few passages, one that describes the name asked about ("X, the ...",
    "X (Actor)") comes first: meaning alone ranked passages that only mention Kadokawa above it."""
    assert described in build_answer(index, question).quotes[0].text

@pytest.mark.parametrize("question, described", [
    ("tell me about Minnie Vautrin", "Minni Vautrin, the American headmistress"),
    ("can you tell me more about kadokawa?", "Superior Private (later Sergeant) Kadokawa Masao (Nakaizumi Hideo)"),
    ("what do you know about John Rabe", "John Rabe"),
    ("Erzähl mir etwas über Minnie Vautrin", "Minni Vautrin, the American headmistress"),
    ("Háblame de John Rabe", "John Rabe"),
])
def test_a_request_to_be_told_about_a_name_is_answered_as_who_or_what_it_is(index, question, described):
    """Read whole, "tell me about ..." was declined for most names (the labelled "tell me" requests
    are all for jokes): it asks who or what the name is."""
    answer = build_answer(index, question)
    assert answer.answered and described in answer.quotes[0].text


def test_a_bracket_after_a_film_s_title_is_not_a_cast_entry(index):
    """"The Truth About Nanking (Movie)" looks like "Rabe (John Paisley)", but a film is not
    played: "who directed ..." quotes the sentence naming the director first, not the list of
    linked articles or the comments' header that carry the title in brackets."""
    quote = build_answer(index, "who directed the truth about nanking").quotes[0]
    assert "director" in quote.text and "(Wiki)" not in quote.text and "(Movie)" not in quote.text



@pytest.mark.parametrize("question", ["does the movie page have a cast list?",
                                      "lol does that film site even list the cast"])
def test_the_film_page_s_empty_cast_list_is_quoted_with_its_note(index, question):
    """The film page's "Actors" section lists no one ("No actors found"); its note says where the
    actors are named, so the quote does not read as "the film has no actors"."""
    answer = build_answer(index, question)
    assert answer.answered and answer.quotes[0].text == "No actors found"
    assert any("plot summary names the actors" in c for c in answer.quotes[0].context)


@pytest.mark.parametrize("question, actor", [("who plays kadokawa", "Nakaizumi Hideo"),
                                             ("lu jianxiong actor", "Liu Ye")])
def test_who_plays_a_character_is_still_answered_from_the_plot_summary(index, question, actor):
    assert actor in build_answer(index, question).quotes[0].text


def test_a_message_of_two_questions_answers_the_first_and_says_to_ask_the_other(index):
    answer = build_answer(index, "when did nanking fall? who was john rabe?")
    assert answer.answered and "Rabe" not in answer.quotes[0].text
    assert "You asked 2 questions: this answers the first. Ask “who was john rabe?” on its own." in answer.notes


def test_two_warm_ups_at_once_load_the_tables_one_after_the_other(monkeypatch):
    """``run`` warms up on the console's thread and again in the Discord client's setup: the
    second waits for the first (whose tables it then finds loaded) instead of loading them too."""
    import threading
    import time

    import bot.answering.language as language

    active, most = [0], [0]

    def loading(word):
        active[0] += 1
        most[0] = max(most[0], active[0])
        time.sleep(0.2)
        active[0] -= 1

    monkeypatch.setattr(language, "language_of", loading)
    monkeypatch.setattr(language.spelling, "warm_up", lambda: None)
    threads = [threading.Thread(target=language.warm_up) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1


@pytest.mark.parametrize("question", ["according to the blog, what was the Nanking Massacre?",
                                      "laut dem Blog, was war das Massaker von Nanking?",
                                      "按那篇博客的说法，南京大屠杀是什么", "ブログによると南京事件って何だったの？"])
def test_a_question_that_points_at_a_source_in_any_language_prefers_that_source(index, question):
    """"博客" and "ブログ" are read as "blog" by the glossary: they point at the blog as "the blog" does."""
    from bot.answering.answers import analyse

    blog = next(s.id for s in index.corpus.sources if s.kind == "blog-post")
    assert analyse(index, question).evidence.scope == {blog}


@pytest.mark.parametrize("question", ["what death toll does the documentary site give",
                                      "on the doc site how long does it say the rape of nanking lasted",
                                      "according to the nanking web site, who decided to make the film"])
def test_site_points_at_the_website(index, question):
    """"site" is how people name a website: the documentary's site is the one source of that kind."""
    from bot.answering.answers import analyse

    website = next(s.id for s in index.corpus.sources if s.kind == "film-website")
    assert analyse(index, question).evidence.scope == {website}


@pytest.mark.parametrize("question", ["According to the blog post, which site was the film description taken from?",
                                      "in the blog post, what does the film's official site say it is about"])
def test_the_source_most_of_the_kind_words_name_is_the_one_pointed_at(index, question):
    """"blog" and "post" name the blog post, "site" the website: two words against one. Before,
    the two sources named cancelled each other and the question pointed at none."""
    from bot.answering.answers import analyse

    blog = next(s.id for s in index.corpus.sources if s.kind == "blog-post")
    assert analyse(index, question).evidence.scope == {blog}


def test_kind_words_naming_two_sources_as_often_point_at_neither(index):
    from bot.answering.answers import analyse

    assert analyse(index, "does the blog say what the site says").evidence.scope == frozenset()


def test_the_glossary_does_not_read_a_word_again_inside_a_name(index):
    """"masacre de Nankín" is the Nanking Massacre, one name, as in English: its "masacre" is not
    searched again as "massacre" (which found passages on any massacre before the name's)."""
    query = index.retrieve("según el blog, ¿qué fue la masacre de Nankín?", 10, english=False).query
    assert "ent:nanking-massacre" in query.terms and "blog" in query.terms
    assert not set(index.analyzer.tokens("massacre")) & set(query.terms)
    assert ("masacre", "massacre") not in query.translated


def test_a_word_of_another_language_s_name_is_no_word_of_an_english_question(index):
    """"masacre" is a word of "masacre de Nankín", a Spanish name of the massacre, and was taken
    for a word the sources use: in an English question it is a typo of "massacre"."""
    answer = build_answer(index, "Who ran Nanking after the masacre?")
    assert any("“masacre” as “massacre”" in n for n in answer.notes), answer.notes
    assert index.knows_word("mizushima")   # a name's own words are still the sources' words


def test_a_word_read_as_itself_is_not_said(index):
    """A glossary form spelt as its English word ("blog", "tribunal") tells the reader nothing:
    the note names only the words read as something else."""
    question = "segun el blog, cuantos muertos estimo el tribunal de tokio"
    read = index.retrieve(question, 10, english=False).query.translated
    assert {("blog", "blog"), ("tribunal", "tribunal")} <= set(read)   # read, and as themselves
    answer = build_answer(index, question)
    note = next(n for n in answer.notes if n.startswith("I read"))
    assert "“muertos” as" in note
    assert "“blog”" not in note and "“tribunal”" not in note


def test_a_question_in_japanese_around_an_english_title_is_read_as_japanese(index):
    """The film's English title is most of the letters of "City of Life and DeathのIMDb評価は？",
    but a name: the question is Japanese, searched by its meaning, with the note."""
    answer = build_answer(index, "City of Life and DeathのIMDb評価は？")
    assert not analyse(index, "City of Life and DeathのIMDb評価は？").english
    assert answer.answered and "IMDb" in answer.quotes[0].text
    assert any("sources are in English" in n for n in answer.notes)


def test_a_misspelt_name_in_another_language_finds_the_person_and_is_said(index):
    answer = build_answer(index, "Wer war Minnie Vautrn?")
    assert answer.answered and any("Vautrin" in q.text for q in answer.quotes)
    assert any("“Vautrn” as “vautrin”" in n for n in answer.notes), answer.notes
    assert any("sources are in English" in n for n in answer.notes)


def test_a_chinese_name_typed_with_a_character_of_its_sound_finds_the_person_and_is_said(index):
    answer = build_answer(index, "魏特林是谁")   # 林 for 琳: both "lin"
    assert answer.answered and any("Vautrin" in q.text for q in answer.quotes)
    assert any("“魏特林” as “魏特琳”" in n for n in answer.notes), answer.notes


def test_a_time_ago_answers_how_long_ago(index):
    """"71 years ago" dates what it speaks of, relative to the text: a "how long ago" question
    (which wants a date) is answered by it, not declined as asking a date of an undated passage."""
    answer = build_answer(index, "how long ago had the massacre happened when this post was written?")
    assert answer.answered and "years ago" in answer.quotes[0].text, answer


def test_a_name_with_a_word_typed_as_another_word_is_read_as_the_name_in_any_language(index):
    """"City of Live and Death": "live" is a word, so no typo of one, but the film's name but for
    it. Read as the name, its English words no longer outvote a German question's own."""
    answer = build_answer(index, "wer spielt Jon Rabe in City of Live and Death?")
    assert answer.answered and any("“Live” as “life”" in n for n in answer.notes), answer.notes
    assert any("sources are in English" in n for n in answer.notes)   # read as German
    analysis = analyse(index, "who plays rabe in city of live and death")
    assert "ent:city-of-life-and-death" in analysis.retrieval.query.terms


def test_the_last_word_of_an_event_s_name_finds_it(index):
    """"trials" ends the name of the Nanking War Trials, an event: a question's "trials" matches
    the timeline entry that names them as one term, as "massacre" matches "the Nanking Massacre"."""
    answer = build_answer(index, "were there war crimes trials in nanking itself?")
    assert answer.answered and any("Nanking War Trials" in q.text for q in answer.quotes[:3]), answer.quotes


def test_a_day_asked_for_prefers_a_date_of_a_day(index):
    """"What day ..." wants "by December 13th", not "in December 1937": both are dated, only one
    names the day (the shape's fit, after how much of the question a passage matches)."""
    from bot.answering.evidence import question_evidence, shape_misfit
    from index.retrieval.protocol import Candidate

    def misfit(question: str, passage_id: str) -> int:
        ev = question_evidence(index, index.lexical.query(question))
        return shape_misfit(index, Candidate(index.passage(passage_id)), ev)

    day, month, undated = "documentary-nanking@t-nanking-invaded", "blog-truth-about-nanking@t-blog-war-crime", \
        "documentary-nanking#5"
    assert [misfit("What day did Nanking fall?", p) for p in (day, month, undated)] == [0, 1, 2]
    assert [misfit("When did Nanking fall?", p) for p in (day, month, undated)] == [0, 0, 2]


@pytest.mark.parametrize("passage_id, asked, apart", [
    ("documentary-nanking@t-shanghai-falls", {"nanking"}, True),          # another city
    ("documentary-nanking@t-diplomatic-relations", {"tokyo"}, False),     # the country Tokyo lies in
    ("documentary-nanking@t-government-leaves", {"china"}, False),        # a city in the country asked
    ("documentary-nanking@t-government-leaves", {"nanking"}, False),
])
def test_a_when_question_s_place_is_met_by_a_place_within_it_or_around_it(index, passage_id, asked, apart):
    """Among the best, a dated passage about somewhere else comes after the others for a "when"
    question naming a place (``ranking.elsewhere``): Shanghai is elsewhere for Nanking, but Japan
    is not for Tokyo ("when did tokyo and beijing patch up relations"), nor Nanking for China
    ("when did the chinese government start pulling out of the capital")."""
    from bot.answering.ranking import elsewhere
    from index.retrieval.protocol import Candidate
    places = {f"ent:{p}" for p in asked}
    assert elsewhere(index, Candidate(index.passage(passage_id)), places) is apart
