"""Shared fixtures: the real Piper and hibari voices (each loaded once per
session), a fake engine for fast unit tests, and paths to the bundled examples
and the shared sample."""
from __future__ import annotations

import math
import os
import struct
from pathlib import Path

import pytest

from briefing.speech import Speech
from briefing.voices import find_voice

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
SAMPLE = ROOT.parent / "shared" / "samples" / "putin-india-visit.txt"


@pytest.fixture(scope="session")
def joe():
    return find_voice("joe")


@pytest.fixture(scope="session")
def piper_engine(joe):
    """The real Piper voice, loaded once for the whole test session."""
    from briefing.speech import load_engine

    return load_engine(joe)


@pytest.fixture(scope="session")
def heart():
    return find_voice("heart")


@pytest.fixture(scope="session")
def hibari_engine(heart):
    """The real hibari voice (the default), loaded once for the whole test session."""
    from briefing.speech import load_engine

    return load_engine(heart)


class ToneEngine:
    """A fake engine whose audio length follows the text: 60 ms per character of a
    quiet tone, so timing and loudness code see speech-like input without a model."""

    sample_rate_hz = 22050

    def __init__(self) -> None:
        self.spoken: list[str] = []

    def speak(self, text: str) -> Speech:
        self.spoken.append(text)
        frames = int(len(text) * 0.06 * self.sample_rate_hz)
        # A 220 Hz tone with a 3 Hz amplitude wobble, roughly like syllables.
        samples = (
            int(9000 * (0.6 + 0.4 * math.sin(2 * math.pi * 3 * i / self.sample_rate_hz))
                * math.sin(2 * math.pi * 220 * i / self.sample_rate_hz))
            for i in range(frames)
        )
        return Speech(pcm=struct.pack(f"<{frames}h", *samples), sample_rate_hz=self.sample_rate_hz)


@pytest.fixture
def tone_engine():
    return ToneEngine()


@pytest.fixture(scope="session")
def tone_engine_class():
    """For module-scoped fixtures, which cannot use the function-scoped tone_engine."""
    return ToneEngine


@pytest.fixture(scope="session")
def sample_article() -> Path:
    """The real scraped article in ../shared/samples (CI puts shared/ beside the clone)."""
    if not SAMPLE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{SAMPLE} is missing; CI must have ../shared beside the clone")
        pytest.skip(f"{SAMPLE} not found (../shared is not beside this checkout)")
    return SAMPLE
