"""Characters: plain ones in, speakable words for the symbols left at the end, tidy spacing."""
from __future__ import annotations

import re

from ...printable import printable

_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
    "\u2014": " - ", "\u2015": " - ",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None, "\u00ad": None,
    "\u2026": "...", "\u00d7": "x", "\u2116": "No. ",
    "\u00bd": " 1/2", "\u00bc": " 1/4", "\u00be": " 3/4", "\u2153": " 1/3", "\u2154": " 2/3",
    "\u215b": " 1/8", "\u215c": " 3/8", "\u215d": " 5/8", "\u215e": " 7/8", "\u2155": " 1/5",
})


def tidy_characters(text: str) -> str:
    """Typographic quotes, dashes, spaces and vulgar fractions to the plain forms the
    rules below expect: "2½" -> "2 1/2", "–5" -> "-5". Control characters (a NUL
    from a broken file, an escape sequence) are unspeakable and would stop an
    engine: they go, leaving a space."""
    return printable(text.translate(_PLAIN))


_WORD_SLASH = re.compile(r"(?<=[a-z])/(?=[a-z])")
_SYMBOL_WORDS = str.maketrans({
    "&": " and ", "+": " plus ", "=": " equals ", "@": " at ", "#": " number ", "%": " percent",
    "°": " degrees", "§": " section ", "~": " about ", "/": " ",
    **dict.fromkeys("*_^|<>[]{}\\•", " "),
})


def symbols(text: str) -> str:
    """& -> and, + -> plus, he/she -> he or she; characters a voice would name ("star",
    "underscore", "slash") become spaces."""
    if "/" in text:
        text = _WORD_SLASH.sub(" or ", text.replace("and/or", "and or"))
    return text.translate(_SYMBOL_WORDS)


_SPACED_PUNCTUATION = (" ,", " .", " ;", " :", " !", " ?", " )", "( ")
_DOUBLED_PUNCTUATION = (",,", ",;", ",:", ";,", ":,", ";;")
_SPACE_BEFORE_PUNCTUATION = re.compile(r" (?=[,.;:!?)])|(?<=\() ")
_DOUBLE_PUNCTUATION = re.compile(r"([,;:])(?:\s*[,;:])+")


def spacing(text: str) -> str:
    """One space between words, none before punctuation, no doubled commas left by a
    dropped word."""
    text = " ".join(text.split())
    if any(pair in text for pair in _SPACED_PUNCTUATION):
        text = _SPACE_BEFORE_PUNCTUATION.sub("", text)
    if any(pair in text for pair in _DOUBLED_PUNCTUATION):
        text = _DOUBLE_PUNCTUATION.sub(r"\1", text)
    return text
