"""Conversation memory and follow-up resolution (no Discord), and the follow-up question set."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.answering.quotes import about_entity
from bot.cli import main
from bot.conversation import ConversationMemory, Resolution, answer_in, pointed_entities, resolve
from bot.conversation_eval import evaluate_conversations, follow_up, load_conversations
from index.engine import Index
from index.text import glossary

ROOT = Path(__file__).resolve().parents[2]
CONVERSATIONS = ROOT / "tests" / "data" / "conversations.yaml"
CONVERSATIONS_OTHER_LANGUAGES = ROOT / "tests" / "data" / "conversations-multilingual.yaml"


@pytest.fixture(scope="module")
def lexical():
    return Index.from_dir(ROOT / "corpus")


@pytest.fixture(scope="module")
def entities(lexical):
    return {e.id: e for e in lexical.corpus.entities}


@pytest.mark.parametrize("question, remembered, search, topic", [
    ("why did he leave?", ["nanking", "john-rabe"], "why did John Rabe leave?", "john-rabe"),   # "he": a person
    ("what did he write to Hitler?", ["john-rabe"], "what did John Rabe write to Hitler?", "john-rabe"),
    ("who plays Kadokawa in it?", ["lu-jianxiong", "city-of-life-and-death"],
     "who plays Kadokawa in City of Life and Death?", "city-of-life-and-death"),               # "it": not a person
    ("who directed the film?", ["nanking", "the-truth-about-nanking"],
     "who directed the film? The Truth about Nanking", "the-truth-about-nanking"),
    ("when did that happen?", ["nanking-safety-zone"],
     "when did Nanking Safety Zone happen?", "nanking-safety-zone"),
    ("who was Minnie Vautrin and what did she do?", ["john-rabe"], None, None),   # "she" points back to the name
    ("what is this Safety Zone?", ["john-rabe"], None, None),                     # names its own subject
    ("how many people died?", ["john-rabe"], None, None),                         # nothing refers back
    ("why did he leave?", [], None, None),                                        # nothing to go on
    ("why did he leave?", ["city-of-life-and-death"], None, None),                # no person remembered
    ("Was hat er an Hitler geschrieben?", ["john-rabe"], "Was hat John Rabe an Hitler geschrieben?", "john-rabe"),
    ("Wer hat ihn gedreht?", ["the-truth-about-nanking"],                         # "ihn": der Film
     "Wer hat The Truth about Nanking gedreht?", "the-truth-about-nanking"),
    ("他给希特勒写了什么？", ["john-rabe"], "John Rabe给希特勒写了什么？", "john-rabe"),
    ("¿y por qué se quedó?", ["john-rabe"],                                      # the subject left out
     "¿y por qué se quedó? John Rabe", "john-rabe"),
    ("いつ有罪になったの？", ["iwane-matsui"], "いつ有罪になったの？ Iwane Matsui", "iwane-matsui"),
    ("¿qué pasó el 13 de diciembre?", ["john-rabe"], None, None),                # a date of its own
    ("¿Quién fue Minnie Vautrin?", ["john-rabe"], None, None),                    # names its subject
    ("what did she do?", ["kadokawa-masao", "xiaojiang"], "what did Xiaojiang do?", "xiaojiang"),
    ("what did he do?", ["xiaojiang", "kadokawa-masao"], "what did Kadokawa Masao do?", "kadokawa-masao"),
    ("她做了什么？", ["kadokawa-masao", "xiaojiang"], "Xiaojiang做了什么？", "xiaojiang"),
    ("what did she do?", ["city-of-life-and-death", "kadokawa-masao"], None, None),   # no woman remembered
    ("how many people were killed there?", ["john-rabe", "nanking"],                  # "there": a place
     "how many people were killed in Nanking?", "nanking"),
    ("how many people were killed there?", ["john-rabe", "nazi-party"], None, None),   # no person, no body
    ("how many rapes were there?", ["nanking-2007", "nanking"], None, None),   # "there were"
    # a question that names nothing and opens as a continuation: what it leaves out is understood
    ("and the director?", ["city-of-life-and-death"], "and the director? City of Life and Death",
     "city-of-life-and-death"),
    ("what about the runtime?", ["the-truth-about-nanking"], "what about the runtime? The Truth about Nanking",
     "the-truth-about-nanking"),
    ("Und der Regisseur?", ["city-of-life-and-death"], "Und der Regisseur? City of Life and Death",
     "city-of-life-and-death"),
    ("and who was Minnie Vautrin?", ["john-rabe"], None, None),    # names its own subject
    # "the documentary Nanking": the noun says what the name after it is; it points at nothing
    ("what is the documentary Nanking about?", ["city-of-life-and-death"], None, None),
    ("¿De qué trata el documental Nanking?", ["city-of-life-and-death"], None, None),
    ("who directed the film “The Truth about Nanking”?", ["city-of-life-and-death"], None, None),
    # "the documentary" is one of the documentaries, never the feature film named last
    ("what is the documentary about?", ["the-truth-about-nanking"],
     "what is the documentary about? The Truth about Nanking", "the-truth-about-nanking"),
    ("how long is the documentary?", ["city-of-life-and-death"], None, None),
    ("how long is the documentary?", ["city-of-life-and-death", "nanking-2007"],
     "how long is the documentary? Nanking (2007 film)", "nanking-2007"),
    ("Wie lang ist die Doku?", ["city-of-life-and-death", "nanking-2007"],
     "Wie lang ist die Doku? Nanking (2007 film)", "nanking-2007"),
    ("¿Cuánto dura el documental?", ["city-of-life-and-death"], None, None),
    ("这部纪录片有多长？", ["city-of-life-and-death"], None, None),
    ("このドキュメンタリーは何分？", ["city-of-life-and-death", "the-truth-about-nanking"],
     "このドキュメンタリーは何分？ The Truth about Nanking", "the-truth-about-nanking"),
    ("how long is the film?", ["city-of-life-and-death", "nanking-2007"],     # a documentary is a film too
     "how long is the film? City of Life and Death", "city-of-life-and-death"),
    ("how long is the film?", ["nanking-2007"], "how long is the film? Nanking (2007 film)", "nanking-2007"),
    ("andrew who?", ["john-rabe"], None, None),                    # "and" only as a word
    ("the director?", ["city-of-life-and-death"], None, None),     # no continuation: as asked
    # what it leaves out has a director, a cast, a runtime: a film, though a person was named last
    ("and the director?", ["john-rabe", "city-of-life-and-death"], "and the director? City of Life and Death",
     "city-of-life-and-death"),
    ("Und der Regisseur?", ["john-rabe", "city-of-life-and-death"], "Und der Regisseur? City of Life and Death",
     "city-of-life-and-death"),
    ("¿Y el reparto?", ["john-rabe", "nanking-2007"], "¿Y el reparto? Nanking (2007 film)", "nanking-2007"),
    ("監督は？", ["john-rabe", "city-of-life-and-death"], "監督は？ City of Life and Death", "city-of-life-and-death"),
    ("and the director?", ["john-rabe"], None, None),              # no film remembered: as asked
    ("and his wife?", ["city-of-life-and-death", "john-rabe"], "and John Rabe's wife?", "john-rabe"),
    # the name stands where the pronoun stood; beside a referring noun, a possessive or clitic
    # of German or Spanish, a subject left out (as the entries above with "the film", "¿y ...?")
    ("what was her job?", ["minnie-vautrin"], "what was Minnie Vautrin's job?", "minnie-vautrin"),
    ("who played her in the film?", ["minnie-vautrin"], "who played Minnie Vautrin in the film?", "minnie-vautrin"),
    ("¿Cuándo lo condenaron?", ["iwane-matsui"], "¿Cuándo lo condenaron? Iwane Matsui", "iwane-matsui"),
    ("Wie alt war seine Frau?", ["john-rabe"], "Wie alt war seine Frau? John Rabe", "john-rabe"),
    ("how long is it?", ["nanking-2007"], "how long is Nanking?", "nanking-2007"),   # its "(2007 film)" not said
])
def test_resolve(lexical, entities, question, remembered, search, topic):
    r = resolve(lexical.tokenizer, entities, question, remembered)
    assert r.question == question
    assert r.search == (search or question)
    assert (r.topic.id if r.topic else None) == topic


@pytest.mark.parametrize("question, remembered, unresolved", [
    ("when did she die?", [], ("she", 9)),
    ("how old was he?", [], ("he", 12)),
    ("and his wife?", [], ("his", 4)),
    ("what did he do?", ["city-of-life-and-death"], ("he", 9)),   # no person to point to
    ("when did she die?", ["minnie-vautrin"], None),            # the conversation says who
    ("what did he write to Hitler?", [], None),                 # names someone: searched as asked
    ("why does the prostitute refuse to cut her hair", [], None),   # "her" points back
    ("how many people died?", [], None),
    ("why did they leave?", [], None),                          # "they": often the sources' people
    ("when did it happen?", [], ("it", 9)),                     # a thing: nothing to point to either
    ("is it true?", [], ("it", 3)),
    ("when did it come out?", ["city-of-life-and-death"], None),   # the conversation says what
])
def test_a_person_s_pronoun_with_nobody_to_point_to_is_unresolved(lexical, entities, question, remembered, unresolved):
    r = resolve(lexical.tokenizer, entities, question, remembered)
    assert r.unresolved == unresolved


def test_an_unresolved_pronoun_gets_a_question_back_not_quotes(lexical):
    """"when did she die?" opening a conversation: quoting whatever mentions a death would answer
    a question nobody asked; the bot asks who is meant, and nothing is counted as unanswered."""
    answer, resolution = answer_in(ConversationMemory(), "k", lexical, "when did she die?")
    assert not answer.answered and answer.chat and answer.quotes == ()
    assert answer.notes == ("Who do you mean by “she”? Ask again with the name: “when did … die?”",)
    answer, _ = answer_in(ConversationMemory(), "k", lexical, "when did Minnie Vautrin die?")
    assert not answer.chat
    # a mention before it is whom the message is for ("no words I can search for" before)
    answer, _ = answer_in(ConversationMemory(), "k", lexical, "@everyone what did she do")
    assert answer.chat and answer.notes[0].startswith("Who do you mean by “she”?")
    # one that says more is searched as asked: the rest of it describes whom it means
    answer, _ = answer_in(ConversationMemory(), "k", lexical, "why does she refuse to cut her hair?")
    assert not answer.chat and answer.answered


def test_an_unresolved_it_gets_a_question_back_too(lexical):
    """"when did it happen?" opening a conversation had "no words I can search for"; it is asked
    what it means, as "she" is asked whom. Saying more, it is searched as asked ("is it true that
    Rabe wrote to Hitler?": "it" points at what follows)."""
    answer, _ = answer_in(ConversationMemory(), "k", lexical, "when did it happen?")
    assert not answer.answered and answer.chat
    assert answer.notes == ("What do you mean by “it”? Ask again with what you mean: “when did … happen?”",)
    answer, _ = answer_in(ConversationMemory(), "k", lexical, "is it true that Rabe wrote to Hitler?")
    assert not answer.chat and answer.answered


def test_a_pronoun_the_conversation_has_nobody_for_gets_a_question_back_after_another_turn(lexical):
    """"who played her in the film?" after a turn about the Tokyo trials (nobody "she" can be):
    "the film" says what is asked about no more than "her" does, so the bot asks who is meant
    rather than quoting the film's plot."""
    memory = ConversationMemory()
    answer_in(memory, "k", lexical, "how long were the tokyo trials?")
    answer, resolution = answer_in(memory, "k", lexical, "who played her in the film?")
    assert resolution.topic is None and resolution.unresolved == ("her", 11)
    assert not answer.answered and answer.chat and answer.quotes == ()
    assert answer.notes[0].startswith("Who do you mean by “her”?")
    # named, it is searched
    answer, _ = answer_in(memory, "k", lexical, "who played Jiang Shuyun in the film?")
    assert not answer.chat


@pytest.mark.parametrize("question", ["what does the blog author think about the film?",
                                      "according to the blog, who made the film?"])
def test_a_question_that_names_a_source_is_about_what_that_source_is_about(lexical, entities, question):
    """"the film" of a question about the blog is the blog's film, not the film talked about before."""
    r = resolve(lexical.tokenizer, entities, question, ["city-of-life-and-death"],
                pointed=pointed_entities(lexical, question))
    assert r.topic is None and r.search == question


@pytest.mark.parametrize("question", ["any post credit scene in the film?",
                                      "is there a post-credits scene in the film?"])
def test_a_post_credits_scene_names_no_blog_post(lexical, entities, question):
    """The question is read as the answer reads it ("post credits scene" is "end credits scene"):
    its "post" is no blog post, and "the film" is the film talked about."""
    r = resolve(lexical.tokenizer, entities, question, ["city-of-life-and-death"],
                pointed=pointed_entities(lexical, question))
    assert r.topic is not None and r.topic.id == "city-of-life-and-death"


def test_a_pronoun_still_follows_the_conversation_in_a_question_that_names_a_source(lexical, entities):
    """Only "the film" is bound to the source named; "he" is who the conversation was about (the
    blog is about a director too, but he is not who "he" is here)."""
    question = "according to the blog, why did he leave?"
    r = resolve(lexical.tokenizer, entities, question, ["john-rabe"], pointed=pointed_entities(lexical, question))
    assert r.topic is not None and r.topic.id == "john-rabe"


def test_memory_orders_topic_then_question_then_quotes_and_expires(lexical, entities):
    now = [0.0]
    memory = ConversationMemory(ttl=60, clock=lambda: now[0], limit=2)
    first = resolve(lexical.tokenizer, entities, "who was John Rabe?", [])
    memory.remember("a", first, ["nanking", "john-rabe", "nazi-party"])
    assert memory.entities("a") == ["john-rabe", "nanking", "nazi-party"]
    follow = resolve(lexical.tokenizer, entities, "what did he write to Hitler?", memory.entities("a"))
    memory.remember("a", follow, ["adolf-hitler"])
    assert memory.entities("a")[:2] == ["john-rabe", "adolf-hitler"]   # the assumed topic stays first
    memory.link(111, "a")
    assert memory.conversation_of(111) == "a" and memory.conversation_of(222) is None
    now[0] = 60.5
    assert memory.entities("a") == []                                   # idle too long: forgotten
    for key in ("b", "c", "d"):
        memory.remember(key, Resolution("q", "q", None, ("nanking",)), [])
    assert memory.entities("b") == [] and memory.entities("d") == ["nanking"]   # bounded, oldest dropped
    memory.forget("d")
    assert memory.entities("d") == []


def test_the_conversation_set_is_valid_and_memory_helps(lexical):
    items = load_conversations(CONVERSATIONS)
    assert len(items) >= 30 and len({i["id"] for i in items}) == len(items)
    assert all(1 <= len(i["turns"]) <= 2 for i in items)
    texts = [s.text for s in lexical.corpus.sources]
    for item in items:
        for evidence in item.get("evidence", []):
            assert any(evidence in t for t in texts), (item["id"], evidence)
    report = evaluate_conversations(lexical, items)
    assert report.total == len(items)
    assert report.with_memory > report.without_memory      # printed figures: python -m bot eval-conversations


def test_follow_ups_in_other_languages_keep_the_topic(index):
    """The 48 conversations in German, Spanish, Chinese and Japanese, written by natives' rules
    (a pronoun, a demonstrative, or the subject left out; session 54 added four that open as a
    continuation: "Und der Regisseur?"). First run: 0.750 with memory, 0.537
    without (no topic was assumed in another language before); session 37: 0.856 and 0.713;
    session 38: 0.844 and 0.725; session 39 (the refit with dev-blind-14): 0.831 and 0.719;
    session 40 (with dev-blind-15): 0.838 and 0.706; session 41 (other languages' threshold at 1.5%,
    with dev-blind-16 and -17): 0.819 and 0.688; session 42 (English by the learned ranker): the same;
    session 44 (with dev-blind-18 to -23): 0.838 and 0.700; session 45 (the query map): 0.887 and 0.750;
    session 55 (the neighbours' vote in their decision), of 176: 0.886 and 0.795; session 65, with
    16 steps along the timeline ("¿Y después?", "然后呢？"), of 192: 0.911 and 0.698."""
    items = load_conversations(CONVERSATIONS_OTHER_LANGUAGES)
    english = {i["id"]: i for i in load_conversations(CONVERSATIONS)}
    assert len(items) == 192 and len({i["id"] for i in items}) == 192
    for item in items:
        original = english[item["id"].rsplit("-", 1)[0]]
        assert (item.get("evidence"), item["answerable"]) == (original.get("evidence"), original["answerable"])
    report = evaluate_conversations(index, items)   # the session's index: found by meaning
    assert report.resolved >= 110
    assert report.with_memory >= 0.80 * report.total
    # memory is worth at least a tenth of them (session 38: 135 with it, 116 without). The decision
    # for other languages answers more follow-ups asked alone each session (session 36: 103;
    # 37: 114, with the question prior; 38: 116, with the sentence fit), so the floor on what
    # memory adds came down (20 -> 16) and the floor with memory went up (0.70 -> 0.80)
    assert report.with_memory >= report.without_memory + 16


def test_every_quote_stays_verbatim_with_memory(lexical):
    for item in load_conversations(CONVERSATIONS)[:10]:
        with_memory, _, _ = follow_up(lexical, item)
        for quote in with_memory.quotes:
            assert lexical.corpus.source_by_id[quote.source_id].text[quote.start:quote.end] == quote.text


def test_eval_conversations_command(capsys):
    out, err = io.StringIO(), io.StringIO()
    assert main(["eval-conversations", str(CONVERSATIONS)], out=out, err=err) == 0
    assert "success@1 with memory" in out.getvalue() and "without memory" in out.getvalue()
    assert main(["eval-conversations", "nowhere.yaml"], out=out, err=err) == 2


@pytest.mark.parametrize("question, own", [
    ("¿Quién es Xiao Jiang?", "xiaojiang"),   # a name typed as two words
    ("¿Qué hizo Vautrn?", "minnie-vautrin"),  # a misspelt name
    ("ラーべは誰", "john-rabe"),               # a hiragana べ typed for the katakana ベ
])
def test_a_name_the_search_reads_through_a_typo_is_the_question_s_own(lexical, entities, question, own):
    """Spanish leaves the subject out, so a Spanish question that names nothing is a follow-up;
    one that names someone through a typo names them, as the search reads it."""
    r = resolve(lexical.tokenizer, entities, question, ["nanking-safety-zone"], read=lexical.names_as_read)
    assert r.topic is None and own in r.entities


def test_reading_a_follow_up_s_names_keeps_the_speller_s_choices_of_the_search(lexical):
    """``names_as_read`` reads with the glossary's forms, as the search does: with other forms the
    speller rebuilt its choices on each call, twice a follow-up (5 ms)."""
    lexical.retrieve("¿Quién es Vautrn?", 5, english=False)
    choices = lexical.speller._foreign._choices_for(glossary.shipped().single_words)
    assert lexical.names_as_read("¿Qué hizo Vautrn?") == "¿Qué hizo vautrin?"
    lexical.retrieve("¿Quién es Vautrn?", 5, english=False)
    assert lexical.speller._foreign._choices_for(glossary.shipped().single_words) is choices


def test_a_follow_up_about_a_film_is_not_answered_from_another_film_s_source(index):
    """After City of Life and Death, "how long is the film?" found the blog's "For 160 minutes",
    the runtime of another film: a quote that neither names the film assumed nor comes from a
    source about it is no answer about it, and the bot says it has none (asked with the name,
    the question was declined too)."""
    memory = ConversationMemory()
    answer_in(memory, "k", index, "what is City of Life and Death?")
    answer, resolution = answer_in(memory, "k", index, "how long is the film, runtime?")
    assert resolution.topic is not None and resolution.topic.id == "city-of-life-and-death"
    assert not answer.answered and not answer.chat
    assert answer.notes[0] == "Not in my sources: nothing I have on City of Life and Death answers this."
    # answered from the film's page first, the blog's runtime is not quoted after it either
    answer, _ = answer_in(memory, "k", index, "how long is the film?")
    assert all(q.source_id == "film-city-of-life-and-death" for q in answer.quotes)
    assert [q.rank for q in answer.quotes] == list(range(1, len(answer.quotes) + 1))
    # nor by "tell me more" after it
    for _ in range(3):
        more, resolution = answer_in(memory, "k", index, "tell me more")
        assert resolution.more and all(q.source_id == "film-city-of-life-and-death" for q in more.quotes)
    # a follow-up its sources answer is answered as before
    answer, _ = answer_in(memory, "k", index, "how was the film shot?")
    assert answer.answered and "black-and-white" in answer.quotes[0].text


def test_a_quote_about_the_person_assumed_need_not_name_them_in_full(index):
    """People are named in part ("Tang opts to remain behind"): the rule is for films alone. The
    first quote here names "Tang" only, and from a source not about Tang Tianxiang."""
    memory = ConversationMemory()
    answer_in(memory, "k", index, "who was Tang Tianxiang?")
    answer, resolution = answer_in(memory, "k", index, "why does he stay behind?")
    assert resolution.topic is not None and resolution.topic.id == "tang-tianxiang"
    assert answer.answered and "Tang opts to remain behind" in answer.quotes[0].text
    assert not about_entity(index, "tang-tianxiang", answer.quotes[0])
