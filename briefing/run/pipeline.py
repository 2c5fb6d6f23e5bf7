"""The whole pipeline, stage by stage: sources in, an episode folder out.

ingest/ (sources -> articles) -> plan/ (group, rank, topics and memory, then
allocate and write the script) -> audio/ (synthesize, mix and encode) ->
publish/ (feed, page), then the library's memory records what the episode told.
Each stage is its own package; this module only passes their outputs along,
times them, and reports progress through a callback.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..audio.mix import Assembly, AssemblyOptions
from ..audio.music import check_music, music_identity
from ..audio.synthesize import CACHE_FORMAT, SpeechJob, SynthesisOptions, speak_jobs, speech_jobs
from ..episodes import (
    LEXICON,
    MANIFEST,
    episodes_dir,
    library_lock,
    read_episode,
    record_inputs,
    remove_stale_work,
    stored_audio_key,
)
from ..errors import BriefingError, NothingToSay
from ..ingest.options import IngestOptions
from ..models import (
    CapNote,
    Channel,
    Episode,
    IngestResult,
    InputFailure,
    LeftOutStory,
    Presenter,
    RankedStory,
    Script,
    SkippedStory,
    Voice,
)
from ..plan.draft import draft_story, plan_script
from ..plan.memory import Memory, MemoryFileError, load_memory, save_memory
from ..plan.topics import Topics, apply_topics
from ..printable import clock
from ..speech import Engine, number_setting
from ..speech.lexicon import voice_lexicon
from ..voices import DEFAULT_VOICE, find_voice, with_pace
from .record import library_state

Progress = Callable[[str, int, int], None]
"""on_progress(stage, done, total): stages are ingest, summarize, synthesize, encode, publish."""


@dataclass(frozen=True)
class BriefingRequest:
    sources: tuple[str, ...]
    output_dir: Path
    day: date
    voice: str = DEFAULT_VOICE
    lexicons: tuple[Path, ...] = ()
    """The user's pronunciation lexicons, on top of the shipped one; later files win."""
    minutes: float | None = 5.0
    ingest: IngestOptions = IngestOptions()
    assembly: AssemblyOptions = AssemblyOptions()
    workers: int | None = None
    voices_dir: Path | None = None
    cache_dir: Path | None = None
    """Segment cache; defaults to <output>/.cache/segments."""
    publish: bool = True
    base_url: str | None = None
    keep: int | None = None
    channel: Channel = Channel()
    """The podcast's title, author and so on, for the feed, the page and the generated cover."""
    cover: Path | None = None
    """A square PNG or JPEG to publish as the cover instead of one drawn from the title."""
    co_host: str | None = None
    """A second presenter's voice: the two take turns by story, as in radio news."""
    pace: float | None = None
    """How fast every presenter reads (voices.PACE_RANGE); None: as each profile says. The
    script is planned at the voices' natural pace, so a faster pace makes a shorter episode."""
    topics: Topics = Topics()
    retell: bool = False
    """Tell stories an earlier episode of the library told (memory.py); they are still remembered."""


@dataclass(frozen=True)
class BriefingResult:
    episode: Episode
    failures: tuple[InputFailure, ...]
    left_out: tuple[str, ...]
    segments_total: int
    segments_synthesized: int
    stage_seconds: dict[str, float] = field(default_factory=dict)
    skipped: tuple[SkippedStory, ...] = ()
    """Stories left out on purpose: excluded topics, told in an earlier episode."""
    notes: tuple[CapNote, ...] = ()
    """What a safety cap cut (not failures: they leave the exit code alone)."""
    library_state: list[list[Any]] = field(default_factory=list)
    """The library as this run left it (record.library_state), taken under its lock."""

    @property
    def manifest_path(self) -> Path:
        return Path(self.episode.folder) / MANIFEST


def episode_id(script: Script, voices: Sequence[Voice]) -> str:
    """Date plus a hash of what is said and by whom: same inputs, same id."""
    digest = hashlib.sha256("\0".join(v.name for v in voices).encode())
    for segment in script.segments:
        digest.update(b"\0" + segment.text.encode())
    return f"{script.date.isoformat()}-{digest.hexdigest()[:6]}"


ASSEMBLY_FORMAT = 3
"""Bump when assembly would make different files from the same script (sting, encoder, clips,
transcripts): 2, transcript.txt holds the spoken words only; 3, transcript.json and the Alexa rendition."""


def audio_key(script: Script, voices: Sequence[Voice], options: AssemblyOptions) -> str:
    """Everything the finished episode depends on: the script (every segment's spoken
    and written text, speaker and pause, every story's metadata), the voices and their
    settings, the segment cache format, the assembly options and the show's music (its
    files by their bytes). An episode on disk made with the same key is reused: neither
    synthesized nor encoded again."""
    identity: tuple[object, ...] = (ASSEMBLY_FORMAT, CACHE_FORMAT, tuple(voices), options, script)
    if options.sound.files():
        identity += (music_identity(options.sound),)
    return hashlib.sha256(repr(identity).encode()).hexdigest()


def music_dir(request: BriefingRequest) -> Path:
    """Where the show's music is kept prepared: <output>/.cache/music."""
    return request.output_dir / ".cache" / "music"


class Stopwatch:
    """Seconds per stage, for `generate --json` and bench/speed.py."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._clock = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._clock, 3)
        self._clock = now


def no_progress(stage: str, done: int, total: int) -> None:
    """The Progress callback of a caller that shows none."""
    return None


@dataclass(frozen=True)
class PlannedEpisode:
    """An episode planned but not yet spoken: its script, its voices and what was left out.

    The phases of build_briefing (plan_episode, make_episode, publish_episode) are
    public so that a runner of many shows can plan them all, speak their segments
    together (one pool, one cache), then assemble and publish each."""

    request: BriefingRequest
    voices: tuple[Voice, ...]
    script: Script
    failures: tuple[InputFailure, ...]
    left_out: tuple[str, ...]
    skipped: tuple[SkippedStory, ...]
    notes: tuple[CapNote, ...]
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def cache_dir(self) -> Path:
        """The segment cache; <output>/.cache/segments unless the request names one."""
        return self.request.cache_dir or self.request.output_dir / ".cache" / "segments"


def build_briefing(
    request: BriefingRequest, *, engine: Engine | None = None, on_progress: Progress | None = None
) -> BriefingResult:
    """Make one episode from the request's sources; raise NothingToSay if none is usable.

    `engine`, if given, is an already-loaded engine to speak with (tests pass a fake or a
    session-wide one); otherwise the voice's engine is loaded as needed.
    """
    planned = plan_episode(request, on_progress=on_progress)
    made = make_episode(planned, engine=engine, on_progress=on_progress)
    return publish_episode(planned, made, on_progress=on_progress)


@dataclass(frozen=True)
class MadeEpisode:
    episode: Episode
    segments_synthesized: int
    stage_seconds: dict[str, float] = field(default_factory=dict)


def plan_episode(request: BriefingRequest, *, on_progress: Progress | None = None) -> PlannedEpisode:
    """Ingest, group, rank and write the script, remembering what earlier episodes told."""
    if request.cover is not None and request.publish:
        from ..publish.cover import cover_file_name

        cover_file_name(request.cover)  # a bad cover is refused before any work, not after the episode
    checking = _check_music(request)  # so is a bad music file, before any speech
    try:
        report = on_progress or no_progress
        watch = Stopwatch()
        remove_stale_work(request.output_dir)
        voices = cast_voices(request)
        memory, memory_failures = _load_memory(request.output_dir)
        ingested = _ingest(request, report)
        watch.lap("ingest")
        recall = Memory() if request.retell else memory.before(request.day)
        script, failures, left_out, skipped = _plan(request, ingested, voices, report, recall)
        watch.lap("summarize")
    finally:
        if checking is not None:
            checking.result()  # its MusicError (a usage error) comes first
    return PlannedEpisode(request=request, voices=voices, script=script,
                          failures=(*memory_failures, *failures), left_out=tuple(left_out),
                          skipped=tuple(skipped), notes=ingested.notes, stage_seconds=watch.seconds)


def _check_music(request: BriefingRequest) -> Future[None] | None:
    """The show's music checked (and prepared) in a thread beside ingest and planning: it is
    mostly ffmpeg decoding, which would otherwise add its time to every cold run."""
    if not request.assembly.sound.files():
        return None
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-music")
    checking = pool.submit(check_music, request.assembly.sound, music_dir(request))
    pool.shutdown(wait=False)
    return checking


def make_episode(
    planned: PlannedEpisode, *, engine: Engine | None = None, on_progress: Progress | None = None
) -> MadeEpisode:
    """Speak the script (what the segment cache lacks) and assemble the episode folder."""
    watch = Stopwatch()
    episode, synthesized = _make_episode(planned, engine, on_progress or no_progress, watch)
    return MadeEpisode(episode, synthesized, watch.seconds)


def publish_episode(
    planned: PlannedEpisode, made: MadeEpisode, *, on_progress: Progress | None = None
) -> BriefingResult:
    """Remember what the episode told, then rewrite the library's feed and page.

    Memory is read afresh and written under the library's lock, so overlapping
    runs into one library (cron) never lose each other's episodes from it. The
    library's state is taken under the same lock, before another run can change it."""
    report = on_progress or no_progress
    watch = Stopwatch()
    request = planned.request
    notes = list(planned.notes)
    with library_lock(request.output_dir):
        memory, _ = _load_memory(request.output_dir)
        save_memory(request.output_dir, memory.remember(made.episode.id, request.day, planned.script.stories))
        if request.publish:
            from ..publish.update import publish_library

            report("publish", 0, 1)
            published = publish_library(request.output_dir, base_url=request.base_url, keep=request.keep,
                                        channel=request.channel, cover=request.cover)
            if made.episode.id in published.alexa_by_story:
                notes.append(CapNote("alexa.json", f"the episode runs {clock(made.episode.duration_s)}, longer than "
                                     "the 10 minutes Alexa plays of one item, so its stories are listed one by one"))
            report("publish", 1, 1)
            watch.lap("publish")
        state = library_state(request.output_dir)
    return BriefingResult(
        episode=made.episode,
        failures=planned.failures,
        left_out=planned.left_out,
        segments_total=len(planned.script.segments),
        segments_synthesized=made.segments_synthesized,
        stage_seconds={**planned.stage_seconds, **made.stage_seconds, **watch.seconds},
        notes=tuple(notes),
        skipped=planned.skipped,
        library_state=state,
    )


def library_lexicons(output_dir: Path, lexicons: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The library's own lexicon (OUTPUT/lexicon.toml, where the studio adds words), if it has
    one, then `lexicons`: later files win."""
    own = Path(output_dir) / LEXICON
    return (own, *lexicons) if own.is_file() else tuple(lexicons)


def cast_voices(request: BriefingRequest) -> tuple[Voice, ...]:
    """The presenters' voices, in order: the voice, and the co-host's if there is one."""
    lexicons = library_lexicons(request.output_dir, request.lexicons)
    voice = with_pace(find_voice(request.voice, request.voices_dir, lexicons=lexicons), request.pace)
    if not request.co_host:
        return (voice,)
    co_host = with_pace(find_voice(request.co_host, request.voices_dir, lexicons=lexicons), request.pace)
    if co_host.name == voice.name:
        raise BriefingError(f"The co-host {request.co_host!r} is the same voice as the presenter; "
                            "choose another voice for --co-host (see `briefing voices`).")
    if co_host.presenter_name == voice.presenter_name:
        raise BriefingError(f"Voices {voice.name!r} and {co_host.name!r} are both called "
                            f"{voice.presenter_name!r}; give one profile another presenter name.")
    return voice, co_host


def _load_memory(output_dir: Path) -> tuple[Memory, list[InputFailure]]:
    """The library's memory; an unreadable file is reported and the run goes on without it."""
    try:
        return load_memory(output_dir), []
    except MemoryFileError as error:
        return Memory(), [InputFailure(str(error.path), error.reason)]


def _ingest(request: BriefingRequest, report: Progress) -> IngestResult:
    from ..ingest import ingest  # here, not at the top: render and the studio never fetch anything

    report("ingest", 0, len(request.sources))
    ingested = ingest(request.sources, request.ingest)
    report("ingest", len(request.sources), len(request.sources))
    if not ingested.articles:
        raise NothingToSay("No usable article remained, so no episode was made; fix the inputs named above.",
                           ingested.failures)
    return ingested


def _plan(
    request: BriefingRequest, ingested: IngestResult, voices: Sequence[Voice], report: Progress, memory: Memory
) -> tuple[Script, list[InputFailure], list[str], list[SkippedStory]]:
    """The script, the failed inputs, the stories left out for time, and those left out on purpose
    (excluded topics, and stories `memory` says were told before with nothing new)."""
    report("summarize", 0, len(ingested.articles))
    # Presenters take turns, so the script is planned at their mean speaking rate.
    chars_per_second = sum(number_setting(v, "chars_per_second", 15.0) for v in voices) / len(voices)
    keep = frozenset().union(*(voice_lexicon(v).words for v in voices))
    hosts = tuple(Presenter(v.name, v.presenter_name) for v in voices)
    skipped: list[SkippedStory] = []
    dropped: dict[str, RankedStory] = {}

    def edit_stories(stories: list[RankedStory]) -> list[RankedStory]:
        dropped.update((s.headline, s) for s in stories)
        stories, excluded = apply_topics(stories, request.topics)
        stories, told = memory.recall(stories)
        skipped.extend([*excluded, *told])
        return stories

    try:
        script, rank_failures, left_out = plan_script(ingested.articles, request.day, request.minutes,
                                                      chars_per_second, edit_stories=edit_stories,
                                                      keep=keep, hosts=hosts)
    except NothingToSay as error:
        if skipped:
            raise NothingToSay(_nothing_new(skipped), (*ingested.failures, *error.failures,
                                                       *(_as_failure(s) for s in skipped))) from None
        raise NothingToSay(str(error), (*ingested.failures, *error.failures)) from None
    report("summarize", len(ingested.articles), len(ingested.articles))
    drafts = [LeftOutStory(story, "told" if s.told_in else "topic", s.topic, s.told_in) for s in skipped
              if s.headline in dropped
              if (story := draft_story(dropped[s.headline], request.day, chars_per_second, keep)) is not None]
    script = replace(script, left_out=(*script.left_out, *drafts))
    return script, [*ingested.failures, *rank_failures], left_out, skipped


def _nothing_new(skipped: Sequence[SkippedStory]) -> str:
    told = sum(1 for s in skipped if s.told_in)
    excluded = len(skipped) - told
    parts = []
    if told:
        parts.append(f"{told} {'story was' if told == 1 else 'stories were'} told in an earlier episode")
    if excluded:
        parts.append(f"{excluded} {'story is' if excluded == 1 else 'stories are'} on an excluded topic")
    hint = "; --retell tells them again" if told else ""
    return f"Nothing new to tell: {' and '.join(parts)}, so no episode was made{hint}."


def _as_failure(story: SkippedStory) -> InputFailure:
    if story.told_in:
        return InputFailure(story.headline, f"told in episode {story.told_in.episode} with nothing new since")
    return InputFailure(story.headline, f"on the excluded topic {story.topic!r}")


def _make_episode(
    planned: PlannedEpisode, engine: Engine | None, report: Progress, watch: Stopwatch
) -> tuple[Episode, int]:
    """The episode folder for the planned script, and how many segments had to be synthesized.

    An episode already on disk with the same audio key is reused as it is. Otherwise
    the episode is assembled and encoded while its segments are spoken: each one
    goes to the encoder as soon as it and all before it are ready (audio/mix.Assembly),
    so little is left to do once the last one is.
    """
    request, script, voices = planned.request, planned.script, planned.voices
    identity = episode_id(script, voices)
    key = audio_key(script, voices, request.assembly)
    folder = episodes_dir(request.output_dir) / identity
    if stored_audio_key(folder) == key:
        report("synthesize", len(script.segments), len(script.segments))
        watch.lap("synthesize")
        record_inputs(folder, planned.failures, planned.left_out, planned.skipped)
        report("encode", 1, 1)
        watch.lap("encode")
        return read_episode(folder), 0
    jobs = speech_jobs(script, voices, planned.cache_dir)
    with Assembly(script, [job.path for job in jobs], voices[0], identity, episodes_dir(request.output_dir),
                  request.assembly, failures=planned.failures, left_out=planned.left_out,
                  audio_key=key, music_dir=music_dir(request)) as assembly:
        spoken = 0

        def done(job: SpeechJob) -> None:
            nonlocal spoken
            spoken += 1
            report("synthesize", spoken, len(jobs))
            assembly.ready(job.path)

        report("synthesize", 0, len(jobs))
        made = speak_jobs(jobs, SynthesisOptions(cache_dir=planned.cache_dir, workers=request.workers),
                          engine=engine, on_done=done)
        watch.lap("synthesize")
        report("encode", 0, 1)
        episode = assembly.finish()
    if planned.skipped:
        record_inputs(folder, planned.failures, planned.left_out, planned.skipped)
        episode = replace(episode, skipped=planned.skipped)
    report("encode", 1, 1)
    watch.lap("encode")
    return episode, sum(1 for job in jobs if job.path in made)
