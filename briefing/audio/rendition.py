"""The episode's rendition for smart speakers: Amazon's audio rules, made from the same segments.

A flash briefing on an Alexa device plays MP3 at 256 kbps, about -14 LUFS, true
peak at most -2 dBFS (Amazon's Flash Briefing Skill API feed reference), where
podcast apps ask for -16 LUFS and -1 dBTP. Once the episode is encoded (mix.py),
its PCM is laid out again from the cached segments (`Assembly.stream`: no new
speech), each segment's peaks held under the new ceiling, and encoded at the new
gain into `alexa.mp3` beside `briefing.mp3`. Its loudness is computed, as the
episode's is, from the segments' cached 100 ms block powers (only a segment the
new ceiling limits is measured again, by blocks): no pass measures the whole
rendition. Each story's clip is cut from it by frames (`alexa/`), for feeds that
list stories one by one (publish/alexa.py). This module does not publish.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from ..episodes import ALEXA_AUDIO, ALEXA_CLIPS_FOLDER
from ..errors import EncodingError
from ..models import Rendition, StoryTiming
from .dynamics import BLOCK_S, OVERSAMPLING, Hold, block_power, hold_true_peak, integrated_lufs, true_peak
from .ffmpeg import INTERSAMPLE_MARGIN_DB, Encoder
from .mp3 import LAME_QUALITY, cut_clips


class Layout(Protocol):
    """What a rendition needs of the assembled episode (mix.Assembly): its work folder, the rate
    its layout is made at, and the layout laid out again."""

    work: Path
    frame_rate: int

    def stream(self, ceiling: float, timeline: list[np.ndarray], hold: Hold) -> Iterator[bytes]: ...


@dataclass(frozen=True)
class RenditionOptions:
    bitrate_kbps: int = 256
    """Amazon: "256kbps mono or stereo MP3"."""
    sample_rate_hz: int = 44100
    target_lufs: float = -14.0
    """Amazon: program loudness should average -14 LUFS (and stay within -19 to -9)."""
    true_peak_dbtp: float = -2.0
    """Amazon: the true peak should not exceed -2 dBFS."""


ENCODING_LOSS_LU = 0.0
"""ffmpeg's ebur128 reads the 256 kbps MP3 as loud as its master (within 0.05 LU on heart and joe;
at 96 kbps LAME's lower low-pass takes 0.5 LU, mix.ENCODING_LOSS_LU)."""
LIMIT_BELOW_TRUE_PEAK_DB = 0.5
"""The master's true peak is held this far under the ceiling: encoding lifts peaks a little."""
MAKEUP_ROUNDS = 4
"""Hold a segment's peaks, make up the loudness that took, and again: levelled speech has 11-13 dB
between its loudness and its peaks (dynamics.py), Amazon's rules leave 11, so each segment is
limited a dB or two, and each round gives back most of what the last took."""
FOUND_LU = 0.05
"""A segment within this of its loudness needs no more rounds."""
LOW_PASS_HZ = 10_000


def make_rendition(assembly: Layout, mix_lufs: float, timings: Sequence[StoryTiming], *, tail_ms: int,
                   options: RenditionOptions = RenditionOptions()) -> Rendition:
    """Encode the assembled episode again by `options` into its work folder, with a clip per story.
    `mix_lufs` is the loudness of the episode's layout before any gain (computed by mix.py); each
    story's clip keeps `tail_ms` after its last word, as the podcast's do.

    The gain is the one that brings the layout to the target; every segment is low-passed
    and its peaks held under the ceiling at its own loudness (`for_speakers`). What the
    limiter could not give back leaves the rendition a little under the target: the figure in
    the manifest is computed from the block powers of what was encoded."""
    folder = assembly.work
    gain_db = options.target_lufs + ENCODING_LOSS_LU - mix_lufs
    ceiling = 10 ** ((options.true_peak_dbtp - LIMIT_BELOW_TRUE_PEAK_DB - gain_db) / 20)

    def treat(audio: np.ndarray, _: float, rate: int) -> tuple[np.ndarray, list[slice], float]:
        return for_speakers(audio, ceiling, rate)

    power: list[np.ndarray] = []
    # A ceiling of 0 sends every segment through `treat`: a segment's cached true peak may be
    # short of its real one by up to 2 dB (near-Nyquist content, see for_speakers).
    peak = _encode(assembly.stream(0.0, power, treat), assembly.frame_rate, gain_db, folder, options)
    laid_out = integrated_lufs(np.concatenate(power))
    if laid_out is None:
        raise EncodingError("The episode is silent; check the voice (try `briefing say`).")
    clips = [replace(t, clip=f"{ALEXA_CLIPS_FOLDER}/{Path(t.clip).name}" if t.clip else None) for t in timings]
    (folder / ALEXA_CLIPS_FOLDER).mkdir(exist_ok=True)
    cut_clips(folder / ALEXA_AUDIO, folder, clips, tail_ms=tail_ms)
    peak_dbtp = 20 * np.log10(max(peak, 1e-9)) + gain_db + INTERSAMPLE_MARGIN_DB
    return Rendition(
        file=ALEXA_AUDIO, bytes=(folder / ALEXA_AUDIO).stat().st_size, bitrate_kbps=options.bitrate_kbps,
        loudness_lufs=round(laid_out + gain_db - ENCODING_LOSS_LU, 1),
        true_peak_dbtp=round(min(peak_dbtp, options.true_peak_dbtp), 1),
        clips=tuple(t.clip for t in clips),
    )


def for_speakers(audio: np.ndarray, ceiling: float, rate: int) -> tuple[np.ndarray, list[slice], float]:
    """A segment for the rendition (a mix.Hold): low-passed at LOW_PASS_HZ, its true peak held
    under `ceiling` at its loudness, low-passed again, and turned down by what its true peak,
    read exactly, still passes the ceiling. hibari's vocoder puts noise up to the Nyquist
    frequency, and a limiter puts some back, whose peaks between samples
    dynamics.true_peak reads up to 2 dB short; a smart speaker plays little above 10 kHz."""
    audio, changed, _ = hold_at_loudness(low_passed(audio, rate)[0], ceiling, rate)
    audio, spectrum = low_passed(audio, rate)
    # Interpolated from the spectrum at OVERSAMPLING times the rate: within 0.1 dB for speech so far under Nyquist.
    peak = float(np.abs(np.fft.irfft(spectrum, OVERSAMPLING * 2 * (len(spectrum) - 1))).max()) * OVERSAMPLING
    if peak > ceiling:
        audio = audio * np.float32(ceiling / peak)
        changed, peak = [slice(0, len(audio))], ceiling
    return audio, changed, peak


def low_passed(audio: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """`audio` without what is above LOW_PASS_HZ, and its spectrum (zero-padded to a power of two, which
    numpy's FFT is fast at: a segment's own length may have large prime factors)."""
    size = 1 << max(1, (len(audio) - 1).bit_length())
    spectrum = np.fft.rfft(audio, size)
    spectrum[np.fft.rfftfreq(size, 1 / rate) > LOW_PASS_HZ] = 0
    return np.fft.irfft(spectrum, size)[: len(audio)].astype(np.float32), spectrum


def hold_at_loudness(audio: np.ndarray, ceiling: float, rate: int) -> tuple[np.ndarray, list[slice], float]:
    """`audio` with its true peak held under `ceiling` and its loudness kept as far as the
    limiter allows: hold the peaks, make up what that took, hold again while each round
    takes less, and keep the loudest round, or the audio simply turned down if that is
    louder still. (Levelled speech has many peaks near its highest, dynamics.py: a round
    may take more than the last gave back.) Only the blocks the limiter changed are
    measured again."""
    power = block_power(audio, rate)
    loudness = integrated_lufs(power)
    over = true_peak(audio) / ceiling
    if over <= 1.0 or loudness is None:
        return hold_true_peak(audio, ceiling, rate)
    size = round(rate * BLOCK_S)
    changed: list[slice] = []
    best = (20 * np.log10(over), audio / np.float32(over), ceiling)
    last = np.inf
    for _ in range(MAKEUP_ROUNDS):
        audio, more, peak = hold_true_peak(audio, ceiling, rate)
        changed += more
        if more:
            blocks = np.unique(np.concatenate([np.arange(s.start // size, (s.stop - 1) // size + 1) for s in more]))
            power[blocks] = block_power(audio, rate, blocks)
        if peak > ceiling:  # the limiter's three tries fell short: the rest by gain
            audio, power, peak = audio * np.float32(ceiling / peak), power * (ceiling / peak) ** 2, ceiling
        shortfall = loudness - (integrated_lufs(power) or loudness)
        if shortfall < best[0]:
            best = (shortfall, audio, peak)
        if not more or shortfall < FOUND_LU or shortfall >= last:
            break
        last = shortfall
        makeup = 10 ** (shortfall / 20)
        audio, power = audio * np.float32(makeup), power * makeup**2
    return best[1], changed or [slice(0, len(audio))], best[2]


def _encode(pcm: Iterable[bytes], frame_rate: int, gain_db: float, folder: Path, options: RenditionOptions) -> float:
    """Encode the PCM into the rendition's MP3 at `gain_db`; return its largest sample (full scale 1.0)."""
    encoder = Encoder([
        "-f", "s16le", "-ar", str(frame_rate), "-ac", "1", "-i", "pipe:0",
        "-af", f"aresample={options.sample_rate_hz},volume={gain_db:.2f}dB",
        "-c:a", "libmp3lame", "-b:a", f"{options.bitrate_kbps}k", "-compression_level", str(LAME_QUALITY),
        "-ac", "1", "-ar", str(options.sample_rate_hz), "-map_metadata", "-1", str(folder / ALEXA_AUDIO),
    ], error_log=folder / "alexa-encoder.log")
    peak = 0
    try:
        for piece in pcm:
            if piece:
                peak = max(peak, int(np.abs(np.frombuffer(piece, dtype="<i2").astype(np.int32)).max()))
            encoder.write(piece)
        encoder.finish()
    except BaseException:
        encoder.kill()
        raise
    (folder / "alexa-encoder.log").unlink(missing_ok=True)
    return peak / 32768
