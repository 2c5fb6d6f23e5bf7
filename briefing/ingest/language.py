"""Is an article in English, the one language every voice reads?

A cheap test, no model: the script most of its letters are written in (by
Unicode character name: ARABIC, CJK, HEBREW, CYRILLIC...), and for Latin
script the share of words that are common English words. English news prose
has 29-45% of them (every text in tests/fixtures/bbc-dev and examples/); French,
German, Spanish, Dutch and Portuguese news prose has 0-7%, Italian about 11%.
Short texts are given the benefit of the doubt. This module only judges.
"""
from __future__ import annotations

import unicodedata
from collections import Counter

from ..plan.words import ENGLISH_STOP_WORDS, WORD

SAMPLE_CHARACTERS = 4000
"""Enough text to judge; the start of an article is in its language."""
FOREIGN_SCRIPT_SHARE = 0.5
"""More than half the letters in another script: the voice would read noise."""
MIN_WORDS = 40
ENGLISH_STOP_WORD_SHARE = 0.15
"""Below this share of common English words, Latin-script prose is another language."""

_SCRIPT_NAMES = {"CJK": "Chinese characters", "HANGUL": "Korean script", "HIRAGANA": "Japanese script",
                 "KATAKANA": "Japanese script"}


def _script(character: str) -> str:
    name = unicodedata.name(character, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def foreign_language(text: str) -> str | None:
    """Why `text` is not English ("is written in Arabic script"), or None if it is or may be."""
    sample = text[:SAMPLE_CHARACTERS]
    scripts = Counter(_script(c) for c in sample if c.isalpha())
    letters = sum(scripts.values())
    if not letters:
        return None
    main, count = scripts.most_common(1)[0]
    if main != "LATIN" and count > letters * FOREIGN_SCRIPT_SHARE:
        return f"is written in {_SCRIPT_NAMES.get(main, main.title() + ' script')}, not English"
    words = WORD.findall(sample.lower())
    if len(words) >= MIN_WORDS and sum(w in ENGLISH_STOP_WORDS for w in words) < len(words) * ENGLISH_STOP_WORD_SHARE:
        return "does not read as English (too few common English words)"
    return None
