"""The smart-speaker rendition: Amazon's 256 kbps, -14 LUFS and -2 dBTP, from the cached segments,
with a clip per story cut from it; and the word-timed JSON transcript beside it."""
import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from briefing.audio.ffmpeg import ffmpeg_exe
from briefing.audio.mix import Assembly
from briefing.audio.synthesize import SynthesisOptions, synthesize
from briefing.models import Presenter, Story
from briefing.plan.script import write_script


def ebur128(path):
    result = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true",
                             "-f", "null", "-"], capture_output=True, text=True)
    summary = result.stderr[result.stderr.rindex("Summary:"):]
    return (float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1)),
            float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1)))


@pytest.fixture(scope="module")
def tone_episode(tmp_path_factory, joe, tone_engine_class):
    folder = tmp_path_factory.mktemp("library")
    stories = [Story("Bridge reopens", ("The bridge reopened on Monday after two years of repairs.",
                                        "It cost $1.2bn, twice the first estimate."), ("Wellport Herald",)),
               Story("Rain warning", ("Rain will spread north overnight.",), ())]
    script = write_script(stories, date(2026, 11, 24), hosts=(Presenter("joe", "Joe"),))
    clips = synthesize(script, joe, SynthesisOptions(cache_dir=folder / "cache"), engine=tone_engine_class())
    with Assembly(script, [Path(c.path) for c in clips], joe, "2026-11-24-test", folder / "episodes") as assembly:
        return assembly.finish(), script


def test_the_rendition_meets_amazons_audio_rules_and_the_manifest_says_so(tone_episode):
    episode, _ = tone_episode
    folder = Path(episode.folder)
    assert episode.alexa is not None and episode.alexa.file == "alexa.mp3"
    info = MP3(str(folder / "alexa.mp3")).info
    assert (round(info.bitrate / 1000), info.sample_rate) == (256, 44100)
    assert abs(info.length - episode.duration_s) < 0.1  # the same layout as the podcast's
    lufs, peak = ebur128(folder / "alexa.mp3")
    assert lufs == pytest.approx(-14.0, abs=0.5) and peak <= -2.0
    assert episode.alexa.loudness_lufs == pytest.approx(lufs, abs=0.2)
    manifest = json.loads((folder / "episode.json").read_text())
    assert manifest["alexa"] == {"file": "alexa.mp3", "bytes": (folder / "alexa.mp3").stat().st_size,
                                 "type": "audio/mpeg", "bitrate_kbps": 256, "loudness_lufs": episode.alexa.loudness_lufs,
                                 "true_peak_dbtp": episode.alexa.true_peak_dbtp,
                                 "clips": [f"alexa/{Path(t.clip).name}" for t in episode.stories]}


def test_each_story_has_a_rendition_clip_as_long_as_its_podcast_clip(tone_episode):
    episode, _ = tone_episode
    folder = Path(episode.folder)
    assert len(episode.alexa.clips) == len(episode.stories) == 2
    for timing, clip in zip(episode.stories, episode.alexa.clips):
        ours, podcast = MP3(str(folder / clip)).info, MP3(str(folder / timing.clip)).info
        assert ours.bitrate == 256_000 and abs(ours.length - podcast.length) < 0.06


def test_the_json_transcript_has_every_word_written_with_its_presenter(tone_episode):
    episode, script = tone_episode
    document = json.loads((Path(episode.folder) / "transcript.json").read_text())
    assert document["version"] == "1.0.0"
    words = document["segments"]
    assert [w["body"] for w in words] == " ".join(s.display for s in script.segments).split()
    assert {w["speaker"] for w in words} == {"Joe"}
    assert "$1.2bn," in [w["body"] for w in words]
    starts = [w["startTime"] for w in words]
    assert starts == sorted(starts) and all(w["endTime"] >= w["startTime"] for w in words)
    for cue in episode.cues:
        assert cue.words and cue.start_s <= cue.words[0].start_s and cue.words[-1].end_s <= cue.end_s + 0.001
