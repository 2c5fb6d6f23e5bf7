"""MP3 frames: an episode's duration, its story clips cut by whole frames without re-encoding,
and the one-shot encode that `briefing say` shares with the episode's encoder settings."""
from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from ..episodes import CLIPS_FOLDER
from ..errors import EncodingError
from ..models import StoryTiming
from .ffmpeg import run_ffmpeg

LAME_QUALITY = 7
"""LAME's -q (0 best, 9 fastest): 7 is its "fast, OK quality", transparent for speech at 96 kbps and 35% faster than 5."""

def cut_clips(full: Path, folder: Path, timings: Sequence[StoryTiming], *, tail_ms: int) -> None:
    """Each story's clip, cut from the full MP3 by whole frames (26 ms) without decoding
    or a second ffmpeg run, where ffmpeg's segment muxer would cut it."""
    (folder / CLIPS_FOLDER).mkdir(exist_ok=True)
    data = full.read_bytes()
    offsets, start_delay, frame_samples, rate = mp3_frames(data)

    def frame_at(seconds: float) -> int:
        # The first frame whose samples start at or after `seconds` of the decoded audio.
        index = math.ceil((seconds * rate + start_delay) / frame_samples) - 1
        return min(max(index, 0), len(offsets) - 1)

    for timing in timings:
        if timing.clip:
            first = max(frame_at(timing.start_s) - RESERVOIR_FRAMES, 0)
            last = frame_at(timing.end_s + tail_ms / 1000)
            (folder / timing.clip).write_bytes(data[offsets[first]:offsets[last]])


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


def mp3_frames(data: bytes) -> tuple[list[int], int, int, int]:
    """(offset of each audio frame and of the end, samples before the audio starts,
    samples per frame, sample rate) of a Layer III MP3 as our encoder writes it: an
    ID3v2 tag, a Xing/Info frame with LAME's tag, then the frames."""
    position = 0
    if data[:3] == b"ID3":  # its size is "syncsafe": 7 bits a byte, plus a footer if flagged
        position = 10 + (data[6] << 21 | data[7] << 14 | data[8] << 7 | data[9]) + 10 * (data[5] >> 4 & 1)
    offsets: list[int] = []
    start_delay, frame_samples, rate = 0, 1152, 44100
    while position + 4 <= len(data) and data[position] == 0xFF and data[position + 1] & 0xE0 == 0xE0:
        header = data[position + 1], data[position + 2], data[position + 3]
        version, mpeg1 = (header[0] >> 3) & 3, (header[0] >> 3) & 3 == 3
        bitrate = MP3_BITRATES_KBPS[mpeg1][header[1] >> 4] * 1000
        rate = MP3_RATES_HZ.get(version, (44100,))[(header[1] >> 2) & 3]
        frame_samples = 1152 if mpeg1 else 576
        if not offsets and (info := _lame_delay(data, position, mpeg1, mono=header[2] >> 6 == 3)) is not None:
            start_delay = info + MP3_DECODER_DELAY
        else:
            offsets.append(position)
        position += frame_samples // 8 * bitrate // rate + ((header[1] >> 1) & 1)
    if not offsets:
        raise EncodingError("The encoded MP3 holds no audio frames; check the disk space and run again.")
    return [*offsets, position], start_delay, frame_samples, rate


def _lame_delay(data: bytes, position: int, mpeg1: bool, *, mono: bool) -> int | None:
    """The encoder delay in a Xing/Info frame's LAME tag, or None if the frame is audio."""
    tag = position + 4 + ((17 if mono else 32) if mpeg1 else (9 if mono else 17))
    if data[tag:tag + 4] not in (b"Info", b"Xing"):
        return None
    flags = int.from_bytes(data[tag + 4:tag + 8], "big")
    lame = tag + 8 + 4 * (flags & 1) + 4 * (flags >> 1 & 1) + 100 * (flags >> 2 & 1) + 4 * (flags >> 3 & 1)
    delay = data[lame + 21:lame + 23]
    return (delay[0] << 4 | delay[1] >> 4) if len(delay) == 2 else 0


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
