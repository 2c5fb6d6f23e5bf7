"""Assemble synthesized segments into the finished episode folder, while they are
still being synthesized.

The segments are laid end to end in script order with their pauses, and the sound
around them (a short generated chime at each end, or the show's intro, bed, transitions
and outro: soundtrack.py), as soon as each one and all before it are cached, and
streamed as PCM into one ffmpeg process that applies the loudness gain, resamples and
encodes the MP3 as it goes, on the core synthesis leaves free: when the last segment is
spoken, the MP3 is all but done. The gain is known before the first sample: every
segment is levelled to one loudness (dynamics.py), so the episode's loudness is
predicted (with music, from a forecast of the episode laid out with each segment's
length estimated from its text); once all segments are in, it is computed exactly from
the levels cached with them and the music, and the rare episode that misses the
prediction is encoded again. One MP3 clip per story is then cut from the MP3 without
re-encoding; mutagen writes ID3 tags and chapters. The transcript's times come from the
same sample counts that build the audio, so text and sound agree. Everything is built
in a temp folder and renamed into place: an interrupted run leaves no half episode.
This stage does not synthesize and does not publish feeds.
"""
from __future__ import annotations

import re
import shutil
import threading
import unicodedata
import wave
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..episodes import (
    AUDIO,
    CLIPS_FOLDER,
    TRANSCRIPT_TEXT,
    TRANSCRIPT_VTT,
    replace_folder,
    work_folder,
    write_manifest,
)
from ..errors import EncodingError, SynthesisError
from ..models import Cue, Episode, InputFailure, Script, StoryTiming, Voice
from ..speech import number_setting
from .dynamics import BLOCK_S, K_OFFSET_DB, SEGMENT_LUFS, block_power, hold_true_peak, integrated_lufs, true_peak
from .ffmpeg import INTERSAMPLE_MARGIN_DB, Encoder, Loudness
from .mp3 import LAME_QUALITY, cut_clips, mp3_duration_s
from .music import ShowMusic, Sound, prepare_music
from .soundtrack import Piece, Soundtrack, pcm16
from .synthesize import read_wav
from .tags import tag_episode
from .transcripts import transcript_text, transcript_vtt


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


def resampled(pcm: bytes, from_rate: int, to_rate: int) -> bytes:
    """16-bit mono PCM at another rate, band-limited (through the FFT), as one
    presenter's 22.05 kHz voice must be beside the other's 24 kHz; linear
    interpolation would leave audible images of the treble."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    count = round(len(samples) * to_rate / from_rate)
    spectrum = np.fft.rfft(samples)
    resized = np.fft.irfft(spectrum, n=count) * (count / max(1, len(samples)))
    return np.clip(np.round(resized), -32768, 32767).astype("<i2").tobytes()


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
    ):
        """`music_dir` keeps the show's music prepared (default: the library's .cache/music)."""
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
        self._encoder: Encoder | None = None
        self.music_dir = music_dir or Path(episodes_dir).parent / ".cache" / "music"
        self._music: ShowMusic | None = None
        self.gain_db = options.target_lufs + ENCODING_LOSS_LU - (SEGMENT_LUFS - MIX_BELOW_SEGMENTS_LU)
        self._ceiling = 10 ** ((options.true_peak_dbtp - LIMIT_BELOW_TRUE_PEAK_DB - self.gain_db) / 20)
        """The true peak a segment may have before the master's gain, at the predicted gain; kept
        if the episode is encoded again with the exact gain, so that both passes limit alike."""
        self.frame_rate = 0
        self.cues: list[Cue] = []
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
            self._encoder = self._start_encoder(self.gain_db)
            for pcm in self._mix(wait=True):
                self._encoder.write(pcm)
            self._encoder.finish()
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

    def _start_encoder(self, gain_db: float) -> Encoder:
        options = self.options
        return Encoder([
            "-f", "s16le", "-ar", str(self.frame_rate), "-ac", "1", "-i", "pipe:0",
            "-af", f"aresample={options.sample_rate_hz},volume={gain_db:.2f}dB",
            "-c:a", "libmp3lame", "-b:a", f"{options.bitrate_kbps}k", "-compression_level", str(LAME_QUALITY),
            "-ac", "1", "-ar", str(options.sample_rate_hz), "-map_metadata", "-1", str(self.work / AUDIO),
        ], error_log=self.work / "encoder.log")

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

    def _mix(self, *, wait: bool) -> Iterator[bytes]:
        """The episode's PCM at frame_rate, piece by piece in script order. The first pass
        (`wait`) waits for each segment and records the cues and the loudness timeline as it goes."""
        track = self._soundtrack()
        self._frames, self._peak = 0, 0.0
        for piece in self._program(track, lambda index: self._speech(index, wait=wait)):
            piece = track.mixed(piece)
            self._frames += piece.frames
            if wait:
                self._power.append(piece.power)
            self._peak = max(self._peak, piece.peak)
            assert piece.pcm is not None
            yield piece.pcm

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
            self.cues.append(Cue(round(start / rate, 3), round(frames / rate, 3), segment.display,
                                 segment.story_index, names.get(segment.speaker)))
        return Piece(pcm, len(pcm) // 2, power, peak, "speech")

    def _music_shift_lu(self) -> float:
        """How much louder the show's music makes the episode than the chime would (negative:
        quieter), from a forecast: the episode laid out twice, with and without music, each
        segment at SEGMENT_LUFS for as long as its text takes at the voice's rate."""
        seconds_per_char = 1 / (number_setting(self.voice, "chars_per_second", 15.0)
                                * number_setting(self.voice, "pace", 1.0))
        block = round(self.frame_rate * BLOCK_S)
        segment_power = 10 ** ((SEGMENT_LUFS - K_OFFSET_DB) / 10)

        def estimated(index: int) -> Piece:
            frames = round(len(self.script.segments[index].text) * seconds_per_char * self.frame_rate)
            return Piece(None, frames, np.full(-(-frames // block), segment_power), 0.0, "speech")

        loudness = []
        for music in (False, True):
            track = self._soundtrack(audio=False, music=music)
            power = [track.mixed(piece).power for piece in self._program(track, estimated)]
            loudness.append(integrated_lufs(np.concatenate(power)) or SEGMENT_LUFS)
        return loudness[1] - loudness[0]

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
            encoder = self._start_encoder(self.gain_db)
            try:
                for pcm in self._mix(wait=False):
                    encoder.write(pcm)
                encoder.finish()
            except BaseException:
                encoder.kill()
                raise
        peak_dbfs = 20 * np.log10(max(self._peak, 1e-9)) + self.gain_db  # of the last pass
        return Loudness(round(mix_lufs + self.gain_db - ENCODING_LOSS_LU, 1),
                        round(min(peak_dbfs + INTERSAMPLE_MARGIN_DB, options.true_peak_dbtp), 1))

    def _complete(self) -> Episode:
        work, script, options = self.work, self.script, self.options
        loudness = self._loudness()
        (work / "encoder.log").unlink(missing_ok=True)
        timings = story_timings(script, self.cues)
        cut_clips(work / AUDIO, work, timings, tail_ms=options.clip_tail_ms)
        duration_s = mp3_duration_s(work / AUDIO)
        tag_episode(work, script, timings, duration_s)
        (work / TRANSCRIPT_VTT).write_text(transcript_vtt(self.cues), encoding="utf-8")
        (work / TRANSCRIPT_TEXT).write_text(transcript_text(script), encoding="utf-8")
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
            left_out=self.left_out,
            hosts=script.hosts,
        )
        write_manifest(episode, work, bitrate_kbps=options.bitrate_kbps, sample_rate_hz=options.sample_rate_hz,
                       audio_key=self.audio_key)
        replace_folder(work, self.final)
        return episode


def read_rate(path: Path) -> int:
    with wave.open(str(path), "rb") as wav:
        return wav.getframerate()


def story_ends(script: Script) -> set[int]:
    """The segments that end a story another story follows: the pauses after them are between stories."""
    stories = [segment.story_index for segment in script.segments]
    return {i for i, story in enumerate(stories[:-1])
            if story is not None and stories[i + 1] != story and any(s is not None for s in stories[i + 1:])}


def story_timings(script: Script, cues: Sequence[Cue]) -> list[StoryTiming]:
    """Where each story sits in the episode, its clip's name, and who read it."""
    readers = {s.story_index: s.speaker for s in script.segments if s.kind == "sentence"}
    first_host = script.hosts[0].voice if script.hosts else None
    timings = []
    for index, story in enumerate(script.stories):
        own = [cue for cue in cues if cue.story_index == index]
        clip = f"{CLIPS_FOLDER}/{index + 1:02d}-{slug(story.headline)}.mp3"
        timings.append(StoryTiming(story=story, start_s=own[0].start_s, end_s=own[-1].end_s, clip=clip,
                                   host=readers.get(index) or first_host))
    return timings


def slug(text: str, max_words: int = 6) -> str:
    """A file-name-safe slug: 'Putin aims to strengthen...' -> 'putin-aims-to-strengthen'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())[:max_words]
    return "-".join(words) or "story"
