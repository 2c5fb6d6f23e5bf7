"""Many shows at once on this machine: plan each, speak all their segments together, then make and publish each.

A publisher's shows are due at the same hour and often say the same things
(wire copy, the day's greeting and sign-off), so the segments of every show
are spoken in one pool of workers into one cache, each distinct segment once
(synthesize.speak_jobs); assembly then finds every segment cached. A show that
fails (no usable input, a voice that cannot speak, a bug) gets its failure in
its outcome and never stops the others. cluster.py runs the same steps as Ray
tasks; both make the same episodes. This module prints nothing: the CLI does.
"""
from __future__ import annotations

import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from ..audio.cache import SegmentCache
from ..audio.synthesize import SpeechJob, SynthesisOptions, speak_jobs, speech_jobs
from ..episodes import episodes_dir, stored_audio_key
from ..errors import BriefingError, NothingToSay
from ..models import InputFailure, Voice
from ..speech import Engine
from .pipeline import (
    BriefingRequest,
    BriefingResult,
    PlannedEpisode,
    Progress,
    audio_key,
    episode_id,
    make_episode,
    no_progress,
    plan_episode,
    publish_episode,
)


@dataclass(frozen=True)
class ShowFailure:
    """Why a show made no episode: one line, the exit code it stands for, the inputs
    that failed on the way, and the traceback of an unexpected error (a bug)."""

    message: str
    exit_code: int
    failures: tuple[InputFailure, ...] = ()
    trace: str | None = None


@dataclass(frozen=True)
class ShowOutcome:
    """One show's part of a run: its result or its failure, and the seconds from the
    run's start until it was published or failed."""

    result: BriefingResult | None
    failure: ShowFailure | None
    seconds: float


@dataclass(frozen=True)
class RunStats:
    """What synthesis did for the whole run."""

    shows: int
    segments: int
    """Segments of every planned show, a segment said by two shows counted twice."""
    distinct: int
    """Distinct segments (cache entries) the shows need."""
    synthesized: int
    """Distinct segments spoken in this run; every other use of a segment was a cache hit."""
    synthesis_s: float
    voice_loads: int = 0
    """Voices loaded by workers (Ray only: each worker loads a voice once)."""

    @property
    def cache_hits(self) -> int:
        return self.segments - self.synthesized


ShowReport = Callable[[int, ShowOutcome], None]
"""on_show(index, outcome): called once per show, as soon as its outcome is final."""


def as_failure(error: BaseException) -> ShowFailure:
    """A show's exception as its failure; anything but our own errors is a bug and keeps its traceback."""
    if isinstance(error, NothingToSay):
        return ShowFailure(str(error), 1, tuple(error.failures))
    if isinstance(error, BriefingError):
        return ShowFailure(str(error), int(getattr(error, "exit_code", 1)))
    if isinstance(error, OSError):
        return ShowFailure(f"cannot write {error.filename or 'a file'} ({error.strerror}); "
                           "check the output folder and free disk space.", 1)
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return ShowFailure(f"unexpected {type(error).__name__}: {error}", 1, trace=trace)


def plan_show(request: BriefingRequest) -> PlannedEpisode | ShowFailure:
    """Ingest, rank and write the show's script (pipeline.plan_episode), or its failure."""
    try:
        return plan_episode(request)
    except Exception as error:
        return as_failure(error)


def finish_show(planned: PlannedEpisode, *, engine: Engine | None = None) -> BriefingResult | ShowFailure:
    """Assemble the episode (its segments are cached by now; any missing one is spoken
    here) and publish the library, or the show's failure."""
    try:
        return publish_episode(planned, make_episode(planned, engine=engine))
    except Exception as error:
        return as_failure(error)


def with_cache(planned: PlannedEpisode, folder: Path) -> PlannedEpisode:
    """The planned episode reading its segments from `folder` (the cache's location
    changes no byte of the episode: pipeline.audio_key leaves it out)."""
    return replace(planned, request=replace(planned.request, cache_dir=folder))


def episode_jobs(planned: PlannedEpisode, folder: Path) -> list[SpeechJob]:
    """The segments the show's episode needs from the cache in `folder`; none if the
    same episode is already in its library (make_episode reuses it as it is)."""
    request = planned.request
    made = episodes_dir(request.output_dir) / episode_id(planned.script, planned.voices)
    if stored_audio_key(made) == audio_key(planned.script, planned.voices, request.assembly):
        return []
    return speech_jobs(planned.script, planned.voices, folder)


def run_shows(
    requests: Sequence[BriefingRequest],
    cache: SegmentCache,
    *,
    engine: Engine | None = None,
    on_progress: Progress | None = None,
    on_show: ShowReport | None = None,
) -> tuple[list[ShowOutcome], RunStats]:
    """Make every request's episode on this machine, sharing one pool of synthesis workers
    and the segment cache; outcomes are in the order of `requests`.

    `engine`, if given, speaks every segment in this process (tests pass a fake).
    Progress stages: ingest (shows planned), synthesize (segments), encode and
    publish (shows)."""
    report = on_progress or no_progress
    started = time.perf_counter()
    outcomes: dict[int, ShowOutcome] = {}

    def settle(index: int, result: BriefingResult | None, failure: ShowFailure | None) -> None:
        outcomes[index] = ShowOutcome(result, failure, round(time.perf_counter() - started, 3))
        if on_show:
            on_show(index, outcomes[index])

    with ExitStack() as stack:
        # A URL cache is worked through a local folder: hits are fetched into it, made segments uploaded.
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="briefing-segments-"))) \
            if cache.is_url else cache.folder
        planned: dict[int, PlannedEpisode] = {}
        report("ingest", 0, len(requests))
        for index, request in enumerate(requests):
            plan = plan_show(request)
            if isinstance(plan, ShowFailure):
                settle(index, None, plan)
            else:
                planned[index] = with_cache(plan, folder)
            report("ingest", index + 1, len(requests))

        jobs = {index: episode_jobs(plan, folder) for index, plan in planned.items()}
        every_job = [job for show in jobs.values() for job in show]
        if cache.is_url:
            cache.fetch({str(job.path.relative_to(folder)) for job in every_job}, folder)
        synthesis_started = time.perf_counter()
        made, voice_failures = _speak_by_voice(every_job, folder, requests, engine, report)
        stats = RunStats(shows=len(requests), segments=len(every_job),
                         distinct=len({job.path for job in every_job}), synthesized=len(made),
                         synthesis_s=round(time.perf_counter() - synthesis_started, 3))
        if cache.is_url:
            for path in made:
                cache.upload(path, str(path.relative_to(folder)))

        report("encode", 0, len(planned))
        for done, (index, plan) in enumerate(planned.items(), start=1):
            failed = next((voice_failures[v] for v in plan.voices if v in voice_failures), None)
            if failed:
                settle(index, None, failed)
            else:
                finished = finish_show(plan, engine=engine)
                if isinstance(finished, ShowFailure):
                    settle(index, None, finished)
                else:
                    settle(index, synthesized_here(finished, [job.path for job in jobs[index]], made), None)
            report("encode", done, len(planned))
            report("publish", done, len(planned))
    return [outcomes[index] for index in range(len(requests))], stats


def synthesized_here(result: BriefingResult, paths: Sequence[Path], made: set[Path]) -> BriefingResult:
    """The result counting as synthesized its segments (`paths`) spoken in this run, before
    assembly, which then found them all cached."""
    return replace(result, segments_synthesized=sum(1 for path in paths if path in made))


def _speak_by_voice(
    jobs: Sequence[SpeechJob], folder: Path, requests: Sequence[BriefingRequest], engine: Engine | None,
    report: Progress,
) -> tuple[set[Path], dict[Voice, ShowFailure]]:
    """Speak what the cache lacks, voice by voice, so a voice that cannot speak fails only
    the shows it presents. Returns the files made and each failed voice's failure."""
    workers = next((r.workers for r in requests if r.workers), None)
    options = SynthesisOptions(cache_dir=folder, workers=workers)
    made: set[Path] = set()
    failures: dict[Voice, ShowFailure] = {}
    done = 0

    def spoken(job: SpeechJob) -> None:
        nonlocal done
        done += 1
        report("synthesize", done, len(jobs))

    report("synthesize", 0, len(jobs))
    for voice in dict.fromkeys(job.voice for job in jobs):
        try:
            made |= speak_jobs([job for job in jobs if job.voice == voice], options, engine=engine, on_done=spoken)
        except BriefingError as error:
            failures[voice] = as_failure(error)
    return made, failures

