"""Referring words in the five languages the bot reads (bot.referring)."""
import pytest

from bot.in_place import in_place_of
from bot.referring import BODIES, FILM, PEOPLE, PLACES, THINGS, language, opening_pronoun, references


@pytest.mark.parametrize("question, lang", [
    ("what did he write to Hitler?", "en"),
    ("Was hat er an Hitler geschrieben?", "de"),
    ("¿Cuándo lo condenaron?", "es"),
    ("他给希特勒写了什么？", "cjk"),
    ("彼はヒトラーに何を頼んだの？", "cjk"),
    ("1937?", "en"),                        # no word votes: English
])
def test_language(question, lang):
    assert language(question) == lang


def _words(question, names_nothing=True):
    return [(r.kinds, question[r.at:r.at + 2], r.noun) for r in references(question, names_nothing)]


@pytest.mark.parametrize("question, expected", [
    ("what did he write to Hitler?", [(PEOPLE, "he", False)]),
    ("who plays Kadokawa in it?", [(THINGS, "it", False)]),
    ("when did they take place?", [(BODIES, "th", False)]),
    ("who directed the film?", [(FILM, "fi", True)]),
    ("Was hat er an Hitler geschrieben?", [(None, "er", False)]),          # gender: any kind
    ("Wer hat ihn gedreht?", [(None, "ih", False)]),                        # "ihn" is the film
    ("Wer spielt Kadokawa in dem Film?", [(FILM, "Fi", True)]),
    ("Können Sie mir sagen, wann Nanking fiel?", []),                       # polite "you"
    ("Sie hat jeden Tag gekämpft?", [(None, "Si", False)]),                # "she", first word
    ("¿Qué le pidió él a Hitler?", [(None, "le", False), (PEOPLE, "él", False)]),
    ("¿Quién dirigió la película?", [(FILM, "pe", True)]),                  # "la" is the article
    ("¿qué es lo que pasó?", []),                                           # "lo que": what
    ("他给希特勒写了什么？", [(PEOPLE, "他给", False)]),
    ("其他人怎么样？", []),                                                  # 其他: "other"
    ("他们什么时候开庭？", [(BODIES, "他们", False)]),
    ("這部電影的導演是誰？", [(FILM, "這部", True)]),                        # traditional characters
    ("他們什麼時候開庭？", [(BODIES, "他們", False)]),
    ("那裡發生了什麼？", [(PLACES, "那裡", False)]),
    ("彼女は毎日何のために戦っていたの？", [(PEOPLE, "彼女", False)]),
    ("この映画の監督は誰？", [(FILM, "この", True)]),
])
def test_references(question, expected):
    assert _words(question) == expected


@pytest.mark.parametrize("question, gender", [
    ("what did she do?", "female"), ("what did he do?", "male"), ("who plays him?", "male"),
    ("¿Y ella qué hizo?", "female"), ("她做了什么？", "female"), ("彼は何をしたの？", "male"),
    ("Was hat sie gemacht?", None),       # German "sie" is also "they", and gender is grammatical
    ("when did they meet?", None), ("who directed it?", None),
])
def test_a_pronoun_says_whom_it_means(question, gender):
    assert [r.gender for r in references(question, names_nothing=True)] == [gender]


@pytest.mark.parametrize("question", ["what happened there?", "Was geschah dort?", "¿Qué pasó allí?",
                                      "那里发生了什么？", "そこで何があったの？", "who was there?"])
def test_a_place_word_refers_only_in_a_question_that_names_nothing(question):
    assert [r.kinds for r in references(question, names_nothing=True)] == [PLACES]
    assert references(question, names_nothing=False) == []


@pytest.mark.parametrize("question", ["what does this mean?", "Was bedeutet dies?", "¿Qué significa eso?"])
def test_this_and_that_may_mean_anything(question):
    assert [r.kinds for r in references(question, names_nothing=True)] == [None]


@pytest.mark.parametrize("question", ["how many rapes were there?", "were there any survivors?",
                                      "is there a sequel?", "there were how many victims?",
                                      "how much looting was there"])
def test_there_of_there_is_points_at_nothing(question):
    assert references(question, names_nothing=True) == []


@pytest.mark.parametrize("question, pronoun", [
    ("when did she die?", "she"), ("how old was he?", "he"), ("and his wife?", "his"),
    ("why does the prostitute refuse to cut her hair", None), ("how many people died?", None),
    ("why did they leave?", None),
    ("Wann ist er gestorben?", None),            # English questions only
    # the pronoun as the object of the question's verb: what is asked about is the person it means
    ("who played her in the film?", "her"), ("what happened to him later?", "him"), ("who killed his wife", "his"),
    ("what does the film say about her", None),   # the film is what is asked about
    # a mention before the question is an address, not the question's first word
    ("@everyone what did she do", "she"), ("<@123456789> when did he die?", "he"), ("@here and his wife?", "his"),
    ("<@&42> who played her?", "her"), ("@everyone what does the film say about her", None),
])
def test_opening_pronoun(question, pronoun):
    found = opening_pronoun(question)
    assert (found[0] if found else None) == pronoun
    if found:
        assert question[found[1]:found[1] + len(pronoun)] == pronoun


def test_the_es_of_es_geht_um_points_at_what_the_question_names():
    """German says "worum geht es in dem Film?" ("what is it about"): with a name of its own the
    "es" is the construction's, not a word for something said before; alone it asks about the topic."""
    assert references("Worum geht es in dem Mizushima-Film?", names_nothing=False) == []
    assert references("Gibt es in City of Life and Death eine Szene nach dem Abspann?", names_nothing=False) == []
    assert [r.kinds for r in references("Worum geht es?", names_nothing=True)] == [THINGS]
    assert [r.kinds for r in references("Gibt es eine Fortsetzung?", names_nothing=True)] == [THINGS]
    assert [r.kinds for r in references("Wer hat es in Nanking gedreht?", names_nothing=False)] == [THINGS]


@pytest.mark.parametrize("question, expected", [
    # German "der", "die", "den" with no noun after them stand for one: the last word, or followed
    # by words in lower case alone in a question that writes its nouns capitalised
    ("Wie groß war die?", [(None, "di", False)]),
    ("Wer hat den gedreht?", [(None, "de", False)]),
    ("Wann fanden die statt?", [(None, "di", False)]),
    ("<@123> Wer hat den gedreht?", [(None, "de", False)]),   # a mention first: its first word is "Wer"
    ("@everyone Wer hat den gedreht?", [(None, "de", False)]),
    # an article: a capitalised noun follows, or the question is typed in lower case throughout
    ("Wer spielt die Hauptrolle?", []),
    ("Wer war der erste Kommentator?", []),                # an adjective before the noun
    ("wer hat den film gedreht", [(FILM, "fi", True)]),
    ("wann war die schlacht", []),
    # a relative pronoun, after a comma, points at the noun before it
    ("Wie hieß die Lehrerin, die im Film stirbt?", []),
])
def test_a_german_article_with_no_noun_is_a_pronoun(question, expected):
    assert _words(question) == expected
    assert references(question, names_nothing=False) == [r for r in references(question, True) if r.noun]


@pytest.mark.parametrize("question, name, searched", [
    ("what did he write to Hitler?", "John Rabe", "what did John Rabe write to Hitler?"),
    ("what was her job?", "Minnie Vautrin", "what was Minnie Vautrin's job?"),             # a possessive
    ("who played her in the film?", "Minnie Vautrin", "who played Minnie Vautrin in the film?"),   # an object
    ("how many people were killed there?", "Nanking", "how many people were killed in Nanking?"),
    ("Wer hat den gedreht?", "The Truth about Nanking", "Wer hat The Truth about Nanking gedreht?"),
    ("¿Qué hizo ella después?", "Minnie Vautrin", "¿Qué hizo Minnie Vautrin después?"),
    ("他给希特勒写了什么？", "John Rabe", "John Rabe给希特勒写了什么？"),
    ("how long is it?", "Nanking (2007 film)", "how long is Nanking?"),              # the name as said
    ("who directed the film?", "City of Life and Death", None),                   # a noun says more
    ("¿Cuándo lo condenaron?", "Iwane Matsui", None),                             # a clitic
    ("Wie alt war seine Frau?", "John Rabe", None),                               # a possessive
])
def test_a_name_stands_where_its_pronoun_stood(question, name, searched):
    lang = language(question)
    ref = references(question, names_nothing=True, lang=lang)[0]
    assert in_place_of(question, ref, name, lang) == searched
