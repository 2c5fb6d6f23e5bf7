"""A show's own music files (intro, outro, bed, transition), read and shaped once, and
cached by their bytes.

pydub reads any format ffmpeg reads (through the ffmpeg imageio-ffmpeg ships), at any
rate and channel count; it trims the silence at each end, fades, and converts to one
channel at the mix's rate; the bed's loop point is crossfaded on the samples. Each file is then set to a
loudness matched to the speech (an intro never louder than the voice after it), its
true peak held under the ceiling the speech has, and kept as a WAV with its 100 ms
block powers (dynamics.py), so that the mix computes the episode's loudness without
measuring it. A file that cannot be used is a MusicError (exit code 2), checked before
any speech is made. Where the music goes in the episode is soundtrack.py's job.
"""
from __future__ import annotations

import hashlib
import io
import json
import warnings
import wave
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import BriefingError
from ..speech import Speech
from .dynamics import PEAK_ABOVE_LOUDNESS_DB, SEGMENT_LUFS, Levels, block_power, hold_true_peak, integrated_lufs
from .ffmpeg import ffmpeg_exe

if TYPE_CHECKING:
    from pydub import AudioSegment

ROLES = ("intro", "outro", "bed", "transition")
LONGEST_S = {"intro": 60, "outro": 60, "transition": 10}
"""An intro or outro is a signature, not a programme; a transition is a sting between stories."""
BED_READ_S = 300
"""A bed longer than this is read up to here and looped from there."""
SHORTEST_BED_S = 3.0
SILENT_DBFS = -60.0
"""A file whose loudest sample is under this is silent."""
EDGE_BELOW_PEAK_DB = 45.0
"""The silence trimmed off each end: quieter than this under the file's peak."""
DECLICK_MS = 10
OUTRO_FADE_MS = 3000
LOOP_CROSSFADE_MS = 1000
LOOP_SEARCH_MS = 25
"""The bed's loop point is moved back by up to this much to where its end best matches its
start, so that a steady tone or chord crossfades without cancelling itself."""
MUSIC_UNDER_SPEECH_LU = 1.0
"""An intro, outro or transition is set so that its loudest 3 seconds (EBU R 128 short-term
loudness; its loudest 400 ms, momentary, if it is shorter) sit this far under the speech
(SEGMENT_LUFS): never louder than the voice."""
SHORT_TERM_BLOCKS, MOMENTARY_BLOCKS = 30, 4
MUSIC_FORMAT = 1
"""Bump when preparation would make different audio from the same file."""
CHECK_RATE_HZ = 24000
"""Music is checked, and so prepared, at hibari's rate before any speech is made: the
default voice's episode then finds it ready."""


class MusicError(BriefingError):
    """A music file that cannot be used; the CLI exits with the usage code (2)."""

    exit_code = 2


@dataclass(frozen=True)
class Sound:
    """A show's own sound, as the user gives it (--intro ..., a show file's [sound] table).
    Without files, an episode opens and closes on the generated chime (AssemblyOptions.sting)."""

    intro: Path | None = None
    outro: Path | None = None
    bed: Path | None = None
    transition: Path | None = None
    intro_overlap_s: float = 2.0
    """The greeting starts this long before the intro ends, over its fading tail; 0: after it."""
    bed_duck_db: float = 12.0
    """How far the bed dips under speech."""
    bed_level_db: float = -10.0
    """The bed's loudness between stories, relative to the speech's."""

    def files(self) -> dict[str, Path]:
        """The music files given, by role."""
        return {role: Path(path) for role in ROLES if (path := getattr(self, role)) is not None}


@dataclass(frozen=True)
class Music:
    """One prepared file at the mix's rate: float samples (full scale 1.0) and their levels."""

    audio: np.ndarray
    levels: Levels


@dataclass(frozen=True)
class ShowMusic:
    """Every file of a Sound, prepared at one rate."""

    sound: Sound
    rate: int
    tracks: dict[str, Music]

    def get(self, role: str) -> Music | None:
        return self.tracks.get(role)


def music_identity(sound: Sound) -> tuple[object, ...]:
    """What the episode's audio takes from `sound`: its levels and each file's bytes."""
    digests = tuple((role, _digest(role, path)) for role, path in sound.files().items())
    return (MUSIC_FORMAT, sound.intro_overlap_s, sound.bed_duck_db, sound.bed_level_db, digests)


def check_music(sound: Sound, cache_dir: Path) -> None:
    """Refuse a music file that cannot be used (MusicError), before any speech is made."""
    prepare_music(sound, CHECK_RATE_HZ, cache_dir)


def prepare_music(sound: Sound, rate: int, cache_dir: Path) -> ShowMusic:
    """Every file of `sound` read, shaped and levelled at `rate`, from `cache_dir` when it was
    done before. MusicError names a file that cannot be used and why; every file is read
    before any is written, so a bad one leaves nothing behind."""
    cached: dict[str, Path] = {}
    read: dict[str, AudioSegment] = {}
    for role, path in sound.files().items():
        overlap_ms = round(sound.intro_overlap_s * 1000) if role == "intro" else 0
        key = json.dumps([MUSIC_FORMAT, role, _digest(role, path), rate, overlap_ms]).encode()
        cached[role] = cache_dir / f"{role}-{hashlib.sha256(key).hexdigest()[:24]}.wav"
        if not cached[role].is_file():
            read[role] = _read(role, path)
    for role, segment in read.items():
        audio = _converted(_shaped(role, segment, sound), rate)
        _write(cached[role], _levelled(role, looped(audio, rate) if role == "bed" else audio, rate), rate)
    return ShowMusic(sound, rate, {role: _load(path) for role, path in cached.items()})


def _write(path: Path, music: Music, rate: int) -> None:
    from .synthesize import write_wav

    write_wav(path, Speech(_pcm16(music.audio), rate), music.levels)


def _load(path: Path) -> Music:
    from .synthesize import read_wav

    speech, levels = read_wav(path)
    return Music(np.frombuffer(speech.pcm, dtype="<i2").astype(np.float32) / np.float32(32768.0), levels)


def _digest(role: str, path: Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        raise MusicError(f"{role} file {path}: no such file; check the path.") from None
    except OSError as error:
        raise MusicError(f"{role} file {path} cannot be read ({error.strerror}); check the path.") from None


@lru_cache(maxsize=1)
def _pydub() -> Any:
    """pydub's AudioSegment, pointed at imageio-ffmpeg's binary before any use. pydub warns at
    import when no system ffmpeg is on the PATH (it never needs one here), and its audioop
    is deprecated on Python 3.12 (audioop-lts takes its place on 3.13)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        from pydub import AudioSegment
    AudioSegment.converter = ffmpeg_exe()
    return AudioSegment


def _read(role: str, path: Path) -> AudioSegment:
    """The file as 16-bit mono, its silent ends trimmed; MusicError if it cannot be used."""
    what = f"{role} file {path}"
    if path.stat().st_size == 0:
        raise MusicError(f"{what} is empty (0 bytes); give an MP3, M4A, Ogg, FLAC or WAV file.")
    audio_segment = _pydub()  # first: importing any of pydub warns, unless this does it
    from pydub.exceptions import CouldntDecodeError

    longest = LONGEST_S.get(role)
    read_s = 2 * longest + 1 if longest else BED_READ_S  # room for silence at the start, trimmed below
    try:
        # Decoded through temporary files: pydub's other reader asks ffprobe, which
        # imageio-ffmpeg does not ship. Decoding stops at read_s: an intro goes no further.
        sound = audio_segment.from_file_using_temporary_files(str(path), duration=read_s)
    except CouldntDecodeError as error:
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        raise MusicError(f"{what} cannot be read as audio ({lines[-1] if lines else 'ffmpeg failed'}); "
                         "give an MP3, M4A, Ogg, FLAC or WAV file.") from None
    sound = sound.set_channels(1).set_sample_width(2)
    if len(sound) == 0 or sound.max_dBFS < SILENT_DBFS:
        raise MusicError(f"{what} is silent; give a file with music in it.")
    goes_on = len(sound) >= read_s * 1000 - 50
    sound = _trimmed(sound)
    if longest and (len(sound) > longest * 1000 or goes_on):
        article = "an" if role[0] in "aeiou" else "a"
        raise MusicError(f"{what} lasts over {longest} s; {article} {role} may last {longest} s at most: trim it"
                         + (", or give it as the bed." if role == "intro" else "."))
    if role == "bed" and len(sound) < SHORTEST_BED_S * 1000:
        raise MusicError(f"{what} lasts {len(sound) / 1000:.1f} s, too short to loop; give at least "
                         f"{SHORTEST_BED_S:g} s of music.")
    return sound


def _trimmed(sound: AudioSegment) -> AudioSegment:
    from pydub.silence import detect_leading_silence

    threshold = sound.max_dBFS - EDGE_BELOW_PEAK_DB
    start = detect_leading_silence(sound, silence_threshold=threshold, chunk_size=5)
    end = len(sound) - detect_leading_silence(sound.reverse(), silence_threshold=threshold, chunk_size=5)
    return sound[start:end]


def _shaped(role: str, sound: AudioSegment, settings: Sound) -> AudioSegment:
    """Fades for the role: every file starts and ends without a click; the intro fades
    under the greeting that starts over its tail; the outro fades out at its end (the bed
    is looped after conversion: looped)."""
    if role == "bed":
        return sound
    overlap_ms = round(settings.intro_overlap_s * 1000)
    fade_out = {"intro": max(DECLICK_MS, min(overlap_ms, len(sound) // 2)),
                "outro": max(DECLICK_MS, min(OUTRO_FADE_MS, len(sound) // 3))}.get(role, DECLICK_MS)
    return sound.fade_in(DECLICK_MS).fade_out(fade_out)


def looped(audio: np.ndarray, rate: int) -> np.ndarray:
    """The bed as a seamless loop: its last LOOP_CROSSFADE_MS crossfaded into its start, the
    loop cut where its end best matches its start. Done on samples, not with pydub's append,
    which slices by milliseconds: a loop one sample off clicks at every turn."""
    width = min(rate * LOOP_CROSSFADE_MS // 1000, len(audio) // 4)
    search = rate * LOOP_SEARCH_MS // 1000
    # Each candidate end e = len - search + k: how well audio[e - width:e] matches the start,
    # by normalized cross-correlation (through the FFT).
    span = audio[len(audio) - search - width:].astype(np.float64)
    size = 1 << int(np.ceil(np.log2(len(span) + width)))
    products = np.fft.irfft(np.fft.rfft(span, size) * np.conj(np.fft.rfft(audio[:width], size)), size)
    energy = np.cumsum(np.concatenate(([0.0], span**2)))
    norms = np.sqrt(np.maximum(energy[width:] - energy[:-width], 1e-9))
    end = len(audio) - search + int(np.argmax(products[: search + 1] / norms))
    ramp = np.arange(width, dtype=np.float32) / np.float32(width)
    loop = audio[: end - width].copy()
    loop[:width] = audio[:width] * ramp + audio[end - width:end] * (1 - ramp)
    return loop


def _converted(sound: AudioSegment, rate: int) -> np.ndarray:
    """pydub's audio at `rate` (resampled by ffmpeg, band-limited), as float samples."""
    buffer = sound.export(io.BytesIO(), format="wav", parameters=["-ar", str(rate), "-ac", "1"])
    buffer.seek(0)
    with wave.open(buffer, "rb") as wav:
        pcm = wav.readframes(wav.getnframes())
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / np.float32(32768.0)


def _levelled(role: str, audio: np.ndarray, rate: int) -> Music:
    """The music at its loudness beside the speech, its true peak held under the speech's
    ceiling. A bed is set to the speech's loudness (the mix sets its level); the others so
    that their loudest 3 seconds sit MUSIC_UNDER_SPEECH_LU under it. All but the bed are
    padded to whole 100 ms blocks, so that what follows starts on a block."""
    size = round(rate * 0.1)
    if role != "bed":
        audio = np.concatenate((audio, np.zeros(-len(audio) % size, dtype=np.float32)))
    power = block_power(audio, rate)
    if role == "bed":
        loudness = integrated_lufs(power) or SEGMENT_LUFS
        target = SEGMENT_LUFS
    else:
        loudness = short_term_max_lufs(power)
        target = SEGMENT_LUFS - MUSIC_UNDER_SPEECH_LU
    gained = audio * np.float32(10 ** ((target - loudness) / 20))  # may pass full scale: the hold brings it under
    ceiling = 10 ** ((SEGMENT_LUFS + PEAK_ABOVE_LOUDNESS_DB) / 20)
    held, _, peak = hold_true_peak(gained, ceiling, rate)
    return Music(held.astype(np.float32), Levels(block_power(held, rate), peak))


def short_term_max_lufs(power: np.ndarray) -> float:
    """The loudest 3 seconds (EBU R 128 short-term loudness, here over 100 ms blocks); of
    anything shorter, the loudest 400 ms (momentary loudness)."""
    from .dynamics import K_OFFSET_DB

    width = SHORT_TERM_BLOCKS if len(power) >= SHORT_TERM_BLOCKS else min(MOMENTARY_BLOCKS, len(power))
    sums = np.cumsum(np.concatenate(([0.0], power)))
    loudest = float(np.max(sums[width:] - sums[:-width]) / width)
    return K_OFFSET_DB + 10 * np.log10(max(loudest, 1e-12))


def _pcm16(audio: np.ndarray) -> bytes:
    return (np.clip(audio, -1.0, 1.0) * 32767.0).round().astype("<i2").tobytes()
