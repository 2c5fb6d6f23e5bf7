"""Assemble synthesized segments into the finished episode folder, while they are
still being synthesized.

The segments are laid end to end in script order with their pauses, and the sound
around them (a short generated chime at each end, or the show's intro, bed, transitions
and outro: soundtrack.py), as soon as each one and all before it are cached, and
streamed as PCM, chunk by chunk, into ffmpeg, which applies the loudness gain, resamples and
encodes the podcast MP3 and the smart speakers' rendition as it goes, on the core synthesis
leaves free: when the last segment is spoken, the MP3 is all but done (encode.py; a story
encoded before, unchanged, is not encoded again). The gain is known before the first sample: every
segment is levelled to one loudness (dynamics.py), so the episode's loudness is
predicted (with music, from a forecast of the episode laid out with each segment's
length estimated from its text); once all segments are in, it is computed exactly from
the levels cached with them and the music, and the rare episode that misses the
prediction is encoded again. One MP3 clip per story is then cut from the MP3 without
re-encoding; mutagen writes ID3 tags and chapters. The transcript's times come from the
same sample counts that build the audio, and each word's from the times cached with its
segment, so text and sound agree. Everything is built
in a temp folder and renamed into place: an interrupted run leaves no half episode.
This stage does not synthesize and does not publish feeds.
"""
from __future__ import annotations

import shutil
import threading
import wave
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..episodes import (
    AUDIO,
    TRANSCRIPT_JSON,
    TRANSCRIPT_TEXT,
    TRANSCRIPT_VTT,
    replace_folder,
    work_folder,
    write_manifest,
)
from ..errors import EncodingError, SynthesisError
from ..models import Cue, Episode, InputFailure, Script, Voice
from ..speech import number_setting
from ..speech.timing import written_words
from .dynamics import SEGMENT_LUFS, block_power, hold_true_peak, integrated_lufs, resampled, true_peak
from .encode import ChunkEncoder, Encoded, Output, chunk_span, samples_to_keep
from .ffmpeg import INTERSAMPLE_MARGIN_DB, Loudness
from .mp3 import cut_clips, mp3_duration_s
from .music import ShowMusic, Sound, prepare_music
from .rendition import finish_rendition, rendition_gain_db, rendition_output
from .soundtrack import Piece, Soundtrack, music_shift_lu, pcm16
from .synthesize import read_wav
from .tags import tag_episode
from .timeline import shifted, story_ends, story_timings
from .transcripts import transcript_json, transcript_text, transcript_vtt


@dataclass(frozen=True)
class AssemblyOptions:
    sample_rate_hz: int = 44100
    bitrate_kbps: int = 96
    target_lufs: float = -16.0
    """-16 LUFS integrated: the Apple Podcasts and Spotify loudness norm for spoken word."""
    true_peak_dbtp: float = -1.5
    """Below the -1 dBTP ceiling those services ask for, with room for MP3 encoding overshoot.
    The manifest's figures are the MP3's as ffmpeg's ebur128 reads them, computed from the
    segments' levels (within 0.1 LU), not measured again."""
    sting: bool = True
    """The generated chime at each end, where no intro or outro is given."""
    clip_tail_ms: int = 300
    """Silence kept after a story's last word in its standalone clip."""
    sound: Sound = field(default=Sound(), repr=False)
    """The show's music. Left out of the repr, which keys reused episodes (run/pipeline.audio_key):
    its files count there by their bytes (music.music_identity)."""


ENCODING_LOSS_LU = 0.5
"""ffmpeg's ebur128 reads the MP3 this much quieter than the master it was encoded from
(resampling to 44.1 kHz, then LAME at 96 kbps: 0.4-0.5 LU, on speech as on sines from
100 Hz to 10 kHz), so the master is made that much louder."""
MIX_BELOW_SEGMENTS_LU = 0.1
"""An episode's integrated loudness sits this far below that of its segments, all at
SEGMENT_LUFS (the 400 ms gating blocks that straddle pauses): 0.05-0.1 LU on 2.5 to 40
minutes of either voice, or of both."""
LIMIT_BELOW_TRUE_PEAK_DB = 1.0
"""The master's true peak is held this far under the ceiling: MP3 encoding lifts peaks by a
few tenths of a dB."""
LOUDNESS_TOLERANCE_LU = 0.2
"""If the episode's loudness, computed once all its segments are in, misses the target
by more than this with the gain the encoder started with, it is encoded again with the
exact gain."""
CHUNK_S = 10
"""A chunk ends at the first pause after this much audio (or at a story's end): an edit then
re-encodes about this much, and a 10-minute episode starts some 50 encoders of 10 ms each."""
CUT_PAUSE_MS = 200
"""A chunk ends only in a pause at least this long: the next chunk's encoder delay and this
one's padding (39 ms at 44.1 kHz) take the pause's last samples."""


class _Closed(Exception):
    """The assembly was abandoned (synthesis failed); the streaming thread stops."""


class Assembly:
    """One episode, assembled while its segments are still being synthesized.

    `paths` are the segments' cache files in script order. Call `ready(path)` as
    each file is made (from any thread, in any order; synthesis's on_done), then
    `finish()` once all are; use it as a context manager so that a failure
    before then stops the encoder and leaves no work folder behind.
    """

    def __init__(
        self,
        script: Script,
        paths: Sequence[Path],
        voice: Voice,
        episode_id: str,
        episodes_dir: Path,
        options: AssemblyOptions = AssemblyOptions(),
        *,
        failures: Sequence[InputFailure] = (),
        left_out: Sequence[str] = (),
        audio_key: str = "",
        music_dir: Path | None = None,
        chunk_dir: Path | None = None,
    ):
        """`music_dir` keeps the show's music prepared (default: the library's .cache/music),
        `chunk_dir` the encoded chunks (default: its .cache/chunks)."""
        if len(paths) != len(script.segments):
            raise ValueError("one cache file per script segment")
        self.script, self.paths, self.voice, self.options = script, [Path(p) for p in paths], voice, options
        self.episode_id, self.final = episode_id, Path(episodes_dir) / episode_id
        self.failures, self.left_out, self.audio_key = tuple(failures), tuple(left_out), audio_key
        self.work = work_folder(Path(episodes_dir), episode_id)
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        self._indices: dict[Path, list[int]] = {}
        for index, path in enumerate(self.paths):
            self._indices.setdefault(path, []).append(index)
        self._ready = [False] * len(self.paths)
        self._changed = threading.Condition()
        self._closed = False
        self._error: BaseException | None = None
        self._encoder: ChunkEncoder | None = None
        self._encoded: tuple[Encoded, ...] = ()
        self.music_dir = music_dir or Path(episodes_dir).parent / ".cache" / "music"
        self.chunk_dir = chunk_dir or Path(episodes_dir).parent / ".cache" / "chunks"
        self._music: ShowMusic | None = None
        self.gain_db = options.target_lufs + ENCODING_LOSS_LU - (SEGMENT_LUFS - MIX_BELOW_SEGMENTS_LU)
        self._ceiling = 10 ** ((options.true_peak_dbtp - LIMIT_BELOW_TRUE_PEAK_DB - self.gain_db) / 20)
        """The true peak a segment may have before the master's gain, at the predicted gain; kept
        if the episode is encoded again with the exact gain, so that both passes limit alike."""
        self.frame_rate = 0
        self.cues: list[Cue] = []
        self._cue_chunks: list[int] = []
        """The chunk each cue's segment is encoded in."""
        self._chunk_frames: list[int] = []
        """Where each chunk starts in the mix, in frames."""
        self._chunk_keep: list[int] = []
        """How many samples of each ended chunk to encode (encode.samples_to_keep)."""
        self._power: list[np.ndarray] = []
        self._frames = 0
        self._peak = 0.0
        """The largest sample fed to the encoder, before its gain."""
        self._thread = threading.Thread(target=self._stream, name="briefing-encode", daemon=True)
        self._thread.start()

    def __enter__(self) -> Assembly:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is not None:
            self.close()

    def ready(self, path: Path) -> None:
        """The cache file at `path` is made: the segments that use it can be laid out."""
        with self._changed:
            for index in self._indices.get(Path(path), ()):
                self._ready[index] = True
            self._changed.notify_all()

    def close(self) -> None:
        """Abandon the episode: stop the encoder and remove the work folder."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        if self._encoder is not None:
            self._encoder.kill()
        self._thread.join()
        shutil.rmtree(self.work, ignore_errors=True)

    def finish(self) -> Episode:
        """Once every segment is cached: wait for the encoder, check the loudness, cut the
        clips and write tags, transcripts and manifest; move the folder into place."""
        try:
            missing = [path for path in self.paths if not path.is_file()]
            if missing:
                raise SynthesisError(f"The speech for a segment is missing ({missing[0]}); run again.")
            for path in self._indices:
                self.ready(path)
            self._thread.join()
            if self._error is not None:
                raise self._error
            return self._complete()
        except BaseException:
            self.close()
            raise

    def _wait_for(self, indices: Sequence[int]) -> int:
        """The first of `indices` whose segment is ready, waiting until one is."""
        with self._changed:
            while True:
                if self._closed:
                    raise _Closed
                for index in indices:
                    if self._ready[index]:
                        return index
                self._changed.wait()

    def _stream(self) -> None:
        try:
            self.frame_rate = self._mix_rate()
            if self.options.sound.files():
                self._music = prepare_music(self.options.sound, self.frame_rate, self.music_dir)
                self.gain_db -= self._music_shift_lu()
                self._ceiling = 10 ** ((self.options.true_peak_dbtp - LIMIT_BELOW_TRUE_PEAK_DB - self.gain_db) / 20)
            self._encoder = self._start_encoder()
            self._encoded = self._encode(self._encoder, self._mix(wait=True))
        except _Closed:
            if self._encoder is not None:
                self._encoder.kill()
        except BaseException as error:  # handed to finish(), in the caller's thread
            self._error = error

    def _mix_rate(self) -> int:
        """The highest sample rate among the voices, known from one cached segment of each."""
        speakers: dict[str, list[int]] = {}
        for index, segment in enumerate(self.script.segments):
            speakers.setdefault(segment.speaker, []).append(index)
        rates = []
        for indices in speakers.values():
            index = self._wait_for(indices)
            rates.append(read_rate(self.paths[index]))
        return max(rates, default=24000)

    def _outputs(self) -> tuple[Output, ...]:
        """The podcast MP3 and the rendition for smart speakers, at the gains of now."""
        options = self.options
        return (Output(AUDIO, f"volume={self.gain_db:.2f}dB", options.bitrate_kbps, options.sample_rate_hz),
                rendition_output(self._rendition_gain_db()))

    def _rendition_gain_db(self) -> float:
        """The rendition's gain, for the mix's loudness as the podcast's gain assumes it."""
        return rendition_gain_db(self.options.target_lufs + ENCODING_LOSS_LU - self.gain_db)

    def _start_encoder(self) -> ChunkEncoder:
        """Chunks are kept for reuse unless a bed runs under the whole episode (no silence to cut at)."""
        streamed = self.options.sound.bed is not None
        return ChunkEncoder(self._outputs(), self.frame_rate, self.work, self.chunk_dir, streamed=streamed)

    def _encode(self, encoder: ChunkEncoder, mix: Iterator[bytes | None]) -> tuple[Encoded, ...]:
        """Feed the mix to `encoder`, chunk by chunk (None ends a chunk), and join the chunks."""
        try:
            for pcm in mix:
                if pcm is None:
                    encoder.next_chunk(self._chunk_keep[-1])
                else:
                    encoder.write(pcm)
            return encoder.finish()
        except BaseException:
            encoder.kill()
            raise

    def _starts_chunk(self, index: int) -> bool:
        """Whether segment `index` begins a chunk: each story's first and the sign-off do, and any
        other once the chunk so far is CHUNK_S long, so that an edit re-encodes a few sentences, not
        a whole story. Always after a pause; never with a bed, which is never silent."""
        segments = self.script.segments
        if self.options.sound.bed is not None or index == 0:
            return False
        if segments[index].story_index != segments[index - 1].story_index:
            return True
        return (segments[index - 1].pause_after_ms >= CUT_PAUSE_MS
                and self._frames - self._chunk_frames[-1] >= CHUNK_S * self.frame_rate)

    def _soundtrack(self, *, audio: bool = True, music: bool = True) -> Soundtrack:
        return Soundtrack(self.frame_rate, sting=self.options.sting, music=self._music if music else None,
                          ceiling=self._ceiling, audio=audio)

    def _program(self, track: Soundtrack, speech: Callable[[int], Piece]) -> Iterator[Piece]:
        """The episode's pieces in order: the opening, each segment and the pause after it
        (a transition between stories, if there is one), the closing."""
        ends = story_ends(self.script)
        yield from track.opening()
        for index, segment in enumerate(self.script.segments):
            yield speech(index)
            yield from track.pause(segment.pause_after_ms, between_stories=index in ends)
        yield from track.closing()

    def _mix(self, *, wait: bool) -> Iterator[bytes | None]:
        """The episode's PCM at frame_rate, piece by piece in script order, with None where a
        chunk ends (before a story's first segment, or in a pause: _starts_chunk). The first
        pass (`wait`) waits for each segment and records the cues and the loudness timeline."""
        track = self._soundtrack()
        self._frames, self._peak, self._chunk_frames, self._chunk_keep = 0, 0.0, [0], []
        ending: bytes | None = None

        def speech(index: int) -> Piece:
            nonlocal ending
            if self._starts_chunk(index):
                ending = self._end_chunk()
            return self._speech(index, wait=wait)

        for piece in self._program(track, speech):
            if ending is not None:
                yield ending
                yield None
                ending = None
            piece = track.mixed(piece)
            self._frames += piece.frames
            if wait:
                self._power.append(piece.power)
            self._peak = max(self._peak, piece.peak)
            assert piece.pcm is not None
            yield piece.pcm

    def _end_chunk(self) -> bytes:
        """End the chunk in the pause before a segment: the silence that makes its span a whole
        number of MP3 frames (at most one frame, 26 ms, added to the pause), its samples to encode
        noted."""
        rate, output_rate = self.frame_rate, self.options.sample_rate_hz
        span = self._frames - self._chunk_frames[-1]
        whole = chunk_span(span, rate, output_rate)
        self._chunk_keep.append(samples_to_keep(whole, rate, output_rate))
        self._frames += whole - span
        self._chunk_frames.append(self._frames)
        return bytes(2 * (whole - span))

    def _speech(self, index: int, *, wait: bool) -> Piece:
        """Segment `index` as a piece, its cue recorded on the first pass.

        A segment whose true peak would pass the ceiling at the master's gain is limited
        here (levelled speech is held under it, dynamics.py; audio cached otherwise may
        not be), so the encoder needs no limiter of its own, which took an eighth of its
        time."""
        rate, segment = self.frame_rate, self.script.segments[index]
        hosts = self.script.hosts
        names = {host.voice: host.name for host in hosts} if len(hosts) > 1 else {}
        if wait:
            self._wait_for([index])
        speech, levels = read_wav(self.paths[index])
        pcm, peak = speech.pcm, levels.peak
        if speech.sample_rate_hz != rate:
            pcm = resampled(pcm, speech.sample_rate_hz, rate)
            peak = true_peak(np.frombuffer(pcm, dtype="<i2") / 32768)
        power = levels.block_power
        if peak > self._ceiling:
            audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / np.float32(32768.0)
            audio, _, peak = hold_true_peak(audio, self._ceiling, rate)
            pcm = pcm16(audio)
            if wait:  # the loudness the limiter took counts
                power = block_power(audio, rate)
        start, frames = self._frames, self._frames + len(pcm) // 2
        if wait:
            words = written_words(segment.display, speech.words, (frames - start) / rate, start / rate)
            self.cues.append(Cue(round(start / rate, 3), round(frames / rate, 3), segment.display,
                                 segment.story_index, names.get(segment.speaker), words))
            self._cue_chunks.append(len(self._chunk_frames) - 1)
        return Piece(pcm, len(pcm) // 2, power, peak, "speech")

    def _music_shift_lu(self) -> float:
        """How much louder the show's music makes the episode than the chime would (soundtrack.py)."""
        seconds_per_char = 1 / (number_setting(self.voice, "chars_per_second", 15.0)
                                * number_setting(self.voice, "pace", 1.0))
        lengths = [round(len(segment.text) * seconds_per_char * self.frame_rate) for segment in self.script.segments]
        return music_shift_lu(lengths, lambda music: self._soundtrack(audio=False, music=music), self._program)

    def _placed_cues(self) -> list[Cue]:
        """The cues in the encoded file's time: a chunk encoded apart starts after the previous
        one's padding and its own encoder delay (encode.py), a few hundredths of a second late."""
        starts = self._encoded[0].chunk_starts
        rate = self.options.sample_rate_hz
        late = [starts[k] / rate - frames / self.frame_rate for k, frames in enumerate(self._chunk_frames)]
        return [shifted(cue, late[chunk]) for cue, chunk in zip(self.cues, self._cue_chunks)]

    def _loudness(self) -> Loudness:
        """The MP3's loudness and true peak as ebur128 reads them, computed from the
        segments' levels; the episode is encoded again if the gain missed the target."""
        options = self.options
        mix_lufs = integrated_lufs(np.concatenate(self._power))
        if mix_lufs is None:
            raise EncodingError("The episode is silent; check the voice (try `briefing say`).")
        exact_gain_db = options.target_lufs + ENCODING_LOSS_LU - mix_lufs
        if abs(exact_gain_db - self.gain_db) > LOUDNESS_TOLERANCE_LU:
            self.gain_db = exact_gain_db
            self._encoded = self._encode(self._start_encoder(), self._mix(wait=False))
        peak_dbfs = 20 * np.log10(max(self._peak, 1e-9)) + self.gain_db  # of the last pass
        return Loudness(round(mix_lufs + self.gain_db - ENCODING_LOSS_LU, 1),
                        round(min(peak_dbfs + INTERSAMPLE_MARGIN_DB, options.true_peak_dbtp), 1))

    def _complete(self) -> Episode:
        work, script, options = self.work, self.script, self.options
        loudness = self._loudness()
        self.cues = self._placed_cues()
        timings = story_timings(script, self.cues)
        cut_clips(work / AUDIO, work, timings, tail_ms=options.clip_tail_ms, frames=self._encoded[0].frames)
        duration_s = mp3_duration_s(work / AUDIO)
        tag_episode(work, script, timings, duration_s)
        (work / TRANSCRIPT_VTT).write_text(transcript_vtt(self.cues), encoding="utf-8")
        (work / TRANSCRIPT_TEXT).write_text(transcript_text(script), encoding="utf-8")
        (work / TRANSCRIPT_JSON).write_text(transcript_json(self.cues, script.hosts[0].name if script.hosts else None),
                                            encoding="utf-8")
        mix_lufs = loudness.integrated_lufs + ENCODING_LOSS_LU - self.gain_db
        alexa = finish_rendition(work, mix_lufs, self._rendition_gain_db(), self._peak, timings,
                                 tail_ms=options.clip_tail_ms, frames=self._encoded[1].frames)
        episode = Episode(
            id=self.episode_id,
            title=script.title,
            date=script.date,
            folder=str(self.final),
            audio_path=str(self.final / AUDIO),
            duration_s=round(duration_s, 3),
            voice=self.voice.name,
            stories=tuple(timings),
            cues=tuple(self.cues),
            loudness_lufs=loudness.integrated_lufs,
            true_peak_dbtp=loudness.true_peak_dbtp,
            failures=self.failures,
            created=datetime.now(timezone.utc).replace(microsecond=0),
            audio_bytes=(work / AUDIO).stat().st_size,
            transcript_text=TRANSCRIPT_TEXT,
            transcript_vtt=TRANSCRIPT_VTT,
            transcript_json=TRANSCRIPT_JSON,
            left_out=self.left_out,
            hosts=script.hosts,
            alexa=alexa,
        )
        write_manifest(episode, work, bitrate_kbps=options.bitrate_kbps, sample_rate_hz=options.sample_rate_hz,
                       audio_key=self.audio_key)
        replace_folder(work, self.final)
        return episode


def read_rate(path: Path) -> int:
    with wave.open(str(path), "rb") as wav:
        return wav.getframerate()
