"""`briefing run SHOW.toml...`: make the day's episode of each show and publish it.

Every show is planned, then all their segments are spoken together in one pool
of workers into one segment cache (each distinct segment once), then each
episode is assembled and published (briefing/run/shows.py); with --ray the same
steps run as Ray tasks (briefing/cluster.py). One show's failure never stops
the others. A table of what each show made goes to stderr (its seconds run
from the start of the run to when the show was published or failed), and
`--json` prints one record per show on stdout.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from .console import ExitCode, err, error_line, escape, exit_code, note, progress_display, warn
from .options import (
    AllowPrivateOption,
    BedDuckOption,
    BedLevelOption,
    BedOption,
    BitrateOption,
    CacheDirOption,
    CoHostOption,
    DateOption,
    ExcludeOption,
    IncludeOption,
    IntroOption,
    IntroOverlapOption,
    MaxArticlesOption,
    MaxPagesOption,
    MaxPerFeedOption,
    NoCacheOption,
    OutroOption,
    PaceOption,
    RayOption,
    RetellOption,
    SegmentCacheOption,
    SinceOption,
    SoundFlags,
    SourceFlags,
    StingOption,
    TimeoutOption,
    TransitionOption,
    VoicesDirOption,
    WorkersOption,
    ingest_options,
    parse_day,
    sound_options,
)

if TYPE_CHECKING:
    from ..models import InputFailure
    from ..plan.topics import Topics
    from ..run.pipeline import BriefingRequest
    from ..run.show_file import Show
    from ..run.shows import RunStats, ShowOutcome

RUN_EXIT_CODES_HELP = (
    "Exit codes, over all shows: 0 every show made its episode from every input; 3 some episode was made but "
    "some input or show failed; 1 no episode was made (or the Ray cluster cannot be reached); 2 usage error "
    "(a show file that cannot be used, a --cache that cannot be used, --ray without Ray installed); "
    "130 interrupted."
)


def run(
    show_files: list[Path] = typer.Argument(
        ..., metavar="SHOW.toml", help="Show files (make one with `briefing init`).", show_default=False
    ),
    day: DateOption = None,
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Library folder instead of the show's `output` (one show file only)."),
    minutes: Optional[float] = typer.Option(
        None, "--minutes", "-m", min=0.5, max=120, help="Target length in minutes instead of the show's."),
    voice: Optional[str] = typer.Option(None, "--voice", "-v", help="Voice profile instead of the show's."),
    co_host: CoHostOption = None,
    base_url: Optional[str] = typer.Option(
        None, "--base-url", help="Public URL where the library is served, instead of the show's."),
    keep: Optional[int] = typer.Option(None, "--keep", min=1, help="Keep only the newest N episodes, instead of the show's."),
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    retell: RetellOption = False,
    max_per_feed: MaxPerFeedOption = None,
    since: SinceOption = None,
    workers: WorkersOption = None,
    sting: StingOption = True,
    bitrate: BitrateOption = 96,
    pace: PaceOption = None,
    intro: IntroOption = None,
    outro: OutroOption = None,
    bed: BedOption = None,
    transition: TransitionOption = None,
    intro_overlap: IntroOverlapOption = None,
    bed_duck: BedDuckOption = None,
    bed_level: BedLevelOption = None,
    voices_dir: VoicesDirOption = None,
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    timeout_s: TimeoutOption = 15.0,
    max_pages: MaxPagesOption = 300,
    max_articles: MaxArticlesOption = 1000,
    allow_private: AllowPrivateOption = False,
    cache: SegmentCacheOption = None,
    ray: RayOption = None,
    json_output: bool = typer.Option(False, "--json", help="Print one record per show as a JSON list on stdout."),
) -> None:
    """Make the day's episode of each show file and publish it (options given here override the files)."""
    from ..audio.cache import segment_cache
    from ..audio.mix import AssemblyOptions

    the_day = parse_day(day)
    if output is not None and len(show_files) > 1:
        raise typer.BadParameter("give --output with one show file only; each show has its own library.",
                                 param_hint="'--output'")
    if ray is not None:
        from ..run.cluster import require_ray

        require_ray()  # before any work: one line, exit 2
    segments = segment_cache(cache)
    segments.check()
    slots = _load_shows(show_files, output, minutes=minutes, voice=voice, co_host=co_host, base_url=base_url,
                        keep=keep, since=since, max_per_feed=max_per_feed, include=include, exclude=exclude, pace=pace)
    shows = [s for s in slots if not isinstance(s, dict)]
    from ..ingest import read_stdin

    stdin_text = read_stdin(sys.stdin.buffer) if any("-" in s.sources for s in shows) else None
    ingest = ingest_options(stdin_text, SourceFlags(
        None, None, cache_dir, no_cache, timeout_s, max_pages, max_articles, allow_private))
    sound = SoundFlags(intro, outro, bed, transition, intro_overlap, bed_duck, bed_level)
    voices_dir = voices_dir.resolve() if voices_dir else None  # workers elsewhere see the same folder
    requests = [show.request(the_day, ingest=ingest, workers=workers, voices_dir=voices_dir, retell=retell,
                             assembly=AssemblyOptions(sting=sting, bitrate_kbps=bitrate,
                                                      sound=sound_options(sound, show.sound)))
                for show in shows]

    def report(index: int, outcome: ShowOutcome) -> None:
        records[index] = _show_record(shows[index], outcome, quiet=json_output)

    records: dict[int, dict[str, Any]] = {}
    stats = _make_all(requests, segments, ray, report) if shows else None
    made = iter(records[index] for index in range(len(shows)))
    rows = [slot if isinstance(slot, dict) else next(made) for slot in slots]
    _print_table(rows)
    if stats is not None:
        _print_stats(stats)
    if json_output:
        print(json.dumps(rows, indent=2))
    raise typer.Exit(overall_exit_code([ExitCode(r["exit_code"]) for r in rows]))


def _load_shows(show_files: list[Path], output: Path | None, *, include: list[str] | None,
                exclude: list[str] | None, **overrides: Any) -> list[Show | dict[str, Any]]:
    """In the order given: each loaded show with the command line's overrides, or the record
    of a file that cannot be used (a bad file, or an output folder another show has)."""
    from ..run.show_file import ShowFileError, load_show

    slots: list[Show | dict[str, Any]] = []
    for path in show_files:
        try:
            show = load_show(path)
        except ShowFileError as error:
            error_line(str(error))
            slots.append(_failed_record(str(path), Path(path).stem, str(error), exit_code(error)))
            continue
        show = show.overridden(output=output.resolve() if output else None, topics=_topics(show, include, exclude),
                               **overrides)
        clash = next((s for s in slots if not isinstance(s, dict) and s.output == show.output), None)
        if clash is not None:
            message = (f"{show.path}: publishes to {clash.output}, as {clash.path.name} does; "
                       "give each show its own output folder.")
            error_line(message)
            slots.append(_failed_record(str(show.path), show.name, message, ExitCode.USAGE))
            continue
        slots.append(show)
    return slots


def _make_all(requests: list[BriefingRequest], segments: Any, ray: str | None,
              report: Callable[[int, ShowOutcome], None]) -> RunStats:
    """Every show's episode, on this machine or with Ray, under one progress display."""
    if ray is None:
        from ..run.shows import run_shows

        with progress_display() as progress:
            _, stats = run_shows(requests, segments, on_progress=progress, on_show=report)
        return stats
    import contextlib

    from ..run.cluster import ray_session, run_on_ray

    # Ray's driver prints what its raylets report (a worker that died, say) on stdout, which
    # belongs to --json: send it to stderr with the other human messages.
    with contextlib.redirect_stdout(sys.stderr), ray_session(ray):
        _note_unshared_cache(segments)
        with progress_display() as progress:
            _, stats = run_on_ray(requests, segments, on_progress=progress, on_show=report)
    return stats


def _note_unshared_cache(segments: Any) -> None:
    import ray

    if not segments.is_url and len([n for n in ray.nodes() if n.get("Alive")]) > 1:
        note(f"segments are cached in {segments.location}; on a cluster of several machines give a shared "
             "folder or a URL with --cache, or each machine speaks into its own.")


def _topics(show: Show, include: list[str] | None, exclude: list[str] | None) -> Topics | None:
    """The show's topics with --include/--exclude in place of the file's lists, or None if neither is given."""
    from ..plan.topics import Topics

    if include is None and exclude is None:
        return None
    return Topics(include=tuple(include if include is not None else show.topics.include),
                  exclude=tuple(exclude if exclude is not None else show.topics.exclude))


def overall_exit_code(codes: list[ExitCode]) -> ExitCode:
    """The run's exit code from each show's: a bad show file wins (2), then none made (1),
    then anything short of complete (3)."""
    if ExitCode.USAGE in codes:
        return ExitCode.USAGE
    made = [c for c in codes if c in (ExitCode.OK, ExitCode.PARTIAL)]
    if not made:
        return ExitCode.NOTHING_MADE
    return ExitCode.OK if all(c == ExitCode.OK for c in codes) else ExitCode.PARTIAL


def _show_record(show: Show, outcome: ShowOutcome, *, quiet: bool) -> dict[str, Any]:
    """Print what one show made (or why it made nothing) and return its --json record."""
    from .generate import result_record
    from .report import print_skipped, print_summary

    err().print(f"[bold]{escape(show.name)}[/]: {escape(show.channel.title)} -> {escape(str(show.output))}")
    failure, result = outcome.failure, outcome.result
    if failure is not None or result is None:
        assert failure is not None
        if failure.trace:
            err().print(failure.trace, markup=False, highlight=False)
        for failed in failure.failures:
            warn(str(failed))
        error_line(failure.message)
        return _failed_record(str(show.path), show.name, failure.message, ExitCode(failure.exit_code),
                              outcome.seconds, failures=failure.failures)
    code = ExitCode.PARTIAL if result.failures else ExitCode.OK
    record = result_record(result, code)
    for failed in result.failures:
        warn(str(failed))
    for cut in result.notes:
        note(str(cut))
    if quiet:
        print_skipped(record)
    else:
        print_summary(record)
    return {"show": show.name, "show_file": str(show.path), **record, "seconds": outcome.seconds, "error": None}


def _failed_record(show_file: str, name: str, message: str, code: ExitCode, seconds: float = 0.0,
                   failures: Sequence[InputFailure] = ()) -> dict[str, Any]:
    """The --json record of a show that made no episode, with the same keys a made one has."""
    return {"show": name, "show_file": show_file, "episode": None, "mp3": None, "manifest": None,
            "duration_s": None, "stories": 0,
            "failures": [{"source": f.source, "reason": f.reason} for f in failures],
            "seconds": seconds, "error": message, "exit_code": int(code)}


def _print_table(records: list[dict[str, Any]]) -> None:
    from rich.table import Table

    from ..printable import clock

    table = Table(title="briefing run", title_justify="left")
    for column, justify in (("show", "left"), ("episode", "left"), ("duration", "right"), ("stories", "right"),
                            ("failures", "right"), ("seconds", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for record in records:
        count = len(record["failures"])
        if record["episode"]:
            table.add_row(escape(record["show"]), escape(record["episode"]), clock(record["duration_s"]),
                          str(record["stories"]), str(count), f"{record['seconds']:.1f}")
        else:
            table.add_row(escape(record["show"]), "[red]none made[/]", "", "0", str(count),
                          f"{record['seconds']:.1f}")
    err().print(table)


def _print_stats(stats: RunStats) -> None:
    if not stats.segments:
        return
    loads = f" (voice loads: {stats.voice_loads})" if stats.voice_loads else ""
    err().print(f"Segments: {stats.segments} in {stats.shows} {'show' if stats.shows == 1 else 'shows'}, "
                f"{stats.distinct} distinct; {stats.synthesized} synthesized in {stats.synthesis_s:.1f} s{loads}, "
                f"{stats.cache_hits} from the cache.")
