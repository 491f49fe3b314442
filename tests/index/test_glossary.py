from index.retrieval.protocol import english_words
from index.text.glossary import Glossary, shipped

SAMPLE = {
    "massacre": {"de": ["Massaker"], "es": ["masacre", "matanza"], "zh": ["大屠杀", "屠杀"], "ja": ["虐殺"]},
    "zone": {"de": ["Zone"], "zh": ["区"], "ja": ["安全区"]},
    "refugees": {"es": ["refugiados"], "zh": ["难民"]},
}


def english(g: Glossary, text: str) -> list[str]:
    """The English words a question's glossary forms are read as (what the search adds)."""
    return list(english_words(g.read(text)))


def test_whole_words_folded_for_german_and_spanish():
    g = Glossary.from_mapping(SAMPLE)
    assert english(g, "Wann begann das MASSAKER?") == ["massacre"]
    assert g.read("Wann begann das MASSAKER?") == (("MASSAKER", "massacre"),)   # as typed, for the note
    assert english(g, "¿Cuántos REFUGIADOS había?") == ["refugees"]
    assert english(g, "Massakerbilder") == []  # part of a word is not the word


def test_cjk_forms_by_substring_longest_first_and_single_characters_ignored():
    g = Glossary.from_mapping(SAMPLE)
    assert english(g, "南京大屠杀中有多少难民") == ["massacre", "refugees"]
    assert english(g, "安全区在哪里") == ["zone"]   # "区" alone is too short to be a form
    assert english(g, "城区") == []


def test_a_form_listed_under_several_words_finds_them_all():
    g = Glossary.from_mapping({"holocaust": {"zh": ["大屠杀"]}, "massacre": {"zh": ["大屠杀"], "de": ["Massaker"]}})
    assert english(g, "南京大屠杀") == ["holocaust", "massacre"]
    assert g.find("Massaker") == [(0, 8, "massacre")]


def test_another_inflection_of_a_spanish_form_is_read_as_the_form():
    """Spanish verbs and nouns inflect more than a list can hold ("cortar": cortan, cortaron,
    corté): a word whose Snowball stem is a listed form's stem is read as that form."""
    g = Glossary.from_mapping({"cut": {"es": ["cortar"], "de": ["schneiden"]}, "film": {"es": ["película"]}})
    assert g.read("¿Por qué se cortan el pelo?") == (("cortan", "cut"),)
    assert english(g, "¿Qué PELÍCULAS hay?") == ["film"]
    assert english(g, "¿Por qué se corta?") == ["cut"]
    # German is matched by whole words only: its participles do not stem to the verb's stem
    # ("geschnitten", "gekämpft"), and stems of German words joined unrelated ones (measured)
    assert english(g, "Warum schneidet sie?") == []
    assert english(Glossary.from_mapping({"war": {"es": ["guerra"]}}), "gue") == []   # too short to stem


def test_nothing_found_in_unrelated_text():
    assert english(Glossary.from_mapping(SAMPLE), "how tall is the mountain") == []


def test_shipped_glossary_loads_and_maps_to_lower_case_english_words():
    g = shipped()
    assert g.words and g.scripts
    assert all(w == w.strip() and w for ws in g.words.values() for w in ws)


def test_a_form_of_several_words_is_read_as_a_phrase():
    """"blanco y negro" is black-and-white, "im Stich lassen" to abandon: matched word by word in
    order (folded), and the words of a matched phrase are not read again on their own."""
    g = Glossary.from_mapping({"black": {"es": ["blanco y negro", "negro"]}, "white": {"es": ["blanco y negro"]},
                               "abandon": {"de": ["verlassen", "im Stich lassen"]},
                               "perspective": {"es": ["punto de vista"]}})
    assert g.read("¿La película es en BLANCO Y NEGRO?") == (("BLANCO Y NEGRO", "black"), ("BLANCO Y NEGRO", "white"))
    assert english(g, "Warum hat er sie im Stich lassen wollen?") == ["abandon"]
    assert english(g, "desde el punto de vista japonés") == ["perspective"]
    assert english(g, "un punto de partida") == []      # the first words alone are not the phrase
    assert english(g, "un gato negro") == ["black"]     # a phrase's word listed alone still is


def test_a_german_compound_no_entry_lists_is_read_as_its_two_listed_parts():
    g = Glossary.from_mapping({**SAMPLE, "blog": {"de": ["Blog"]}, "author": {"de": ["Autor"]},
                               "war": {"de": ["Krieg"]}})
    assert sorted(english(g, "Was meint der Blogautor?")) == ["author", "blog"]
    assert sorted(english(g, "die Kriegszone")) == ["war", "zone"]  # with the linking "s"
    assert english(g, "Massakerbilder") == []                       # one part no entry lists
    assert english(g, "Blogzo") == []                               # a part shorter than a word
    # each part read where it stands, so the note says what each was read as
    assert g.read("Was meint der Blogautor?") == (("Blog", "blog"), ("autor", "author"))


def test_the_inflected_forms_of_german_verbs_are_listed():
    """German is not stemmed (it lost questions), so a verb is read only in the forms the
    glossary lists: the present, the preterite and the participle as well as the infinitive."""
    g = shipped()
    assert "leave" in english(g, "Warum verlässt Rabe im Film Nanking?")
    assert "ruled" in english(g, "wer hat nanking nach der besetzung regiert")
    assert "died" in english(g, "Wann starb Minnie Vautrin?")


def test_the_forms_read_are_given_where_they_stand():
    """Where each form read stands, outside the names (what the unread share leaves out), and the
    same forms as ``read``; a name's words are not read again."""
    g = shipped()
    text = "¿Qué palabra usaban los libros de texto para la masacre de Nankín?"
    name = (text.index("masacre"), text.index("?"))
    spans = g.read_spans(text, [name])
    assert tuple((text[s:e], w) for s, e, w in spans) == g.read(text, [name])
    assert spans and all(not (name[0] < e and s < name[1]) for s, e, _ in spans)
    assert [text[s:e] for s, e, _ in spans][:1] == ["libros de texto"]   # a phrase, where it stands


def test_japanese_asks_for_a_role_and_a_setting():
    """"誰の役" (whose role) asks for the cast, "舞台" (a story's setting) for its backdrop: read,
    not left unread."""
    g = shipped()
    assert "plays" in english(g, "劉燁って誰の役？")
    assert "backdrop" in english(g, "その映画の舞台はどの戦争？")


def test_a_german_adverb_is_not_read_as_the_noun_it_folds_to():
    """Words are matched folded, so a listed "Länge" (a film's length) would also be read in
    "lange" (for long): "wie lange dauerte das Massaker?" asks how long the massacre lasted, not
    for a runtime in minutes. A film's length is still asked as "Filmlänge" or "wie lang"."""
    g = shipped()
    assert "minutes" not in english(g, "Wie lange dauerte das Massaker?")
    assert "lasted" in english(g, "Wie lange dauerte das Massaker?")
    assert "minutes" in english(g, "Wie lang ist der Film?")
    assert "minutes" in english(g, "Welche Filmlänge hat der Film?")


def test_everyday_short_words_for_a_film_are_read_as_film():
    """Spanish speakers write "peli" for "película" as English speakers write "movie"."""
    g = shipped()
    assert "film" in english(g, "¿De qué va la peli de Mizushima?")
    assert "film" in english(g, "las pelis sobre Nanking")


def test_how_old_is_read_in_every_language():
    """"何歳" and "几岁" ask how old, as "wie alt" does: they were read as nothing ("歳" is common
    enough to count as a function word), so "水島総監督って何歳？" was searched as "director
    Mizushima" and answered with the film's announcement."""
    g = shipped()
    assert "old" in english(g, "水島総監督って何歳？")
    assert "old" in english(g, "约翰·拉贝几岁去世的？")
    assert "old" in english(g, "Wie alt ist Satoru Mizushima?")
    assert "age" in english(g, "拉贝多大年纪？")


def test_how_many_years_is_not_read_as_a_boy():
    """Chinese forms are found as substrings, longest first: "多少年" (how many years) held the
    listed "少年" (a boy), so "拉贝在南京住了多少年" was read as asking about a boy. Read as years,
    and "多少年前" (how many years ago) as ago, as "年前" is."""
    g = shipped()
    years = english(g, "拉贝在南京住了多少年")
    assert "boy" not in years and "years" in years
    ago = english(g, "博客里说南京大屠杀是多少年前的事？")
    assert "boy" not in ago and "ago" in ago
    assert "boy" in english(g, "那个少年后来怎么样了？")   # a boy is still a boy
