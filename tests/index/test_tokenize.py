from index.corpus.model import Entity
from index.text.tokenize import ENTITY_PREFIX, Tokenizer, fold_word

ENTITIES = [
    Entity("nanking", "Nanking", "place", ("Nanjing",)),
    Entity("chiang-kai-shek", "Chiang Kai-shek", "person", ("Chiang Kai Shek",)),
    Entity("imtfe", "International Military Tribunal for the Far East", "organisation",
           ("IMTFE", "IMFTE", "Tokyo Trials")),
    Entity("safety-zone", "Safety Zone", "place", ("Nanking Safety Zone",)),
]


def tok(text, entities=ENTITIES):
    return Tokenizer(entities).tokens(text)


def test_case_punctuation_and_stopwords():
    assert tok("What WAS safety in the zone?!") == ["safeti", "zone"]
    assert tok("What WAS the Safety-Zone?!") == [ENTITY_PREFIX + "safety-zone"]


def test_numbers_kept_whole():
    assert "200000" in tok("over 200,000 civilians")
    assert tok("200,000") == tok("200000")
    assert tok("December 13th") == tok("Dec 13")
    assert "1937" in tok("in 1937")


def test_numbers_written_in_words_are_digits():
    """"two hundred thousand refugees" is found by "200,000 refugees" and the other way round;
    "one" alone, plurals and ordinals stay words."""
    assert tok("Some two hundred thousand refugees") == tok("some 200,000 refugees") == ["200000", "refuge"]
    assert tok("the seven class A war criminals")[0] == "7"
    assert tok("one hundred women") == tok("100 women")
    assert tok("twenty-five people") == ["25"]
    assert tok("six weeks") == tok("6 weeks")
    assert tok("no one knows") == ["one", "know"]
    assert tok("hundreds of civilians") == ["hundr", "civilian"]
    assert tok("the second comment") == ["second", "comment"]
    assert tok("five six") == ["5", "6"]   # two numbers, not one


def test_possessives_and_apostrophes():
    assert tok("Rabe's secretary") == tok("Rabe secretary")
    assert tok("China’s capital") == tok("China capital")


def test_stemming_matches_inflections():
    assert tok("looted") == tok("looting")
    assert tok("tangs") == tok("Tang")


def test_aliases_fold_to_one_entity_term():
    assert ENTITY_PREFIX + "nanking" in tok("Nanjing")
    assert ENTITY_PREFIX + "nanking" in tok("NANKING")
    for spelling in ("Chiang Kai-shek", "chiang kai shek", "CHIANG KAI-SHEK"):
        assert ENTITY_PREFIX + "chiang-kai-shek" in tok(spelling)
    for name in ("IMFTE", "the Tokyo Trials", "International Military Tribunal for the Far East"):
        assert ENTITY_PREFIX + "imtfe" in tok(name)


def test_a_name_of_several_words_is_found_with_another_spelling_of_a_place_in_it():
    entities = [*ENTITIES, Entity("tokyo", "Tokyo", "place", ("Tokio",))]
    assert tok("the Tokio Trials", entities) == [ENTITY_PREFIX + "imtfe"]
    assert tok("the Nanjing Safety Zone", entities) == [ENTITY_PREFIX + "safety-zone"]   # not listed as such
    assert tok("Tokio", entities) == [ENTITY_PREFIX + "tokyo"]


def test_longest_alias_wins_and_a_name_is_one_term():
    assert tok("the Nanking Safety Zone") == [ENTITY_PREFIX + "safety-zone"]
    assert tok("Nanking's zone") == [ENTITY_PREFIX + "nanking", "zone"]


def test_a_person_s_own_name_word_alone_is_the_person():
    """A given name typed alone ("who is masao", "minnie?") names the person when no one else has
    it and it is no everyday word: "John" names two people, "Sergeant" is a rank."""
    entities = [*ENTITIES, Entity("kadokawa-masao", "Kadokawa Masao", "character", ("Sergeant Kadokawa",)),
                Entity("minnie-vautrin", "Minnie Vautrin", "person", ("Vautrin",)),
                Entity("john-rabe", "John Rabe", "person", ("Rabe",)),
                Entity("john-paisley", "John Paisley", "person", ())]
    assert tok("who is masao", entities) == [ENTITY_PREFIX + "kadokawa-masao"]
    assert tok("minnie?", entities) == [ENTITY_PREFIX + "minnie-vautrin"]
    assert tok("paisley", entities) == [ENTITY_PREFIX + "john-paisley"]
    assert tok("john", entities) == ["john"]
    assert tok("the sergeant", entities) == ["sergeant"]
    assert tok("Nanking Safety Zone", entities) == [ENTITY_PREFIX + "safety-zone"]   # a place's words stay words


def test_the_last_word_of_an_event_s_or_a_group_s_name_heads_it():
    """"The massacre" is the Nanking Massacre: the word's term also searches the name's, which
    is one term in the passages. Not a place's or a person's last word, nor a short one."""
    entities = [*ENTITIES, Entity("nanking-massacre", "Nanking Massacre", "event", ("Rape of Nanking",)),
                Entity("class-a", "Class A war criminals", "group", ()),
                Entity("war", "Second Sino-Japanese War", "event", ())]
    heads = Tokenizer(entities).heads
    assert heads["massacr"] == {ENTITY_PREFIX + "nanking-massacre"}
    assert heads["crimin"] == {ENTITY_PREFIX + "class-a"}
    assert "zone" not in heads and "war" not in heads   # a place's; too short


def test_a_question_word_that_heads_a_name_matches_the_passages_naming_it(index):
    """The blog's Wikipedia quote says when "the Nanking Massacre" happened; "the massacre"
    found it only by meaning before."""
    query = index.lexical.query("when did the massacre happen")
    assert query.heads == {"massacr": frozenset({ENTITY_PREFIX + "nanking-massacre"})}
    hits = index.lexical.search(query, 80)
    named = [c for c in hits if "Nanking Massacre was a war crime" in c.passage.text]
    assert named and "massacr" in named[0].matched


def test_nationality_adjectives_fold_to_the_country():
    assert tok("Japanese") == tok("japan")
    # German and Spanish ones too: "der deutsche Geschäftsmann" is about Germany
    for word in ("deutsche", "Deutschen", "alemán", "alemanes"):
        assert tok(word) == tok("germany"), word
    for word in ("japanische", "Japaner", "japonés", "japonesas"):
        assert tok(word) == tok("japan"), word
    for word in ("chinesischen", "Chinesen", "chinos"):
        assert tok(word) == tok("china"), word


def test_a_name_with_an_s_and_no_apostrophe_is_the_name():
    """"Mizushimas Film", "Rabes Tagebuch" (German genitives), "mizushimas movie" (typed without
    the apostrophe): a person's or a place's name with an "s" is still the name."""
    entities = [*ENTITIES, Entity("satoru-mizushima", "Satoru Mizushima", "person", ("Mizushima",)),
                Entity("john-rabe", "John Rabe", "person", ("Rabe",)),
                Entity("truth", "The Truth about Nanking", "film", ("Truth",))]
    assert tok("Mizushimas Film", entities) == [ENTITY_PREFIX + "satoru-mizushima", "film"]
    assert tok("John Rabes Tagebuch", entities)[0] == ENTITY_PREFIX + "john-rabe"
    assert tok("Nankings fall", entities) == [ENTITY_PREFIX + "nanking", "fall"]
    assert tok("truths", entities) == ["truth"]   # a film's name is not a possessive's


def test_thesaurus_and_light_verbs():
    assert tok("movie") == tok("films")
    assert tok("kid") == tok("boy")
    assert tok("bombing") == tok("air raid")[1:] == tok("air strikes")[1:]   # "bombed from the air"
    assert tok("screened") == tok("shown")
    assert tok("cast") == tok("actors")   # a film's cast is its actors
    assert tok("female") == tok("women")   # "the female refugees"
    assert tok("decision") == tok("decided")   # the stemmer keeps "decis" and "decid" apart
    assert tok("punishment") == tok("sentenced")   # "sentenced him to death"
    assert tok("fell") == tok("invaded")   # "invaded the city of Nanking": the city fell
    assert tok("invade") != tok("fall") and tok("invasion") != tok("fall")   # an invasion falls on no day
    assert tok("stayed") == tok("remained")   # "remained behind in order to set up a Safety Zone"
    assert tok("remains") != tok("stays")     # "the invasion of Nanking remains a divisive issue"
    assert tok("forced") == tok("compelled") and tok("forces") != tok("forced")   # troops are forces
    assert tok("what happened when it came out") == []


def test_spans_point_at_original_text():
    text = "John Rabe’s  Safety Zone, 200,000 refugees"
    for token in Tokenizer(ENTITIES).tokens_with_spans(text):
        assert text[token.start:token.end].strip() == text[token.start:token.end]
        assert token.end > token.start


def test_invisible_characters_do_not_split_words():
    assert tok("Nan\u200bking") == tok("Nanking")


def test_accents_folded():
    assert tok("Café") == tok("cafe")


def test_empty_and_junk():
    assert tok("") == []
    assert tok("   ") == []
    assert tok("?!... --- ***") == []
    assert tok("the and of to") == []


def test_cjk_and_rtl_do_not_crash():
    assert tok("南京大屠杀") != []
    assert tok("مذبحة نانكينغ") != []


def test_expanded_tokens_keep_words_and_nested_names():
    ents = ENTITIES + [Entity("nanking-war-trials", "Nanking War Trials", "event")]
    t = Tokenizer(ents)
    assert t.tokens("Nanking War Trials") == [ENTITY_PREFIX + "nanking-war-trials"]
    expanded = t.expanded_tokens("Nanking War Trials")
    assert {ENTITY_PREFIX + "nanking-war-trials", ENTITY_PREFIX + "nanking", "nank", "war", "trial"} <= set(expanded)


def test_stemmer_collisions_are_kept_apart():
    assert tok("authorities") == tok("authority") != tok("author")


def test_a_dropped_index_is_freed_without_waiting_for_the_garbage_collector():
    import gc
    import weakref

    from index.engine import Index
    from tests.conftest import CORPUS

    index = Index.from_dir(CORPUS)
    index.retrieve("Who was John Rabe?", 10)
    refs = [weakref.ref(index), weakref.ref(index.tokenizer), weakref.ref(index.scorer), weakref.ref(index.timeline)]
    gc.disable()
    try:
        del index
        assert [r() for r in refs] == [None] * len(refs)  # no reference cycles: freed at once
    finally:
        gc.enable()


def test_names_are_found_in_chinese_and_japanese_too(index):
    """As "Mizushima" alone is the director in English, "水岛" / "水島" is in Chinese and Japanese;
    the film's characters have their Chinese names ("顺子", "小江", "百合子")."""
    for text in ("水岛那片子多长", "水島の映画", "松井后来怎么样了", "顺子后来怎么样了", "小江是谁", "百合子は誰"):
        assert any(t.startswith(ENTITY_PREFIX) for t in index.analyzer.tokens(text)), text


def test_month_names_of_other_languages_stay_their_own_words():
    """The date parser reads "13 de mayo" and "13. Mai"; the tokenizer keeps "mayo" and "Mai"
    (no English "may") and reads only English month abbreviations as months."""
    assert fold_word("Dec") == "december" and fold_word("sept") == "september"
    assert [fold_word(w) for w in ("mayo", "Mai", "Dezember", "dic")] == ["mayo", "mai", "dezember", "dic"]


def test_a_name_written_with_brackets_is_found_where_the_text_writes_it_so():
    """A name does not run across brackets ("John (Rabe)"), but one whose alias is written with
    them ("Nanking (2007)", the documentary) is found where a text writes it so, as where a
    question leaves them out, and with its place written another way ("Nanjing (2007)"); the two
    readings of a text (``terms``, ``tokens``) agree."""
    tokenizer = Tokenizer([*ENTITIES, Entity("nanking-2007", "Nanking (2007 film)", "film", ("Nanking (2007)",)),
                           Entity("john-rabe", "John Rabe", "person", ("Rabe",))])
    for text in ("the US documentary film Nanking (2007) will raise", "Nanking 2007 documentary",
                 "the film Nanjing (2007)"):   # with the place written another way, as any name
        assert "ent:nanking-2007" in tokenizer.tokens(text), text
        assert tokenizer.terms(text) == tokenizer.tokens(text), text
    assert tokenizer.tokens("Nanking (in 2007)") == ["ent:nanking", "2007"]
    assert tokenizer.tokens("John (Rabe) wrote") == ["john", "ent:john-rabe", "wrote"]
