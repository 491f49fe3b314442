import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.answering.answers import analyse, build_answer
from bot.answering.questions import APPOSITION, CAST, DURATION, classify, describes
from bot.answering.reading import read_question
from index.timeline.dated import dated_entries


@pytest.mark.parametrize("question, expected", [
    ("when did japan attack shanghai", {"when"}),
    ("What year did it come out?", {"when"}),
    ("On what date did the Japanese army take Nanking?", {"when", "day"}),   # a preposition first
    ("What day did the Japanese army take Nanjing?", {"when", "day"}),      # a day asked, not a year
    ("An welchem Tag fiel Nanking?", {"when", "day"}),
    ("¿Qué día cayó Nanking?", {"when", "day"}),
    ("南京是哪天被日军攻陷的", {"when", "day"}),
    ("Welches Datum hatte der Fall Nankings?", {"when", "day"}),   # a day asked is a date asked
    ("南京是哪一天陷落的", {"when", "day"}),
    ("in which year did the trials end", {"when"}),
    ("how many women does the officer demand", {"quantity"}),
    ("who was John Rabe?", {"identity"}),
    ("who's the kid xiaodouzi", {"identity"}),
    ("whos tang tianxiang", {"identity"}),
    ("who exactly was vautrin", {"identity"}),
    ("who kadokawa?", {"identity"}),
    # "who" asking for someone else than the name: who X loves, who did something to X
    ("who does kadokawa fall for", set()),
    ("who directed City of Life and Death?", set()),
    ("Who did the Tokyo Tribunal convict in 1948", set()),
    ("Wer hat den Film gedreht?", set()),
    ("¿Quién dirigió el documental?", set()),
    ("Wer ist Vautrin", {"identity"}),
    ("¿Quién era Vautrin?", {"identity"}),
    ("who plays Kadokawa", {"cast"}),
    ("what character does Hideo Nakaizumi play", {"cast"}),
    ("which commenter mentioned OJ", {"comments"}),
    ("Welcher Kommentator erwähnt OJ Simpson?", {"comments"}),
    ("¿algún comentario habla de Estados Unidos?", {"comments"}),
    ("哪条评论提到了辛普森？", {"comments"}),
    ("读者怎么看这部电影？", {"comments"}),        # simplified Chinese "reader" (読者 is Japanese)
    ("有網友提到美國的課本嗎？", {"comments"}),
    ("コメントで何て言ってる？", {"comments"}),
    ("why did they stay", set()),
    # a lead-in of greetings and fillers does not hide the question word
    ("hey bot, can you tell me when did japan attack shanghai", {"when"}),
    ("I was wondering: who was John Rabe?", {"identity"}),
    ("so how many women does the officer demand", {"quantity"}),
    ("thanks! and who plays Kadokawa", {"cast"}),
    ("wer spielt eigentlich den Kadokawa?", {"cast"}),   # and in the other languages
    ("¿Quién interpreta a Kadokawa?", {"cast"}),
    ("谁扮演角川？", {"cast"}),
    ("角川は誰が演じてる？", {"cast"}),
    ("小豆子是谁演的", {"cast"}),
    ("导演陆川是哪年出生的？", {"when"}),   # 导演: a director, not acting
    ("话说南京安全区是啥时候搞起来的啊", {"when"}),     # colloquial "when"
    ("tell me what the film is about", set()),
    # the question word left in place, at the end ("it happened when?")
    ("the massacre happened when exactly?", {"when"}),
    ("and nanking fell in what year", {"when"}),
    ("tokyo trials dates", {"when", "day"}),   # a date asked for by name, at either end
    ("nanking fall date?", {"when", "day"}),
    ("date of the tokyo trials", {"when", "day"}),
    ("year of the massacre", {"when"}),
    ("what happened in nanking that year", set()),   # "year" at the end: a year named, not asked
    ("what did Rabe do when the Japanese arrived", set()),   # "when" inside: not the question
    # the other languages' question words
    ("Wann begann das Massaker?", {"when"}),
    ("¿Cuándo cayó Nanking?", {"when"}),
    ("南京什么时候沦陷？", {"when"}),
    ("南京はいつ陥落しましたか", {"when"}),
    ("Wie viele Menschen starben?", {"quantity"}),
    ("¿Cuántas personas murieron?", {"quantity"}),
    ("南京大屠杀死了多少人？", {"quantity"}),
    ("Wer war John Rabe?", {"identity"}),
    ("¿Quién fue Minnie Vautrin?", {"identity"}),
    ("拉贝是谁？", {"identity"}),
    ("ラーベは誰ですか", {"identity"}),
    # ... and so does what someone is by rank or trade
    ("what rank is kadokawa", {"identity"}),
    ("what was rabe's job?", {"identity"}),
    ("角川的军衔是什么", {"identity"}),
    ("コメ欄で七人の侍について何ていってる？", {"comments"}),
    ("Warum blieb Rabe?", set()),
    # a size asked by its word asks for a number as "how big" does
    ("safety zone size", {"quantity"}),
    ("what area did the safety zone cover", set()),   # as often a place as a size
    ("Größe Sicherheitszone", {"quantity"}),
    ("¿qué tamaño tenía la zona de seguridad?", {"quantity"}),
    ("安全区面积多大", {"quantity"}),
    ("安全区の広さは？", {"quantity"}),
    # "how long" asks for a length of time (or of a film), not any number
    ("how long did the tokyo trials last", {"quantity", "duration"}),
    ("Wie lange dauerten die Prozesse?", {"quantity", "duration"}),
    ("东京审判持续了多久？", {"quantity", "duration"}),
    ("how long ago was the massacre", {"when", "ago", "quantity"}),   # a date, or "71 years ago"
    ("Wie lange ist das Massaker her?", {"when", "ago", "quantity"}),
    ("¿Hace cuánto fue la masacre?", {"when", "ago"}),
    ("大屠杀是多少年前的事", {"when", "ago", "quantity"}),
    # ... and so does a word for a length of time
    ("runtime of the truth of nanking?", {"quantity", "duration"}),
    ("what was the duration of the occupation", {"quantity", "duration"}),
    ("Welche Laufzeit hat der Film?", {"quantity", "duration"}),
    ("这部电影的片长是？", {"quantity", "duration"}),
    ("水岛那片子多长", {"quantity", "duration"}),
    ("mizushima film length", {"quantity", "duration"}),
    ("length of city of life and death?", {"quantity", "duration"}),
    # when something began and when it ended: both ends of a period
    ("when did the IMTFE run, start to finish?", {"when", "span"}),
    ("From when to when did the Tokyo War Crimes Trial run?", {"when", "span"}),
    ("when did the tokyo trials begin and end", {"when", "span"}),
    ("Von wann bis wann liefen die Tokioter Prozesse?", {"when", "span"}),
    ("¿Desde cuándo hasta cuándo duró el juicio de Tokio?", {"when", "span"}),
    ("东京审判从什么时候到什么时候？", {"when", "span"}),
    ("東京裁判はいつからいつまで？", {"when", "span"}),
    ("when did the massacre begin", {"when"}),   # one end
    # what a source's own author says
    ("does the blog author agree with the film", {"author"}),
    ("what does the blogger think about the massacre", {"author"}),
    ("¿el autor del blog está de acuerdo con la película?", {"author"}),
    ("博主本人认同这部电影的观点吗", {"author"}),
    ("what does the person who wrote the blog think about it", {"author"}),
    ("does the writer of the post agree", {"author"}),
    ("which commenter disagrees with the author", {"comments"}),   # the readers are asked about
])
def test_classify_the_question_as_read(question, expected):
    shape = classify(read_question(question))
    flags = {f for f in ("when", "ago", "day", "span", "quantity", "duration", "cast", "identity", "comments",
                         "author") if getattr(shape, f)}
    assert flags == expected


@pytest.mark.parametrize("question, performer", [
    ("who played Minnie Vautrin in the documentary?", True),
    ("what was Matsui's role in the massacre?", False),   # a role alone: what a real person did
    ("what role did vautrin play", False),
    ("刘烨演的是谁", True),
])
def test_a_cast_question_asks_of_acting_or_only_of_a_role(question, performer):
    shape = classify(read_question(question))
    assert shape.cast and shape.performer == performer


def test_a_film_length_is_counted_in_minutes():
    assert classify("truth of nanking runtime?").unit == "minutes"
    assert classify("这部电影的片长是？").unit == "minutes"
    assert classify("what was the duration of the occupation").unit is None   # weeks, years, ...


def test_focus_word():
    assert classify("whats the weather like").focus == "weather"
    assert classify("what is a safety zone").focus == "safety"


def test_describes_apposition_and_cast_entry():
    text = "including John Rabe, a Nazi businessman; and Kadokawa Masao (Nakaizumi Hideo) faces"
    rabe = (text.index("John"), text.index("John") + len("John Rabe"))
    kadokawa = (text.index("Kadokawa"), text.index("Kadokawa") + len("Kadokawa"))  # the tail "Masao" is skipped
    assert describes(text, [rabe], APPOSITION) and not describes(text, [rabe], CAST)
    assert describes(text, [kadokawa], CAST) and not describes(text, [kadokawa], APPOSITION)


@pytest.mark.parametrize("text, described", [
    ("the Tokyo Tribunal convicted Iwane Matsui, commander of Japanese forces", True),
    ("Iwane Matsui, one of the generals, was tried", True),
    ("Iwane Matsui, head of the army", True),
    ("Iwane Matsui, because of the war, was tried", False),
    ("Iwane Matsui, most of whose men", False),
    ("Iwane Matsui, instead of retreating", False),
])
def test_an_apposition_without_an_article_is_a_role_of_something(text, described):
    matsui = (text.index("Iwane"), text.index("Iwane") + len("Iwane Matsui"))
    assert describes(text, [matsui], APPOSITION) == described


@pytest.mark.parametrize("question, expected", [
    ("Who was John Rabe?", "John Rabe, a Nazi businessman"),
    ("who plays kadokawa", "Kadokawa Masao (Nakaizumi Hideo)"),
    ("who is xiaojiang", "Xiaojiang (Jiang Yiyan)"),
    ("how many people died in nanking", "200,000"),
])
def test_answer_shapes_pick_the_describing_passage(index, question, expected):
    assert expected in build_answer(index, question).quotes[0].text


@pytest.mark.parametrize("question, expected", [
    ("how many rapes were there", "20,000 cases of rape"),
    ("how many class a war criminals are enshrined at yasukuni", "14 class A war criminals"),
])
def test_how_many_prefers_a_number_counting_the_unit(index, question, expected):
    assert expected in build_answer(index, question).quotes[0].text


@pytest.mark.parametrize("text, duration", [
    ("the events lasted approximately six weeks", True),
    ("For 160 minutes, the film explores", True),
    ("a two-year stay", True),
    ("the first installment of a three part series", False),
    ("claiming up to 300,000 lives", False),
    ("Seventy years later", True),
    ("Japan had a presence in mainland Asia since 1931", True),   # since when: how long
    ("in 1931", False),
])
def test_a_length_of_time_is_a_number_of_a_unit_of_time(text, duration):
    assert bool(DURATION.search(text)) is duration


def test_how_long_prefers_a_length_of_time_or_a_period_of_the_timeline(index):
    """The Tokyo Trials' timeline entry, dated "May 3, 1946 – Nov 12, 1948", says how long they
    lasted; the rape of Nanking's "six weeks" is a length of time, but of something else. The
    fused order puts the entry first. The learned ranker (English since session 42) puts the
    "six weeks" passage, which names the Tokyo Trials, first and the entry second: a loss it
    weighs against its gains on unseen questions (each blind set left out, 733 -> 752 of 902)."""
    question = "how long were the tokyo trials"
    assert analyse(index, question, ranker=None).ranked[0].passage.date_text == "May 3, 1946 – Nov 12, 1948"
    quotes = build_answer(index, question).quotes
    assert "May 3, 1946 – Nov 12, 1948" in [q.date_text for q in quotes[:2]]
    assert all(DURATION.search(q.text) or q.date_text for q in quotes[:2])


@pytest.mark.parametrize("question", ["when did the IMTFE run, start to finish?",
                                      "From when to when did the Tokyo War Crimes Trial run?"])
def test_both_ends_asked_prefer_a_period_of_the_timeline(index, question):
    """Asked when a thing began and ended, the entry dated as a period ("May 3, 1946 – Nov 12,
    1948") says both; "November 1948 Matsui convicted by IMFTE" names the tribunal and one date."""
    assert build_answer(index, question).quotes[0].date_text == "May 3, 1946 – Nov 12, 1948"


def test_a_film_length_asked_by_its_word_finds_its_length(index):
    assert "For 160 minutes" in build_answer(index, "mizushima film length").quotes[0].text


@pytest.mark.parametrize("question", ["who won the 2022 world cup", "what happened in 1945"])
def test_a_date_the_sources_never_mention_is_declined(index, question):
    answer = build_answer(index, question)
    assert not answer.answered and any("nothing in them is dated" in n for n in answer.notes)


@pytest.mark.parametrize("question", [
    "did japan and china restore diplomatic ties before 1980?",
    "Haben Japan und China vor 1980 wieder diplomatische Beziehungen aufgenommen?",
    "¿Japón y China restablecieron relaciones diplomáticas antes de 1980?",
    "中日1980年以前恢复邦交了吗",
])
def test_a_date_that_bounds_the_question_is_not_the_date_asked(index, question):
    """Nothing is dated 1980, but the question asks about something before it: the words decide."""
    answer = build_answer(index, question)
    assert answer.answered and "resume diplomatic relations" in answer.quotes[0].text


# "Who directed the 2007 documentary Nanking?": a year that names a thing, in three languages
DIRECTOR_OF_THE_2007_DOCUMENTARY = {
    "en": "who directed the 2007 documentary Nanking?",
    "es": "¿Quién dirigió el documental Nanking de 2007?",
    "de": "Wer hat die Doku Nanking (2007) gedreht?",
}


@pytest.mark.parametrize("question", DIRECTOR_OF_THE_2007_DOCUMENTARY.values())
def test_a_year_that_names_a_thing_is_not_the_date_asked(index, question):
    """"the 2007 documentary" names the film by its year; a reader's comment dated 2007 says
    nothing of who directed it. No dated entry is put first and no date declines it: the words
    and the decision decide."""
    assert dated_entries(index.timeline, question).qualifies
    analysis = analyse(index, question)
    assert analysis.dated == () and analysis.fact is None


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_sources_name_no_director_of_the_documentary(index, lang):
    """Declined by the decision. (The German one was too until session 61's refit, with
    dev-blind-28 and -29 in the fits: the other languages' decision weighs no name lift, measured
    and not kept in session 61, eval/RESULTS.md.)"""
    question = DIRECTOR_OF_THE_2007_DOCUMENTARY[lang]
    assert not build_answer(index, question).answered


@pytest.mark.parametrize("question, qualifies", [
    ("did anyone in the comments mention the 2007 documentary?", True),
    ("コメ欄で2007年のドキュメンタリー推してる人いたよね", True),
    ("what happened in 2007", False),
    ("2007年に何があった", False),
    ("¿Qué pasó en diciembre de 1937?", False),   # a month, not a bare year
    ("what happened in the winter of 1937?", False),
])
def test_a_year_qualifying_a_thing_is_told_from_a_year_asked_about(index, question, qualifies):
    assert dated_entries(index.timeline, question).qualifies is qualifies


def test_a_year_naming_a_thing_still_finds_what_the_sources_say_of_it(index):
    answer = build_answer(index, "did anyone in the comments mention the 2007 documentary?")
    assert answer.answered and "Nanking (2007)" in answer.quotes[0].text


def test_a_date_that_is_not_the_subject_does_not_pick_the_quotes(index):
    # no 1937 timeline entry mentions a president: the words decide, not the date
    answer = build_answer(index, "who was the us president in 1937")
    assert not answer.answered or answer.quotes[0].score > 0
    dated = build_answer(index, "what happened in nanking in december 1937")
    assert dated.quotes[0].date and dated.quotes[0].score == 0.0  # chosen by its date



def test_a_content_word_before_the_question_word_is_not_a_lead_in():
    assert not classify(read_question("nanking when did it fall")).when


# How people write to a bot on Discord, around a question the sources answer: each version finds
# the same passage first. The test asks only that the frame change nothing; the figures over the
# labelled questions are benchmarks.eval_frames'.
FRAMES = [
    "hey bot, {q}",
    "{q}?? thanks!",
    "<@123456789012345678> {q}",
    "{q} 🤔",
    "hi there, I was wondering {q}",
    '"{q}"',
]


@pytest.mark.parametrize("question", ["who was john rabe", "what is the safety zone",
                                      "when did japan attack shanghai"])
@pytest.mark.parametrize("frame", FRAMES + ["{Q}"])
def test_greetings_thanks_mentions_emoji_and_shouting_change_no_answer(index, question, frame):
    plain = build_answer(index, question)
    framed = build_answer(index, frame.format(q=question, Q=question.upper()))
    assert plain.answered and framed.answered
    assert framed.quotes[0].passage_id == plain.quotes[0].passage_id


def test_greetings_alone_are_not_a_question(index):
    for text in ("hey bot", "thanks!", "hi 👋", "<@123456789012345678>"):
        answer = build_answer(index, text)
        assert not answer.answered


@pytest.mark.parametrize("question, story", [
    ("who do the westerners try to protect in the film", True),
    ("what happens to xiaojiang at the end of the movie?", True),
    ("who runs the safety zone during the film", True),
    ("what is the film about", False),          # about the film, not a moment of its story
    ("Warum verlässt Rabe im Film Nanking?", True),
    ("¿por qué se va Rabe en la película?", True),
    ("电影里拉贝为什么离开南京", True),
    ("映画で南京に残ったのは誰？", True),
    ("Worum geht es in dem Film?", False),      # what the film is about, in German
    ("¿De qué trata la película?", False),
    ("where is the denial movie being screened", False),
])
def test_in_the_film_asks_about_a_film_s_story(question, story):
    assert classify(question).story is story


def test_a_question_about_a_film_s_story_prefers_its_plot_section(index):
    """The documentary's history also says the Westerners protected civilians; "in the film"
    asks what the film's story says, so the film page's plot summary comes first."""
    answer = build_answer(index, "who do the westerners try to protect in the film")
    first = answer.quotes[0]
    assert first.source_id == "film-city-of-life-and-death" and "shield thousands of civilians" in first.text


@pytest.mark.parametrize("question", ["电影里拉贝为什么离开南京", "Warum verlässt Rabe im Film Nanking?"])
def test_in_other_languages_too_a_question_about_a_film_s_story_ranks_its_plot_first(index, question):
    # the ranking, not the decision: "verlässt" is no glossary form ("verlassen" is), and the
    # shipped decision weighs that against answering the German question
    ranked = analyse(index, question).ranked[:3]
    assert {c.passage.source_id for c in ranked} == {"film-city-of-life-and-death"}
    assert any("summoned back to Germany" in c.passage.text for c in ranked)


def test_a_plot_passage_only_meaning_recalls_still_comes_before_other_sources(index):
    """BM25 ranks the passage telling why Rabe leaves past its best 20 (it never says "leave" or
    "film"); the semantic stage recalls it, and a film's story comes before the blog's and the
    documentary's passages, which match "film" and "Nanking" better."""
    answer = build_answer(index, "why does rabe leave nanking in the film")
    assert {q.source_id for q in answer.quotes[:3]} == {"film-city-of-life-and-death"}
    assert any("summoned back to Germany" in q.text for q in answer.quotes[:3])


_PLAIN_NUMBER = (r"(?<![\d,])\d{1,3}(?:,\d{3})*(?![\d,])|\b(one|two|three|four|five|six|seven|eight|nine|ten|"
                 r"eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million)\b")
_PLAIN_DATED = (r"\b(1[89]\d\d|20\d\d)\b|\b(january|february|march|april|may|june|july|august|september|"
                r"october|november|december)\b")
_PIECES = ("1", "12", "123", "1,000", "10,00", "1,2345", "12,345,678", "1937", "1899", "2007", "20071", "Twenty",
           "ten", "tens", "often", "someone", "One", "may", "Mayhem", "March", "marching", "june", "DECEMBER", "a",
           "of", "(", ",", ".", "-", "’", "é", "七", "\n")


_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=12)


@given(_TEXTS.map(" ".join) | _TEXTS.map("".join))
def test_the_answer_shapes_find_what_the_plain_patterns_find(text):
    """NUMBER and DATED are written for speed (grouped by first letter behind a one-character
    gate: a search over a passage without a number took 19-78 µs): the same matches, groups
    included, as the plain alternations they stand for."""
    import re

    from bot.answering.questions import DATED, NUMBER

    for fast, plain in ((NUMBER, re.compile(_PLAIN_NUMBER, re.I)), (DATED, re.compile(_PLAIN_DATED, re.I))):
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == \
               [(m.span(), m.groups()) for m in plain.finditer(text)]


def test_the_answer_shapes_match_the_corpus_as_the_plain_patterns_do(index):
    import re

    from bot.answering.questions import DATED, NUMBER

    texts = [p.text for p in index.passages]
    for fast, plain in ((NUMBER, re.compile(_PLAIN_NUMBER, re.I)), (DATED, re.compile(_PLAIN_DATED, re.I))):
        assert [[m.span() for m in fast.finditer(t)] for t in texts] == \
               [[m.span() for m in plain.finditer(t)] for t in texts]


@pytest.mark.parametrize("question", ["runtime of the truth of nanking?", "truth of nanking runtime?"])
def test_a_word_for_a_length_of_time_finds_the_length_only_meaning_finds(index, question):
    """"runtime" is no word of the sources and the passage giving the first film's length never
    names it (the blog post is about it): only meaning finds "For 160 minutes", and for a
    question asking a length of time, a passage holding one comes first among all candidates
    (fused, "truth of nanking runtime?" put it 21st of 31: a passage only meaning finds comes
    after those both orders rank)."""
    answer = build_answer(index, question)
    assert "For 160 minutes" in answer.quotes[0].text


@pytest.mark.parametrize("question, others", [
    ("what other films has the director made?", True),
    ("Which other documentaries did he produce?", True),
    ("did he make any other movies after that?", True),
    ("what else has the actor been in?", True),
    ("welche anderen Filme hat er gedreht?", True),
    ("¿Qué otras películas ha dirigido?", True),
    ("¿Ha hecho alguna otra película?", True),
    ("他还拍过其他电影吗？", True),
    ("他还导演过哪些片子？", True),                                     # "what else has he directed"
    ("这位演员還演過什麼電影？", True),
    ("ほかにどんな映画を撮っていますか？", True),
    ("他の作品は？", True),
    # other people, or "other" that is not what is asked for
    ("who were the other foreigners besides the three named?", False),
    ("who else helped run the Safety Zone?", False),
    ("what else did the army do in the city?", False),
    ("what else has the blog said about Rabe?", False),                # more of the sources, not a career
    ("Was weißt du sonst noch über John Rabe?", False),
    ("why did Rabe and the other foreigners stay?", False),
    ("why won't she cut her hair like the other women?", False),
    ("does the film blame someone other than the army?", False),
    ("Warum sind Rabe und die anderen Ausländer geblieben?", False),
    ("¿Qué ve Kadokawa que les pasa a las otras mujeres?", False),
    ("拉贝和其他外国人为什么留在了南京？", False),
    ("ラーベやほかの外国人はなぜ残ったのですか？", False),
    ("ほかに何が起きましたか？", False),
    ("拉贝还做过什么来保护难民？", False),                               # more of his deeds, told
    ("日军还干过哪些暴行？", False),
])
def test_asking_for_a_person_s_other_works(question, others):
    """"what other films has X made" asks for a career the sources do not tell: evidence for the
    decision, weighed with the rest."""
    assert classify(question).others is others
