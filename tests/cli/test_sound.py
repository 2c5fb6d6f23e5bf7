"""A show's music on the command line: a file that cannot be used is one line naming it and
what is wrong, exit code 2, before any speech is made, and nothing is written."""
from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from briefing.cli import ExitCode, app
from tests.conftest import EXAMPLES, write_audio

runner = CliRunner()


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def bad_music(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-music")
    (folder / "notes.mp3").write_text("These are my show notes, not music.\n", encoding="utf-8")
    (folder / "empty.mp3").write_bytes(b"")
    rate = 8000
    ten_minutes = 0.2 * np.sin(2 * np.pi * 440 * np.arange(600 * rate) / rate)
    write_audio(folder / "long.wav", ten_minutes, rate)
    write_audio(folder / "silent.flac", np.zeros(3 * rate), rate)
    return folder


@pytest.mark.parametrize(("flag", "name", "problem"), [
    ("--intro", "notes.mp3", "cannot be read as audio (Error opening input files: Invalid data found when processing "
     "input); give an MP3, M4A, Ogg, FLAC or WAV file."),
    ("--bed", "empty.mp3", "is empty (0 bytes); give an MP3, M4A, Ogg, FLAC or WAV file."),
    ("--intro", "long.wav", "lasts over 60 s; an intro may last 60 s at most: trim it, or give it as the bed."),
    ("--outro", "silent.flac", "is silent; give a file with music in it."),
    ("--transition", "missing.mp3", ": no such file; check the path."),
])
def test_a_bad_music_file_is_one_line_and_exit_2_before_any_speech(tmp_path, bad_music, flag, name, problem):
    output = tmp_path / "library"
    result = runner.invoke(app, ["generate", str(EXAMPLES), "-o", str(output), flag, str(bad_music / name)])
    assert result.exit_code == ExitCode.USAGE
    role = flag.removeprefix("--")
    separator = "" if problem.startswith(":") else " "
    assert one_line(result.stderr) == f"error: {role} file {bad_music / name}{separator}{problem}"  # just this line
    assert not output.exists()  # no speech, no library, nothing half-written


def test_music_is_refused_by_say_without_with_sound(tmp_path, show_music):
    result = runner.invoke(app, ["say", "Hello.", "-o", str(tmp_path / "x.mp3"), "--bed", str(show_music.bed)])
    assert result.exit_code == ExitCode.USAGE
    assert "music files are mixed only with --with-sound" in one_line(result.stderr)


def test_a_show_whose_music_cannot_be_used_fails_alone_with_exit_2(tmp_path, bad_music):
    (tmp_path / "morning.toml").write_text(
        f'sources = ["{EXAMPLES}"]\n[sound]\nintro = "{bad_music / "notes.mp3"}"\n', encoding="utf-8")
    result = runner.invoke(app, ["run", str(tmp_path / "morning.toml"), "--json"])
    assert result.exit_code == ExitCode.USAGE
    assert f"error: intro file {bad_music / 'notes.mp3'} cannot be read as audio" in one_line(result.stderr)
    assert not (tmp_path / "morning").exists()
