"""Even out each spoken segment: the same speech level, and peaks held down.

Neural voices are peaky: Piper's raw output measures about 20 dB between its
loudness and its true peak, so lifting a briefing to -16 LUFS would push peaks
far over the -1 dBTP podcast ceiling. Broadcast speech is processed to about
12-15 dB of peak-to-loudness ratio. This stage levels every segment to one
speech RMS and runs a look-ahead peak limiter over it, so the final loudness
step is a plain linear gain. Done per segment, in the synthesis workers, so it
costs nothing on the critical path; the result is cached with the audio.
"""
from __future__ import annotations

import numpy as np

SPEECH_RMS_DBFS = -23.0
"""Level of active speech in every segment."""
PEAK_ABOVE_RMS_DB = 9.5
"""Peaks are limited to this far above the speech RMS. A briefing's integrated
loudness (K-weighted, gated, pauses included) sits 3-4 dB below its segments' speech
RMS, so this gives the 13-14 dB peak-to-loudness ratio of processed broadcast speech:
room for -16 LUFS under a -1.5 dBTP ceiling without a limiter on the whole mix."""
LOOKAHEAD_MS = 3.0
FRAME_MS = 50.0
SILENCE_DBFS = -50.0
"""Frames quieter than this are pauses and do not count towards the speech level."""


def _sliding_max(values: np.ndarray, width: int) -> np.ndarray:
    """Max over a centred window of `width` samples, in log2(width) vectorized steps."""
    half = width // 2
    padded = np.pad(values, (half, width - half - 1), mode="edge")
    result = padded.copy()
    span = 1
    while span < width:
        step = min(span, width - span)
        result[: len(result) - step] = np.maximum(result[: len(result) - step], result[step:])
        span += step
    return result[: len(values)]


def _moving_average(values: np.ndarray, width: int) -> np.ndarray:
    half = width // 2
    padded = np.pad(values, (half, width - half - 1), mode="edge")
    cumulative = np.concatenate(([0.0], np.cumsum(padded, dtype=np.float64)))
    return (cumulative[width:] - cumulative[:-width]) / width


def speech_rms_dbfs(audio: np.ndarray, sample_rate_hz: int) -> float | None:
    """RMS level of the frames that hold speech, or None for silence."""
    frame = max(1, int(sample_rate_hz * FRAME_MS / 1000))
    usable = len(audio) // frame * frame
    if usable == 0:
        return None
    power = np.mean(audio[:usable].reshape(-1, frame).astype(np.float64) ** 2, axis=1)
    active = power[power > 10 ** (SILENCE_DBFS / 10)]
    if active.size == 0:
        return None
    return float(10 * np.log10(np.mean(active)))


def even_out(audio: np.ndarray, sample_rate_hz: int) -> np.ndarray:
    """Float audio in [-1, 1] -> levelled and peak-limited float audio."""
    level = speech_rms_dbfs(audio, sample_rate_hz)
    if level is None:
        return audio.astype(np.float32)
    levelled = audio.astype(np.float64) * 10 ** ((SPEECH_RMS_DBFS - level) / 20)
    ceiling = 10 ** ((SPEECH_RMS_DBFS + PEAK_ABOVE_RMS_DB) / 20)
    width = max(3, int(sample_rate_hz * LOOKAHEAD_MS / 1000) * 2 + 1)
    envelope = _sliding_max(np.abs(levelled), width)
    gain = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-9))
    # Min over the window, then a moving average of the same width: the smoothed
    # gain never rises above the gain a peak needs, so no peak slips through.
    smooth = _moving_average(-_sliding_max(-gain, width), width)
    return np.clip(levelled * smooth, -1.0, 1.0).astype(np.float32)


def even_out_pcm(pcm: bytes, sample_rate_hz: int) -> bytes:
    """even_out for 16-bit mono PCM."""
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    return (even_out(audio, sample_rate_hz) * 32767.0).round().astype("<i2").tobytes()
