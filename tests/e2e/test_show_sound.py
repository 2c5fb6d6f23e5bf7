"""End to end: `briefing generate` with a show's music and the real default voice, checked
on the MP3 with ffmpeg; the same command again is answered from its record until a music
file's bytes change; `briefing say --with-sound` mixes a line as the episode would."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.audio.test_show_sound import RATE, decoded, ebur128, found_at, template

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
ARTICLES = [str(ROOT / "examples/articles/01-harbour-bridge-reopens.txt"),
            str(ROOT / "examples/articles/04-space-telescope.txt")]


def briefing(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


@pytest.fixture(scope="module")
def run(tmp_path_factory, show_music):
    folder = tmp_path_factory.mktemp("show-sound")
    bed = folder / "bed.ogg"
    shutil.copyfile(show_music.bed, bed)
    args = ["generate", *ARTICLES, "-o", str(folder / "library"), "--minutes", "1", "--date", "2026-11-24", "--json",
            "--intro", str(show_music.intro), "--bed", str(bed), "--outro", str(show_music.outro),
            "--transition", str(show_music.transition), "--intro-overlap", "1.5"]
    first = briefing(*args)
    again = briefing(*args)
    with bed.open("ab") as changed:  # the same name, other bytes (an Ogg reader skips trailing junk)
        changed.write(b"\0" * 16)
    changed_run = briefing(*args)
    return first, again, changed_run


def test_an_episode_with_music_opens_on_the_intro_at_the_podcast_loudness(run, show_music):
    first, _, _ = run
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    manifest = json.loads(Path(summary["manifest"]).read_text())
    mp3 = Path(summary["mp3"])
    audio = decoded(mp3)
    at, match = found_at(audio, template(show_music.intro, 1.9), 0.0, 6.0)
    assert abs(at) < 0.005 and match > 0.8
    lufs, peak = ebur128(mp3)
    assert lufs == pytest.approx(-16.0, abs=0.5) and peak <= -1.0
    assert summary["loudness_lufs"] == pytest.approx(lufs, abs=0.2)
    vtt = (mp3.parent / "transcript.vtt").read_text(encoding="utf-8")
    assert "\n00:00:02.500 --> " in vtt  # the greeting: 4 s of intro, the last 1.5 s under it
    assert manifest["stories"][0]["start_s"] > 2.5
    assert len(audio) / RATE == pytest.approx(summary["duration_s"], abs=0.1)
    assert np.max(np.abs(audio)) < 0.95


def test_the_same_command_is_answered_from_its_record_until_a_music_file_changes(run):
    _, again, changed = run
    assert again.returncode == 0 and "Nothing changed since the last run" in again.stderr
    assert changed.returncode == 0, changed.stderr
    assert "Nothing changed" not in changed.stderr
    assert json.loads(changed.stdout)["segments_synthesized"] == 0  # the speech was all cached


def test_say_with_sound_mixes_the_line_as_the_episode_would(tmp_path, show_music):
    out = tmp_path / "line.mp3"
    said = briefing("say", "The harbour bridge reopened on Monday.", "-o", str(out), "--with-sound",
                    "--intro", str(show_music.intro), "--bed", str(show_music.bed))
    assert said.returncode == 0, said.stderr
    audio = decoded(out)
    at, match = found_at(audio, template(show_music.intro, 1.9), 0.0, 3.0)
    assert abs(at) < 0.005 and match > 0.8
    lufs, peak = ebur128(out)
    assert peak <= -1.0 and -18.0 < lufs < -14.0
