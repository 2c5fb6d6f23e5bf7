"""End to end: `briefing generate` on real articles with the real Piper voice,
checked the way a listener's tools would check it: ffmpeg decodes and measures
the MP3, and the transcript and manifest agree with the audio itself."""
from __future__ import annotations

import html
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from briefing.audio.ffmpeg import ffmpeg_exe

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
TARGET_MINUTES = 1.5


def briefing(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, text=True,
                          input=stdin, cwd=ROOT, timeout=300)


def ffmpeg(*args: str) -> str:
    return subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", *args], capture_output=True, text=True).stderr


@pytest.fixture(scope="module")
def runs(tmp_path_factory, sample_article):
    output = tmp_path_factory.mktemp("library")
    args = ["generate", str(sample_article), str(ROOT / "examples/articles/02-chipmaker-earnings.txt"),
            "-o", str(output), "--minutes", str(TARGET_MINUTES), "--date", "2026-11-24", "--json"]
    cold = briefing(*args)
    mp3s = list(output.glob("episodes/*/briefing.mp3"))
    before = [(p, p.stat().st_ino, p.stat().st_mtime_ns) for p in mp3s]
    warm = briefing(*args)
    untouched = all(p.exists() and (p.stat().st_ino, p.stat().st_mtime_ns) == (ino, mtime) for p, ino, mtime in before)
    return cold, warm, output, bool(before) and untouched


@pytest.fixture(scope="module")
def episode(runs):
    cold, _, _, _ = runs
    assert cold.returncode == 0, cold.stderr
    summary = json.loads(cold.stdout)
    manifest_path = Path(summary["manifest"])
    return summary, json.loads(manifest_path.read_text()), manifest_path.parent


def decoded_seconds(mp3: Path) -> float:
    pcm = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", "44100", "-"],
                         capture_output=True, check=True).stdout
    return len(pcm) / 2 / 44100


def test_mp3_decodes_cleanly_and_lasts_what_the_manifest_says(episode):
    summary, manifest, folder = episode
    mp3 = folder / "briefing.mp3"
    assert ffmpeg("-v", "error", "-i", str(mp3), "-f", "null", "-").strip() == ""
    seconds = decoded_seconds(mp3)
    assert abs(seconds - manifest["duration_s"]) < 0.1
    assert abs(seconds - TARGET_MINUTES * 60) <= 0.15 * TARGET_MINUTES * 60
    assert manifest["audio"]["bytes"] == mp3.stat().st_size
    assert summary["duration_s"] == manifest["duration_s"]


def test_loudness_is_minus_16_lufs_with_headroom(episode):
    _, _, folder = episode
    report = ffmpeg("-i", str(folder / "briefing.mp3"), "-af", "ebur128=peak=true", "-f", "null", "-")
    summary = report[report.rindex("Summary:"):]
    lufs = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    assert -17.0 <= lufs <= -15.0
    assert peak <= -1.0


def test_stories_start_at_the_audios_own_silence_boundaries(episode):
    _, manifest, folder = episode
    report = ffmpeg("-i", str(folder / "briefing.mp3"), "-af", "silencedetect=noise=-45dB:d=0.9", "-f", "null", "-")
    silence_ends = [float(x) for x in re.findall(r"silence_end: ([\d.]+)", report)]
    assert len(manifest["stories"]) == 2
    for story in manifest["stories"]:
        nearest = min(silence_ends, key=lambda end: abs(end - story["start_s"]))
        assert abs(nearest - story["start_s"]) <= 0.3, (story["headline"], story["start_s"], silence_ends)


def test_transcript_and_manifest_agree_with_the_audio(episode):
    _, manifest, folder = episode
    vtt = (folder / "transcript.vtt").read_text()
    cues = re.findall(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\n(.+)", vtt)
    to_s = lambda h, m, s, ms: int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000  # noqa: E731
    spans = [(to_s(*c[0:4]), to_s(*c[4:8]), html.unescape(c[8])) for c in cues]
    assert spans[0][2].startswith("Here is your briefing for Tuesday, November 24th.")
    assert spans[-1][1] < manifest["duration_s"]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    texts = [text for _, _, text in spans]
    for story in manifest["stories"]:
        own = [span for span in spans if story["start_s"] <= span[0] < story["end_s"]]
        assert [text for _, _, text in own][1:] == story["sentences"]
        # Each story opens on a transition naming its outlet, then its lead (not its headline).
        assert own[0][2].endswith(f"from {story['source']}." if story["source"] else ".")
        assert abs(own[-1][1] - story["end_s"]) < 0.01
    # transcript.txt is what a listener hears: every cue's words in order, and no others (no title line).
    transcript = (folder / "transcript.txt").read_text()
    assert transcript.split() == " ".join(texts).split()


TRANSCRIPT_SCHEMA = {
    "type": "object", "required": ["version", "segments"], "additionalProperties": False,
    "properties": {
        "version": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
        "segments": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["startTime", "endTime", "body"], "additionalProperties": False,
            "properties": {"speaker": {"type": "string"}, "startTime": {"type": "number", "minimum": 0},
                           "endTime": {"type": "number", "minimum": 0}, "body": {"type": "string", "minLength": 1}}}},
    },
}
"""The Podcasting 2.0 JSON transcript (podcast-namespace/transcripts/transcripts.md): a version and
segments of startTime, endTime and body, with an optional speaker."""


def test_json_transcript_times_every_word_inside_its_sentence(episode):
    import jsonschema

    _, manifest, folder = episode
    assert manifest["transcript"]["json"] == "transcript.json"
    document = json.loads((folder / "transcript.json").read_text())
    jsonschema.validate(document, TRANSCRIPT_SCHEMA)
    words = document["segments"]
    assert {w["speaker"] for w in words} == {manifest["presenters"][manifest["voice"]]}  # the one presenter
    assert all(w["startTime"] <= w["endTime"] for w in words)
    assert all(a["startTime"] <= b["startTime"] for a, b in itertools.pairwise(words))
    assert words[-1]["endTime"] <= manifest["duration_s"]
    # The words are the transcript as written, and each sits inside its VTT cue.
    vtt = (folder / "transcript.vtt").read_text()
    cues = re.findall(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\n(.+)", vtt)
    to_s = lambda h, m, s, ms: int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000  # noqa: E731
    position = 0
    for cue in cues:
        start, end, text = to_s(*cue[0:4]), to_s(*cue[4:8]), html.unescape(cue[8])
        own = words[position:position + len(text.split())]
        assert [w["body"] for w in own] == text.split()
        assert start <= own[0]["startTime"] and own[-1]["endTime"] <= end + 0.001, text
        position += len(own)
    assert position == len(words)


def test_sample_story_is_read_from_the_article_with_attribution(episode):
    _, manifest, _ = episode
    putin = next(s for s in manifest["stories"] if s["headline"].startswith("Putin"))
    assert putin["source"] == "NDTV"
    assert putin["urls"][0].startswith("https://www.ndtv.com/")
    assert len(putin["sentences"]) >= 2
    assert not any("Views:" in s or "Source:" in s for s in putin["sentences"])


def test_id3_chapters_and_clips(episode):
    _, manifest, folder = episode
    tags = ID3(folder / "briefing.mp3")
    assert str(tags["TIT2"]) == manifest["title"]
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == [s["headline"] for s in manifest["stories"]]
    for story in manifest["stories"]:
        clip = folder / story["clip"]
        assert abs(decoded_seconds(clip) - (story["end_s"] - story["start_s"] + 0.3)) < 0.1


def test_second_run_reuses_every_cached_segment_and_the_encoded_episode(runs, episode):
    _, warm, _, mp3_untouched = runs
    summary, _, _ = episode
    assert warm.returncode == 0, warm.stderr
    again = json.loads(warm.stdout)
    assert again["segments_synthesized"] == 0
    assert again["segments"] == summary["segments"] > 0
    assert again["episode"] == summary["episode"]
    assert list(again["timings_s"]) == ["reused"]  # answered from the first run's record (rerun.py)
    assert "Nothing changed since the last run" in warm.stderr
    assert mp3_untouched


def test_bad_inputs_are_named_and_the_rest_still_make_the_episode(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "headline-only.txt").write_text("Only a headline\n")
    good = tmp_path / "good.txt"
    good.write_text("Council approves new library\nThe council approved a new library on Monday. "
                    "It will open in the spring.\n")
    run = briefing("generate", str(tmp_path), str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out"),
                   "--minutes", "0.5", "--date", "2026-11-24", "--no-sting")
    assert run.returncode == 3, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.startswith("skipped:")]
    assert len(lines) == 4
    for name in ("empty.txt", "photo.txt", "headline-only.txt", "missing.txt"):
        assert sum(name in line for line in lines) == 1
    assert "Traceback" not in run.stderr
    (episode_dir,) = (tmp_path / "out" / "episodes").iterdir()
    assert (episode_dir / "briefing.mp3").stat().st_size > 0


def test_nothing_usable_makes_no_episode_and_exits_1(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    run = briefing("generate", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "out"))
    assert run.returncode == 1
    assert "empty.txt" in run.stderr and "no episode" in run.stderr.lower()
    assert not (tmp_path / "out" / "episodes").exists() or not any((tmp_path / "out" / "episodes").iterdir())


def test_stdin_article(tmp_path):
    run = briefing("generate", "-", "-o", str(tmp_path), "--minutes", "0.5", "--json", "--no-sting",
                   stdin="Ferry service resumes\nThe island ferry resumed service on Friday after storms. "
                         "Crossings will run every hour.\n")
    assert run.returncode == 0, run.stderr
    manifest = json.loads(Path(json.loads(run.stdout)["manifest"]).read_text())
    assert manifest["stories"][0]["headline"] == "Ferry service resumes"


def test_generate_publishes_the_episode_to_feed_and_page(runs, episode):
    import feedparser

    _, manifest, folder = episode
    output = runs[2]
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert feed.bozo == 0
    (entry,) = feed.entries
    assert entry.title == manifest["title"]
    (enclosure,) = entry.enclosures
    assert int(enclosure.length) == (folder / "briefing.mp3").stat().st_size
    assert enclosure.href.endswith(f"episodes/{manifest['id']}/briefing.mp3")
    page = (output / "index.html").read_text()
    for story in manifest["stories"]:
        assert story["clip"] in page
    assert (folder / "chapters.json").exists()
