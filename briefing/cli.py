"""The command line: parse flags, call the library, print.

All behaviour lives in the library (briefing.pipeline and the stage modules);
this module only turns flags into a request, shows progress on stderr, and
turns our exceptions into one red line and an exit code.
"""
from __future__ import annotations

import json
import sys
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .assemble import AssemblyOptions
from .errors import BriefingError, NothingToSay
from .extract_command import (
    CacheDirOption,
    MaxPerFeedOption,
    NoCacheOption,
    SinceOption,
    TimeoutOption,
    extract_command,
    ingest_options,
)
from .publish.serve_command import serve_command
from .summarize_command import summarize_command


class ExitCode(IntEnum):
    OK = 0
    """Every input was used."""
    NOTHING_MADE = 1
    """No usable input remained (or another error): no episode was made."""
    USAGE = 2
    """Bad command-line usage."""
    PARTIAL = 3
    """The episode was made, but some inputs failed."""
    INTERRUPTED = 130
    """Stopped with Ctrl-C; nothing half-written is left behind."""


EXIT_CODES_HELP = (
    "Exit codes: 0 every input was used; 3 the episode was made but some inputs failed; "
    "1 nothing usable remained, no episode; 2 usage error; 130 interrupted."
)

app = typer.Typer(
    help="Turn news articles into a podcast-style spoken news briefing, offline.\n\n" + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)


def fail(message: str, code: ExitCode = ExitCode.NOTHING_MADE) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def warn(message: str) -> None:
    err.print(f"[yellow]skipped:[/] {escape(message)}", markup=True, soft_wrap=True)


def parse_day(value: Optional[str]) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-24.") from None


class _QuietProgress:
    """Stands in for the progress display when stderr is not a terminal (and in tests)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def __call__(self, stage: str, done: int, total: int) -> None:
        return None


class _BarProgress:
    LABELS = {"ingest": "Ingest", "summarize": "Summarize", "synthesize": "Synthesize segments",
              "encode": "Encode MP3", "publish": "Publish feed and page"}

    def __init__(self) -> None:
        self.bars = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), console=err, transient=False)
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        self.bars.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bars.__exit__(*exc)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bars.add_task(self.LABELS.get(stage, stage), total=total)
        self.bars.update(self.tasks[stage], completed=done, total=total)


def progress_display():
    return _BarProgress() if err.is_terminal else _QuietProgress()


@app.command(epilog=EXIT_CODES_HELP)
def generate(
    sources: list[str] = typer.Argument(
        ..., help="Articles and feeds: .txt/.md/.html/.json files, folders of them, URLs of pages or feeds, "
        ".opml lists, or - for stdin.", show_default=False
    ),
    output: Path = typer.Option(Path("output"), "--output", "-o", help="Library folder; episodes go in OUTPUT/episodes/."),
    minutes: float = typer.Option(5.0, "--minutes", "-m", min=0.5, max=120, help="Target length of the briefing in minutes."),
    voice: str = typer.Option("joe", "--voice", "-v", help="Voice profile name (see `briefing voices`) or a .toml path."),
    day: Optional[str] = typer.Option(None, "--date", help="Date the briefing is for, YYYY-MM-DD. [default: today]"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Synthesis processes, sharing the cores as ONNX threads. [default: one per two cores]"),
    sting: bool = typer.Option(True, "--sting/--no-sting", help="Play a short generated chime at the start and end."),
    bitrate: int = typer.Option(96, "--bitrate", min=48, max=320, help="MP3 bitrate in kbps (mono, 44.1 kHz)."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="Public URL where OUTPUT is served, for the podcast feed's links."),
    keep: Optional[int] = typer.Option(None, "--keep", min=1, help="Keep only the newest N episodes; older ones are retired."),
    voices_dir: Optional[Path] = typer.Option(None, "--voices-dir", help="Folder of voice profiles. [default: the project's voices/]"),
    json_output: bool = typer.Option(False, "--json", help="Print the manifest's path and key figures as JSON on stdout."),
    max_per_feed: MaxPerFeedOption = None,
    since: SinceOption = None,
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    timeout_s: TimeoutOption = 15.0,
) -> None:
    """Make a spoken briefing MP3 (with transcript and manifest) from news articles."""
    from .pipeline import BriefingRequest, build_briefing

    stdin_text = sys.stdin.read() if "-" in sources else None
    request = BriefingRequest(
        sources=tuple(sources),
        output_dir=output,
        day=parse_day(day),
        voice=voice,
        minutes=minutes,
        ingest=ingest_options(stdin_text, max_per_feed, since, cache_dir, no_cache, timeout_s),
        assembly=AssemblyOptions(sting=sting, bitrate_kbps=bitrate),
        workers=workers,
        voices_dir=voices_dir,
        base_url=base_url,
        keep=keep,
    )
    try:
        with progress_display() as progress:
            result = build_briefing(request, on_progress=progress)
    except NothingToSay as error:
        for failure in error.failures:
            warn(str(failure))
        raise fail(str(error)) from None
    except BriefingError as error:
        raise fail(str(error)) from None
    except KeyboardInterrupt:
        raise fail("interrupted; finished episodes and the feed were left as they were.", ExitCode.INTERRUPTED) from None
    except OSError as error:
        where = error.filename or output
        raise fail(f"cannot write {where} ({error.strerror}); check the output folder (-o) and free disk space.") from None
    for failure in result.failures:
        warn(str(failure))
    episode = result.episode
    code = ExitCode.PARTIAL if result.failures else ExitCode.OK
    manifest = Path(episode.folder) / "episode.json"
    if json_output:
        print(json.dumps({
            "manifest": str(manifest),
            "episode": episode.id,
            "mp3": episode.audio_path,
            "duration_s": episode.duration_s,
            "stories": len(episode.stories),
            "segments": result.segments_total,
            "segments_synthesized": result.segments_synthesized,
            "loudness_lufs": episode.loudness_lufs,
            "true_peak_dbtp": episode.true_peak_dbtp,
            "left_out": list(result.left_out),
            "failures": [{"source": f.source, "reason": f.reason} for f in result.failures],
            "timings_s": result.stage_seconds,
            "exit_code": int(code),
        }, indent=2))
    else:
        minutes_, seconds_ = divmod(round(episode.duration_s), 60)
        err.print(f"[green]Made[/] {escape(episode.audio_path)} ({minutes_}:{seconds_:02d}, {len(episode.stories)} {'story' if len(episode.stories) == 1 else 'stories'}, "
                  f"{result.segments_synthesized} of {result.segments_total} segments synthesized, "
                  f"{episode.loudness_lufs:.1f} LUFS)")
        for timing in episode.stories:
            m, s = divmod(round(timing.start_s), 60)
            err.print(f"  {m:2d}:{s:02d}  {escape(timing.story.headline)}")
        if result.left_out:
            err.print(f"  Left out for time: {len(result.left_out)} stories (raise --minutes to include them)")
        err.print(f"Manifest: {escape(str(manifest))}")
    raise typer.Exit(code)


@app.command()
def voices(
    voices_dir: Optional[Path] = typer.Option(None, "--voices-dir", help="Folder of voice profiles. [default: the project's voices/]"),
    json_output: bool = typer.Option(False, "--json", help="Print the voices as JSON on stdout."),
    offline: bool = typer.Option(False, "--offline", help="Do not probe the network for online voices."),
) -> None:
    """List voice profiles and whether each can speak right now."""
    from .speech import voice_problem
    from .voices import DEFAULT_VOICE, broken_profiles, list_voices

    found = list_voices(voices_dir)
    for problem in broken_profiles(voices_dir):
        warn(str(problem))
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


app.command("summarize")(summarize_command)
app.command("extract")(extract_command)
app.command("serve")(serve_command)


def main() -> None:
    try:
        app(standalone_mode=True)
    except BriefingError as error:
        # Commands may raise our errors directly; they are one line, not a traceback.
        raise SystemExit(fail(str(error)).exit_code) from None
    except KeyboardInterrupt:
        err.print("[red]interrupted[/]; nothing half-written was left behind.")
        sys.exit(ExitCode.INTERRUPTED)
