"""`briefing serve` as a command: its options and its one-line errors."""
from __future__ import annotations

import subprocess
import sys

import typer
from typer.testing import CliRunner

from briefing.cli.serve import serve as serve_command


def test_every_option_has_help_and_safe_defaults():
    app = typer.Typer(add_completion=False)
    app.command()(serve_command)
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0
    assert "Port to listen on; 0 picks a free one." in result.output
    command = typer.main.get_command(app)
    options = {p.name: p for p in command.params}
    assert set(options) == {"output", "host", "port"}
    assert all(p.help for p in options.values())
    assert options["host"].default == "127.0.0.1"
    assert options["port"].default == 8000
    assert options["output"].opts == ["--output", "-o"]


def test_a_missing_output_folder_is_one_clear_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "serve", "-o", str(tmp_path / "nowhere"), "--port", "0"],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert " ".join(result.stderr.split()) == (
        f"error: There is no folder {tmp_path / 'nowhere'}; run briefing generate first or pass --output."
    )
