"""`briefing voices`: the voice profiles, and whether each can speak right now."""
from __future__ import annotations

import json

import typer

from .console import warn
from .options import VoicesDirOption


def voices(
    voices_dir: VoicesDirOption = None,
    json_output: bool = typer.Option(False, "--json", help="Print the voices as JSON on stdout."),
    offline: bool = typer.Option(False, "--offline", help="Do not probe the network for online voices."),
) -> None:
    """List voice profiles and whether each can speak right now."""
    from rich.console import Console

    from ..speech import voice_problem
    from ..voices import DEFAULT_VOICE, broken_profiles, list_voices

    found = list_voices(voices_dir)
    for broken in broken_profiles(voices_dir):
        warn(str(broken))
    rows = []
    for voice in found:
        problem = voice_problem(voice, check_network=not offline)
        rows.append({"name": voice.name, "engine": voice.engine, "description": voice.description,
                     "usable": problem is None, "problem": problem, "default": voice.name == DEFAULT_VOICE})
    if json_output:
        print(json.dumps(rows, indent=2))
        return
    out = Console(highlight=False)
    for row in rows:
        status = "[green]ready[/]" if row["usable"] else "[red]unavailable[/]"
        default = " (default)" if row["default"] else ""
        out.print(f"{row['name']:<10} {row['engine']:<6} {status}  {row['description']}{default}")
        if row["problem"]:
            out.print(f"           {row['problem']}", style="dim")
