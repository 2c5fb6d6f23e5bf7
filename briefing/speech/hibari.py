"""The hibari engine: small offline neural speech (24 kHz) from an ONNX model.

hibari ships one voice, "heart", inside its wheel and downloads its other
voices from the internet on first use. This engine never lets it: it resolves
the model file itself with downloading turned off and hands hibari that path,
so a voice that is not on this machine is a one-line VoiceUnavailable, not a
network call. The noise in hibari's vocoder is seeded, so the same text always
gives the same samples (and the segment cache stays valid). The model is loaded with
its phoneme durations as an output (durations.py), so every word's time is known
(timing.py); hibari's own `stream` is followed here step by step to keep them.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import SynthesisError, VoiceUnavailable
from ..models import Voice
from . import Speech, number_setting
from .durations import models_cache, timed_model
from .timing import PhonemeWord, even_samples, phoneme_words, spoken_words

SILENCE_THRESHOLD = 0.005
"""Samples quieter than this (-46 dBFS) at a sentence's edges count as silence."""
LEAD_MS = 50
TAIL_MS = 200
"""hibari leaves ~0.3 s of silence before and ~0.45 s after every sentence; trimmed to
about Piper's edges so the script's own pauses set the rhythm, as with Piper."""


SPEED_AT_PACE = ((0.8, 0.8), (0.9, 0.843), (1.0, 1.0), (1.1, 1.208), (1.15, 1.306), (1.3, 1.32))
"""hibari's `speed` for a pace (between the points, in proportion): the speed at which
speech takes 1/pace of its time. hibari's time moves in steps (whole frames per phoneme),
so speed 1.2 reads only 8% faster; measured on 54 BBC sentences (bench/pace.py --sweep)."""
FASTEST_SPEED = 1.32
"""Past 4/3 a phoneme of two frames gets one: at 1.34 the listener's WER trebles (0.048 to
0.13 on ten sentences), so heart reads at most about 15% faster, whatever the pace."""


def speed_at_pace(pace: float) -> float:
    paces, speeds = zip(*SPEED_AT_PACE)
    return float(np.interp(pace, paces, speeds))


@dataclass(frozen=True)
class HibariSettings:
    voice: str = "heart"
    speed: float = 1.0
    """hibari's pace: 1.0 is its teacher's; 1.2 faster, 0.8 slower. The profile's `speed`,
    times the speed for its `pace` (voices.with_pace), at most FASTEST_SPEED."""
    seed: int = 0
    """Fixes the vocoder's noise so the same text gives identical samples."""
    sentence_silence_ms: int = 250

    @staticmethod
    def from_voice(voice: Voice) -> HibariSettings:
        speed, pace = number_setting(voice, "speed", 1.0), number_setting(voice, "pace", 1.0)
        return HibariSettings(
            voice=str(voice.setting("voice", "heart")),
            speed=speed if pace == 1.0 else min(speed * speed_at_pace(pace), FASTEST_SPEED),
            seed=int(number_setting(voice, "seed", 0)),
        )


def hibari_model_path(voice: Voice) -> Path:
    """The voice's ONNX file on this machine, never downloaded; VoiceUnavailable if absent."""
    try:
        from hibari import voices as registry
    except ImportError:
        raise VoiceUnavailable(
            f"Voice {voice.name!r} needs the hibari-tts package; install it with `pip install hibari-tts`."
        ) from None
    name = HibariSettings.from_voice(voice).voice
    if name not in registry.VOICES:
        raise VoiceUnavailable(
            f"Voice {voice.name!r} names hibari voice {name!r}, which hibari does not have; "
            f"use one of: {', '.join(registry.VOICES)}."
        )
    try:
        return Path(registry.voice_path(name, download_missing=False))
    except FileNotFoundError as missing:
        raise VoiceUnavailable(
            f"Voice {voice.name!r}: hibari voice {name!r} is not installed (no {missing.args[0]}) and briefing "
            f"never downloads voices; use --voice heart, which ships with hibari."
        ) from None


def hibari_problem(voice: Voice) -> str | None:
    try:
        path = hibari_model_path(voice)
    except VoiceUnavailable as error:
        return str(error)
    if not path.is_file():
        return f"Voice {voice.name!r}: model file {path} is missing; reinstall hibari-tts."
    return None


def speech_span(audio: np.ndarray, sample_rate_hz: int) -> slice:
    """A sentence without its silent edges, but LEAD_MS before and TAIL_MS after the speech."""
    loud = np.flatnonzero(np.abs(audio) > SILENCE_THRESHOLD)
    if not len(loud):
        return slice(0, 0)
    start = max(0, loud[0] - sample_rate_hz * LEAD_MS // 1000)
    end = min(len(audio), loud[-1] + 1 + sample_rate_hz * TAIL_MS // 1000)
    return slice(int(start), int(end))


def trim_silence(audio: np.ndarray, sample_rate_hz: int) -> np.ndarray:
    """Cut a sentence's silent edges down to LEAD_MS before and TAIL_MS after the speech."""
    return audio[speech_span(audio, sample_rate_hz)]


def cached_g2p(voice: Voice) -> Any:
    """hibari's G2P with its lexicons and tagger read a key at a time from an indexed copy in the
    user's cache (g2p_store.py), not loaded whole in every process that speaks (0.35 s)."""
    from hibari import g2p as g2p_module
    from hibari.voices import VOICES

    from .g2p_store import stored_asset

    cache = models_cache()
    read_json = g2p_module._load_json

    def load(name: str) -> Any:
        return stored_asset(Path(g2p_module.ASSETS) / name, lambda: read_json(name), cache)

    with _G2P_LOADING:  # hibari reads its assets through this module function: swapped for one load
        g2p_module._load_json = load
        try:
            return g2p_module.G2P(british=VOICES[HibariSettings.from_voice(voice).voice]["british"])
        finally:
            g2p_module._load_json = read_json


_G2P_LOADING = threading.Lock()


@dataclass
class HibariEngine:
    tts: Any
    """A hibari.Hibari: the ONNX session and the G2P."""
    settings: HibariSettings

    @staticmethod
    def load(voice: Voice, *, threads: int | None = None) -> HibariEngine:
        """Load the model once; `threads` caps ONNX's intra-op threads (hibari's default is 1)."""
        from hibari import Hibari

        model = hibari_model_path(voice)
        if not model.is_file():
            raise VoiceUnavailable(hibari_problem(voice) or f"Voice {voice.name!r} cannot be loaded.")
        settings = HibariSettings.from_voice(voice)
        timed = timed_model(model, "hibari")
        # model= is passed explicitly, so hibari never looks the voice up (and never downloads it); the
        # timed copy, when cached as a file, is loaded in its place (one session, not two).
        tts = Hibari(voice=settings.voice, model=timed if isinstance(timed, str) else str(model), threads=threads or 1,
                     g2p=cached_g2p(voice))
        if isinstance(timed, bytes):
            tts.sess = type(tts.sess)(timed, tts.sess.get_session_options(), providers=["CPUExecutionProvider"])
        return HibariEngine(tts=tts, settings=settings)

    @property
    def sample_rate_hz(self) -> int:
        return int(self.tts.sample_rate)

    def speak(self, text: str) -> Speech:
        """One text (one or more sentences); inline `[word](/phonemes/)` sets a word's phonemes."""
        rate = self.sample_rate_hz
        gap = np.zeros(rate * self.settings.sentence_silence_ms // 1000, dtype=np.float32)
        pieces: list[np.ndarray] = []
        words: list[PhonemeWord] = []
        rng = np.random.default_rng(self.settings.seed)
        try:
            for phonemes in self.tts.phonemize(text):
                sentence, durations = self._sentence(phonemes, rng)
                span = speech_span(sentence, rate)
                if span.stop == span.start:
                    continue
                if pieces:
                    pieces.append(gap)
                offset = sum(len(p) for p in pieces)
                words += [PhonemeWord(w.phonemes, w.start + offset, w.end + offset) for w in
                          phoneme_words(durations[0], durations[1], shift=-span.start, length=span.stop - span.start)]
                pieces.append(sentence[span])
        except Exception as error:  # onnxruntime and the G2P raise many types
            raise SynthesisError(f"hibari could not speak {text[:60]!r} ({error}); try rephrasing that sentence.") from error
        if not pieces:
            raise SynthesisError(f"hibari produced no audio for {text[:60]!r}; it may hold no speakable words.")
        audio = np.clip(np.concatenate(pieces), -1.0, 1.0)
        return Speech(pcm=(audio * 32767).astype("<i2").tobytes(), sample_rate_hz=rate,
                      words=spoken_words(text, words, rate))

    def _sentence(self, phonemes: str, rng: np.random.Generator) -> tuple[np.ndarray, tuple[list[str], list[int]]]:
        """One sentence's audio (hibari's Hibari.from_ids), and its phonemes with the samples
        each lasts: the model's durations scaled to the audio (600 samples a unit at 24 kHz),
        the pads at either end marked as sentence edges."""
        from hibari import dsp

        tts = self.tts
        ids = tts.ids(phonemes)
        kept = ["^", *(c for c in phonemes if c in tts.vocab), "$"]
        if len(ids) < 3:
            return np.zeros(0, np.float32), (kept, [0] * len(kept))
        out = tts.sess.run(None, {"ids": np.asarray([ids], np.int64),
                                  "speed": np.asarray([self.settings.speed], np.float32)})
        audio = dsp.synth(*(o[0] for o in out[:6]), rng)
        if len(out) < 7:
            return audio, (kept, even_samples(kept, len(audio)))
        units = np.asarray(out[6]).reshape(-1).astype(np.float64)
        edges = np.round(np.cumsum(units) * len(audio) / max(units.sum(), 1.0)).astype(int)
        return audio, (kept, np.diff(edges, prepend=0).tolist())
