"""A small English thesaurus for history and film questions: each group folds to its first word.

Applied by the tokenizer to documents and questions alike, so "movie" matches "film" and "kid"
matches "boy". Groups are general vocabulary, not facts: they never make the bot say anything.
Keep them narrow: a group that joins words of different meaning makes retrieval worse.
"""
from __future__ import annotations

GROUPS = (
    "film movie movies films",
    "child children kid kids boy boys girl girls youngster",
    "woman women female females",
    "man men",
    "perspective perspectives viewpoint viewpoints standpoint",
    "annual annually yearly",
    "anger angry angered outrage outraged furious",
    "rule ruled rules ruling govern governed governs",
    "death die died dies dead murder murdered murders kill killed killing kills slaughter slaughtered",
    "rescue rescued rescues save saved saves",
    "capture captured captures catch caught apprehend apprehended arrest arrested",
    "visit visits visited pilgrimage pilgrimages",
    "know knows knew known aware awareness",
    "myth myths lie lies hoax fabrication fabricated",
    "exaggerate exaggerated exaggeration exaggerations overemphasize overemphasized overstate overstated",
    "deny denies denied denial",
    "flee fled flees escape escaped escapes",
    "begin begins began start starts started",
    "city town",
    "actor actors actress actresses cast casts",
    "director directors directed directs directing",
    "mean means meaning meant translate translates translated translation",
    "soldier soldiers troop troops",
    "raid raids strike strikes bomb bombs bombed bombing bombings airstrike airstrikes",
    "show shows shown showing screen screens screened screening",
    "decide decides decided deciding decision decisions",
    "punish punishes punished punishing punishment punishments sentenced",
    # a city falls when it is invaded ("invaded the city of Nanking"); "invade" and "invasion"
    # stay apart: an invasion is a campaign, not the day a city fell
    "fall falls fell fallen invaded",
    # "forces" are troops: only the verb's forms join "compel"
    "compel compels compelled forced",
    # not "remains", "remaining": "the invasion remains a divisive issue" is no one staying
    "stay stays stayed staying remain remained",
)

# Light verbs and fillers carry no topic in a question ("when did the film come out",
# "what happened", "how many people", "who plays Kadokawa": the answer is the cast list, where
# "plays" never appears; "what did the second commenter say": the answer is the comment, where
# "say" never appears); they are dropped like stopwords, in documents too.
LIGHT_WORDS = frozenset("""
come comes came coming go goes went gone going happen happens happened happening take takes took
taken make makes made get gets got become becomes became find finds thing things stuff basically
really actually even ever many much play plays played playing people person persons
say says said saying
""".split())

SYNONYMS: dict[str, str] = {}
for _group in GROUPS:
    _head, *_rest = _group.split()
    for _word in _rest:
        SYNONYMS.setdefault(_word, _head)

# Words the Snowball stemmer would merge with a word of another meaning ("authorities" -> "author"):
# they keep a term of their own.
UNSTEMMED: dict[str, str] = {
    "authority": "authority", "authorities": "authority",
    "general": "general", "generally": "generally",
}

# Words that place or hedge a question ("later", "ever", "today") rather than say what it is about:
# a passage that answers the rest of the question need not contain them.
VAGUE_WORDS = frozenset("""
later earlier ever still now then today again soon already eventually finally afterwards afterward
""".split())
