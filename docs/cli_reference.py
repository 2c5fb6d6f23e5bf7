"""Write docs/cli.md: the `--help` of every briefing command, as the command line prints it.

    .venv/bin/python docs/cli_reference.py          # rewrite docs/cli.md
    .venv/bin/python docs/cli_reference.py --check  # exit 1 if docs/cli.md is stale

tests/test_docs.py runs the check, so the reference can never drift from the code
(the habit sqlite-utils keeps with cog).
"""
from __future__ import annotations

import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "cli.md"
HELP_ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}


def render() -> str:
    sys.path.insert(0, str(ROOT))
    from briefing.cli import app

    runner = CliRunner()
    parts = [
        "# Command-line reference",
        "",
        "Generated from `briefing --help` by `docs/cli_reference.py`; do not edit by hand.",
        "",
    ]
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name in [None, *sorted(commands)]:
        args = [name, "--help"] if name else ["--help"]
        result = runner.invoke(app, args, env=HELP_ENV, prog_name="briefing")
        output = "\n".join(line.rstrip() for line in result.output.splitlines()).strip()
        parts += [f"## briefing {name}" if name else "## briefing", "", "```", output, "```", ""]
    return "\n".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not REFERENCE.is_file() or REFERENCE.read_text(encoding="utf-8") != text:
            print(f"{REFERENCE} is stale; run: python docs/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    REFERENCE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
