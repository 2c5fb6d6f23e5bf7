"""MP3 frames: an episode's duration, its story clips cut by whole frames without re-encoding,
parts encoded apart joined into one gapless file, and the one-shot encode that `briefing say`
shares with the episode's encoder settings."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ..episodes import CLIPS_FOLDER
from ..errors import EncodingError
from ..models import StoryTiming
from .ffmpeg import run_ffmpeg

LAME_QUALITY = 7
"""LAME's -q (0 best, 9 fastest): 7 is its "fast, OK quality", transparent for speech at 96 kbps and 35% faster than 5."""


def cut_clips(full: Path, folder: Path, timings: Sequence[StoryTiming], *, tail_ms: int,
              frames: Frames | None = None) -> None:
    """Each story's clip, cut from the full MP3 by whole frames (26 ms) without decoding
    or a second ffmpeg run, where ffmpeg's segment muxer would cut it. `frames`: the
    file's frames where the caller has them (join_parts), else they are found."""
    (folder / CLIPS_FOLDER).mkdir(exist_ok=True)
    data = full.read_bytes()
    offsets, start_delay, frame_samples, rate = frames or mp3_frames(data)

    def frame_at(seconds: float) -> int:
        # The first frame whose samples start at or after `seconds` of the decoded audio.
        index = math.ceil((seconds * rate + start_delay) / frame_samples) - 1
        return min(max(index, 0), len(offsets) - 1)

    for timing in timings:
        if timing.clip:
            first = max(frame_at(timing.start_s) - RESERVOIR_FRAMES, 0)
            last = frame_at(timing.end_s + tail_ms / 1000)
            (folder / timing.clip).write_bytes(data[int(offsets[first]):int(offsets[last])])


RESERVOIR_FRAMES = 2
"""A clip starts this many frames (52 ms) before its story's frame. LAME lends a frame's
spare bytes to the frames after it (the bit reservoir, up to 511 bytes back, two frames
at 96 kbps), and the quiet frames of a pause lend the most, to the first word after
it: cut at that word's frame, a player would decode its first frames without those
bytes (and without the frame before to overlap with). The frames before are the
pause's silence."""
MP3_BITRATES_KBPS = {True: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
                     False: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}
"""Layer III bitrates by the header's index, for MPEG-1 (True) and MPEG-2/2.5."""
MP3_RATES_HZ = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
MP3_DECODER_DELAY = 529
"""Samples every Layer III decoder adds before the encoder's own delay (LAME's tag)."""


class Frames(NamedTuple):
    """Where an MP3's audio frames are, and how to read their time."""

    offsets: npt.NDArray[np.int64]
    """Each audio frame's offset in the file, then the end of the last."""
    start_delay: int
    """Samples a decoder gives before the audio starts (the encoder's delay and its own)."""
    frame_samples: int
    rate: int


def mp3_frames(data: bytes) -> Frames:
    """The audio frames of a Layer III MP3 as our encoder writes it: an ID3v2 tag, a
    Xing/Info frame with LAME's tag, then the frames."""
    position = _id3_end(data)
    start_delay, frame_samples, rate = 0, 1152, 44100
    if _synced(data, position):
        header = int.from_bytes(data[position + 1:position + 4], "big")
        size, frame_samples, rate = _frame_size(header)
        if size >= 4 and (info := _lame_delay(data, position, frame_samples == 1152,
                                               mono=header & 0xC0 == 0xC0)) is not None:
            start_delay = info + MP3_DECODER_DELAY
            position += size
    offsets = _lame_frames(data, position)
    if offsets is None:
        offsets, frame_samples, rate = _walked_frames(data, position, frame_samples, rate)
    if len(offsets) < 2:
        raise EncodingError("The encoded MP3 holds no audio frames; check the disk space and run again.")
    return Frames(offsets, start_delay, frame_samples, rate)


def _id3_end(data: bytes) -> int:
    """Where an ID3v2 tag at the start ends: its size is "syncsafe" (7 bits a byte), plus a footer if flagged."""
    if data[:3] != b"ID3":
        return 0
    return 10 + (data[6] << 21 | data[7] << 14 | data[8] << 7 | data[9]) + 10 * (data[5] >> 4 & 1)


def _synced(data: bytes, position: int) -> bool:
    return position <= len(data) - 4 and data[position] == 0xFF and data[position + 1] & 0xE0 == 0xE0


def _lame_frames(data: bytes, first: int) -> npt.NDArray[np.int64] | None:
    """The frames from `first` on, found where LAME puts them, all at once: every header alike
    but for the padding bit, which LAME sets by a running remainder (its `slot_lag`), so
    frame k starts k unpadded frames and ceil((k - 1) * remainder / rate) bytes in. Every
    predicted header is checked; None if one is not there (another encoder, or parts
    joined), and the frames are then walked one by one."""
    if not _synced(data, first):
        return None
    header = int.from_bytes(data[first + 1:first + 4], "big") & ~PADDING_BIT
    size, frame_samples, rate = _frame_size(header)
    if size < 4:
        return None
    remainder = frame_samples // 8 * _bitrate(header) - size * rate
    k = np.arange((len(data) - first) // size + 2, dtype=np.int64)
    padded_before = np.concatenate(([0], -(-(k[1:] - 1) * remainder // rate)))
    positions = first + k * size + padded_before
    inside = positions[positions <= len(data) - 4]
    raw = np.frombuffer(data, np.uint8)
    expected = header | (np.diff(padded_before)[:len(inside)] << 9)
    found = (raw[inside + 1].astype(np.int64) << 16) | (raw[inside + 2].astype(np.int64) << 8) | raw[inside + 3]
    wrong = np.flatnonzero((raw[inside] != 0xFF) | (found != expected))
    count = int(wrong[0]) if len(wrong) else len(inside)
    if count == 0 or _synced(data, int(positions[count])):
        return None  # the walk would go on where the prediction stops
    return positions[:count + 1]


PADDING_BIT = 0x200
"""The padding bit of a frame header's last three bytes: the frame is one byte longer."""


def _walked_frames(data: bytes, position: int, frame_samples: int, rate: int
                   ) -> tuple[npt.NDArray[np.int64], int, int]:
    """The frames from `position` on, header by header: (offsets and the end, samples per frame, rate)."""
    offsets: list[int] = []
    sizes: dict[int, tuple[int, int, int]] = {}  # header -> frame bytes, samples, rate: a file has few
    while _synced(data, position):
        header = int.from_bytes(data[position + 1:position + 4], "big")
        known = sizes.get(header)
        if known is None:
            known = sizes[header] = _frame_size(header)
        size, frame_samples, rate = known
        if size < 4:  # a free-format or damaged header: no frame length to step by
            break
        offsets.append(position)
        position += size
    return np.array([*offsets, position] if offsets else [], dtype=np.int64), frame_samples, rate


def _bitrate(header: int) -> int:
    """Bits a second of a Layer III frame with these three header bytes (after 0xFF)."""
    return MP3_BITRATES_KBPS[(header >> 19) & 3 == 3][(header >> 12) & 0xF] * 1000


def _frame_size(header: int) -> tuple[int, int, int]:
    """(bytes, samples, sample rate) of a Layer III frame with these three header bytes (after 0xFF);
    0 bytes for a header whose bitrate or rate index is reserved (not a frame)."""
    version = (header >> 19) & 3
    frame_samples = 1152 if version == 3 else 576
    if (header >> 12) & 0xF == 0xF or (header >> 10) & 3 == 3:
        return 0, frame_samples, 44100
    rate = MP3_RATES_HZ.get(version, (44100,))[(header >> 10) & 3]
    return frame_samples // 8 * _bitrate(header) // rate + ((header >> 9) & 1), frame_samples, rate


def _xing_tag(data: bytes | bytearray, position: int, mpeg1: bool, *, mono: bool) -> int | None:
    """Where a Xing/Info frame's tag starts, or None if the frame at `position` is audio."""
    tag = position + 4 + ((17 if mono else 32) if mpeg1 else (9 if mono else 17))
    return tag if data[tag:tag + 4] in (b"Info", b"Xing") else None


def _lame_offset(data: bytes | bytearray, tag: int) -> int:
    """Where the LAME extension starts, after the Xing fields its flags say are present."""
    flags = int.from_bytes(data[tag + 4:tag + 8], "big")
    return tag + 8 + 4 * (flags & 1) + 4 * (flags >> 1 & 1) + 100 * (flags >> 2 & 1) + 4 * (flags >> 3 & 1)


def _lame_delay(data: bytes, position: int, mpeg1: bool, *, mono: bool) -> int | None:
    """The encoder delay in a Xing/Info frame's LAME tag, or None if the frame is audio."""
    tag = _xing_tag(data, position, mpeg1, mono=mono)
    if tag is None:
        return None
    delay = data[_lame_offset(data, tag) + 21:_lame_offset(data, tag) + 23]
    return (delay[0] << 4 | delay[1] >> 4) if len(delay) == 2 else 0


@dataclass(frozen=True)
class Part:
    """An encoded part with its frames found (mp3_frames), so that joining it is a copy: a part
    read while another is still being encoded costs nothing once that one is done."""

    data: bytes
    frames: Frames
    info_start: int
    padding: int


def read_part(data: bytes) -> Part:
    frames = mp3_frames(data)
    info_start = _info_start(data, int(frames.offsets[0]))
    return Part(data, frames, info_start, _lame_padding(data, info_start))


@dataclass(frozen=True)
class Joined:
    pieces: list[bytes | memoryview]
    """The file: its Info frame, then each part's frames (written in turn, never copied into one)."""
    starts: list[int]
    """Samples of the decoded file before each part's first sample."""
    frames: Frames
    """The joined file's frames (as mp3_frames would find them)."""

    @property
    def data(self) -> bytes:
        return b"".join(self.pieces)

    def write(self, path: Path) -> None:
        with path.open("wb") as handle:
            handle.writelines(self.pieces)


def join_parts(parts: Sequence[bytes | Part]) -> Joined:
    """One gapless MP3 from parts encoded apart with the same settings, and where each part's
    first sample falls in the joined file's decoded audio.

    Each part's frames are kept as they are (a part starts with an empty bit reservoir), so a
    part that did not change need not be encoded again. A part's own encoder delay and padding
    stay inside the file as silence (about 35 ms at 44.1 kHz): join parts where the audio is
    silent. The first part's Info frame is rewritten for the whole (frame count, size, seek
    table, the last part's padding, the LAME tag's CRC), so players and mutagen read the right
    duration and trim the delay and padding at the ends."""
    if not parts:
        raise EncodingError("There is no audio to join; run again.")
    read = [part if isinstance(part, Part) else read_part(part) for part in parts]
    audio: list[bytes | memoryview] = []
    offsets_in_audio: list[npt.NDArray[np.int64]] = []
    starts: list[int] = []
    decoded = size = 0
    for part in read:
        offsets = part.frames.offsets
        starts.append(decoded)
        offsets_in_audio.append(offsets[:-1] - offsets[0] + size)
        audio.append(memoryview(part.data)[offsets[0]:offsets[-1]])
        size += int(offsets[-1] - offsets[0])
        decoded += (len(offsets) - 1) * part.frames.frame_samples
    first = read[0]
    frame_offsets = np.concatenate(offsets_in_audio)
    info = _info_for(first.data[first.info_start:first.frames.offsets[0]], frame_offsets, size, read[-1].padding)
    frames = first.frames._replace(offsets=np.append(frame_offsets, size) + len(info))
    return Joined([info, *audio], starts, frames)


def _info_start(part: bytes, first_audio: int) -> int:
    """Where the Info frame before a part's first audio frame starts (after any ID3v2 tag)."""
    position = _id3_end(part)
    if position == first_audio:
        raise EncodingError("An encoded part has no Info frame; the encoder must write one (ffmpeg's default).")
    return position


def _tag_of(info: bytes | bytearray) -> int:
    """The Xing/Info tag's offset in an Info frame."""
    mpeg1, mono = (info[1] >> 3) & 3 == 3, info[3] >> 6 == 3
    tag = _xing_tag(info, 0, mpeg1, mono=mono)
    if tag is None or int.from_bytes(info[tag + 4:tag + 8], "big") & 0xF != 0xF:
        raise EncodingError("An encoded part's Info frame lacks its frame count, size or seek table; run again.")
    return tag


def _lame_padding(part: bytes, info_start: int) -> int:
    info = part[info_start:]
    lame = _lame_offset(info, _tag_of(info))
    return (info[lame + 22] & 0x0F) << 8 | info[lame + 23]


def _info_for(info: bytes, frame_offsets: npt.NDArray[np.int64], audio_bytes: int, padding: int) -> bytes:
    """The Info frame of a joined file: its Xing fields and LAME tag for these frames."""
    frame = bytearray(info)
    tag = _tag_of(frame)
    total = len(frame) + audio_bytes
    frame[tag + 8:tag + 12] = len(frame_offsets).to_bytes(4, "big")
    frame[tag + 12:tag + 16] = total.to_bytes(4, "big")
    frame[tag + 16:tag + 116] = bytes(
        min(255, 256 * (len(frame) + int(frame_offsets[i * len(frame_offsets) // 100])) // total) for i in range(100))
    lame = _lame_offset(frame, tag)
    frame[lame + 22] = (frame[lame + 22] & 0xF0) | (padding >> 8 & 0x0F)
    frame[lame + 23] = padding & 0xFF
    frame[lame + 28:lame + 32] = total.to_bytes(4, "big")
    frame[lame + 32:lame + 34] = b"\0\0"  # the audio's CRC: no player reads it, and it would cost a pass over the file
    frame[lame + 34:lame + 36] = b"\0\0"
    frame[lame + 34:lame + 36] = _crc16(bytes(frame[:190])).to_bytes(2, "big")
    return bytes(frame)


def _crc16(data: bytes) -> int:
    """CRC-16/ARC, as LAME's tag CRC is computed (ffmpeg: over the frame's first 190 bytes)."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def mp3_duration_s(path: Path) -> float:
    from mutagen.mp3 import MP3

    info = MP3(str(path)).info
    if info is None:
        raise EncodingError(f"{path.name} is not a readable MP3; check the disk and try again.")
    return float(info.length)


def encode_wav(wav: Path, mp3: Path, audio_filter: str, *, bitrate_kbps: int, sample_rate_hz: int) -> None:
    """Encode a WAV file as the episode's MP3 is encoded (`briefing say`)."""
    run_ffmpeg([
        "-i", str(wav), "-af", audio_filter,
        "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k", "-compression_level", str(LAME_QUALITY),
        "-ac", "1", "-ar", str(sample_rate_hz), "-map_metadata", "-1", str(mp3),
    ])
