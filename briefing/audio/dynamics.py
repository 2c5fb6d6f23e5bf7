"""Even out each spoken segment: one loudness, peaks held down, and the loudness
measured so that the episode's is known without another pass over its audio.

Neural voices are peaky: Piper's raw output measures about 20 dB between its
loudness and its true peak, so lifting a briefing to -16 LUFS would push peaks
far over the -1 dBTP podcast ceiling. Broadcast speech is processed to about
12-15 dB of peak-to-loudness ratio. This stage levels every segment to one
loudness (K-weighted and gated as ITU-R BS.1770-4 measures it), runs a
look-ahead peak limiter over it, and makes up what the limiter took (twice). Done per
segment, in the synthesis workers, and cached with the audio.

Every segment leaves here with the K-weighted power of each 100 ms of it (the
hop of BS.1770's gating blocks). An episode is its segments and silences end to
end, so its integrated loudness is computed from those powers alone
(`integrated_lufs` over them and the pauses' zeros), within 0.05 LU of ffmpeg's
ebur128 on the whole mix; and since every segment sits at SEGMENT_LUFS, the
episode's loudness is known closely enough before a sample of it exists to
start encoding it while it is still being spoken (mix.py).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SEGMENT_LUFS = -20.0
"""Integrated loudness of every levelled segment."""
PEAK_ABOVE_LOUDNESS_DB = 11.0
"""True peaks are limited to this far above the segment's loudness (before the small
make-up gain that restores what the limiter took): the 12-14 dB peak-to-loudness ratio
of processed broadcast speech, which leaves an episode at -16 LUFS with its peaks near
-3 dBFS, under the -1 dBTP ceiling without a limiter on the whole mix."""
LOOKAHEAD_MS = 3.0
MAKEUP_ROUNDS = 2
"""Limit, then make up the loudness the limiter took, twice: the make-up gain lifts the
limited peaks again, by 1-2 dB after the first round for Piper, a few tenths after the second."""
MAKEUP_HEADROOM_DB = 1.5
"""The last make-up gain may lift peaks this far over the ceiling, and no further: then the
true peak is held there. Joe's peakiest segments would otherwise reach 3 dB over the
ceiling between their samples."""
HOLD_ROUNDS = 8
"""Hold the true peak, make up the loudness that took, and again (a segment whose peaks stay
under the hold stops at once): joe's segments end 0.04 LU under SEGMENT_LUFS on average
(0.3 LU after three rounds, 0.6 after one), so the episode's predicted loudness holds and
it is encoded once."""
BLOCK_S = 0.1
"""Block powers are kept per 100 ms: BS.1770's 400 ms gating blocks step by this."""
BLOCKS_PER_GATE = 4
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
K_OFFSET_DB = -0.691
"""BS.1770's constant: a 997 Hz sine at full scale reads -3.01 LUFS."""


@dataclass(frozen=True)
class Levels:
    """What the mix needs to know of a segment's loudness without reading its audio."""

    block_power: np.ndarray
    """K-weighted mean square of each 100 ms of the audio, in order (the last part zero-padded)."""
    peak: float
    """True peak (between samples too, see true_peak); full scale is 1.0."""


@lru_cache(maxsize=8)
def _k_weights(sample_rate_hz: int, size: int) -> np.ndarray:
    """|H(f)|^2 of the K-weighting filter (BS.1770-4: a +4 dB high shelf, then a 38 Hz
    high-pass, the analog prototypes bilinear-transformed at this rate as libebur128
    does) at the real FFT's bins of `size` samples, with the one-sided spectrum's
    doubling folded in, so that weights @ |X|^2 / size^2 is the filtered mean square."""
    z = np.exp(-2j * np.pi * np.fft.rfftfreq(size, 1 / sample_rate_hz) / sample_rate_hz)

    def biquad(b: tuple[float, float, float], a: tuple[float, float, float]) -> np.ndarray:
        return (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)

    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = np.tan(np.pi * f0 / sample_rate_hz)
    vh = 10 ** (gain_db / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = biquad(((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0),
                   (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0))
    f0, q = 38.13547087602444, 0.5003270373238773
    k = np.tan(np.pi * f0 / sample_rate_hz)
    a0 = 1 + k / q + k * k
    high_pass = biquad((1.0, -2.0, 1.0), (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0))
    weights = np.abs(shelf * high_pass) ** 2
    weights[1: size // 2 + (size % 2)] *= 2
    return (weights / size**2).astype(np.float64)


def block_power(audio: np.ndarray, sample_rate_hz: int, blocks: np.ndarray | None = None) -> np.ndarray:
    """K-weighted mean square of every 100 ms of `audio` (float, full scale 1.0), or of
    the `blocks` given by index.

    Each block is weighted through its own spectrum: one FFT per block instead of
    filtering the whole signal, a sixth of the work, and within 0.05 LU of ebur128.
    """
    size = round(sample_rate_hz * BLOCK_S)
    count = -(-len(audio) // size)
    frames = np.zeros((count, size), dtype=np.float32)
    frames.reshape(-1)[: len(audio)] = audio
    if blocks is not None:
        frames = frames[blocks]
    spectrum = np.fft.rfft(frames, axis=1)
    power = spectrum.real**2 + spectrum.imag**2
    # einsum, not @: a BLAS product would spin up threads on the cores the voices use.
    return np.einsum("ij,j->i", power.astype(np.float64), _k_weights(sample_rate_hz, size))


def integrated_lufs(power: np.ndarray) -> float | None:
    """BS.1770-4 integrated loudness from 100 ms block powers (see block_power), or None
    for silence: 400 ms gating blocks every 100 ms, gated at -70 LUFS and then 10 LU
    below the loudness of what passed. Audio shorter than one gating block is one block."""
    if len(power) == 0:
        return None
    if len(power) < BLOCKS_PER_GATE:
        blocks = np.array([np.mean(power)])
    else:
        sums = np.cumsum(np.concatenate(([0.0], power)))
        blocks = (sums[BLOCKS_PER_GATE:] - sums[:-BLOCKS_PER_GATE]) / BLOCKS_PER_GATE
    floor = 10 ** ((ABSOLUTE_GATE_LUFS - K_OFFSET_DB) / 10)
    audible = blocks[blocks > floor]
    if audible.size == 0:
        return None
    relative = np.mean(audible) * 10 ** (RELATIVE_GATE_LU / 10)
    gated = audible[audible > relative]
    return float(K_OFFSET_DB + 10 * np.log10(np.mean(gated)))


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


OVERSAMPLING = 4
"""True peak is read between samples at this many times the rate, as BS.1770-4 does."""
TRUE_PEAK_TAPS = 48
"""Taps of the windowed-sinc interpolator for each in-between position."""
NEAR_PEAK = 0.5
"""Only the gaps beside a sample within 6 dB of the largest can hold the true peak."""


@lru_cache(maxsize=1)
def _interpolators() -> np.ndarray:
    """One windowed-sinc filter per position between two samples (1/4, 2/4, 3/4)."""
    half = TRUE_PEAK_TAPS // 2
    offsets = np.arange(-half + 1, half + 1)
    window = np.kaiser(TRUE_PEAK_TAPS, 8.0)
    rows = []
    for phase in range(1, OVERSAMPLING):
        taps = np.sinc(offsets - phase / OVERSAMPLING) * window
        rows.append(taps / taps.sum())
    return np.array(rows)


def true_peak(audio: np.ndarray) -> float:
    """The largest absolute value of `audio` between its samples as well as at them
    (interpolated at OVERSAMPLING times the rate), full scale 1.0.

    Speech at 22-24 kHz has energy near its Nyquist frequency, so its waveform
    swings up to 2.5 dB above its largest sample (Piper's joe); that overshoot
    appears when it is resampled to 44.1 kHz and encoded. A peak between samples
    lies beside a sample that is a local maximum of the magnitude, so only the gaps
    around those within NEAR_PEAK of the largest are interpolated (about 0.1 s of a
    core for ten minutes of speech; within 0.15 dB of oversampling it all 8 times)."""
    magnitude = np.abs(np.asarray(audio, dtype=np.float32))
    sample_peak = float(magnitude.max(initial=0.0))
    if sample_peak == 0.0:
        return 0.0
    inner = magnitude[1:-1]
    local = (inner >= magnitude[:-2]) & (inner >= magnitude[2:]) & (inner >= NEAR_PEAK * sample_peak)
    tops = np.flatnonzero(local) + 1
    gaps = np.concatenate((tops - 1, tops))  # the gap before and after each
    # The TRUE_PEAK_TAPS samples around the gap after sample i, from i - 23 to i + 24;
    # silence beyond the ends.
    around = gaps[:, None] + np.arange(1 - TRUE_PEAK_TAPS // 2, TRUE_PEAK_TAPS // 2 + 1)
    windows = np.take(np.asarray(audio, np.float32), around, mode="clip")
    windows[(around < 0) | (around >= len(magnitude))] = 0.0
    between = np.einsum("ij,kj->ik", windows, _interpolators().astype(np.float32))  # not BLAS, as above
    return max(sample_peak, float(np.abs(between).max(initial=0.0)))


def _limiter_gain(audio: np.ndarray, ceiling: float, width: int) -> np.ndarray:
    envelope = _sliding_max(np.abs(audio), width)
    gain = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-9))
    # Min over the window, then a moving average of the same width: the smoothed
    # gain never rises above the gain a peak needs, so no peak slips through.
    return _moving_average(-_sliding_max(-gain, width), width)


def limit_peaks(audio: np.ndarray, ceiling: float, sample_rate_hz: int) -> tuple[np.ndarray, list[slice]]:
    """`audio` with every sample at or under `ceiling`, by a gain that dips smoothly
    around each peak (LOOKAHEAD_MS either side), and the stretches it changed.

    The gain is computed only around the samples over the ceiling: elsewhere it is
    exactly 1, as the whole-signal computation gives, at a fraction of the cost. The
    stretches around them are computed as one array, end to end: each starts and ends
    where the gain is 1, so no window reaches from one into the next and sees another
    gain than it would alone."""
    width = max(3, int(sample_rate_hz * LOOKAHEAD_MS / 1000) * 2 + 1)
    over = np.flatnonzero(np.abs(audio) > ceiling)
    if over.size == 0:
        return audio, []
    # A peak's gain dip reaches 1.5 widths; stretches padded by 3 widths see the same
    # gain as the whole signal would, and stretches closer than that are merged.
    reach = 3 * width
    breaks = np.flatnonzero(np.diff(over) > 2 * reach)
    starts = np.concatenate(([over[0]], over[breaks + 1]))
    ends = np.concatenate((over[breaks], [over[-1]]))
    firsts, stops = np.maximum(0, starts - reach), np.minimum(len(audio), ends + reach + 1)
    lengths = stops - firsts
    index = np.arange(lengths.sum()) + np.repeat(firsts - (np.cumsum(lengths) - lengths), lengths)
    limited = audio.copy()
    limited[index] = audio[index] * _limiter_gain(audio[index], ceiling, width)
    return limited, [slice(int(a), int(b)) for a, b in zip(firsts, stops)]


Hold = Callable[[np.ndarray, float, int], tuple[np.ndarray, list[slice], float]]
"""The shape of hold_true_peak: a segment's float audio, a ceiling and its rate -> the audio with its
true peak held under the ceiling, the stretches changed, and its true peak (mix.Assembly.stream)."""


def hold_true_peak(audio: np.ndarray, ceiling: float, sample_rate_hz: int) -> tuple[np.ndarray, list[slice], float]:
    """`audio` with its true peak brought to `ceiling`, the stretches changed, and the true
    peak: the samples are limited to the ceiling less what the waveform overshoots them."""
    peak, limit, changed = true_peak(audio), ceiling, []
    for _ in range(3):
        if peak <= ceiling:
            break
        limit *= ceiling / peak
        audio, more = limit_peaks(audio, limit, sample_rate_hz)
        changed += more
        peak = true_peak(audio)
    return audio, changed, peak


def level(audio: np.ndarray, sample_rate_hz: int) -> tuple[np.ndarray, Levels]:
    """Float audio in [-1, 1] -> (audio at SEGMENT_LUFS with its peaks limited, its Levels).

    Gain scales every block's power alike, so after the first measurement only the
    blocks the limiter changed are measured again."""
    audio = np.asarray(audio, dtype=np.float32)
    power = block_power(audio, sample_rate_hz)
    loudness = integrated_lufs(power)
    if loudness is None:
        return audio, Levels(power, true_peak(audio))
    ceiling = 10 ** ((SEGMENT_LUFS + PEAK_ABOVE_LOUDNESS_DB) / 20)
    size = round(sample_rate_hz * BLOCK_S)

    def measure_again(changed: list[slice]) -> None:
        if changed:
            blocks = np.unique(np.concatenate([np.arange(s.start // size, (s.stop - 1) // size + 1) for s in changed]))
            power[blocks] = block_power(evened, sample_rate_hz, blocks)

    gain = 10 ** ((SEGMENT_LUFS - loudness) / 20)
    evened = audio
    for _ in range(MAKEUP_ROUNDS):
        gained = evened * np.float32(gain)
        # Samples are limited under the ceiling by as much as the waveform swings above its
        # samples anywhere, so that its true peak ends near the ceiling.
        sample_ceiling = ceiling * float(np.max(np.abs(gained))) / max(true_peak(gained), 1e-9)
        evened, changed = limit_peaks(gained, sample_ceiling, sample_rate_hz)
        power *= gain**2
        measure_again(changed)
        gain = 10 ** ((SEGMENT_LUFS - (integrated_lufs(power) or SEGMENT_LUFS)) / 20)
    hold = ceiling * 10 ** (MAKEUP_HEADROOM_DB / 20)
    for _ in range(HOLD_ROUNDS):
        evened = np.clip(evened * np.float32(gain), -1.0, 1.0)
        power *= gain**2
        evened, changed, peak = hold_true_peak(evened, hold, sample_rate_hz)
        if not changed:
            break
        measure_again(changed)
        gain = 10 ** ((SEGMENT_LUFS - (integrated_lufs(power) or SEGMENT_LUFS)) / 20)
    return evened, Levels(power, peak)


def level_pcm(pcm: bytes, sample_rate_hz: int) -> tuple[bytes, Levels]:
    """level() for 16-bit mono PCM."""
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / np.float32(32768.0)
    evened, levels = level(audio, sample_rate_hz)
    return (evened * np.float32(32767.0)).round().astype("<i2").tobytes(), levels


def even_out_pcm(pcm: bytes, sample_rate_hz: int) -> bytes:
    """16-bit mono PCM levelled and peak-limited (`briefing say`, whose levels are not cached)."""
    return level_pcm(pcm, sample_rate_hz)[0]


def resampled(pcm: bytes, from_rate: int, to_rate: int) -> bytes:
    """16-bit mono PCM at another rate, band-limited (through the FFT), as one
    presenter's 22.05 kHz voice must be beside the other's 24 kHz; linear
    interpolation would leave audible images of the treble."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    count = round(len(samples) * to_rate / from_rate)
    spectrum = np.fft.rfft(samples)
    resized = np.fft.irfft(spectrum, n=count) * (count / max(1, len(samples)))
    return np.clip(np.round(resized), -32768, 32767).astype("<i2").tobytes()
