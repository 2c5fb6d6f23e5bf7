"""The music bed under the programme: looped, ducked under speech, up between stories.

Its gain follows the script, not the sound: it is down through every spoken segment
and the short pauses inside a story (so it never pumps between words or sentences),
rises in the long pauses between stories, and is down again before the next word
starts (the mix knows what comes next, so the dip needs no detector and lags
nothing). It fades in under the greeting and out after the sign-off. Every ramp is a
raised cosine in decibels: no corner for the ear to catch. Besides the samples, each
piece's bed comes with its block powers (the loop's mean power times the gain's square
over each 100 ms) and a bound on its peak, for the mix's computed loudness and peak.
"""
from __future__ import annotations

import numpy as np

from .dynamics import BLOCK_S
from .music import Music

RELEASE_MS = 500
"""The rise after speech ends."""
ATTACK_MS = 350
"""The dip before speech starts, over by its first sample."""
RISE_MIN_MS = 1000
"""Pauses shorter than this keep the bed down: 450 ms between sentences and 550 ms after a
story's opening line (plan/script.py), against 1300 ms between stories."""
FADE_IN_MS = 1500
FADE_OUT_MS = 3000


def raised_cosine(x: np.ndarray) -> np.ndarray:
    """0 to 1 as x goes 0 to 1 (clipped), with no corner at either end."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0))


class Bed:
    """The bed's loop, played on from piece to piece."""

    def __init__(self, loop: Music, rate: int, *, level_db: float, duck_db: float):
        self.loop, self.rate = loop.audio, rate
        self.up_db, self.duck_db = level_db, duck_db
        size = round(rate * BLOCK_S)
        full = loop.levels.block_power[: len(self.loop) // size]
        self.power = float(np.mean(full)) if len(full) else float(np.mean(loop.levels.block_power))
        """The loop's mean K-weighted power: steady enough under speech to stand for each 100 ms of it."""
        self.peak = loop.levels.peak
        self.position = 0
        self.played = 0
        self.ended = 0

    def under(self, frames: int, kind: str, *, audio: bool = True) -> tuple[np.ndarray | None, np.ndarray, float]:
        """The next `frames` of the bed under a piece of `kind` ("speech", "pause" or
        "closing"): its samples (None unless `audio`), block powers and peak bound."""
        gain = self._gain(frames, kind)
        samples = self._next(frames) * gain.astype(np.float32) if audio else None
        self.position = (self.position + frames) % len(self.loop)
        self.played += frames
        size = round(self.rate * BLOCK_S)
        squared = np.zeros(-(-frames // size) * size)
        squared[:frames] = gain.astype(np.float64) ** 2
        power = squared.reshape(-1, size).mean(axis=1) * self.power
        return samples, power, self.peak * float(gain.max(initial=0.0))

    def _next(self, frames: int) -> np.ndarray:
        """The loop's next `frames` samples, from where the last piece left it."""
        parts, position = [], self.position
        while frames > 0:
            part = self.loop[position: position + frames]
            parts.append(part)
            frames -= len(part)
            position = 0
        return parts[0] if len(parts) == 1 else np.concatenate([self.loop[:0], *parts])

    def _gain(self, frames: int, kind: str) -> np.ndarray:
        """Linear gain for each of the next `frames`."""
        rate = self.rate
        t = np.arange(frames, dtype=np.float64)
        if kind == "pause" and frames * 1000 >= RISE_MIN_MS * rate:
            release, attack = rate * RELEASE_MS / 1000, rate * ATTACK_MS / 1000
            rise = np.minimum(raised_cosine(t / release), raised_cosine((frames - t) / attack))
            gain = 10 ** ((self.up_db - self.duck_db * (1.0 - rise)) / 20)
        elif kind == "closing":
            rise = raised_cosine((self.ended + t) / (rate * RELEASE_MS / 1000))
            gain = 10 ** ((self.up_db - self.duck_db * (1.0 - rise)) / 20)
            gain *= 1.0 - raised_cosine((self.ended + t) / (rate * FADE_OUT_MS / 1000))
            self.ended += frames
        else:  # down: under speech, and through the short pauses within a story
            gain = np.full(frames, 10 ** ((self.up_db - self.duck_db) / 20))
        fade_in = rate * FADE_IN_MS / 1000
        if self.played < fade_in:
            gain *= raised_cosine((self.played + t) / fade_in)
        return gain
