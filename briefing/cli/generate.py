"""`briefing generate SOURCE...`: make an episode from news and publish it."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..run.record import RunInputs, plain_options, record_run, recorded_result
from ..voices import DEFAULT_VOICE
from .console import ExitCode, fail, progress_display
from .options import (
    AllowPrivateOption,
    BaseUrlOption,
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
    JsonOption,
    KeepOption,
    LexiconOption,
    MaxArticlesOption,
    MaxPagesOption,
    MaxPerFeedOption,
    NoCacheOption,
    OutputOption,
    OutroOption,
    PaceOption,
    RetellOption,
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
from .replay import invoked_argv
from .report import report, report_unchanged

if TYPE_CHECKING:
    from ..run.pipeline import BriefingResult


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
    pace: PaceOption = None,
    intro: IntroOption = None,
    outro: OutroOption = None,
    bed: BedOption = None,
    transition: TransitionOption = None,
    intro_overlap: IntroOverlapOption = None,
    bed_duck: BedDuckOption = None,
    bed_level: BedLevelOption = None,
    base_url: BaseUrlOption = None,
    keep: KeepOption = None,
    voices_dir: VoicesDirOption = None,
    json_output: JsonOption = False,
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
    options = dict(locals())  # every option, so that a new one is part of the run's key unasked
    started = time.perf_counter()
    inputs = rerun_inputs(options)
    key = inputs.key()
    recorded = recorded_result(output, key) if key else None
    if recorded is not None:
        raise typer.Exit(report_unchanged(recorded, json_output, time.perf_counter() - started))

    from ..audio.mix import AssemblyOptions
    from ..ingest import read_stdin
    from ..plan.topics import Topics
    from ..run.pipeline import BriefingRequest, build_briefing

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
        assembly=AssemblyOptions(sting=sting, bitrate_kbps=bitrate, sound=sound_options(sound_flags(options))),
        pace=pace,
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
    code = ExitCode.PARTIAL if result.failures else ExitCode.OK
    record = result_record(result, code)
    if key:
        record_run(output, key, inputs, result.library_state, record, argv=invoked_argv(), json_output=json_output)
    report(record, json_output)
    raise typer.Exit(code)


def rerun_inputs(options: dict[str, Any]) -> RunInputs:
    """What this run's key is made of (run/record.py). `options`: all of generate's parameters;
    the profiles and lexicons they lead to are keyed by their bytes."""
    from ..voices import default_voices_dir

    keyed = {name: value for name, value in options.items() if name != "json_output"}  # printing only
    keyed["day"] = parse_day(options["day"])
    named = [name for name in (options["voice"], options["co_host"]) if name and name.endswith(".toml")]
    lexicons = [str(path) for path in options["lexicon"] or ()]
    music = [str(path) for path in sound_flags(options).files()]
    return RunInputs("generate", plain_options(keyed), tuple(options["sources"]), (*named, *lexicons, *music),
                     (str(options["voices_dir"] or default_voices_dir()),))


def sound_flags(options: dict[str, Any]) -> SoundFlags:
    """The sound flags among generate's parameters."""
    return SoundFlags(options["intro"], options["outro"], options["bed"], options["transition"],
                      options["intro_overlap"], options["bed_duck"], options["bed_level"])


def result_record(result: BriefingResult, code: ExitCode) -> dict[str, Any]:
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
        "rundown": [{"start_s": t.start_s, "headline": t.story.headline, "update": bool(t.story.update_of)}
                    for t in episode.stories],
        "failures": [{"source": f.source, "reason": f.reason} for f in result.failures],
        "notes": [{"source": n.source, "reason": n.reason} for n in result.notes],
        "timings_s": result.stage_seconds,
        "exit_code": int(code),
    }
