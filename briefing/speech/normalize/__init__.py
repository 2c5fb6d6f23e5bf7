"""Rewrite written news text into words a voice reads correctly.

Like gTTS's pre-processors: a list of small named rewrites, each doing one job,
applied in the order of `REWRITES`. Speech engines read "$1.13bn" as "dollar
one point one three b n" and "60m hurdles" as "sixty million hurdles"; after
this stage they read "one point one three billion dollars" and "sixty metres
hurdles". The rewrites cover the classes of the standard text-normalization
taxonomy (Sproat and Jaitly: cardinal, ordinal, decimal, fraction, money,
measure, date, time, telephone, electronic, letters, verbatim, address) in the
forms news uses, plus scores, ranges, Roman numerals and model names.

This stage changes only how things sound, never what is said. It is pure,
deterministic and fast (regular expressions compiled once; num2words cached):
it runs on every segment. A pronunciation lexicon may be applied after it, per
voice, to whole words: `keep` lists the words it must leave exactly as written
so the lexicon can find them.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache

from .abbreviations import abbreviations, house_numbers, number_signs, street_words, titles
from .characters import spacing, symbols, tidy_characters
from .clock import am_pm, clock_times, race_times
from .dates import decades, month_abbreviations, month_dates, numeric_dates, year_ranges, years
from .electronic import emails, hashtags_and_handles, phone_numbers, urls
from .letters import KNOWN_ACRONYMS, acronyms, model_names, roman_numerals
from .measures import percentages, units
from .money import currency, pence_and_cents
from .numbers import cardinals, fractions, minus_signs, ordinals, scores_and_ranges
from .spoken import has_digit


def hashtags(text: str) -> str:
    """#NATOsummit -> NATO summit; @BBCBreaking -> BBC Breaking."""
    return hashtags_and_handles(text, KNOWN_ACRONYMS)


REWRITES: tuple[Callable[[str], str], ...] = (
    tidy_characters,
    emails,
    urls,
    hashtags,
    phone_numbers,
    number_signs,
    minus_signs,
    currency,
    pence_and_cents,
    percentages,
    numeric_dates,
    month_abbreviations,
    month_dates,
    decades,
    year_ranges,
    race_times,
    am_pm,
    clock_times,
    ordinals,
    fractions,
    units,
    house_numbers,
    years,
    model_names,
    scores_and_ranges,
    titles,
    street_words,
    abbreviations,
    roman_numerals,
    acronyms,
    cardinals,
    symbols,
    spacing,
)

_NEED_DIGITS = frozenset({
    phone_numbers, number_signs, minus_signs, currency, pence_and_cents, percentages, numeric_dates,
    month_abbreviations, month_dates, decades, year_ranges, race_times, am_pm, clock_times, ordinals, fractions,
    units, house_numbers, years, model_names, scores_and_ranges, cardinals,
})
_WORDS_ONLY = tuple(rewrite for rewrite in REWRITES if rewrite not in _NEED_DIGITS)
"""The rewrites that can change text without a digit: most sentences hold none."""
_FIRST_NUMERIC = REWRITES.index(phone_numbers)

_BEFORE_NUMBERS = REWRITES[:_FIRST_NUMERIC]
_WITH_DIGITS = REWRITES[_FIRST_NUMERIC:]
_WITHOUT_DIGITS = _WORDS_ONLY[_FIRST_NUMERIC:]

_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_FIRST_PLACEHOLDER = 0xE000
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Kept:
    """The words to keep: plain words found by a set lookup, others by one pattern."""

    words: frozenset[str]
    others: re.Pattern[str] | None


@lru_cache(maxsize=32)
def _kept(keep: frozenset[str]) -> _Kept:
    words = frozenset(word for word in keep if _WORD.fullmatch(word))
    others = sorted((word for word in keep if word and word not in words), key=len, reverse=True)
    pattern = re.compile(r"(?:" + "|".join(map(re.escape, others)) + r")(?!\w)") if others else None
    return _Kept(words, pattern)


def _hold_kept_words(text: str, keep: Collection[str], kept: list[str]) -> str:
    """Swap each kept word for a private-use character that no rewrite touches."""
    found = _kept(keep if isinstance(keep, frozenset) else frozenset(keep))

    def hold(match: re.Match[str]) -> str:
        word, start = match.group(0), match.start()
        if match.re is _WORD and word not in found.words:
            return word
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            return word
        kept.append(word)
        return chr(_FIRST_PLACEHOLDER + len(kept) - 1)

    text = _PRIVATE_USE.sub("", text)
    if found.others is not None:
        text = found.others.sub(hold, text)
    if found.words and not found.words.isdisjoint(_WORD.findall(text)):
        text = _WORD.sub(hold, text)
    return text


def normalize_for_speech(text: str, keep: Collection[str] = ()) -> str:
    """Text as it should sound, after every rewrite in REWRITES.

    `keep`: whole words (case-sensitive, e.g. "FTSE", "Xi") left exactly as written,
    for a pronunciation lexicon applied after this stage. Pass a frozenset when
    calling often: its pattern is then built once.
    """
    kept: list[str] = []
    if keep:
        text = _hold_kept_words(text, keep, kept)
    for rewrite in _BEFORE_NUMBERS:
        text = rewrite(text)
    for rewrite in _WITH_DIGITS if has_digit(text) else _WITHOUT_DIGITS:
        text = rewrite(text)
    if kept:
        text = _PRIVATE_USE.sub(lambda m: kept[ord(m.group(0)) - _FIRST_PLACEHOLDER], text)
    return text


__all__ = [
    "REWRITES", "normalize_for_speech",
    *(rewrite.__name__ for rewrite in REWRITES),
]
