"""`briefing plan SOURCE... -o script.md`: write the episode's script for an editor, without speaking it."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..voices import DEFAULT_VOICE
from .console import ExitCode, err, escape, fail, warn
from .options import (
    AllowPrivateOption,
    CacheDirOption,
    CoHostOption,
    DateOption,
    ExcludeOption,
    IncludeOption,
    JsonOption,
    LexiconOption,
    MaxArticlesOption,
    MaxPagesOption,
    MaxPerFeedOption,
    NoCacheOption,
    RetellOption,
    SinceOption,
    SourceFlags,
    TimeoutOption,
    VoicesDirOption,
    ingest_options,
    parse_day,
)


def plan(
    sources: list[str] = typer.Argument(
        ..., help="Articles and feeds, as for `briefing generate`.", show_default=False),
    script_path: Path = typer.Option(
        Path("script.md"), "--output", "-o", help="The script file to write (plain text: edit it, then `briefing render`)."),
    library: Path = typer.Option(
        Path("output"), "--library", "-l", help="The library the episode will be published to: its memory of "
        "earlier episodes and its lexicon are used, as by `generate -o`."),
    minutes: float = typer.Option(5.0, "--minutes", "-m", min=0.5, max=120, help="Target length of the briefing in minutes."),
    voice: str = typer.Option(DEFAULT_VOICE, "--voice", "-v", help="Voice profile name (see `briefing voices`) or a .toml path."),
    co_host: CoHostOption = None,
    lexicon: LexiconOption = None,
    day: DateOption = None,
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
    """Write the briefing's script to a text file to edit before it airs; `briefing render` makes the episode."""
    from ..ingest import read_stdin
    from ..plan.script_file import write_script_file
    from ..plan.topics import Topics
    from ..run.pipeline import BriefingRequest, episode_id, plan_episode
    from ..run.render import estimated_seconds, remember_script

    if not script_path.parent.is_dir():
        raise fail(f"cannot write {script_path}: the folder {script_path.parent} does not exist; create it or pick another -o.")
    stdin_text = read_stdin(sys.stdin.buffer) if "-" in sources else None
    request = BriefingRequest(
        sources=tuple(sources), output_dir=library, day=parse_day(day), voice=voice, co_host=co_host,
        lexicons=tuple(lexicon or ()), minutes=minutes, voices_dir=voices_dir,
        ingest=ingest_options(stdin_text, SourceFlags(
            max_per_feed, since, cache_dir, no_cache, timeout_s, max_pages, max_articles, allow_private)),
        topics=Topics(include=tuple(include or ()), exclude=tuple(exclude or ())), retell=retell,
    )
    planned = plan_episode(request)
    write_script_file(planned.script, script_path)
    episode = episode_id(planned.script, planned.voices)
    if library.is_dir():
        remember_script(library, script_path, episode)
    for failure in planned.failures:
        warn(str(failure))
    record = {
        "script": str(script_path), "episode": episode, "stories": len(planned.script.stories),
        "left_out": [item.story.headline for item in planned.script.left_out],
        "estimated_s": estimated_seconds(planned.script, planned.voices), "target_s": round(minutes * 60, 1),
        "failures": [{"source": f.source, "reason": f.reason} for f in planned.failures],
    }
    if json_output:
        print(json.dumps(record, indent=2))
    else:
        print_plan(record, library)
    raise typer.Exit(ExitCode.PARTIAL if planned.failures else ExitCode.OK)


def print_plan(record: dict, library: Path) -> None:
    from ..printable import clock

    count, left = record["stories"], len(record["left_out"])
    err().print(f"[green]Wrote[/] {escape(record['script'])}: {count} {'story' if count == 1 else 'stories'}, "
                f"about {clock(record['estimated_s'])} (target {clock(record['target_s'])})"
                + (f", {left} left out" if left else ""), soft_wrap=True)
    err().print(f"Edit it, then make the episode: briefing render {escape(record['script'])} "
                f"-o {escape(str(library))}", soft_wrap=True)
