"""`briefing generate SOURCE...`: make an episode from news and publish it."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from .console import ExitCode, err, escape, fail, progress_display, note, warn
from ..voices import DEFAULT_VOICE
from .options import (
    AllowPrivateOption,
    BitrateOption,
    CacheDirOption,
    CoHostOption,
    LexiconOption,
    DateOption,
    ExcludeOption,
    IncludeOption,
    MaxArticlesOption,
    MaxPagesOption,
    MaxPerFeedOption,
    NoCacheOption,
    OutputOption,
    RetellOption,
    SinceOption,
    SourceFlags,
    StingOption,
    TimeoutOption,
    VoicesDirOption,
    WorkersOption,
    ingest_options,
    parse_day,
)

if TYPE_CHECKING:
    from ..pipeline import BriefingResult


def generate(
    sources: list[str] = typer.Argument(
        ..., help="Articles and feeds: .txt/.md/.html/.json files, folders of them, URLs of pages or feeds, "
        ".opml lists, or - for stdin.", show_default=False
    ),
    output: OutputOption = Path("output"),
    minutes: float = typer.Option(5.0, "--minutes", "-m", min=0.5, max=120, help="Target length of the briefing in minutes."),
    voice: str = typer.Option(DEFAULT_VOICE, "--voice", "-v", help="Voice profile name (see `briefing voices`) or a .toml path."),
    co_host: CoHostOption = None,
    lexicon: LexiconOption = None,
    day: DateOption = None,
    workers: WorkersOption = None,
    sting: StingOption = True,
    bitrate: BitrateOption = 96,
    base_url: Optional[str] = typer.Option(None, "--base-url", help="Public URL where OUTPUT is served, for the podcast feed's links."),
    keep: Optional[int] = typer.Option(None, "--keep", min=1, help="Keep only the newest N episodes; older ones are retired."),
    voices_dir: VoicesDirOption = None,
    json_output: bool = typer.Option(False, "--json", help="Print the manifest's path and key figures as JSON on stdout."),
    max_per_feed: MaxPerFeedOption = None,
    since: SinceOption = None,
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    timeout_s: TimeoutOption = 15.0,
    max_pages: MaxPagesOption = 300,
    max_articles: MaxArticlesOption = 1000,
    allow_private: AllowPrivateOption = False,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    retell: RetellOption = False,
) -> None:
    """Make a spoken briefing MP3 (with transcript and manifest) from news articles."""
    from ..assemble import AssemblyOptions
    from ..pipeline import BriefingRequest, build_briefing
    from ..topics import Topics

    from ..ingest import read_stdin

    stdin_text = read_stdin(sys.stdin.buffer) if "-" in sources else None
    request = BriefingRequest(
        sources=tuple(sources),
        output_dir=output,
        day=parse_day(day),
        voice=voice,
        co_host=co_host,
        lexicons=tuple(lexicon or ()),
        minutes=minutes,
        ingest=ingest_options(stdin_text, SourceFlags(
        max_per_feed, since, cache_dir, no_cache, timeout_s, max_pages, max_articles, allow_private)),
        assembly=AssemblyOptions(sting=sting, bitrate_kbps=bitrate),
        workers=workers,
        voices_dir=voices_dir,
        base_url=base_url,
        keep=keep,
        topics=Topics(include=tuple(include or ()), exclude=tuple(exclude or ())),
        retell=retell,
    )
    try:
        with progress_display() as progress:
            result = build_briefing(request, on_progress=progress)
    except OSError as error:
        where = error.filename or output
        raise fail(f"cannot write {where} ({error.strerror}); check the output folder (-o) and free disk space.") from None
    for failure in result.failures:
        warn(str(failure))
    for cut in result.notes:
        note(str(cut))
    code = ExitCode.PARTIAL if result.failures else ExitCode.OK
    if json_output:
        print_skipped(result)
        print(json.dumps(result_record(result, code), indent=2))
    else:
        print_summary(result)
    raise typer.Exit(code)


def result_record(result: BriefingResult, code: ExitCode) -> dict[str, object]:
    """The --json shape of a finished run."""
    from ..episodes import skipped_records

    episode = result.episode
    return {
        "manifest": str(result.manifest_path),
        "episode": episode.id,
        "mp3": episode.audio_path,
        "duration_s": episode.duration_s,
        "stories": len(episode.stories),
        "segments": result.segments_total,
        "segments_synthesized": result.segments_synthesized,
        "loudness_lufs": episode.loudness_lufs,
        "true_peak_dbtp": episode.true_peak_dbtp,
        "left_out": list(result.left_out),
        **skipped_records(result.skipped),
        "updates": [t.story.headline for t in episode.stories if t.story.update_of],
        "failures": [{"source": f.source, "reason": f.reason} for f in result.failures],
        "notes": [{"source": n.source, "reason": n.reason} for n in result.notes],
        "timings_s": result.stage_seconds,
        "exit_code": int(code),
    }


def print_summary(result: BriefingResult) -> None:
    episode = result.episode
    minutes, seconds = divmod(round(episode.duration_s), 60)
    count = len(episode.stories)
    err().print(f"[green]Made[/] {escape(episode.audio_path)} ({minutes}:{seconds:02d}, {count} "
              f"{'story' if count == 1 else 'stories'}, {result.segments_synthesized} of {result.segments_total} "
              f"segments synthesized, {episode.loudness_lufs:.1f} LUFS)")
    for timing in episode.stories:
        m, s = divmod(round(timing.start_s), 60)
        update = "Update: " if timing.story.update_of else ""
        err().print(f"  {m:2d}:{s:02d}  {update}{escape(timing.story.headline)}")
    if result.left_out:
        err().print(f"  Left out for time: {len(result.left_out)} stories (raise --minutes to include them)")
    print_skipped(result)
    err().print(f"Manifest: {escape(str(result.manifest_path))}")


def print_skipped(result: BriefingResult) -> None:
    """The stories left out on purpose, one line each (also with --json: they are news to the user)."""
    for story in result.skipped:
        if story.topic:
            err().print(f"  Left out, on the excluded topic {escape(repr(story.topic))}: {escape(story.headline)}")
        elif story.told_in:
            err().print(f"  Left out, told on {story.told_in.date.isoformat()} with nothing new: "
                        f"{escape(story.headline)}")
