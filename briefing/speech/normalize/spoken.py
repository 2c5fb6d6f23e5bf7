"""How numbers are said: the word forms every rewrite shares.

American style, as num2words gives it, without "and" or commas: "four hundred
sixty-four thousand". Results are cached, since num2words takes tens of
microseconds a call and news repeats its numbers.
"""
from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words

has_digit = re.compile(r"\d").search
"""True (a match) when the text holds a digit: most rewrites need one to do anything."""

DIGIT_WORDS = "zero one two three four five six seven eight nine".split()
PHONE_DIGIT_WORDS = ["oh", *DIGIT_WORDS[1:]]


def _clean(words: str) -> str:
    return words.replace(" and ", " ").replace(",", "")


@lru_cache(maxsize=8192)
def cardinal(number: str) -> str:
    """ "464,000" -> four hundred sixty-four thousand; "3.10" -> three point one zero;
    ".5" -> point five. Decimals are read digit by digit as written."""
    whole, _, fraction = number.replace(",", "").partition(".")
    words = _clean(num2words(int(whole))) if whole else ""
    if fraction:
        words = (words + " point " if words else "point ") + digits(fraction)
    return words


@lru_cache(maxsize=2048)
def ordinal(number: str) -> str:
    """ "23" -> twenty-third."""
    return _clean(num2words(int(number.replace(",", "")), to="ordinal"))


@lru_cache(maxsize=2048)
def year(number: str) -> str:
    """ "1999" -> nineteen ninety-nine; "2005" -> two thousand five; "1905" -> nineteen oh-five."""
    return _clean(num2words(int(number), to="year"))


def digits(text: str, words: list[str] = DIGIT_WORDS) -> str:
    """ "4567" -> four five six seven."""
    return " ".join(words[int(d)] for d in text if d.isdigit())


def plural(words: str) -> str:
    """nineteen ninety -> nineteen nineties; twenty -> twenties; six -> sixes."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith(("x", "s")):
        return words + "es"
    return words + "s"


@lru_cache(maxsize=1024)
def paired(number: str) -> str:
    """Model numbers read in pairs: 737 -> seven thirty-seven, 380 -> three eighty,
    707 -> seven oh seven, 400 -> four hundred, 1100 -> eleven hundred."""
    n = int(number)
    if len(number) in (3, 4) and not number.startswith("0") and n % 100:
        head, tail = number[:-2], number[-2:]
        tail_words = cardinal(tail) if tail[0] != "0" else "oh " + DIGIT_WORDS[int(tail[1])]
        return f"{cardinal(head)} {tail_words}"
    if len(number) == 4 and n % 1000 and not n % 100:
        return f"{cardinal(number[:2])} hundred"
    return cardinal(number)


_FRACTION_NAMES = {2: ("half", "halves"), 4: ("quarter", "quarters")}


def fraction(numerator: str, denominator: str) -> str:
    """ "3", "4" -> three quarters; "1", "3" -> one third; "5", "8" -> five eighths."""
    top, bottom = int(numerator), int(denominator)
    if bottom in _FRACTION_NAMES:
        single, many = _FRACTION_NAMES[bottom]
    else:
        single = ordinal(denominator)
        many = single + "s"
    return f"{cardinal(numerator)} {single if top == 1 else many}"


def mixed_fraction(whole: str, numerator: str, denominator: str) -> str:
    """ "2", "1", "2" -> two and a half; "1", "3", "4" -> one and three quarters."""
    part = fraction(numerator, denominator)
    if numerator == "1":
        part = "a " + part.split(" ", 1)[1]
    return f"{cardinal(whole)} and {part}"
