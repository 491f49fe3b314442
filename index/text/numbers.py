"""Numbers written in words, read as the digits people type: "two hundred thousand refugees" is
"200000", as "200,000" (and "200k", ``bot.answering.shorthand``) are; "six weeks" is "6 weeks",
"seven class A war criminals" "7 class A ...". Documents and questions alike, so either way of
writing finds the other. Only the terms change: quotes stay verbatim.

A run of English cardinal words ("one hundred", "twenty five", "two hundred thousand") is one
number. "One" alone stays a word ("no one", "one of them"), as do plurals ("hundreds of
civilians", "thousands": no number) and ordinals ("first", "second": sections and dates read
them). A word of an entity's name is never read as a number.
"""
from __future__ import annotations

from collections.abc import Sequence

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
UNITS = {word: n for n, word in enumerate(_UNITS)}
TENS = {word: 10 * n for n, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS) | frozenset(SCALES)


def _follows(previous: str, word: str) -> bool:
    """Whether ``word`` continues a number after ``previous`` ("twenty five", "two hundred",
    "hundred thousand"; not "five six", "twenty thirty")."""
    if word in SCALES:
        return previous not in SCALES or SCALES[word] > SCALES[previous]
    if previous in TENS:
        return word in UNITS and 0 < UNITS[word] < 10
    return previous in SCALES


def _value(words: Sequence[str]) -> int:
    total = current = 0
    for word in words:
        if word in SCALES:
            if SCALES[word] == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * SCALES[word]
                current = 0
        else:
            current += UNITS.get(word, 0) + TENS.get(word, 0)
    return total + current


def number_runs(words: Sequence[str], names: frozenset[str] = frozenset()) -> dict[int, tuple[str, int]]:
    """For each run of number words among folded ``words``: its first word's index -> (the
    number as digits, the index after its last word). A run holding a word of ``names`` (the
    entities' names) is left as words."""
    runs: dict[int, tuple[str, int]] = {}
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        if word not in UNITS and word not in TENS:
            i += 1
            continue
        end = i + 1
        while end < n and words[end] in NUMBER_WORDS and _follows(words[end - 1], words[end]):
            end += 1
        run = words[i:end]
        if run != ["one"] and not names.intersection(run):
            runs[i] = (str(_value(run)), end)
        i = end
    return runs
