"""One line spoken on its own, exactly as a briefing would read it: `briefing say`.

The line goes through the same normalizer, lexicon, levelling and encoder
settings as an episode's segments, so a name checked here sounds the same in
the episode.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from ..models import Voice
from ..speech import Speech, load_engine
from ..speech.lexicon import voice_lexicon
from ..speech.normalize import normalize_for_speech
from .dynamics import even_out_pcm
from .ffmpeg import loudness_filter, measure_loudness
from .mix import AssemblyOptions
from .mp3 import encode_wav
from .synthesize import engine_text, write_wav


def spoken_text(text: str, voice: Voice) -> str:
    """What the engine is given for `text`: normalized for the ear, with the voice's lexicon applied."""
    return engine_text(voice, normalize_for_speech(text, keep=voice_lexicon(voice).words))


def say_line(spoken: str, voice: Voice, output: Path, options: AssemblyOptions = AssemblyOptions()) -> float:
    """Speak the engine's text into an MP3 in the episode's format and loudness; its length in seconds."""
    speech = load_engine(voice).speak(spoken)
    with tempfile.TemporaryDirectory(prefix="briefing-say-") as work:
        wav = Path(work) / "say.wav"
        write_wav(wav, Speech(even_out_pcm(speech.pcm, speech.sample_rate_hz), speech.sample_rate_hz))
        gain = loudness_filter(measure_loudness(wav, true_peak=False), target_lufs=options.target_lufs,
                               true_peak_dbtp=options.true_peak_dbtp, sample_rate_hz=options.sample_rate_hz)
        encode_wav(wav, output, gain, bitrate_kbps=options.bitrate_kbps, sample_rate_hz=options.sample_rate_hz)
    return speech.duration_ms / 1000
