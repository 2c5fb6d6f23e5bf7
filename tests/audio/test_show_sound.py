"""A show's own sound, checked on the decoded MP3 the way a listener's tools would: the
intro found at the start and the outro at the end by cross-correlation, a transition
between each two stories, the bed in its own frequency band under everything, down
while a sentence is spoken and up between stories (timed by the VTT cues), no gap or
click where it loops, every time shifted by the music, and the podcast loudness norm.

One episode with music and one without, of the same script, made once for the module
with the fake tone engine (speech at 220 Hz, clear of the bed's 1010 Hz)."""
from __future__ import annotations

import json
import re
import subprocess
import wave
from datetime import date
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3

from briefing.audio.ffmpeg import ffmpeg_exe
from briefing.audio.mix import Assembly, AssemblyOptions
from briefing.audio.music import Sound
from briefing.audio.synthesize import SynthesisOptions, synthesize
from briefing.models import Story
from briefing.plan.script import STORY_GAP_MS, write_script

RATE = 44100


def decoded(mp3: Path) -> np.ndarray:
    pcm = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-f", "f32le", "-ac", "1", "-ar", str(RATE),
                          "-"], capture_output=True, check=True).stdout
    return np.frombuffer(pcm, dtype="<f4")


def template(path: Path, seconds: float) -> np.ndarray:
    """The first `seconds` of a music file as it went in, mono, at the MP3's rate."""
    return decoded(path)[: int(seconds * RATE)]


def found_at(audio: np.ndarray, pattern: np.ndarray, start_s: float, end_s: float) -> tuple[float, float]:
    """(where `pattern` best matches `audio` between the times given, in seconds; how well: the
    normalized cross-correlation, 1.0 for the very same samples)."""
    span = audio[int(start_s * RATE): int(end_s * RATE)].astype(np.float64)
    size = 1 << int(np.ceil(np.log2(len(span) + len(pattern))))
    products = np.fft.irfft(np.fft.rfft(span, size) * np.conj(np.fft.rfft(pattern, size)), size)
    products = products[: len(span) - len(pattern) + 1]
    energy = np.cumsum(np.concatenate(([0.0], span**2)))
    norms = np.sqrt(np.maximum(energy[len(pattern):] - energy[: -len(pattern)], 1e-12)) * np.linalg.norm(pattern)
    best = int(np.argmax(products / norms))
    return start_s + best / RATE, float(products[best] / norms[best])


def band_db(audio: np.ndarray, start_s: float, end_s: float, hz: float, width_hz: float = 40.0) -> float:
    """Mean square within `width_hz` of `hz` between the times given, in dB (0 dB: a full-scale
    sine), whatever the window's length."""
    window = audio[int(start_s * RATE): int(end_s * RATE)].astype(np.float64)
    hann = np.hanning(len(window))
    spectrum = np.abs(np.fft.rfft(window * hann)) ** 2
    bins = np.fft.rfftfreq(len(window), 1 / RATE)
    return 10 * np.log10(4 * spectrum[np.abs(bins - hz) <= width_hz].sum() / (len(window) * np.sum(hann**2)) + 1e-20)


def vtt_cues(folder: Path) -> list[tuple[float, float]]:
    def seconds(stamp: str) -> float:
        hours, minutes, rest = stamp.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(rest)

    text = (folder / "transcript.vtt").read_text(encoding="utf-8")
    return [(seconds(a), seconds(b)) for a, b in re.findall(r"([\d:.]+) --> ([\d:.]+)", text)]


def ebur128(mp3: Path, start_s: float | None = None, end_s: float | None = None) -> tuple[float, float]:
    trim = f"atrim=start={start_s}:end={end_s}," if start_s is not None else ""
    report = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(mp3), "-af",
                             f"{trim}ebur128=peak=true", "-f", "null", "-"], capture_output=True, text=True).stderr
    summary = report[report.rindex("Summary:"):]
    return (float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1)),
            float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1)))


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


@pytest.fixture(scope="module")
def episodes(tmp_path_factory, joe, tone_engine_class, show_music):
    folder = tmp_path_factory.mktemp("sound")
    stories = [Story("Bridge reopens", ("The harbour bridge reopened to traffic on Monday morning.",
                                        "It had been closed for two years of repairs."), ("Wellport Herald",)),
               Story("Rain warning", ("Forecasters warned of heavy rain along the river valley.",), ()),
               Story("Telescope", ("A new space telescope sent back its first pictures of a distant galaxy.",), ())]
    script = write_script(stories, date(2026, 11, 24))
    clips = synthesize(script, joe, SynthesisOptions(cache_dir=folder / "cache"), engine=tone_engine_class())
    sound = Sound(intro=show_music.intro, bed=show_music.bed, outro=show_music.outro,
                  transition=show_music.transition)
    made = {}
    for name, options in (("music", AssemblyOptions(sound=sound)), ("plain", AssemblyOptions())):
        with Assembly(script, [Path(c.path) for c in clips], joe, name, folder / "episodes", options) as assembly:
            made[name] = assembly.finish()
    music = made["music"]
    return music, made["plain"], decoded(Path(music.audio_path)), folder / ".cache" / "music", script


def test_the_intro_opens_the_episode_and_the_outro_closes_it(episodes, show_music):
    music, _, audio, _, _ = episodes
    at, match = found_at(audio, template(show_music.intro, 1.9), 0.0, 6.0)
    assert abs(at) < 0.005 and match > 0.8
    ends = len(audio) / RATE
    at, match = found_at(audio, template(show_music.outro, 1.9), ends - 8.0, ends)
    assert match > 0.8
    assert abs(at - (ends - 0.4 - 3.0)) < 0.02  # then 400 ms of silence
    assert music.cues[-1].end_s < at


def test_a_transition_plays_between_each_two_stories(episodes, show_music):
    music, _, audio, _, _ = episodes
    pattern = template(show_music.transition, 0.6)
    for before, after in pairwise(music.stories):
        at, match = found_at(audio, pattern, before.end_s, after.start_s)
        assert match > 0.8
        assert abs(at - (before.end_s + 0.4)) < 0.03


def test_the_bed_is_under_everything_and_dips_at_least_9_db_under_sentences(episodes, show_music):
    music, _, audio, _, _ = episodes
    cues = vtt_cues(Path(music.folder))
    sentences = [band_db(audio, a + 0.2, b - 0.2, show_music.bed_hz) for a, b in cues]
    gaps = [band_db(audio, b + 0.55, a - 0.4, show_music.bed_hz)
            for (_, b), (a, _) in pairwise(cues) if a - b > 1.0]  # story gaps: 1.3 s, sentences 0.45 s
    assert len(gaps) == 5  # after the greeting, the rundown, each story
    assert np.median(gaps) - np.median(sentences) >= 9.0
    assert max(gaps) - min(gaps) < 1.5 and max(sentences) - min(sentences) < 1.5  # steady, up and down
    steps = np.arange(cues[0][0] + 1.5, cues[-1][1], 0.1)
    levels = [band_db(audio, t, t + 0.1, show_music.bed_hz) for t in steps]
    assert min(levels) > np.median(sentences) - 3.0  # never gone


def test_the_bed_loops_without_a_gap_or_a_click(episodes, show_music):
    music, _, audio, prepared, _ = episodes
    loop_s = wav_seconds(next(prepared.glob("bed-*.wav")))
    cues = vtt_cues(Path(music.folder))
    loops = cues[0][0] + loop_s * np.arange(1, 40)
    checked = 0
    for at in loops:
        inside = [(a, b) for a, b in cues if a + 0.5 < at < b - 0.5]
        if not inside:
            continue
        checked += 1
        steps = np.arange(at - 0.4, at + 0.4, 0.025)
        levels = [band_db(audio, t, t + 0.05, show_music.bed_hz) for t in steps]
        assert max(levels) - min(levels) < 1.5  # no dip where the loop crossfades into itself
        treble = [band_db(audio, t, t + 0.01, 8000, width_hz=3000) for t in steps]
        reference = [band_db(audio, t, t + 0.01, 8000, width_hz=3000) for t in np.arange(inside[0][0] + 0.1, at - 0.5, 0.05)]
        assert max(treble) < np.median(reference) + 10  # no click: nothing broadband at the seam
    assert checked >= 2


FRAME_S = 1152 / 44100


def test_every_time_is_shifted_by_the_music_and_chapters_start_on_the_first_word(episodes):
    music, plain, _, prepared, script = episodes
    intro_s = wav_seconds(next(prepared.glob("intro-*.wav")))
    transition_s = 0.4 + wav_seconds(next(prepared.glob("transition-*.wav"))) + 0.4
    opening_shift = (intro_s - 2.0) - (0.6 + 0.5)  # the intro's head, not the chime and its gap
    assert music.cues[0].start_s == pytest.approx(intro_s - 2.0, abs=0.001)
    boundaries = 0
    for index, (with_music, without) in enumerate(zip(music.cues, plain.cues)):
        if index and with_music.story_index not in (None, music.cues[index - 1].story_index) \
                and music.cues[index - 1].story_index is not None:
            boundaries += 1
        chunks = index  # at most: every segment after the first may begin a chunk
        expected = opening_shift + boundaries * (transition_s - STORY_GAP_MS / 1000)
        # Without a bed, the episode is encoded in chunks, each one's pause ending on a whole MP3 frame
        # (at most 26 ms more).
        assert expected - chunks * FRAME_S - 0.002 <= with_music.start_s - without.start_s <= expected + 0.002
    assert boundaries == len(script.stories) - 1
    chapters = sorted(ID3(music.audio_path).getall("CHAP"), key=lambda c: c.start_time)
    manifest = json.loads((Path(music.folder) / "episode.json").read_text())
    for index, (chapter, story) in enumerate(zip(chapters, music.stories)):
        first_word = next(cue for cue in music.cues if cue.story_index == index)
        assert story.start_s == first_word.start_s
        assert chapter.start_time == int(story.start_s * 1000)
        assert manifest["stories"][index]["start_s"] == story.start_s


def test_loudness_is_the_podcast_norm_and_the_intro_is_not_louder_than_the_voice(episodes):
    music, _, _, _, _ = episodes
    lufs, peak = ebur128(Path(music.audio_path))
    assert lufs == pytest.approx(-16.0, abs=0.5)
    assert peak <= -1.0
    assert music.loudness_lufs == pytest.approx(lufs, abs=0.2)
    intro_lufs, _ = ebur128(Path(music.audio_path), 0.0, music.cues[0].start_s)
    story = music.stories[0]
    voice_lufs, _ = ebur128(Path(music.audio_path), story.start_s, story.end_s)
    assert intro_lufs <= voice_lufs


def test_story_clips_hold_the_story_and_no_transition(episodes):
    from mutagen.mp3 import MP3

    music, _, _, _, _ = episodes
    for timing in music.stories:
        clip = MP3(f"{music.folder}/{timing.clip}")
        assert abs(clip.info.length - (timing.end_s - timing.start_s + 0.3)) < 0.08


def test_the_loudness_forecast_foresees_what_the_music_adds(tmp_path, joe, tone_engine, show_music, monkeypatch):
    """The encoder's gain is set before the first sample, from a forecast of the episode laid
    out with its music; what the music changes in it must be foreseen (within 0.1 LU), so the
    music never makes an episode be encoded twice. Both episodes here are forced to miss the
    speech's prediction, so that each is encoded again at its exact gain, to compare with."""
    import briefing.audio.mix as mix_module

    stories = [Story("Bridge reopens", ("The bridge reopened on Monday.", "Cyclists cheered."), ()),
               Story("Rain warning", ("Rivers rose along the valley.",), ())]
    script = write_script(stories, date(2026, 11, 24))
    clips = synthesize(script, joe, SynthesisOptions(cache_dir=tmp_path / "cache"), engine=tone_engine)
    gains: list[float] = []
    start = Assembly._start_encoder
    monkeypatch.setattr(Assembly, "_start_encoder", lambda self: gains.append(self.gain_db) or start(self))
    monkeypatch.setattr(mix_module, "MIX_BELOW_SEGMENTS_LU", -3.0)
    started = []
    loud_bed = Sound(intro=show_music.intro, bed=show_music.bed, outro=show_music.outro, bed_level_db=-3.0,
                     bed_duck_db=3.0)  # loud enough to move the episode's loudness
    for name, sound in (("plain", Sound()), ("music", loud_bed)):
        with Assembly(script, [Path(c.path) for c in clips], joe, name, tmp_path / "episodes",
                      AssemblyOptions(sound=sound)) as assembly:
            assembly.finish()
        started.append(gains[-2:])
    (plain_forecast, plain_exact), (music_forecast, music_exact) = started
    assert music_forecast - plain_forecast == pytest.approx(music_exact - plain_exact, abs=0.1)
    assert music_exact - plain_exact < -0.5  # the music does change the loudness
