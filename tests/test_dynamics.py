"""Segment levelling and peak limiting."""
import numpy as np

from briefing.dynamics import PEAK_ABOVE_RMS_DB, SPEECH_RMS_DBFS, even_out, speech_rms_dbfs

RATE = 22050


def speech_like(level: float, seconds: float = 2.0, clicks: int = 5) -> np.ndarray:
    rng = np.random.default_rng(0)
    t = np.arange(int(RATE * seconds)) / RATE
    audio = level * np.sin(2 * np.pi * 140 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
    audio[int(RATE * 0.5): int(RATE * 0.7)] = 0.0  # a pause
    for position in rng.integers(0, len(audio) - 40, clicks):
        audio[position: position + 30] += 4 * level  # plosive-like spikes, 12 dB over the speech
    return np.clip(audio, -1, 1).astype(np.float32)


def test_quiet_and_loud_segments_come_out_at_the_same_level():
    quiet, loud = even_out(speech_like(0.02), RATE), even_out(speech_like(0.15), RATE)
    assert abs(speech_rms_dbfs(quiet, RATE) - speech_rms_dbfs(loud, RATE)) < 0.5
    assert abs(speech_rms_dbfs(loud, RATE) - SPEECH_RMS_DBFS) < 1.0


def test_peaks_are_held_below_the_ceiling():
    out = even_out(speech_like(0.1), RATE)
    ceiling_dbfs = SPEECH_RMS_DBFS + PEAK_ABOVE_RMS_DB
    assert 20 * np.log10(np.max(np.abs(out))) <= ceiling_dbfs + 0.01


def test_pauses_stay_silent_and_silence_is_untouched():
    out = even_out(speech_like(0.1, clicks=0), RATE)
    assert np.max(np.abs(out[int(RATE * 0.52): int(RATE * 0.68)])) == 0.0
    silence = np.zeros(RATE, dtype=np.float32)
    assert np.array_equal(even_out(silence, RATE), silence)
    assert speech_rms_dbfs(silence, RATE) is None
