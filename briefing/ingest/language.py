"""Which language is an article in, and can the voices, which read English only, read it?

First a cheap test, no model: the script most of its letters are written in (by
Unicode character name: ARABIC, CJK, HEBREW, CYRILLIC...), and for Latin
script the share of words that are common English words. English news prose
has 29-45% of them (every text in tests/fixtures/bbc-dev and examples/); French,
German, Spanish, Dutch and Portuguese news prose has 0-7%, Italian about 11%.
Only a text this does not settle (another script, too few common English words,
or too short to tell) is given to py3langid's language identifier, which names
the language; its model (a few MB, shipped in the package) is loaded on first
use, so a run over English news never loads it. This module only judges.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..plan.words import ENGLISH_STOP_WORDS, WORD

SAMPLE_CHARACTERS = 4000
"""Enough text to judge; the start of an article is in its language."""
FOREIGN_SCRIPT_SHARE = 0.5
"""More than half the letters in another script: the voice would read noise."""
MIN_WORDS = 40
"""With this many words the share of common English words settles it."""
MIN_WORDS_TO_JUDGE = 4
"""Fewer words than this are given the benefit of the doubt."""
ENGLISH_STOP_WORD_SHARE = 0.15
"""Below this share of common English words, Latin-script prose is another language."""

_SCRIPT_NAMES = {"CJK": "Chinese characters", "HANGUL": "Korean script", "HIRAGANA": "Japanese script",
                 "KATAKANA": "Japanese script"}


@dataclass(frozen=True)
class Language:
    """The language a text is written in, as far as it can be told."""

    code: str
    """ISO 639-1 ("en", "pt"), or "" when there is too little text to tell."""
    name: str
    """Its English name ("Portuguese")."""
    reason: str | None = None
    """Why the voices cannot read it ("is in Portuguese, not English"); None if they can."""


ENGLISH = Language("en", "English")
UNKNOWN = Language("", "unknown")


def _script(character: str) -> str:
    name = unicodedata.name(character, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def _identify(sample: str) -> Language:
    """py3langid's language for `sample` (loads its model on first use)."""
    import py3langid
    from babel import Locale, UnknownLocaleError

    code = str(py3langid.classify(sample)[0])
    try:
        name = Locale.parse(code).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        name = code
    return Language(code, name)


def detect_language(text: str) -> Language:
    """The language of `text`, with the reason the voices cannot read it if it is not English."""
    sample = text[:SAMPLE_CHARACTERS]
    scripts = Counter(_script(c) for c in sample if c.isalpha())
    letters = sum(scripts.values())
    if not letters:
        return UNKNOWN
    main, count = scripts.most_common(1)[0]
    if main != "LATIN" and count > letters * FOREIGN_SCRIPT_SHARE:
        found = _identify(sample)
        written_in = _SCRIPT_NAMES.get(main, main.title() + " script")
        return Language(found.code, found.name, f"is written in {written_in}, not English")
    words = WORD.findall(sample.lower())
    if len(words) < MIN_WORDS_TO_JUDGE:
        return ENGLISH
    common = sum(w in ENGLISH_STOP_WORDS for w in words) >= len(words) * ENGLISH_STOP_WORD_SHARE
    if common and len(words) >= MIN_WORDS:
        return ENGLISH
    found = _identify(sample)
    if found.code == "en" or (common and len(words) < MIN_WORDS):
        return ENGLISH  # a short text with common English words: the identifier may guess wrong
    return Language(found.code, found.name, f"is in {found.name}, not English")


def foreign_language(text: str) -> str | None:
    """Why `text` is not English ("is written in Arabic script, not English"), or None if it is or may be."""
    return detect_language(text).reason
