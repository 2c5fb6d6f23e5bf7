"""Render a script, as planned or as an editor left it, into a published episode.

`generate` is `plan` then `render` with nothing edited: both speak and assemble
through pipeline.make_episode and publish through pipeline.publish_episode, so
the same script gives the same MP3 bytes either way. Every line is normalized
again here, with the lexicons of the voices the script names (the shipped one,
the library's own `lexicon.toml`, then the user's), so what an editor typed is
read exactly as a generated line would be. Segments are cached by their text and
voice (audio/synthesize.py), so rendering again after changing one line speaks
that line only.

An edited script says something else, so it is a new episode (a new id: apps that
fetched the old one see a new item). The previous render of the same script file
is retired from the library when the new one is published, so re-rendering after
edits replaces the episode instead of piling up versions in the feed. `plan`
records the episode its script would make, so rendering an edit of a plan also
replaces the episode `generate` made from the same sources. The record is
`.cache/scripts.json` in the library (script file -> episode id); without it
nothing is retired.

This module does not ingest, rank or plan: a script in hand is all it needs.
"""
from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from ..audio.mix import AssemblyOptions
from ..audio.music import check_music
from ..episodes import BadEpisode, delete_episode, episodes_dir, library_lock, read_episode
from ..files import write_json_atomic
from ..models import Channel, Script, SkippedStory, Voice
from ..speech import Engine
from ..speech.lexicon import voice_lexicon
from ..speech.normalize import normalize_for_speech
from ..voices import find_voice, with_pace
from .pipeline import (
    BriefingRequest,
    BriefingResult,
    PlannedEpisode,
    Progress,
    Stopwatch,
    library_lexicons,
    make_episode,
    publish_episode,
)

SCRIPTS_RECORD = Path(".cache") / "scripts.json"
"""Inside the library: which episode each script file last made (hidden, never served)."""


@dataclass(frozen=True)
class RenderRequest:
    """Where and how to make and publish a script's episode (the script says what and who)."""

    output_dir: Path
    lexicons: tuple[Path, ...] = ()
    """The user's pronunciation lexicons, on top of the shipped one and the library's; later files win."""
    assembly: AssemblyOptions = AssemblyOptions()
    workers: int | None = None
    voices_dir: Path | None = None
    cache_dir: Path | None = None
    publish: bool = True
    base_url: str | None = None
    keep: int | None = None
    channel: Channel = Channel()
    cover: Path | None = None
    script_path: Path | None = None
    """The file the script was read from: its previous render is retired when this one is published."""
    pace: float | None = None
    """How fast every presenter reads (None: as each voice's profile says)."""


def script_voices(script: Script, request: RenderRequest) -> tuple[Voice, ...]:
    """The voices of the script's presenters, in order, with their lexicons attached."""
    lexicons = library_lexicons(request.output_dir, request.lexicons)
    return tuple(with_pace(find_voice(host.voice, request.voices_dir, lexicons=lexicons), request.pace)
                 for host in script.hosts)


def renormalized(script: Script, keep: Collection[str]) -> Script:
    """The script with every line normalized again from its written form: what an editor typed is
    read as a generated line would be."""
    segments = tuple(replace(s, text=normalize_for_speech(s.display, keep=keep)) for s in script.segments)
    return replace(script, segments=segments)


def plan_for(script: Script, request: RenderRequest, voices: tuple[Voice, ...] | None = None) -> PlannedEpisode:
    """The script as a planned episode, ready to speak: voices cast, lines normalized again."""
    voices = voices or script_voices(script, request)
    keep = frozenset().union(*(voice_lexicon(v).words for v in voices))
    left_out = tuple(item.story.headline for item in script.left_out if item.reason in ("time", "editor"))
    skipped = tuple(SkippedStory(item.story.headline, topic=item.topic, told_in=item.told_in)
                    for item in script.left_out if item.reason in ("topic", "told"))
    return PlannedEpisode(request=_briefing_request(script, request), voices=voices,
                          script=renormalized(script, keep), failures=(), left_out=left_out, skipped=skipped, notes=())


def render_script(
    script: Script, request: RenderRequest, *, engine: Engine | None = None, on_progress: Progress | None = None
) -> BriefingResult:
    """Speak, assemble and publish `script` as it is; retire the previous render of its file."""
    watch = Stopwatch()
    if request.assembly.sound.files():  # a bad music file is refused before any speech
        check_music(request.assembly.sound, request.output_dir / ".cache" / "music")
    planned = plan_for(script, request)
    watch.lap("prepare")
    planned = replace(planned, stage_seconds=watch.seconds)
    made = make_episode(planned, engine=engine, on_progress=on_progress)
    with library_lock(request.output_dir):
        if request.script_path is not None:
            retire_previous(request.output_dir, request.script_path, made.episode.id)
        return publish_episode(planned, made, on_progress=on_progress)


def remember_script(output_dir: Path, script_path: Path, episode: str) -> None:
    """Note that `script_path` makes `episode` (plan: the episode its script would make)."""
    record = _read_record(output_dir)
    record[str(Path(script_path).resolve())] = episode
    (Path(output_dir) / SCRIPTS_RECORD).parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(Path(output_dir) / SCRIPTS_RECORD, record)


def retire_previous(output_dir: Path, script_path: Path, episode: str) -> str | None:
    """Delete the episode `script_path` made before, if it is another one, and forget what it told;
    record `episode` as the file's. Return the retired id."""
    from ..plan.memory import Memory, MemoryFileError, load_memory, save_memory

    previous = _read_record(output_dir).get(str(Path(script_path).resolve()))
    remember_script(output_dir, script_path, episode)
    if not previous or previous == episode:
        return None
    folder = episodes_dir(output_dir) / previous
    try:
        delete_episode(read_episode(folder))
    except BadEpisode:
        return None
    try:
        memory = load_memory(output_dir)
        save_memory(output_dir, Memory(tuple(s for s in memory.stories if s.episode != previous)))
    except MemoryFileError:
        pass  # publish_episode reports an unreadable memory
    return previous


def _read_record(output_dir: Path) -> dict[str, str]:
    try:
        record = json.loads((Path(output_dir) / SCRIPTS_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in record.items()} if isinstance(record, dict) else {}


def _briefing_request(script: Script, request: RenderRequest) -> BriefingRequest:
    hosts = script.hosts
    return BriefingRequest(
        sources=(), output_dir=request.output_dir, day=script.date, voice=hosts[0].voice if hosts else "heart",
        co_host=hosts[1].voice if len(hosts) > 1 else None, lexicons=request.lexicons,
        minutes=script.target_minutes, assembly=request.assembly, workers=request.workers,
        voices_dir=request.voices_dir, cache_dir=request.cache_dir, publish=request.publish,
        base_url=request.base_url, keep=request.keep, channel=request.channel, cover=request.cover,
    )


def estimated_seconds(script: Script, voices: tuple[Voice, ...]) -> float:
    """About how long the script will be once spoken (each line at its voice's pace, with its
    pause), to tell an editor before anything is synthesized."""
    from ..plan.script import estimate_ms
    from ..speech import number_setting

    pace = {voice.name: number_setting(voice, "chars_per_second", 15.0) for voice in voices}
    first = next(iter(pace.values()), 15.0)
    total_ms = sum(estimate_ms(s.display, pace.get(s.speaker, first)) + s.pause_after_ms for s in script.segments)
    return round(total_ms / 1000, 1)
