"""Chat shorthand read as the words it stands for ("what yr", "how many ppl", "300k")."""
import pytest

from bot.answering.questions import classify
from bot.answering.reading import read_question
from bot.answering.shorthand import expand


@pytest.mark.parametrize("typed, read", [
    ("what yr is city of life and death set in", "what year is city of life and death set in"),
    ("how many ppl died", "how many people died"),
    ("can u tell me abt rabe", "can you tell me about rabe"),
    ("r there any survivors b4 the trials", "are there any survivors before the trials"),
    ("what did the govt do abt it", "what did the government do about it"),
    ("were 300k killed", "were 300,000 killed"),
    ("how long is it, 160 mins?", "how long is it, 160 minutes?"),
    ("rabe w/ the nazi party", "rabe with the nazi party"),
    ("how long did it go on thru 1938 yrs later", "how long did it go on through 1938 years later"),
    ("what did the japanese do to the chinese POWs", "what did the japanese do to the chinese prisoners of war"),
    ("were pows shot?", "were prisoners of war shot?"),
    ("doc recommended in the comments?", "documentary recommended in the comments?"),
    ("any good docs about it", "any good documentaries about it"),
    ("how many died acc to the blog", "how many died according to the blog"),
    ("how many died acc. to the blog", "how many died according to the blog"),
    # a film's "post-credits scene" plays after its end credits; "post" is no blog post here
    ("post credits scene?", "end credits scene?"),
    ("is there a post-credit scene", "is there a end credits scene"),
    ("hat der film ne Post-Credit-Szene", "hat der film ne end credits-Szene"),
])
def test_shorthand_is_read_as_its_words(typed, read):
    assert expand(typed) == read


@pytest.mark.parametrize("text", [
    "the U.S. embassy",            # an initial, not "you"
    "Yr 1937",                     # capitalised: a name or a heading, left alone
    "the ur-text of the film",     # inside a hyphenated word
    "Dr. Wilson's u-boat",
    "your people before 1937",     # the words themselves
    "Mr. Tang and R. Wilson",
    "in 1.5k words",               # not a whole number of thousands
    "¿quién es Rabe y qué hizo?",  # Spanish "y" is "and"
    "wen spielt Liu Ye",           # German "wen" is "whom"
    "the acc account",             # "acc" alone is no "according"
    "Doc Wilson",                  # capitalised: a name or a title, left alone
    "the post credits Mizushima",  # the blog post, then a verb
])
def test_other_words_are_left_alone(text):
    assert expand(text) == text


def test_the_question_is_read_with_its_shorthand_expanded():
    read = read_question("hey bot what yr is city of life and death set in??")
    assert read == "what year is city of life and death set in?"
    assert classify(read).when   # "what yr" asks when, as "what year" does
