"""One line spoken on its own, exactly as a briefing would read it: `briefing say`.

The line goes through the same normalizer, lexicon, levelling and encoder
settings as an episode's segments, so a name checked here sounds the same in
the episode. With the show's sound (`say --with-sound`), it is mixed as an
episode's one sentence: after the intro, over the bed, before the outro, at
the episode's loudness, for checking the music's levels against the voice.
"""
from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from ..models import Script, Segment, Story, Voice
from ..speech import Speech, load_engine
from ..speech.lexicon import voice_lexicon
from ..speech.normalize import normalize_for_speech
from .dynamics import even_out_pcm
from .ffmpeg import loudness_filter, measure_loudness
from .mix import Assembly, AssemblyOptions
from .mp3 import encode_wav
from .synthesize import SynthesisOptions, engine_text, speak_jobs, speech_jobs, write_wav

PAUSE_AFTER_LINE_MS = 1300
"""As after a story's last sentence: the bed comes up after the line."""


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


def say_in_mix(text: str, voice: Voice, output: Path, options: AssemblyOptions) -> float:
    """`text` as the one sentence of a one-story episode with `options`' sound, into an MP3;
    the episode's length in seconds."""
    spoken = normalize_for_speech(text, keep=voice_lexicon(voice).words)
    segment = Segment("sentence", text=spoken, display=text, pause_after_ms=PAUSE_AFTER_LINE_MS, story_index=0,
                      speaker=voice.name)
    script = Script(title="briefing say", date=date.today(), segments=(segment,), stories=(Story(text, (text,)),))
    with tempfile.TemporaryDirectory(prefix="briefing-say-") as work:
        jobs = speech_jobs(script, voice, Path(work) / "segments")
        speak_jobs(jobs, SynthesisOptions(cache_dir=Path(work) / "segments", workers=1))
        with Assembly(script, [job.path for job in jobs], voice, "say", Path(work) / "episodes", options,
                      music_dir=Path(work) / "music") as assembly:
            episode = assembly.finish()
        shutil.copyfile(episode.audio_path, output)
    return episode.duration_s
