"""Pronunciation lexicon: how to say the names and acronyms the engines get wrong.

A lexicon file (TOML) has one table, [words], keyed by a word as written
(case-sensitive, matched as a whole word, possessive 's included):

    [words]
    IAAF = "I double A F"                                  # a respelling, for every engine
    Putin = { hibari = "pˈutɪn", piper = "pˈuːtɪn" }       # phonemes, per engine
    Peskov = { say = "Peskoff", hibari = "pˈɛskɔf" }       # both: engines without phonemes read `say`

Phonemes are in each engine's own alphabet: hibari's is misaki's (see `hibari
WORD --phonemes`), Piper's is espeak-ng's IPA as Piper writes it. Hear an
entry with `briefing say "a sentence with the word" --voice NAME`.

The lexicon is applied per engine to the normalized text, just before it is
spoken (synthesize.py), so a changed entry changes the segment cache key of
the segments that hold that word, and only those. Its words are also handed
to the normalizer as `keep`, so "IAAF" or "BBC" reach the lexicon as written,
not already spelled out letter by letter. The project ships voices/lexicon.toml; users add
or override entries with files of their own (`--lexicon FILE`).
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from ..errors import BriefingError
from ..models import Voice

PHONEME_MARKUP = {
    "piper": "[[ {phonemes} ]]",
    "hibari": "[{word}](/{phonemes}/)",
}
"""How each engine takes phonemes inline: Piper's raw-phoneme blocks and misaki's link syntax."""

_SIBILANTS = set("szʃʒʧʤ")
_VOICELESS = set("ptkfθ")


def possessive_phonemes(phonemes: str) -> str:
    """Add the 's sound: "ɪz" after a hiss (Jones's), "s" after a voiceless consonant (Pratt's), else "z"."""
    last = phonemes.rstrip("ːˈˌ ")[-1:]
    if last in _SIBILANTS:
        return phonemes + "ɪz"
    return phonemes + ("s" if last in _VOICELESS else "z")


@dataclass(frozen=True)
class Pronunciation:
    word: str
    say: str = ""
    """A respelling, read by every engine that has no phonemes in this entry."""
    phonemes: tuple[tuple[str, str], ...] = ()
    """(engine, phonemes in that engine's alphabet) pairs."""

    def spoken(self, engine: str, possessive: str) -> str | None:
        """What `engine` is given for this word (with its possessive 's, if any), or None to leave it."""
        phonemes = dict(self.phonemes).get(engine)
        if phonemes and engine in PHONEME_MARKUP:
            if possessive:
                phonemes = possessive_phonemes(phonemes)
            return PHONEME_MARKUP[engine].format(word=self.word + possessive, phonemes=phonemes)
        if self.say:
            return self.say + possessive
        return None


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[Pronunciation, ...] = ()

    @property
    def words(self) -> frozenset[str]:
        """The words the normalizer must leave as written (its `keep`)."""
        return frozenset(entry.word for entry in self.entries)

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with `other`'s entries added; `other` wins where both have a word."""
        replaced = other.words
        return Lexicon((*(e for e in self.entries if e.word not in replaced), *other.entries))

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.entries:
            return None
        words = sorted(self.words, key=len, reverse=True)
        alternatives = "|".join(re.escape(word) for word in words)
        return re.compile(rf"(?<![\w'’])({alternatives})(['’]s)?(?![\w'’])")

    def apply(self, text: str, engine: str) -> str:
        """`text` as `engine` should be given it: each listed word respelled or marked up with phonemes."""
        if self._pattern is None:
            return text
        by_word = {entry.word: entry for entry in self.entries}

        def replace(match: re.Match[str]) -> str:
            spoken = by_word[match.group(1)].spoken(engine, match.group(2) or "")
            return match.group(0) if spoken is None else spoken

        return self._pattern.sub(replace, text)


def _entry(word: str, value: object, path: Path) -> Pronunciation:
    if isinstance(value, str):
        value = {"say": value}
    if not isinstance(value, dict) or not value:
        raise BriefingError(f"Lexicon {path}: {word!r} must be a respelling or a table of say/"
                            f"{'/'.join(PHONEME_MARKUP)}; see voices/lexicon.toml.")
    unknown = set(value) - {"say", *PHONEME_MARKUP}
    if unknown:
        raise BriefingError(f"Lexicon {path}: {word!r} has {', '.join(sorted(unknown))}; use say or "
                            f"{' or '.join(PHONEME_MARKUP)} (phonemes for that engine).")
    if any(not isinstance(v, str) or not v.strip() for v in value.values()):
        raise BriefingError(f"Lexicon {path}: every value of {word!r} must be a non-empty string.")
    if not word.strip() or word != word.strip():
        raise BriefingError(f"Lexicon {path}: {word!r} is not a word; keys are words as written.")
    phonemes = tuple(sorted((k, v.strip()) for k, v in value.items() if k != "say"))
    return Pronunciation(word=word, say=str(value.get("say", "")).strip(), phonemes=phonemes)


def voice_lexicon(voice: Voice) -> Lexicon:
    """The lexicon find_voice attached to `voice` (none for a Voice made by hand)."""
    lexicon = voice.setting("lexicon")
    return lexicon if isinstance(lexicon, Lexicon) else Lexicon()


def load_lexicon_file(path: Path) -> Lexicon:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BriefingError(f"Lexicon {path} cannot be read ({error}); fix the file or leave it out.") from None
    words = data.get("words", {})
    if not isinstance(words, dict) or set(data) - {"words"}:
        raise BriefingError(f"Lexicon {path}: put every entry in a [words] table; see voices/lexicon.toml.")
    return Lexicon(tuple(_entry(word, value, path) for word, value in sorted(words.items())))


def load_lexicon(paths: Iterable[Path]) -> Lexicon:
    """The files' entries together; a later file's entry replaces an earlier one's."""
    lexicon = Lexicon()
    for path in paths:
        lexicon = lexicon.merged(load_lexicon_file(Path(path).expanduser()))
    return lexicon
