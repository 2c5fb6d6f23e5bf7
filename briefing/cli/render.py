"""`briefing render script.md -o output`: make and publish the episode a script file says, as written."""
from __future__ import annotations

import time
from pathlib import Path

import typer

from .console import ExitCode, err, fail
from .options import EpisodeFlags, LexiconOption, OutputOption, VoicesDirOption, episode_flags


@episode_flags
def render(
    script: Path = typer.Argument(..., help="A script file written by `briefing plan` (or the studio), "
                                  "edited as you like.", show_default=False),
    output: OutputOption = Path("output"),
    lexicon: LexiconOption = None,
    voices_dir: VoicesDirOption = None,
    flags: EpisodeFlags = EpisodeFlags(),
) -> None:
    """Make the episode a script file says, exactly as written, and publish it as `generate` does.

    The script is as long as it is: the summary says how long it came out against its header's target. Rendering again after an edit speaks only the lines that changed and replaces the episode this file made before."""
    from ..plan.script_file import read_script_file
    from ..run.render import RenderRequest, render_script
    from ..voices import list_voices
    from .generate import result_record
    from .report import report

    started = time.perf_counter()
    voices = {voice.name for voice in list_voices(voices_dir)}
    if not script.is_file():
        raise fail(f"there is no script file {script}; write one with `briefing plan SOURCE... -o {script}`.",
                   ExitCode.USAGE)
    read = read_script_file(script, voices=voices)
    request = RenderRequest(output_dir=output, lexicons=tuple(lexicon or ()), assembly=flags.assembly(),
                            workers=flags.workers, voices_dir=voices_dir, base_url=flags.base_url, keep=flags.keep,
                            script_path=script, pace=flags.pace)
    read_s = time.perf_counter() - started
    from .console import progress_display

    try:
        with progress_display() as progress:
            result = render_script(read, request, on_progress=progress)
    except OSError as error:
        where = error.filename or output
        raise fail(f"cannot write {where} ({error.strerror}); check the output folder (-o) and free disk space.") from None
    record = result_record(result, ExitCode.OK)
    record["timings_s"] = {"read": round(read_s, 3), **record["timings_s"]}
    record["target_s"] = round(read.target_minutes * 60, 1) if read.target_minutes else None
    report(record, flags.json_output)
    if not flags.json_output:
        print_length(record)
    raise typer.Exit(ExitCode.OK)


def print_length(record: dict) -> None:
    """How long the episode came out against the target the script was planned for."""
    from ..printable import clock

    if record["target_s"] is None:
        return
    difference = record["duration_s"] - record["target_s"]
    side = "over" if difference >= 0 else "under"
    err().print(f"Length {clock(record['duration_s'])} against a target of {clock(record['target_s'])} "
                f"({clock(abs(difference))} {side})", soft_wrap=True)
