"""The episode's rendition for smart speakers: Amazon's audio rules, from the same PCM.

A flash briefing on an Alexa device plays MP3 at 256 kbps, about -14 LUFS, true peak
at most -2 dBFS (Amazon's Flash Briefing Skill API feed reference), where podcast apps
ask for -16 LUFS and -1 dBTP. The rendition is a second output of the episode's own
encoder (encode.py): the same PCM, read once, at a higher gain, low-passed at 10 kHz
(a smart speaker plays little above it, and hibari's vocoder puts noise up to the
Nyquist frequency whose peaks between samples are hard to hold) and held under the
ceiling by ffmpeg's look-ahead limiter, which levelled speech (11 dB between loudness
and peak, dynamics.py) seldom wakes. Its loudness is computed from the segments'
block powers, as the podcast's is: nothing measures it again. Each story's clip is
cut from it by frames (`alexa/`). This module does not publish.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..episodes import ALEXA_AUDIO, ALEXA_CLIPS_FOLDER
from ..models import Rendition, StoryTiming
from .encode import Output
from .ffmpeg import INTERSAMPLE_MARGIN_DB
from .mp3 import Frames, cut_clips


@dataclass(frozen=True)
class RenditionOptions:
    bitrate_kbps: int = 256
    """Amazon: "256kbps mono or stereo MP3"."""
    sample_rate_hz: int = 44100
    target_lufs: float = -14.0
    """Amazon: program loudness should average -14 LUFS (and stay within -19 to -9)."""
    true_peak_dbtp: float = -2.0
    """Amazon: the true peak should not exceed -2 dBFS."""


ENCODING_LOSS_LU = 0.25
"""ffmpeg's ebur128 reads the low-passed 256 kbps MP3 this much quieter than its master
(the low-pass takes what the K-weighting lifts above 10 kHz)."""
LOW_PASS_HZ = 10_000
LIMIT_BELOW_TRUE_PEAK_DB = 0.8
"""The limiter holds sample peaks this far under the ceiling: below 10 kHz, peaks between
samples at 44.1 kHz rise a few hundredths of a dB, and encoding a little more."""


def rendition_output(gain_db: float, options: RenditionOptions = RenditionOptions()) -> Output:
    """The rendition as an output of the episode's encoder, at `gain_db` over the mix."""
    limit = 10 ** ((options.true_peak_dbtp - LIMIT_BELOW_TRUE_PEAK_DB) / 20)
    filters = (f"lowpass=f={LOW_PASS_HZ},lowpass=f={LOW_PASS_HZ},volume={gain_db:.2f}dB,"
               f"alimiter=limit={limit:.4f}:attack=1:release=50:level=false:latency=true")
    return Output(ALEXA_AUDIO, filters, options.bitrate_kbps, options.sample_rate_hz)


def rendition_gain_db(mix_lufs: float, options: RenditionOptions = RenditionOptions()) -> float:
    """The gain that brings a mix of loudness `mix_lufs` to the rendition's target."""
    return options.target_lufs + ENCODING_LOSS_LU - mix_lufs


def finish_rendition(folder: Path, mix_lufs: float, gain_db: float, peak: float, timings: Sequence[StoryTiming], *,
                     tail_ms: int, frames: Frames | None = None,
                     options: RenditionOptions = RenditionOptions()) -> Rendition:
    """The rendition encoded into `folder`: its clips cut, and its figures (computed, as the
    podcast's are, from the mix's loudness and largest sample, and the gain it was encoded with)."""
    clips = [replace(t, clip=f"{ALEXA_CLIPS_FOLDER}/{Path(t.clip).name}" if t.clip else None) for t in timings]
    (folder / ALEXA_CLIPS_FOLDER).mkdir(exist_ok=True)
    cut_clips(folder / ALEXA_AUDIO, folder, clips, tail_ms=tail_ms, frames=frames)
    return Rendition(
        file=ALEXA_AUDIO, bytes=(folder / ALEXA_AUDIO).stat().st_size, bitrate_kbps=options.bitrate_kbps,
        loudness_lufs=round(mix_lufs + gain_db - ENCODING_LOSS_LU, 1),
        true_peak_dbtp=round(min(20 * math.log10(max(peak, 1e-9)) + gain_db + INTERSAMPLE_MARGIN_DB,
                                 options.true_peak_dbtp), 1),
        clips=tuple(t.clip for t in clips),
    )
