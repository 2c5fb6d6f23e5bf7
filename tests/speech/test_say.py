"""`briefing say`: one line to a playable MP3, checked with ffmpeg."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from briefing.audio.ffmpeg import ffmpeg_exe

ROOT = Path(__file__).resolve().parents[2]


def briefing(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_say_writes_a_playable_mp3_in_the_episode_format(tmp_path):
    out = tmp_path / "putin.mp3"
    run = briefing("say", "Putin met Xi on Friday.", "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert "heart read: [Putin](/pˈutɪn/) met [Xi](/ʃˈi/) on Friday." in run.stderr
    assert f"Wrote {out}" in " ".join(run.stderr.split())
    probe = subprocess.run([ffmpeg_exe(), "-hide_banner", "-v", "error", "-i", str(out), "-f", "s16le", "-ac", "1",
                            "-ar", "44100", "-"], capture_output=True)
    assert probe.returncode == 0 and probe.stderr == b""
    seconds = len(probe.stdout) / 2 / 44100
    assert 1.0 <= seconds <= 4.0
    info = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(out)], capture_output=True, text=True).stderr
    assert "Audio: mp3" in info and "44100 Hz, mono" in info


def test_say_with_another_voice_and_a_user_lexicon(tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text('[words]\nSiobhan = "Shiv awn"\n', encoding="utf-8")
    out = tmp_path / "siobhan.mp3"
    run = briefing("say", "Siobhan won.", "--voice", "joe", "--lexicon", str(mine), "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert "joe read: Shiv awn won." in run.stderr
    assert out.stat().st_size > 1000


def test_say_into_a_missing_folder_is_one_line(tmp_path):
    run = briefing("say", "Hello.", "-o", str(tmp_path / "nowhere" / "x.mp3"))
    assert run.returncode == 1
    assert run.stderr.strip() == (f"error: cannot write {tmp_path / 'nowhere' / 'x.mp3'}: the folder "
                                  f"{tmp_path / 'nowhere'} does not exist; create it or pick another -o.")
