"""Assemble synthesized clips into the finished episode folder.

pydub lays the clips end to end with their pauses (and a short generated
sting at each end); ffmpeg (from imageio-ffmpeg) normalizes loudness in two
passes and encodes the MP3 and one MP3 clip per story; mutagen writes ID3
tags and chapters. The transcript's times come from the same sample counts
that build the audio, so text and sound agree. Everything is built in a temp
folder and renamed into place: an interrupted run leaves no half episode.
This stage does not synthesize and does not publish feeds.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .ffmpeg import Loudness, audio_segment, loudness_filter, measure_loudness, needs_measured_gain, run_ffmpeg
from .episodes import (
    AUDIO,
    CLIPS_FOLDER,
    TRANSCRIPT_TEXT,
    TRANSCRIPT_VTT,
    replace_folder,
    work_folder,
    write_manifest,
)
from .errors import EncodingError
from .models import Clip, Cue, Episode, InputFailure, Presenter, Script, StoryTiming, Voice

if TYPE_CHECKING:
    from pydub import AudioSegment


@dataclass(frozen=True)
class AssemblyOptions:
    sample_rate_hz: int = 44100
    bitrate_kbps: int = 96
    target_lufs: float = -16.0
    """-16 LUFS integrated: the Apple Podcasts and Spotify loudness norm for spoken word."""
    true_peak_dbtp: float = -1.5
    """Below the -1 dBTP ceiling those services ask for, with room for MP3 encoding overshoot.
    The manifest's figures are the master's, before MP3 encoding (at 96 kbps LAME the MP3
    reads 0.3-0.5 LU quieter on ffmpeg's ebur128), or the MP3's own when heavy limiting
    made the encoder measure and correct it."""
    sting: bool = True
    clip_tail_ms: int = 300
    """Silence kept after a story's last word in its standalone clip."""


STING_GAP_MS = 500


def make_sting(frame_rate: int, *, rising: bool = True):
    """A soft two-note chime (a fifth apart), generated so we ship no audio files."""
    from pydub.generators import Sine

    note_ms, step_ms = 420, 180
    notes = (523.25, 783.99) if rising else (783.99, 523.25)
    chime = audio_segment().silent(step_ms * (len(notes) - 1) + note_ms, frame_rate=frame_rate)
    for i, frequency in enumerate(notes):
        tone = Sine(frequency, sample_rate=frame_rate).to_audio_segment(duration=note_ms, volume=-20)
        overtone = Sine(frequency * 2, sample_rate=frame_rate).to_audio_segment(duration=note_ms, volume=-32)
        chime = chime.overlay(tone.overlay(overtone).fade_in(15).fade_out(380), position=step_ms * i)
    return chime.set_channels(1).set_sample_width(2)


def slug(text: str, max_words: int = 6) -> str:
    """A file-name-safe slug: 'Putin aims to strengthen...' -> 'putin-aims-to-strengthen'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())[:max_words]
    return "-".join(words) or "story"


@dataclass(frozen=True)
class Mix:
    """The laid-out episode: audio, and where each segment sits in it."""

    audio: AudioSegment
    cues: tuple[Cue, ...]


def resampled(audio: AudioSegment, frame_rate: int) -> AudioSegment:
    """16-bit mono audio at another rate, band-limited (through the FFT), as one
    presenter's 22.05 kHz voice must be beside the other's 24 kHz; pydub's own
    conversion interpolates linearly, which leaves audible images of the treble."""
    import numpy as np

    samples = np.frombuffer(audio.raw_data, dtype="<i2").astype(np.float64)
    count = round(len(samples) * frame_rate / audio.frame_rate)
    spectrum = np.fft.rfft(samples)
    resized = np.fft.irfft(spectrum, n=count) * (count / max(1, len(samples)))
    pcm = np.clip(np.round(resized), -32768, 32767).astype("<i2").tobytes()
    return type(audio)(data=pcm, sample_width=2, frame_rate=frame_rate, channels=1)


def lay_out(clips: Sequence[Clip], options: AssemblyOptions, hosts: Sequence[Presenter] = ()) -> Mix:
    """Clips end to end with their pauses, at the highest of the clips' sample rates.
    With two `hosts`, each cue names its presenter."""
    AudioSegment = audio_segment()
    loaded = [AudioSegment.from_wav(clip.path) for clip in clips]
    frame_rate = max(segment.frame_rate for segment in loaded)
    pieces = []
    cues: list[Cue] = []
    frames = 0

    def add(piece) -> None:
        nonlocal frames
        pieces.append(piece.raw_data)
        frames += int(piece.frame_count())

    def silence(ms: int):
        return AudioSegment.silent(ms, frame_rate=frame_rate).set_sample_width(2)

    if options.sting:
        add(make_sting(frame_rate, rising=True))
        add(silence(STING_GAP_MS))
    names = {host.voice: host.name for host in hosts} if len(hosts) > 1 else {}
    for clip, audio in zip(clips, loaded):
        if audio.frame_rate != frame_rate:
            audio = resampled(audio, frame_rate)
        start = frames / frame_rate
        add(audio)
        cues.append(Cue(round(start, 3), round(frames / frame_rate, 3), clip.segment.display, clip.segment.story_index,
                        names.get(clip.segment.speaker)))
        if clip.segment.pause_after_ms:
            add(silence(clip.segment.pause_after_ms))
    if options.sting:
        add(silence(STING_GAP_MS))
        add(make_sting(frame_rate, rising=False))
    add(silence(400))
    mix = AudioSegment(data=b"".join(pieces), sample_width=2, frame_rate=frame_rate, channels=1)
    return Mix(audio=mix, cues=tuple(cues))


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


def vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def transcript_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT, one cue per spoken segment (a sentence, a transition, the intro), with a
    voice span naming the presenter in a briefing with two (`<v Joe>...`)."""
    lines = ["WEBVTT", ""]
    for number, cue in enumerate(cues, 1):
        # WebVTT cue text is HTML-like: &, < and > must be escaped (and "-->" ends a cue).
        text = html.escape(cue.text.replace("-->", "->"), quote=False)
        if cue.speaker:
            text = f"<v {html.escape(cue.speaker, quote=False)}>{text}</v>"
        lines += [str(number), f"{vtt_time(cue.start_s)} --> {vtt_time(cue.end_s)}", text, ""]
    return "\n".join(lines)


def transcript_text(script: Script) -> str:
    paragraphs: list[list[str]] = [[]]
    current = None
    for segment in script.segments:
        if segment.story_index != current or segment.kind == "outro":
            paragraphs.append([])
            current = segment.story_index
        paragraphs[-1].append(segment.display)
    body = "\n\n".join(" ".join(p) for p in paragraphs if p)
    return f"{script.title}\n\n{body}\n"


LOUDNESS_TOLERANCE_LU = 0.5
"""When the limiter had to work hard, re-encode with a corrected gain if the MP3 lands further than this from the target."""
LAME_QUALITY = 7
"""LAME's -q (0 best, 9 fastest): 7 is its "fast, OK quality", transparent for speech at 96 kbps and 35% faster than 5."""


def _encode_full(mix: Path, full: Path, gain_filter: str, options: AssemblyOptions) -> None:
    run_ffmpeg([
        "-i", str(mix), "-af", gain_filter,
        "-c:a", "libmp3lame", "-b:a", f"{options.bitrate_kbps}k", "-compression_level", str(LAME_QUALITY),
        "-ac", "1", "-ar", str(options.sample_rate_hz), "-map_metadata", "-1", str(full),
    ])


def _cut_clips(full: Path, folder: Path, timings: Sequence[StoryTiming], options: AssemblyOptions) -> None:
    """Each story's clip, cut from the full MP3 without re-encoding, in one pass: the
    segment muxer splits at every story's start and end (frame accuracy, 26 ms)."""
    (folder / CLIPS_FOLDER).mkdir(exist_ok=True)
    if not timings:
        return
    cut_times = [t for timing in timings for t in (timing.start_s, timing.end_s + options.clip_tail_ms / 1000)]
    pieces = folder / "pieces"
    pieces.mkdir()
    run_ffmpeg(["-i", str(full), "-f", "segment", "-segment_times", ",".join(f"{t:.3f}" for t in cut_times),
                "-c", "copy", "-map_metadata", "-1", str(pieces / "%04d.mp3")])
    # Pieces alternate: before the first story, story 1, gap, story 2, gap, ...
    for number, timing in enumerate(timings):
        if timing.clip:
            os.replace(pieces / f"{2 * number + 1:04d}.mp3", folder / timing.clip)
    shutil.rmtree(pieces)


def _encode(mix: Path, folder: Path, timings: Sequence[StoryTiming], options: AssemblyOptions) -> Loudness:
    """Loudness-normalize and encode the full MP3 in one ffmpeg pass, then cut each
    story's clip from it without re-encoding. Returns the master's loudness.

    Levelled speech (dynamics.py) needs only a linear gain, which lands exactly
    on the target, so the master's loudness is computed, not measured again. If
    the peaks would need heavy limiting, which takes loudness with it, the MP3
    is measured and re-encoded once with a corrected gain.
    """
    target = {"target_lufs": options.target_lufs, "true_peak_dbtp": options.true_peak_dbtp}
    measured = measure_loudness(mix, true_peak=False)
    full = folder / AUDIO
    _encode_full(mix, full, loudness_filter(measured, **target, sample_rate_hz=options.sample_rate_hz), options)
    peak = round(min(measured.true_peak_dbtp + options.target_lufs - measured.integrated_lufs,
                     options.true_peak_dbtp), 1)
    result = Loudness(options.target_lufs, peak)
    if needs_measured_gain(measured, **target):
        result = measure_loudness(full)
        if abs(result.integrated_lufs - options.target_lufs) > LOUDNESS_TOLERANCE_LU:
            corrected = Loudness(measured.integrated_lufs - (options.target_lufs - result.integrated_lufs),
                                 measured.true_peak_dbtp)
            _encode_full(mix, full, loudness_filter(corrected, **target, sample_rate_hz=options.sample_rate_hz),
                         options)
            result = measure_loudness(full)
    _cut_clips(full, folder, timings, options)
    return result


def _tag(path: Path, *, title: str, album: str, day: str, comment: str, chapters: Sequence[StoryTiming] = (),
         duration_s: float = 0.0, artists: Sequence[str] = ("briefing",)) -> None:
    from mutagen.id3 import CHAP, COMM, CTOC, ID3, TALB, TCON, TDRC, TIT2, TPE1, CTOCFlags

    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TPE1(encoding=3, text=list(artists)))
    tags.add(TALB(encoding=3, text=album))
    tags.add(TDRC(encoding=3, text=day))
    tags.add(TCON(encoding=3, text="Podcast"))
    tags.add(COMM(encoding=3, lang="eng", desc="", text=comment))
    if chapters:
        ids = [f"chp{i}" for i in range(len(chapters))]
        tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                      sub_frames=[TIT2(encoding=3, text="Stories")]))
        for i, (element, timing) in enumerate(zip(ids, chapters)):
            end = chapters[i + 1].start_s if i + 1 < len(chapters) else duration_s
            tags.add(CHAP(element_id=element, start_time=int(timing.start_s * 1000), end_time=int(end * 1000),
                          sub_frames=[TIT2(encoding=3, text=timing.story.headline)]))
    tags.save(str(path), v2_version=4)


def mp3_duration_s(path: Path) -> float:
    from mutagen.mp3 import MP3

    info = MP3(str(path)).info
    if info is None:
        raise EncodingError(f"{path.name} is not a readable MP3; check the disk and try again.")
    return float(info.length)


def assemble(
    clips: Sequence[Clip],
    script: Script,
    voice: Voice,
    episode_id: str,
    episodes_dir: Path,
    options: AssemblyOptions = AssemblyOptions(),
    failures: Sequence[InputFailure] = (),
    left_out: Sequence[str] = (),
    audio_key: str = "",
) -> Episode:
    """Build `episodes_dir/episode_id/` (MP3, clips, transcripts, manifest) atomically.

    `audio_key` identifies the audio (see pipeline.audio_key) and is stored in
    the manifest so an identical re-run can reuse the episode."""
    final = episodes_dir / episode_id
    work = work_folder(episodes_dir, episode_id)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        mix = lay_out(clips, options, script.hosts)
        mix.audio.export(str(work / "mix.wav"), format="wav")
        timings = story_timings(script, mix.cues)
        loudness = _encode(work / "mix.wav", work, timings, options)
        (work / "mix.wav").unlink()
        duration_s = mp3_duration_s(work / AUDIO)
        _tag_all(work, script, timings, duration_s)
        (work / TRANSCRIPT_VTT).write_text(transcript_vtt(mix.cues), encoding="utf-8")
        (work / TRANSCRIPT_TEXT).write_text(transcript_text(script), encoding="utf-8")
        episode = Episode(
            id=episode_id,
            title=script.title,
            date=script.date,
            folder=str(final),
            audio_path=str(final / AUDIO),
            duration_s=round(duration_s, 3),
            voice=voice.name,
            stories=tuple(timings),
            cues=mix.cues,
            loudness_lufs=loudness.integrated_lufs,
            true_peak_dbtp=loudness.true_peak_dbtp,
            failures=tuple(failures),
            created=datetime.now(timezone.utc).replace(microsecond=0),
            audio_bytes=(work / AUDIO).stat().st_size,
            transcript_text=TRANSCRIPT_TEXT,
            transcript_vtt=TRANSCRIPT_VTT,
            left_out=tuple(left_out),
            hosts=script.hosts,
        )
        write_manifest(episode, work, bitrate_kbps=options.bitrate_kbps, sample_rate_hz=options.sample_rate_hz,
                       audio_key=audio_key)
        replace_folder(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return episode


def _tag_all(folder: Path, script: Script, timings: Sequence[StoryTiming], duration_s: float) -> None:
    """ID3 tags for the full MP3 (with chapters) and for each story's clip. Two presenters
    are both credited as artists (ID3v2.4 keeps several values in one TPE1 frame)."""
    story_list = "; ".join(f"{i + 1}. {t.story.headline}" for i, t in enumerate(timings))
    names = {host.voice: host.name for host in script.hosts}
    artists = tuple(names.values()) if len(names) > 1 else ("briefing",)
    _tag(folder / AUDIO, title=script.title, album="News Briefing", day=script.date.isoformat(),
         comment=story_list, chapters=timings, duration_s=duration_s, artists=artists)
    for i, timing in enumerate(timings):
        if timing.clip:
            reader = (names[timing.host],) if len(names) > 1 and timing.host in names else artists
            _tag(folder / timing.clip, title=timing.story.headline, album=script.title, day=script.date.isoformat(),
                 comment=f"Story {i + 1} of {script.title}", artists=reader)
