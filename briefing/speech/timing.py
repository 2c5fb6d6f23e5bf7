"""When each word is spoken: from the engines' phoneme durations to the words as written.

An engine phonemizes its text (espeak-ng for Piper, misaki's rules for hibari) and
its model decides how many samples each phoneme takes (durations.py returns them).
Here those phonemes become words in two steps:

1. `spoken_words`: the phonemes between spaces form the engine's words, which are
   matched to the words of the text the engine was given. They mostly pair one to
   one, but espeak joins some ("in the" is one word, ɪnðə) and a phonemizer may
   split one, so they are aligned by length (a word's letters against its
   phonemes), allowing a few words to share one. This is cached with the segment.
2. `written_words`: the words the engine read are matched to the words the
   listener sees (the segment's `display`): "$1.2bn" was read as "one point two
   billion dollars", so the written word spans those five. Words the two share
   anchor the match; each written word between anchors takes the spoken words its
   own reading accounts for.

Times are seconds from the start of the segment's audio (times do not change when
the audio is resampled). An engine that reports no durations (gTTS, test fakes)
gets `estimated_words`: the audio shared out by the words' lengths.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..models import TimedWord

PUNCTUATION = frozenset(';:,.!?—…"“”()¡¿«»-–^$_')
"""Phonemes that are pauses or edges, not sounds of a word (Piper's ^ and $ begin and end a sentence)."""
MARKS = frozenset("ˈˌː")
"""Stress and length marks: part of a word, not counted in its length."""
TOKEN = re.compile(r"\[\[.*?\]\]|\[[^\]]*\]\(/[^)]*/\)|\S+")
"""A word of an engine's text: a Piper [[ phonemes ]] block or a hibari [word](/phonemes/) link
(lexicon.PHONEME_MARKUP) counts as one."""
MERGE_PENALTY = 0.6
"""What it costs the alignment to let several words share one (in units of |log length ratio|)."""
SKIP_PENALTY = 2.5
"""What it costs to leave a word of either side unmatched."""
MOST_SHARED = 4


@dataclass(frozen=True)
class PhonemeWord:
    """The phonemes between two spaces, and the samples they span in the engine's audio."""

    phonemes: str
    start: int
    end: int


def phoneme_words(phonemes: Sequence[str], samples: Sequence[int], *, shift: int = 0,
                  length: int | None = None) -> list[PhonemeWord]:
    """The words of one sentence's phonemes, each phoneme lasting `samples[i]`; positions are
    moved by `shift` (where the sentence starts in the engine's audio, negative if its edge
    was trimmed) and kept within 0..`length`."""
    words: list[PhonemeWord] = []
    current, start, end, position = "", 0, 0, shift
    for phoneme, count in zip(phonemes, samples):
        if phoneme.isspace() or phoneme in PUNCTUATION:
            if current and phoneme.isspace():
                words.append(PhonemeWord(current, start, end))
                current = ""
        else:
            if not current:
                start = position
            current += phoneme
            end = position + int(count)
        position += int(count)
    if current:
        words.append(PhonemeWord(current, start, end))
    if length is None:
        return words
    return [PhonemeWord(w.phonemes, min(max(w.start, 0), length), min(max(w.end, 0), length)) for w in words]


def even_samples(phonemes: Sequence[str], total: int) -> list[int]:
    """Samples per phoneme when the model gives none: `total` shared out evenly."""
    count = max(1, len(phonemes))
    return [total * (i + 1) // count - total * i // count for i in range(len(phonemes))]


def text_tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def key(word: str) -> str:
    """A word as compared across texts: lower case, letters and digits only ("U.S." -> "us")."""
    markup = re.fullmatch(r"\[([^\]]*)\]\(/[^)]*/\)", word)
    if markup:
        word = markup.group(1)
    elif word.startswith("[["):
        return ""
    return "".join(c for c in word.lower() if c.isalnum())


def spoken_length(word: str) -> int:
    """How long a word of text is, in letters: phonemes for a phoneme block, digits counted thrice."""
    block = re.fullmatch(r"\[\[(.*?)\]\]|\[[^\]]*\]\(/([^)]*)/\)", word)
    if block:
        return sum(1 for c in (block.group(1) or block.group(2) or "") if c.isalpha())
    return sum(3 if c.isdigit() else 1 for c in key(word))


def _phoneme_length(word: PhonemeWord) -> int:
    return sum(1 for c in word.phonemes if c not in MARKS)


def spoken_words(text: str, words: Sequence[PhonemeWord], sample_rate_hz: int) -> tuple[TimedWord, ...]:
    """Each word of `text` (the engine's text) timed by the phoneme words the engine spoke for it."""
    tokens = [t for t in text_tokens(text) if spoken_length(t)]
    if not tokens or not words:
        return ()
    letters = [spoken_length(t) for t in tokens]
    sounds = [_phoneme_length(w) for w in words]
    if len(tokens) == len(words):
        blocks = [(i, i + 1, i, i + 1) for i in range(len(tokens))]
    else:
        blocks = align(letters, sounds)
    timed: list[TimedWord] = []
    for i0, i1, j0, j1 in blocks:
        if i0 == i1 or j0 == j1:
            continue
        start, end = words[j0].start, words[j1 - 1].end
        shares = letters[i0:i1]
        edges = [start + (end - start) * sum(shares[:k]) / sum(shares) for k in range(len(shares) + 1)]
        for k, token in enumerate(tokens[i0:i1]):
            timed.append(TimedWord(token, round(edges[k] / sample_rate_hz, 3), round(edges[k + 1] / sample_rate_hz, 3)))
    return tuple(timed)


def align(letters: Sequence[int], sounds: Sequence[int]) -> list[tuple[int, int, int, int]]:
    """A monotone alignment of text words (by letters) to phoneme words (by phonemes) as blocks
    (i0, i1, j0, j1): one to one, several text words to one phoneme word or the reverse, or a
    word left unmatched; the blocks whose lengths agree best, for the fewest shared words."""
    n, m = len(letters), len(sounds)
    ratio = (sum(letters) + 1) / (sum(sounds) + 1)

    def cost(a: int, b: int) -> float:
        return abs(math.log((a + 1) / (ratio * b + 1)))

    best = [[math.inf] * (m + 1) for _ in range(n + 1)]
    step: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    band = abs(n - m) + 12
    for i in range(n + 1):
        for j in range(max(0, i * m // max(n, 1) - band), min(m, i * m // max(n, 1) + band) + 1):
            here = best[i][j]
            if here == math.inf:
                continue
            moves = [(1, 0, SKIP_PENALTY), (0, 1, SKIP_PENALTY)]
            for k in range(1, MOST_SHARED + 1):
                if i + k <= n and j < m:
                    moves.append((k, 1, cost(sum(letters[i:i + k]), sounds[j]) + (k - 1) * MERGE_PENALTY))
                if k > 1 and i < n and j + k <= m:
                    moves.append((1, k, cost(letters[i], sum(sounds[j:j + k])) + (k - 1) * MERGE_PENALTY))
            for di, dj, extra in moves:
                if i + di <= n and j + dj <= m and here + extra < best[i + di][j + dj]:
                    best[i + di][j + dj] = here + extra
                    step[i + di][j + dj] = (di, dj)
    blocks = []
    i, j = n, m
    while i or j:
        di, dj = step[i][j]
        if (di, dj) == (0, 0):  # outside the band: give the rest to one block
            di, dj = i, j
        blocks.append((i - di, i, j - dj, j))
        i, j = i - di, j - dj
    return blocks[::-1]


def estimated_words(text: str, duration_s: float) -> tuple[TimedWord, ...]:
    """Each word of `text` timed by sharing `duration_s` out by the words' lengths: for audio
    whose engine reports no durations."""
    tokens = text.split()
    lengths = [max(1, spoken_length(t)) for t in tokens]
    total = sum(lengths)
    timed, position = [], 0
    for token, length in zip(tokens, lengths):
        start = duration_s * position / total
        position += length
        timed.append(TimedWord(token, round(start, 3), round(duration_s * position / total, 3)))
    return tuple(timed)


def written_words(display: str, spoken: Sequence[TimedWord], duration_s: float,
                  offset_s: float = 0.0) -> tuple[TimedWord, ...]:
    """Each word of `display` (as the listener reads it) with the time of the spoken words that
    say it, moved by `offset_s`; estimated over `duration_s` if the engine gave no words."""
    written = display.split()
    if not spoken:
        timed = list(estimated_words(display, duration_s))
    else:
        timed = _match(written, list(spoken))
    return tuple(TimedWord(w.text, round(w.start_s + offset_s, 3), round(w.end_s + offset_s, 3)) for w in timed)


def _match(written: list[str], spoken: list[TimedWord]) -> list[TimedWord]:
    matcher = SequenceMatcher(None, [key(w) for w in written], [key(w.text) for w in spoken], autojunk=False)
    timed: list[TimedWord] = []
    for tag, i0, i1, j0, j1 in matcher.get_opcodes():
        if tag == "equal":
            timed += [TimedWord(written[i0 + k], spoken[j0 + k].start_s, spoken[j0 + k].end_s) for k in range(i1 - i0)]
        elif tag in ("replace", "delete"):
            at = timed[-1].end_s if timed else (spoken[j0].start_s if j0 < len(spoken) else 0.0)
            timed += _share(written[i0:i1], spoken[j0:j1], at)
    return timed


def _share(written: list[str], spoken: list[TimedWord], at: float) -> list[TimedWord]:
    """Written words that the spoken words between two anchors say, in order: each takes the
    spoken words its reading accounts for (by length, ended on a spoken word's edge); with
    no spoken words, none of the time."""
    if not spoken:
        return [TimedWord(w, at, at) for w in written]
    if len(written) == 1:
        return [TimedWord(written[0], spoken[0].start_s, spoken[-1].end_s)]
    wanted = [max(1, len(key(_reading(w)))) for w in written]
    said = [max(1, spoken_length(w.text)) for w in spoken]
    edges = [0]
    for k in range(1, len(written)):
        target = sum(said) * sum(wanted[:k]) / sum(wanted)
        cut = min(range(edges[-1], len(spoken) + 1), key=lambda j: abs(sum(said[:j]) - target))
        edges.append(cut)
    edges.append(len(spoken))
    timed = []
    for k, word in enumerate(written):
        first, last = edges[k], edges[k + 1]
        if first < last:
            timed.append(TimedWord(word, spoken[first].start_s, spoken[last - 1].end_s))
        else:
            moment = spoken[first - 1].end_s if first else spoken[0].start_s
            timed.append(TimedWord(word, moment, moment))
    return timed


def _reading(word: str) -> str:
    """How a written word alone is read: its length decides its share of a run of spoken words."""
    from .normalize import normalize_for_speech

    return normalize_for_speech(word)
