"""Speech engines: text in, 16-bit mono PCM out.

Each engine is loaded once (a model load is expensive) and then asked to speak
many times. `load_engine` picks the engine a Voice profile names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from ..errors import VoiceUnavailable
from ..models import TimedWord, Voice


@dataclass(frozen=True)
class Speech:
    """Audio for one piece of text: raw 16-bit mono PCM, and when each of its words is
    spoken, where the engine knows (speech/timing.py)."""

    pcm: bytes
    sample_rate_hz: int
    words: tuple[TimedWord, ...] = ()
    """The words of the text the engine was given, timed in this audio; empty if unknown."""

    @property
    def duration_ms(self) -> int:
        return len(self.pcm) * 1000 // (2 * self.sample_rate_hz)


class Engine(Protocol):
    def speak(self, text: str) -> Speech: ...


MAX_CHARS_PER_CALL = 400
"""The longest text one engine call is given. Piper's memory grows with the length of a
sentence (about 0.85 GB per 1,000 characters: a 20,000-character run-on was killed at
24 GB), so longer text is spoken in pieces, split where a reader would pause."""
PIECE_GAP_MS = 120
"""Silence between the pieces of a long text: a clause pause."""
_PAUSES = (re.compile(r"(?<=[.!?])\s+"), re.compile(r"(?<=[;:])\s+"), re.compile(r"(?<=,)\s+|\s+(?=- )"),
           re.compile(r"\s+"))
"""Where a long text may be cut, best first: sentence ends, then clause marks, then any space."""


def speech_pieces(text: str, max_chars: int = MAX_CHARS_PER_CALL) -> list[str]:
    """`text` cut into pieces of at most `max_chars`, at the best pauses available."""
    if len(text) <= max_chars:
        return [text]
    for pause in _PAUSES:
        parts = [p for p in pause.split(text) if p]
        if len(parts) > 1:
            break
    else:
        return [text[i:i + max_chars] for i in range(0, len(text), max_chars)]
    pieces: list[str] = []
    for part in parts:
        if pieces and len(pieces[-1]) + 1 + len(part) <= max_chars:
            pieces[-1] = f"{pieces[-1]} {part}"
        else:
            pieces.extend(speech_pieces(part, max_chars))
    return pieces


def speak_bounded(engine: Engine, text: str) -> Speech:
    """`engine.speak(text)`, in pieces when the text is long, so memory stays bounded."""
    pieces = speech_pieces(text)
    if len(pieces) == 1:
        return engine.speak(text)
    spoken = [engine.speak(piece) for piece in pieces]
    rate = spoken[0].sample_rate_hz
    gap = bytes(2 * rate * PIECE_GAP_MS // 1000)
    words: list[TimedWord] = []
    offset_s = 0.0
    for piece in spoken:
        words += [TimedWord(w.text, w.start_s + offset_s, w.end_s + offset_s) for w in piece.words]
        offset_s += (len(piece.pcm) + len(gap)) / (2 * rate)
    return Speech(pcm=gap.join(s.pcm for s in spoken), sample_rate_hz=rate, words=tuple(words))


def number_setting(voice: Voice, key: str, default: float) -> float:
    """A numeric setting of the profile; one line naming it if it is not a number."""
    value = voice.setting(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise VoiceUnavailable(f"Voice {voice.name!r}: setting {key} must be a number, not {value!r}; fix its profile.")
    return float(value)


OFFLINE_ENGINES = ("piper", "hibari")
"""Engines that run on this machine: their work can be spread over worker processes."""
THREADS_PER_PROCESS = {"piper": 2, "hibari": 1}
"""ONNX threads one synthesis process makes good use of (bench/workers.py): Piper's
model scales to two; hibari's time is mostly single-threaded, so it scales by processes."""


def load_engine(voice: Voice, *, threads: int | None = None) -> Engine:
    """The engine for `voice`, loaded and ready; may raise VoiceUnavailable.

    `threads` caps an offline engine's ONNX intra-op threads."""
    if voice.engine == "piper":
        from .piper import PiperEngine

        return PiperEngine.load(voice, threads=threads)
    if voice.engine == "hibari":
        from .hibari import HibariEngine

        return HibariEngine.load(voice, threads=threads)
    from .gtts import GttsEngine

    return GttsEngine.load(voice)


def voice_problem(voice: Voice, *, check_network: bool = False) -> str | None:
    """Why `voice` cannot speak right now, or None if it can.

    With check_network, online engines make one short network probe.
    """
    if voice.engine == "piper":
        from .piper import piper_problem

        return piper_problem(voice)
    if voice.engine == "hibari":
        from .hibari import hibari_problem

        return hibari_problem(voice)
    from .gtts import gtts_problem

    return gtts_problem(voice, check_network=check_network)
