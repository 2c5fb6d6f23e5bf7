"""MP3 parts encoded apart and joined into one file: what a player decodes is each part, whole, at its place."""
import io
import subprocess

import numpy as np
import pytest
from mutagen.mp3 import MP3

from briefing.audio.ffmpeg import ffmpeg_exe
from briefing.audio.mp3 import LAME_QUALITY, _walked_frames, join_parts, mp3_frames
from briefing.errors import EncodingError

RATE = 44100


def encode(samples: np.ndarray, path) -> bytes:
    """Encode 16-bit mono PCM as the episode is encoded (to a file: ffmpeg writes the Info frame last)."""
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0",
         "-c:a", "libmp3lame", "-b:a", "96k", "-compression_level", str(LAME_QUALITY), str(path)],
        input=samples.astype("<i2").tobytes(), check=True)
    return path.read_bytes()


def decode(data: bytes) -> np.ndarray:
    result = subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "mp3", "-i", "pipe:0", "-f", "s16le", "-ac", "1",
                             "-ar", str(RATE), "pipe:1"], input=data, capture_output=True, check=True)
    assert result.stderr == b""
    return np.frombuffer(result.stdout, "<i2")


def tone(seconds: float, frequency: float) -> np.ndarray:
    """A tone between half-second silences, as a story sits between pauses."""
    t = np.arange(int(seconds * RATE)) / RATE
    silence = np.zeros(RATE // 2)
    return np.concatenate([silence, 8000 * np.sin(2 * np.pi * frequency * t), silence])


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parts")
    return [encode(tone(seconds, hz), folder / f"{hz}.mp3") for seconds, hz in ((1.3, 440), (0.7, 660), (2.1, 330))]


def test_joined_parts_decode_as_each_part_at_its_start(parts):
    joined = join_parts(parts)
    starts = joined.starts
    decoded = decode(joined.data)
    alone = [decode(part) for part in parts]
    assert starts[0] == 0 and starts == sorted(starts) and len(starts) == 3
    for start, part in zip(starts, alone):
        assert np.array_equal(decoded[start:start + len(part)], part)
    # Between parts: only the next part's encoder delay and the last one's padding, silent.
    assert len(decoded) == starts[-1] + len(alone[-1])
    gaps = [decoded[start + len(part):following] for start, part, following in zip(starts, alone, starts[1:])]
    assert all(0 < len(gap) < 0.05 * RATE and np.abs(gap).max() <= 4 for gap in gaps)


def test_the_joined_files_header_counts_every_frame(parts):
    joined = join_parts(parts).data
    frames = sum(len(mp3_frames(part)[0]) - 1 for part in parts)
    assert len(mp3_frames(joined)[0]) - 1 == frames
    assert MP3(fileobj=io.BytesIO(joined)).info.length == pytest.approx(frames * 1152 / RATE)


def test_frames_found_at_once_are_the_frames_a_walk_finds(parts):
    """LAME's frames are found where its padding puts them; anything else (parts joined, a
    header changed) is walked frame by frame, and both give every frame."""
    joined = join_parts(parts)
    changed = bytearray(parts[0])
    tenth = int(mp3_frames(parts[0]).offsets[10])
    changed[tenth + 2] ^= 0x01  # the private bit: a header unlike the others
    reserved = bytearray(parts[1])
    reserved[int(mp3_frames(parts[1]).offsets[5]) + 2] |= 0xF0  # bitrate index 15: no frame, the audio ends there
    for data in (*parts, joined.data, bytes(changed), parts[0] + b"TAG" + bytes(125), bytes(reserved)):
        frames = mp3_frames(data)
        walked, *_ = _walked_frames(data, int(frames.offsets[0]), 1152, RATE)
        assert len(frames.offsets) > 5 and np.array_equal(frames.offsets, walked)
    assert len(mp3_frames(bytes(reserved)).offsets) == 6
    assert np.array_equal(joined.frames.offsets, mp3_frames(joined.data).offsets)
    assert joined.frames._replace(offsets=None) == mp3_frames(joined.data)._replace(offsets=None)


def test_joining_nothing_is_an_error():
    with pytest.raises(EncodingError):
        join_parts([])
