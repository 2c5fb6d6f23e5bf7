"""Encoding the mixed episode: the podcast MP3 and the smart-speaker rendition, from one
stream of PCM, chunk by chunk, reusing every chunk encoded before.

The mix (mix.py) hands over its PCM in chunks: without a music bed, one chunk for the
opening, one per story and one for the sign-off, cut where the audio is silent (a
story's first word follows a pause). One ffmpeg process encodes a chunk into every
output at once (`asplit`: the PCM is read once), so the rendition costs no second pass
over the episode. A chunk is keyed by its PCM and the outputs' settings; a chunk
encoded before (the same story, read again: an edit elsewhere in the script, a re-run)
is taken from the chunk cache instead of being encoded again, and the chunks are then
joined into one gapless file per output (mp3.join_parts). A chunk encoded apart
starts with its encoder's delay and ends with its padding, so each but the last is cut
to a whole number of MP3 frames (`keep`, set by the mix, which makes every chunk's span
a whole number of frames): its last samples, silence, give way to them, and the joined
file keeps the mix's time to the sample. With a bed the audio is never silent, so the
episode is one chunk, streamed to its encoder while the segments are still being
spoken, and not kept.
"""
from __future__ import annotations

import hashlib
import math
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import EncodingError
from ..files import write_atomic
from .ffmpeg import Encoder
from .mp3 import LAME_QUALITY, Frames, Part, join_parts, read_part

CHUNK_FORMAT = 1
"""Bump when the same PCM and settings would make other chunk files."""
FRAME_SAMPLES = 1152
"""Samples in an MPEG-1 Layer III frame."""
ENCODER_DELAY = 576
PADDING = 1152
"""The padding a chunk cut by `frames_to_keep` ends with: LAME pads a stream's end with 576 to
1727 samples, so a chunk cut to this many short of its frames fills them exactly."""
FEEDERS = 2
"""Chunks encoded at once: while synthesis runs it takes most of both cores, and once it is done
the chunks still waiting are encoded on both."""
KEEP_UNUSED_S = 600
"""A chunk no assembly used in this long is removed from the cache when the next one finishes
(a concurrent run into the same library may still be about to use a newer one)."""


@dataclass(frozen=True)
class Output:
    """One encoding of the episode: a file name and what ffmpeg does to the PCM for it."""

    file: str
    filters: str
    """ffmpeg filters after resampling to `sample_rate_hz` (gain, and any low-pass or limiter)."""
    bitrate_kbps: int
    sample_rate_hz: int = 44100


@dataclass(frozen=True)
class Encoded:
    """What one output came to: the joined file, and where each chunk starts in its decoded audio."""

    path: Path
    chunk_starts: tuple[int, ...]
    """Samples of the decoded file (at the output's rate) before each chunk's first sample."""
    frames: Frames | None = None
    """The file's MP3 frames, where they are known without reading it again."""


class ChunkEncoder:
    """Takes the mix's PCM (`write`) chunk by chunk (`next_chunk`) and encodes it into
    every output; `finish` joins the chunks. A streamed chunk goes to its encoder as it
    comes; any other waits until it is whole, to be keyed and looked up in `cache_dir`."""

    def __init__(self, outputs: tuple[Output, ...], frame_rate: int, work: Path, cache_dir: Path | None,
                 *, streamed: bool):
        self.outputs, self.frame_rate, self.work, self.cache_dir = outputs, frame_rate, work, cache_dir
        self.streamed = streamed or cache_dir is None
        self._chunks: list[list[Path]] = []
        """Each chunk's file for each output, in order."""
        self._encoders: list[Encoder] = []
        self._buffer: list[bytes] = []
        self._encoder: Encoder | None = None
        self._new_keys: list[tuple[str, list[Path]]] = []
        self._read: dict[Path, Part] = {}
        """Chunk files already read and their frames found, while other chunks were being encoded."""
        self._started: list[Encoder] = []
        self._queue: queue.Queue[tuple[list[Path], int | None, list[bytes]] | None] = queue.Queue()
        self._feeders = [threading.Thread(target=self._feed, name="briefing-encode-chunks", daemon=True)
                         for _ in range(FEEDERS)]
        self._feeder_error: BaseException | None = None
        for feeder in self._feeders:
            feeder.start()
        self.reused = 0
        self._start()

    def write(self, pcm: bytes) -> None:
        if self._encoder is not None:
            self._encoder.write(pcm)
        else:
            self._buffer.append(pcm)

    def next_chunk(self, keep: int) -> None:
        """The chunk so far is whole: encode its first `keep` samples at the outputs' rate (the
        rest is silence, see samples_to_keep), or find them encoded; and start the next."""
        self._end(keep)
        self._start()

    def finish(self) -> tuple[Encoded, ...]:
        """Wait for every chunk's encoder; join each output's chunks into its file in `work`."""
        self._end(None)
        for _ in self._feeders:
            self._queue.put(None)
        for feeder in self._feeders:
            feeder.join()
        if self._feeder_error is not None:
            raise self._feeder_error
        for encoder in self._encoders:
            encoder.finish()
        self._encoders.clear()
        made = []
        for index, output in enumerate(self.outputs):
            parts = [chunk[index] for chunk in self._chunks if chunk]
            target = self.work / output.file
            if len(parts) == 1:
                shutil.copyfile(parts[0], target)
                read = self._read.get(parts[0])
                made.append(Encoded(target, (0,), read.frames if read else None))
            else:
                joined = join_parts([self._read.get(part) or part.read_bytes() for part in parts])
                joined.write(target)
                made.append(Encoded(target, tuple(joined.starts), joined.frames))
        if not self.streamed:
            self._store()
        for leftover in [*self.work.glob("chunk-*.mp3"), *self.work.glob("encoder-*.log")]:
            leftover.unlink()
        return tuple(made)

    @property
    def processes(self) -> list[subprocess.Popen[bytes]]:
        """The ffmpeg processes started so far (for tests that check none outlives its assembly)."""
        return [encoder.process for encoder in self._started]

    def kill(self) -> None:
        self._feeder_error = self._feeder_error or EncodingError("The episode was abandoned.")
        for _ in self._feeders:
            self._queue.put(None)
        for encoder in self._started:
            encoder.kill()
        self._encoders.clear()
        self._encoder = None

    def _start(self) -> None:
        self._buffer = []
        self._chunks.append([])
        if self.streamed:
            self._encoder = self._encode(self._chunk_paths(self.work, f"chunk-{len(self._chunks):03d}"))

    def _end(self, keep: int | None) -> None:
        chunk = self._chunks[-1]
        if chunk:
            return
        if self._encoder is not None:
            self._encoder.close_input()
            self._encoders.append(self._encoder)
            self._encoder = None
            chunk.extend(self._chunk_paths(self.work, f"chunk-{len(self._chunks):03d}"))
            return
        if not self._buffer:
            self._chunks.pop()
            return
        key = self._key(self._buffer, keep)
        assert self.cache_dir is not None
        cached = self._chunk_paths(self.cache_dir / key[:2], key)
        try:
            self._read.update((path, read_part(path.read_bytes())) for path in cached)
        except (OSError, EncodingError):  # not cached (or damaged): encoded again
            pass
        else:
            self.reused += 1
            chunk.extend(cached)
            return
        paths = self._chunk_paths(self.work, f"chunk-{len(self._chunks):03d}")
        self._queue.put((paths, keep, self._buffer))  # encoded by _feed: the mix never waits for an encoder
        chunk.extend(paths)
        self._new_keys.append((key, paths))

    def _feed(self) -> None:
        """Give each whole chunk to its own encoder, in order (FEEDERS at a time)."""
        while (job := self._queue.get()) is not None:
            paths, keep, pcm = job
            if self._feeder_error is not None:
                continue
            try:
                encoder = self._encode(paths, keep)
                for piece in pcm:
                    encoder.write(piece)
                encoder.finish()
                self._read.update((path, read_part(path.read_bytes())) for path in paths)
            except BaseException as error:  # raised by finish(), in the mix's thread
                self._feeder_error = error

    def _chunk_paths(self, folder: Path, stem: str) -> list[Path]:
        return [folder / f"{stem}.{Path(output.file).stem}.mp3" for output in self.outputs]

    def _key(self, pcm: list[bytes], keep: int | None) -> str:
        digest = hashlib.sha256(repr((CHUNK_FORMAT, LAME_QUALITY, self.frame_rate, self.outputs, keep)).encode())
        for piece in pcm:
            digest.update(piece)
        return digest.hexdigest()

    def _encode(self, paths: list[Path], keep: int | None = None) -> Encoder:
        """One ffmpeg that reads the PCM once and writes every output (its first `keep` samples)."""
        count = len(self.outputs)
        split = f"[0:a]asplit={count}" + "".join(f"[a{i}]" for i in range(count)) if count > 1 else "[0:a]anull[a0]"
        cut = f"atrim=end_sample={keep}," if keep is not None else ""
        graph = ";".join([split, *(f"[a{i}]aresample={o.sample_rate_hz},{cut}{o.filters}[o{i}]"
                                   for i, o in enumerate(self.outputs))])
        args = ["-f", "s16le", "-ar", str(self.frame_rate), "-ac", "1", "-i", "pipe:0", "-filter_complex", graph]
        for i, (output, path) in enumerate(zip(self.outputs, paths)):
            args += ["-map", f"[o{i}]", "-c:a", "libmp3lame", "-b:a", f"{output.bitrate_kbps}k",
                     "-compression_level", str(LAME_QUALITY), "-ac", "1", "-ar", str(output.sample_rate_hz),
                     "-map_metadata", "-1", str(path)]
        encoder = Encoder(args, error_log=self.work / f"encoder-{len(self._chunks):03d}.log")
        self._started.append(encoder)
        return encoder

    def _store(self) -> None:
        """Keep the chunks encoded this time in the cache, and drop those nothing has used lately."""
        assert self.cache_dir is not None
        used: set[Path] = set()
        for key, paths in self._new_keys:
            for path, cached in zip(paths, self._chunk_paths(self.cache_dir / key[:2], key)):
                cached.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.replace(path, cached)  # the chunk is whole: moved, not copied, where it can be
                except OSError:
                    write_atomic(cached, path.read_bytes())
        for chunk in self._chunks:
            used.update(chunk)
        now = time.time()
        for chunk in self._chunks:
            for path in chunk:
                if path.is_relative_to(self.cache_dir):
                    os.utime(path)
        for old in self.cache_dir.glob("*/*.mp3"):
            try:
                if old not in used and now - old.stat().st_mtime > KEEP_UNUSED_S:
                    old.unlink()
            except OSError:
                pass


def chunk_span(frames: int, frame_rate: int, output_rate: int) -> int:
    """The frames at `frame_rate` a chunk of at least `frames` must span so that, at
    `output_rate`, it spans a whole number of MP3 frames (within half a sample)."""
    frames_per_mp3_frame = FRAME_SAMPLES * frame_rate / output_rate
    whole = math.ceil(frames / frames_per_mp3_frame - 1e-9)
    return max(frames, round(whole * frames_per_mp3_frame))


def samples_to_keep(span: int, frame_rate: int, output_rate: int) -> int:
    """How many samples at `output_rate` to encode of a chunk spanning `span` frames (chunk_span):
    its MP3 frames less the encoder's delay and the padding LAME then adds, so the chunk fills
    its frames exactly and the next one starts where it should."""
    frames = round(span * output_rate / frame_rate / FRAME_SAMPLES)
    return frames * FRAME_SAMPLES - ENCODER_DELAY - PADDING
