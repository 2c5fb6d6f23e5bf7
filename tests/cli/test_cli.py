"""The command line's contract: help everywhere, documented exit codes, clean errors."""
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import VoiceUnavailable
from briefing.speech.gtts import GttsEngine
from briefing.voices import find_voice

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_every_command_and_option_has_help():
    command = typer.main.get_command(app)
    assert set(command.commands) >= {"generate", "voices", "summarize", "extract", "serve", "say"}
    for name, sub in command.commands.items():
        assert sub.help, f"{name} has no help"
        for param in sub.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts} has no help"


def test_help_documents_exit_codes():
    result = runner.invoke(app, ["generate", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for phrase in ("0 every input was used", "3 the episode was made but some inputs failed",
                   "1 nothing usable remained", "2 usage error"):
        assert phrase in text


def test_usage_error_exits_2():
    result = runner.invoke(app, ["generate", "examples/articles", "--date", "yesterday"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_voices_lists_heart_as_the_default_and_joe_ready_offline():
    result = runner.invoke(app, ["voices", "--offline", "--json"])
    assert result.exit_code == 0
    voices = {v["name"]: v for v in json.loads(result.stdout)}
    assert voices["heart"]["usable"] and voices["heart"]["default"] and voices["heart"]["engine"] == "hibari"
    assert voices["joe"]["usable"] and not voices["joe"]["default"] and voices["joe"]["engine"] == "piper"
    assert voices["gtts-us"]["engine"] == "gtts"
    assert set(voices) == {"heart", "joe", "gtts-us"}, "lexicon.toml is not a voice profile"


def test_unknown_voice_is_one_clear_line():
    result = runner.invoke(app, ["generate", "examples/articles", "--voice", "nobody", "-o", "unused"])
    assert result.exit_code == 1
    assert "No voice called 'nobody'; known voices: gtts-us, heart, joe" in " ".join(result.output.split())


@pytest.fixture
def no_network(monkeypatch):
    """Send HTTPS through a proxy on a closed loopback port: fails at once, like being offline."""
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")


def test_gtts_offline_suggests_offline_voice(no_network):
    engine = GttsEngine.load(find_voice("gtts-us"))
    with pytest.raises(VoiceUnavailable) as caught:
        engine.speak("Hello.")
    message = str(caught.value)
    assert "could not reach Google Translate" in message
    assert message.endswith("use the offline voice instead with --voice heart.")
    assert "\n" not in message


def test_gtts_offline_from_the_command_line_is_one_line_not_a_traceback(tmp_path):
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    run = subprocess.run(
        [sys.executable, "-m", "briefing", "generate", str(ROOT / "examples/articles/04-space-telescope.txt"),
         "--voice", "gtts-us", "-o", str(tmp_path), "--minutes", "0.5"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert run.returncode == 1
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: Voice 'gtts-us' (gTTS) could not reach Google Translate")
    assert lines[0].endswith("--voice heart.")
    assert not (tmp_path / "episodes").exists() or not any((tmp_path / "episodes").iterdir())


def test_broken_voice_profile_is_one_line_and_does_not_block_others(tmp_path):
    (tmp_path / "joe.toml").write_text((ROOT / "voices" / "joe.toml").read_text())
    (tmp_path / "bad.toml").write_text('name = "bad"\nengine = "piper"\n[settings]\nchars_per_second = "fast"\n')
    assert find_voice("joe", tmp_path).name == "joe"
    result = runner.invoke(app, ["generate", "examples/articles", "--voice", "bad", "--voices-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "chars_per_second must be a positive number, not 'fast'" in " ".join(result.output.split())


def test_output_that_is_a_file_is_one_clear_line(tmp_path):
    blocker = tmp_path / "output"
    blocker.write_text("not a folder")
    run = subprocess.run([sys.executable, "-m", "briefing", "generate", str(ROOT / "examples/articles/04-space-telescope.txt"),
                          "-o", str(blocker), "--minutes", "0.5"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("error: cannot write ") and "check the output folder" in run.stderr


def test_the_top_level_cli_py_runs_the_command_line_from_the_checkout():
    """The design card's entry point: `python cli.py` from a checkout, as `briefing` once installed."""
    result = subprocess.run([sys.executable, "cli.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert all(command in result.stdout for command in ("generate", "run", "say", "serve"))
