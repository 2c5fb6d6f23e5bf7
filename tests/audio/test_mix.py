"""Assembly: loudness, MP3 format, transcript timing, ID3 chapters, clips, atomic output."""
import json
import re
import subprocess
import time
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

import briefing.audio.mix as assemble_module
from briefing.audio.ffmpeg import ffmpeg_exe
from briefing.audio.mix import Assembly, pcm16
from briefing.audio.mp3 import mp3_frames
from briefing.audio.synthesize import SynthesisOptions, synthesize, write_wav
from briefing.audio.timeline import slug
from briefing.audio.transcripts import transcript_vtt, vtt_time
from briefing.errors import EncodingError
from briefing.models import Cue, Story
from briefing.plan.script import write_script
from briefing.speech import Speech


def assemble(clips, script, voice, episode_id, episodes_dir):
    """The episode folder from segments all cached already."""
    with Assembly(script, [Path(c.path) for c in clips], voice, episode_id, episodes_dir) as assembly:
        return assembly.finish()


def ebur128(path):
    """Integrated loudness and true peak as ffmpeg's ebur128 filter measures them."""
    result = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true",
                             "-f", "null", "-"], capture_output=True, text=True)
    summary = result.stderr[result.stderr.rindex("Summary:"):]
    lufs = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    return lufs, peak


@pytest.fixture(scope="module")
def tone_episode(tmp_path_factory, joe, tone_engine_class):
    folder = tmp_path_factory.mktemp("library")
    stories = [Story("Bridge reopens", ("The bridge reopened.", "It cost $1.2bn."), ("Wellport Herald",)),
               Story("Rain <b>warning</b>", ("Rain <b>warning</b>: rivers rose.",), ())]
    script = write_script(stories, date(2026, 11, 24))
    clips = synthesize(script, joe, SynthesisOptions(cache_dir=folder / "cache"), engine=tone_engine_class())
    episode = assemble(clips, script, joe, "2026-11-24-test", folder / "episodes")
    return episode, script, folder


def test_mp3_is_mono_44k_and_as_long_as_the_manifest_says(tone_episode):
    episode, _, _ = tone_episode
    info = MP3(episode.audio_path).info
    assert (info.channels, info.sample_rate, info.bitrate // 1000) == (1, 44100, 96)
    manifest = json.loads((Path(episode.folder) / "episode.json").read_text())
    assert abs(manifest["duration_s"] - info.length) < 0.05
    assert manifest["audio"]["bytes"] == Path(episode.audio_path).stat().st_size


def test_loudness_is_podcast_norm_and_the_manifest_says_what_the_mp3_reads(tone_episode):
    episode, _, _ = tone_episode
    lufs, peak = ebur128(episode.audio_path)
    assert lufs == pytest.approx(-16.0, abs=0.3)
    assert peak <= -1.0
    assert episode.loudness_lufs == pytest.approx(lufs, abs=0.2)
    assert peak <= episode.true_peak_dbtp + 0.5


def test_transcript_text_is_exactly_the_words_spoken(tone_episode):
    episode, script, _ = tone_episode
    text = (Path(episode.folder) / "transcript.txt").read_text(encoding="utf-8")
    assert text.split() == " ".join(segment.display for segment in script.segments).split()
    assert not text.startswith(script.title)


def test_vtt_has_a_cue_per_segment_in_time_order(tone_episode):
    episode, script, _ = tone_episode
    vtt = (Path(episode.folder) / "transcript.vtt").read_text()
    assert vtt.startswith("WEBVTT\n")
    times = re.findall(r"(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})", vtt)
    assert len(times) == len(script.segments)
    assert times == sorted(times)
    assert "Rain &lt;b&gt;warning&lt;/b&gt;" in vtt  # WebVTT cue text is escaped


def test_story_timings_follow_the_audio(tone_episode):
    episode, _script, _ = tone_episode
    first, second = episode.stories
    assert 0 < first.start_s < first.end_s < second.start_s < second.end_s < episode.duration_s
    headline_cue = next(c for c in episode.cues if c.story_index == 1)
    assert second.start_s == headline_cue.start_s


def test_id3_tags_and_chapters(tone_episode):
    episode, script, _ = tone_episode
    tags = ID3(episode.audio_path)
    assert str(tags["TIT2"]) == script.title
    assert str(tags["TDRC"]) == "2026-11-24"
    assert "1. Bridge reopens; 2. Rain <b>warning</b>" in str(tags.getall("COMM")[0])
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == ["Bridge reopens", "Rain <b>warning</b>"]
    assert chapters[0].start_time == int(episode.stories[0].start_s * 1000)
    assert tags.getall("CTOC")[0].child_element_ids == ["chp0", "chp1"]


def test_each_story_has_a_clip_of_its_length(tone_episode):
    episode, _, _ = tone_episode
    for timing in episode.stories:
        clip = MP3(f"{episode.folder}/{timing.clip}")
        assert abs(clip.info.length - (timing.end_s - timing.start_s + 0.3)) < 0.08
    assert episode.stories[0].clip == "clips/01-bridge-reopens.mp3"


def test_clips_are_the_full_mp3s_own_frames(tone_episode):
    """Cut without re-encoding: each clip's audio is a run of the episode's MP3 frames."""
    episode, _, _ = tone_episode
    full = Path(episode.audio_path).read_bytes()
    offsets, *_ = mp3_frames(full)
    audio = full[offsets[0]:offsets[-1]]
    assert len(episode.stories) == 2
    for timing in episode.stories:
        clip = (Path(episode.folder) / timing.clip).read_bytes()
        clip_offsets, *_ = mp3_frames(clip)
        assert clip[clip_offsets[0]:clip_offsets[-1]] in audio


def test_a_segment_with_peaks_over_the_ceiling_is_limited_before_encoding(tmp_path, joe, tone_engine):
    """Levelled speech never reaches the ceiling; audio from elsewhere in the cache may."""
    script, clips = segments_of(tmp_path, joe, tone_engine)
    rate = 22050
    t = np.arange(rate * 3) / rate
    spiky = 0.05 * np.sin(2 * np.pi * 180 * t)
    spiky[::2205] = 0.99  # clicks 26 dB over the tone
    write_wav(Path(clips[2].path), Speech(pcm16(spiky), rate))  # no levels: measured when read
    episode = assemble(clips, script, joe, "2026-11-24-x", tmp_path / "episodes")
    lufs, peak = ebur128(episode.audio_path)
    assert lufs == pytest.approx(-16.0, abs=0.3)
    assert peak <= -1.0


def test_peaks_between_samples_are_held_under_the_ceiling_too(tmp_path, joe, tone_engine):
    """Speech at 22 kHz can swing well above its samples (joe's by up to 2.5 dB); the
    MP3, at 44.1 kHz, carries those swings, so they count against the ceiling."""
    script, clips = segments_of(tmp_path, joe, tone_engine)
    rate = 22050
    n = np.arange(rate * 3)
    # A low tone with short bursts of a tone at a quarter of the rate, sampled 45 degrees
    # off its crests: the bursts' samples stay under the ceiling, their waveform does not.
    audio = 0.05 * np.sin(2 * np.pi * 180 * n / rate)
    bursts = (n % (rate * 3 // 10)) < rate // 50
    audio[bursts] += 0.6 * np.sin(np.pi / 2 * n[bursts] + np.pi / 4)
    write_wav(Path(clips[2].path), Speech(pcm16(audio), rate))
    episode = assemble(clips, script, joe, "2026-11-24-x", tmp_path / "episodes")
    _, peak = ebur128(episode.audio_path)
    assert peak <= -1.0
    assert peak <= episode.true_peak_dbtp + 0.5


def test_failed_encode_leaves_no_partial_episode(tmp_path, joe, tone_engine, monkeypatch):
    script = write_script([Story("A", ("One sentence.",), ())], date(2026, 11, 24))
    clips = synthesize(script, joe, SynthesisOptions(cache_dir=tmp_path / "cache"), engine=tone_engine)
    # An option ffmpeg refuses makes the encoder itself fail, as a full disk would.
    monkeypatch.setattr("briefing.audio.encode.LAME_QUALITY", "not-a-number")
    with pytest.raises(EncodingError, match="ffmpeg failed"):
        assemble(clips, script, joe, "2026-11-24-x", tmp_path / "episodes")
    assert list((tmp_path / "episodes").iterdir()) == []


def test_abandoned_assembly_stops_its_encoder_and_leaves_nothing(tmp_path, joe, tone_engine):
    script = write_script([Story("A", ("One sentence.", "Another one."), ()), Story("B", ("A third.",), ())],
                          date(2026, 11, 24))
    clips = synthesize(script, joe, SynthesisOptions(cache_dir=tmp_path / "cache"), engine=tone_engine)
    paths = [Path(c.path) for c in clips]
    with pytest.raises(RuntimeError, match="synthesis broke"), \
            Assembly(script, paths, joe, "2026-11-24-x", tmp_path / "episodes") as assembly:
        for path in paths[:-1]:
            assembly.ready(path)
        time.sleep(0.3)  # every chunk but the last is whole: their encoders have started
        encoder = assembly._encoder
        raise RuntimeError("synthesis broke")
    assert encoder is not None and encoder.processes and all(p.poll() is not None for p in encoder.processes)
    assert list((tmp_path / "episodes").iterdir()) == []


def segments_of(tmp_path, joe, engine):
    stories = [Story("Bridge reopens", ("The bridge reopened.", "It cost $1.2bn.", "Cyclists cheered."), ()),
               Story("Rain warning", ("Rivers rose.", "Roads closed."), ())]
    script = write_script(stories, date(2026, 11, 24))
    return script, synthesize(script, joe, SynthesisOptions(cache_dir=tmp_path / "cache"), engine=engine)


def test_segments_ready_in_any_order_make_the_same_mp3_bytes(tmp_path, joe, tone_engine):
    """Synthesis finishes segments in any order; the episode must not depend on it."""
    script, clips = segments_of(tmp_path, joe, tone_engine)
    in_order = assemble(clips, script, joe, "2026-11-24-a", tmp_path / "one")
    with Assembly(script, [Path(c.path) for c in clips], joe, "2026-11-24-a", tmp_path / "two") as assembly:
        for clip in reversed(clips):
            assembly.ready(Path(clip.path))
            time.sleep(0.01)
        reversed_order = assembly.finish()
    assert Path(in_order.audio_path).read_bytes() == Path(reversed_order.audio_path).read_bytes()
    assert in_order.cues == reversed_order.cues
    assert len(in_order.stories) == 2
    for timing in in_order.stories:
        assert (Path(in_order.folder) / timing.clip).read_bytes() == (Path(reversed_order.folder) / timing.clip).read_bytes()


def test_a_missed_loudness_prediction_is_encoded_again_at_the_target(tmp_path, joe, tone_engine, monkeypatch):
    script, clips = segments_of(tmp_path, joe, tone_engine)
    monkeypatch.setattr(assemble_module, "MIX_BELOW_SEGMENTS_LU", -3.0)  # a prediction 3 LU off
    episode = assemble(clips, script, joe, "2026-11-24-x", tmp_path / "episodes")
    lufs, peak = ebur128(episode.audio_path)
    assert lufs == pytest.approx(-16.0, abs=0.3)
    assert peak <= -1.0
    assert episode.loudness_lufs == pytest.approx(lufs, abs=0.2)


def test_vtt_time_and_slug():
    assert vtt_time(3723.4567) == "01:02:03.457"
    assert slug("Putin Aims to Strengthen Cooperation with India: Upcoming") == "putin-aims-to-strengthen-cooperation-with"
    assert slug("¿Qué pasa?") == "que-pasa"
    assert transcript_vtt([Cue(0, 1, "a --> b & c")]).splitlines()[-1] == "a -&gt; b &amp; c"


def test_vtt_voice_spans_name_the_presenter_in_a_two_presenter_briefing():
    vtt = transcript_vtt([Cue(0, 1, "Rates & <fees> rise.", 0, "Joe"), Cue(1, 2, "Plain cue.", 0)])
    assert vtt.splitlines()[4] == "<v Joe>Rates &amp; &lt;fees&gt; rise.</v>"
    assert vtt.splitlines()[8] == "Plain cue."
