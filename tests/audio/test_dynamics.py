"""Segment levelling, peak limiting, and the BS.1770 loudness the mix is computed from."""
import re
import subprocess
import wave

import numpy as np
import pytest

from briefing.audio import dynamics
from briefing.audio.dynamics import (
    MAKEUP_HEADROOM_DB,
    PEAK_ABOVE_LOUDNESS_DB,
    SEGMENT_LUFS,
    block_power,
    integrated_lufs,
    level,
    limit_peaks,
    true_peak,
)
from briefing.audio.ffmpeg import ffmpeg_exe

RATE = 22050


def even_out(audio, rate):
    """Levelled and peak-limited audio, as a segment is cached."""
    return level(audio, rate)[0]


def speech_like(level_: float, seconds: float = 2.0, clicks: int = 5, rate: int = RATE) -> np.ndarray:
    rng = np.random.default_rng(0)
    t = np.arange(int(rate * seconds)) / rate
    audio = level_ * np.sin(2 * np.pi * 140 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
    audio += 0.3 * level_ * np.sin(2 * np.pi * 2500 * t)  # some treble, which K-weighting lifts
    audio[int(rate * 0.5): int(rate * 0.7)] = 0.0  # a pause
    for position in rng.integers(0, len(audio) - 40, clicks):
        audio[position: position + 30] += 4 * level_  # plosive-like spikes, 12 dB over the speech
    return np.clip(audio, -1, 1).astype(np.float32)


def loudness(audio: np.ndarray, rate: int = RATE) -> float:
    return integrated_lufs(block_power(audio, rate))


def ebur128(audio: np.ndarray, rate: int, tmp_path) -> float:
    path = tmp_path / "audio.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((audio * 32767).round().astype("<i2").tobytes())
    report = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128",
                             "-f", "null", "-"], capture_output=True, text=True).stderr
    return float(re.search(r"I:\s+(-?[\d.]+) LUFS", report[report.rindex("Summary:"):]).group(1))


def test_quiet_and_loud_segments_come_out_at_the_segment_loudness():
    quiet, loud = even_out(speech_like(0.02), RATE), even_out(speech_like(0.15), RATE)
    assert loudness(quiet) == pytest.approx(SEGMENT_LUFS, abs=0.05)
    assert loudness(loud) == pytest.approx(SEGMENT_LUFS, abs=0.05)


def test_peaks_are_held_near_the_ceiling_above_the_loudness():
    """The true peak (between samples too) ends near the ceiling: the make-up gain may lift
    it a little, never past the hold."""
    out, levels = level(speech_like(0.1), RATE)
    peak_above_db = 20 * np.log10(true_peak(out)) - loudness(out)
    assert PEAK_ABOVE_LOUDNESS_DB - 1.0 < peak_above_db <= PEAK_ABOVE_LOUDNESS_DB + MAKEUP_HEADROOM_DB + 0.05
    assert loudness(out) == pytest.approx(SEGMENT_LUFS, abs=0.1)
    assert levels.peak == pytest.approx(true_peak(out))
    assert levels.peak >= float(np.max(np.abs(out)))


def test_true_peak_finds_the_waveform_between_its_samples():
    """A tone at a quarter of the rate, sampled 45 degrees off its crests: every sample
    is 3 dB under the waveform's peak, which resampling and MP3 encoding bring back."""
    n = np.arange(RATE)
    tone = (0.5 * np.sin(np.pi / 2 * n + np.pi / 4)).astype(np.float32)
    assert np.max(np.abs(tone)) == pytest.approx(0.5 / np.sqrt(2), rel=1e-4)
    assert 20 * np.log10(true_peak(tone) / 0.5) == pytest.approx(0.0, abs=0.2)


def test_true_peak_agrees_with_oversampling_the_whole_signal():
    audio = level(speech_like(0.1, seconds=3.0), RATE)[0]
    oversampled = np.fft.irfft(np.fft.rfft(audio.astype(np.float64)), n=8 * len(audio)) * 8
    assert 20 * np.log10(true_peak(audio) / np.max(np.abs(oversampled))) == pytest.approx(0.0, abs=0.2)
    assert true_peak(np.zeros(100, dtype=np.float32)) == 0.0


def test_levels_are_those_of_the_audio_returned():
    out, levels = level(speech_like(0.07, seconds=3.3), RATE)
    assert len(levels.block_power) == 33
    assert np.allclose(levels.block_power, block_power(out, RATE), rtol=1e-4)


def test_pauses_stay_silent_and_silence_is_untouched():
    out = even_out(speech_like(0.1, clicks=0), RATE)
    assert np.max(np.abs(out[int(RATE * 0.52): int(RATE * 0.68)])) == 0.0
    silence = np.zeros(RATE, dtype=np.float32)
    assert np.array_equal(even_out(silence, RATE), silence)
    assert loudness(silence) is None


@pytest.mark.parametrize("rate", [22050, 24000, 44100, 48000])
def test_a_997_hz_sine_reads_as_bs1770_says(rate):
    t = np.arange(rate * 2) / rate
    sine = 0.5 * np.sin(2 * np.pi * 997 * t)
    assert loudness(sine, rate) == pytest.approx(-3.01 + 20 * np.log10(0.5), abs=0.1)


def test_quiet_passages_are_gated_out_as_bs1770_says():
    loud = speech_like(0.1, seconds=3, clicks=0)
    quiet = speech_like(0.001, seconds=3, clicks=0)  # 40 dB down: under the relative gate
    # Ungated, half the time at -40 dB would read 3 dB down; gated, only the blocks that
    # straddle the change count a little.
    assert loudness(np.concatenate([loud, quiet])) == pytest.approx(loudness(loud), abs=0.3)


def test_loudness_agrees_with_ffmpeg_ebur128(tmp_path):
    audio = speech_like(0.1, seconds=6, rate=24000)
    assert loudness(audio, 24000) == pytest.approx(ebur128(audio, 24000, tmp_path), abs=0.1)


def test_a_mix_is_measured_from_its_parts_block_powers(tmp_path):
    """What assembly relies on: segments and pauses end to end read as their block powers
    (and zeros for the pauses) say, without measuring the mix."""
    first, second = even_out(speech_like(0.05, seconds=2.37), RATE), even_out(speech_like(0.2, seconds=4.11), RATE)
    pause = np.zeros(RATE * 450 // 1000, dtype=np.float32)
    mix = np.concatenate([first, pause, second, pause])
    powers = np.concatenate([block_power(first, RATE), np.zeros(4), block_power(second, RATE), np.zeros(4)])
    assert integrated_lufs(powers) == pytest.approx(ebur128(mix, RATE, tmp_path), abs=0.1)


def test_the_limiter_gain_around_peaks_equals_the_whole_signal_computation():
    audio = speech_like(0.3, seconds=3, clicks=12)
    ceiling = 0.5
    limited, changed = limit_peaks(audio, ceiling, RATE)
    width = int(RATE * dynamics.LOOKAHEAD_MS / 1000) * 2 + 1
    whole = audio * dynamics._limiter_gain(audio, ceiling, width)
    assert changed
    assert np.array_equal(limited, whole.astype(np.float32))
    assert np.max(np.abs(limited)) <= ceiling + 1e-6
