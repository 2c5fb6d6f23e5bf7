"""Many shows on a Ray cluster: the steps of shows.py as Ray tasks.

Each show is planned (ingest, ranking, script) in one task and assembled and
published in another, both on the machine that started the run, since they
read and write the show's library there. Synthesis is the work that grows, so
each distinct segment the cache lacks is its own small task ("speak KEY") that
Ray places on any node; a worker process loads a voice once and keeps it for
the next segments. A show's assembly task waits for its segments' tasks, so
shows finish as soon as their own segments are spoken. Ray retries a
synthesis task whose worker died; entries are written atomically under their
content key (audio/cache.py), so a retried or doubled task leaves one whole entry.
The episodes are the files shows.run_shows makes.

`--ray local` starts Ray on this machine to try it: on loopback only, without
usage reporting, with its dashboard (and state API) on 127.0.0.1.

Ray is an optional extra (`pip install 'briefing[ray]'`); nothing here imports
it until a run asks for it.
"""
from __future__ import annotations

import functools
import importlib.util
import logging
import os
import socket
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..audio.cache import SegmentCache
from ..audio.synthesize import speak_to_cache
from ..errors import BriefingError
from ..models import Voice
from ..publish.hosts import is_loopback
from ..speech import THREADS_PER_PROCESS, Engine, load_engine
from .pipeline import BriefingRequest, BriefingResult, PlannedEpisode, Progress
from .shows import (
    RunStats,
    ShowFailure,
    ShowOutcome,
    ShowReport,
    as_failure,
    episode_jobs,
    finish_show,
    plan_show,
    synthesized_here,
    with_cache,
)

SPEAK_RETRIES = 3
"""Times Ray runs a synthesis task again after its worker process died (killed, out of memory)."""
SHOW_RETRIES = 1
"""The same for a show's planning and assembly tasks; both are safe to run again."""
KILL_SWITCH = "BRIEFING_TEST_KILL_WORKER_FILE"
"""For the retry test: a synthesis task that finds the file this variable names deletes it
and kills its own worker process, once."""
LOOPBACK = "127.0.0.1"


class ClusterError(BriefingError):
    """Ray is missing or cannot be reached: nothing was made."""


class RayMissing(ClusterError):
    """--ray without Ray installed: a usage error (2), said before any work."""

    exit_code = 2


def require_ray() -> None:
    """Raise RayMissing unless Ray can be imported (without importing it: that is slow)."""
    if importlib.util.find_spec("ray") is None:
        raise RayMissing("--ray needs Ray, which is not installed; install it with `pip install 'briefing[ray]'`.")


@contextmanager
def ray_session(address: str, *, num_cpus: int | None = None) -> Iterator[None]:
    """Connected to Ray at `address` for the block: "local" starts Ray on this machine (with
    `num_cpus`, default all cores), anything else is what `ray.init(address=...)` takes ("auto",
    "HOST:6379", "ray://HOST:10001"). A session already open (the caller's ray.init) is used
    as it is and left open."""
    require_ray()
    host = _host(address)
    if address == "local" or host == "localhost" or (host is not None and is_loopback(host)):
        _loopback_only()
    if host is not None:
        _check_reachable(address, host)
    import ray

    if ray.is_initialized():
        yield
        return
    if address == "local":
        start_local_ray(num_cpus)
    else:
        try:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise ClusterError(_unreachable(address, str(error))) from None
    try:
        yield
    finally:
        ray.shutdown()


def start_local_ray(num_cpus: int | None = None) -> None:
    """Start Ray on this machine, every address on loopback, dashboard on 127.0.0.1."""
    _loopback_only()
    import ray

    ray.init(num_cpus=num_cpus or os.cpu_count() or 1, _node_ip_address=LOOPBACK, include_dashboard=None,
             dashboard_host=LOOPBACK, object_store_memory=256 * 1024 * 1024, log_to_driver=False,
             logging_level=logging.WARNING)
    node_ip = ray.util.get_node_ip_address()
    if node_ip != LOOPBACK:
        ray.shutdown()
        raise ClusterError(f"Ray started on {node_ip}, not on loopback; start Python with "
                           "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 set to keep local Ray on loopback.")


def _loopback_only() -> None:
    """Keep Ray on this machine: no usage reporting, and loopback addresses kept as they are
    (Ray otherwise swaps 127.0.0.1 for the machine's network address). Ray reads the second
    when it is imported; if it was imported already, its constant is set too (start_local_ray
    checks the outcome)."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # Ray's switch for "one machine, on loopback"
    constants: Any = sys.modules.get("ray._private.ray_constants")
    if constants is not None:
        constants.ENABLE_RAY_CLUSTER = False


def _host(address: str) -> str | None:
    """The host of HOST:PORT or ray://HOST:PORT; None for "local", "auto" and other forms Ray resolves itself."""
    host, _, port = address.split("://", 1)[-1].rpartition(":")
    return host.strip("[]") if host and port.isdigit() else None


def _check_reachable(address: str, host: str, timeout_s: float = 5.0) -> None:
    """Fail in seconds, not minutes, when nothing listens at the address (Ray's own client keeps retrying)."""
    port = int(address.rpartition(":")[2])
    try:
        socket.create_connection((host, port), timeout=timeout_s).close()
    except OSError as error:
        raise ClusterError(_unreachable(address, error.strerror or str(error))) from None


def _unreachable(address: str, reason: str) -> str:
    return (f"--ray {address}: cannot connect to a Ray cluster there ({reason}); start its head with "
            "`ray start --head`, or give --ray local to try Ray on this machine.")


@dataclass(frozen=True)
class Spoken:
    """What one synthesis task did: whether it spoke (or found the entry made meanwhile),
    and whether its worker had to load the voice first."""

    name: str
    made: bool
    loaded_voice: bool


@functools.lru_cache(maxsize=2)
def _engine(voice: Voice) -> Engine:
    """The voice's engine, loaded once per worker process (Ray reuses workers across tasks)."""
    return load_engine(voice, threads=_cpus(voice))


def _cpus(voice: Voice) -> int:
    return THREADS_PER_PROCESS.get(voice.engine, 1)


def speak_segment(voice: Voice, text: str, cache: SegmentCache, name: str) -> Spoken:
    """A Ray task: speak `text` into the cache entry `name`, unless it is there already."""
    _kill_switch()
    if cache.has(name):
        return Spoken(name, made=False, loaded_voice=False)
    loads = _engine.cache_info().misses
    engine = _engine(voice)
    loaded = _engine.cache_info().misses > loads
    if not cache.is_url:
        speak_to_cache(engine, text, cache.folder / name)
        return Spoken(name, made=True, loaded_voice=loaded)
    with tempfile.TemporaryDirectory(prefix="briefing-segment-") as scratch:
        local = Path(scratch) / "segment.wav"
        speak_to_cache(engine, text, local)
        cache.upload(local, name)
    return Spoken(name, made=True, loaded_voice=loaded)


def _kill_switch() -> None:
    marker = os.environ.get(KILL_SWITCH)
    if not marker:
        return
    try:
        os.unlink(marker)  # only one task can remove it
    except FileNotFoundError:
        return
    os._exit(1)


def finish_on_node(planned: PlannedEpisode, cache: SegmentCache, names: Sequence[str],
                   *spoken: Spoken) -> BriefingResult | ShowFailure:
    """A Ray task: assemble and publish the show, once its segments' tasks (`spoken`) are done.
    Segments of a URL cache are fetched into a local folder first."""
    if not cache.is_url:
        return finish_show(with_cache(planned, cache.folder))
    with tempfile.TemporaryDirectory(prefix="briefing-segments-") as scratch:
        cache.fetch(names, Path(scratch))
        return finish_show(with_cache(planned, Path(scratch)))


def run_on_ray(
    requests: Sequence[BriefingRequest],
    cache: SegmentCache,
    *,
    on_progress: Progress | None = None,
    on_show: ShowReport | None = None,
) -> tuple[list[ShowOutcome], RunStats]:
    """Make every request's episode with Ray tasks (in a session opened by ray_session);
    the same outcomes, in the same order, as shows.run_shows.

    Progress stages: ingest (shows planned), synthesize (segments spoken of those
    submitted so far), encode and publish (shows)."""
    import ray

    run = _RayRun(ray, requests, cache, on_progress, on_show)
    while run.plans or run.speaking or run.finishing:
        waiting = [*run.plans, *run.speaking, *run.finishing]
        ready, _ = ray.wait(waiting, num_returns=len(waiting), timeout=0.2)
        for ref in ready:
            if ref in run.plans:
                run.planned(ref)
            elif ref in run.speaking:
                run.spoke(ref)
            else:
                run.finished(ref)
    return [run.outcomes[index] for index in range(len(requests))], run.stats()


class _RayRun:
    """The driver's side of run_on_ray: which tasks are out, and what came back."""

    def __init__(self, ray: Any, requests: Sequence[BriefingRequest], cache: SegmentCache,
                 on_progress: Progress | None, on_show: ShowReport | None):
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        self.ray, self.requests, self.cache, self.on_show = ray, requests, cache, on_show
        self.report = on_progress or (lambda stage, done, total: None)
        self.started = time.perf_counter()
        here = NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(), soft=False)
        self.show_task: dict[str, Any] = {"scheduling_strategy": here, "max_retries": SHOW_RETRIES, "num_cpus": 1}
        # A voice's task asks for the cores its engine uses, but never more than a node has (or it would never run).
        self.node_cpus = max((node["Resources"].get("CPU", 1) for node in ray.nodes() if node["Alive"]), default=1)
        self.speak, self.finish = ray.remote(speak_segment), ray.remote(finish_on_node)
        self.outcomes: dict[int, ShowOutcome] = {}
        self.entries: dict[str, Any] = {}
        """Every segment a planned show needs, by entry name: its synthesis task, or None if cached."""
        self.speaking: set[Any] = set()
        self.finishing: dict[Any, tuple[int, list[Path]]] = {}
        self.spoken: list[Spoken] = []
        self.segments = self.shows_planned = self.shows_finished = 0
        self.speech_started = self.speech_ended = 0.0
        plan = ray.remote(plan_show)
        self.plans = {plan.options(name=f"plan {_label(r)}", **self.show_task).remote(r): i
                      for i, r in enumerate(requests)}
        self.report("ingest", 0, len(requests))

    def planned(self, ref: Any) -> None:
        """A show is planned: send its uncached segments to be spoken, and its assembly to wait for them."""
        index = self.plans.pop(ref)
        planned = _value(self.ray, ref)
        self.report("ingest", len(self.requests) - len(self.plans), len(self.requests))
        if not isinstance(planned, PlannedEpisode):
            self.settle(index, None, planned)
            return
        self.shows_planned += 1
        jobs = episode_jobs(planned, Path())  # relative paths: the entries' names
        self.segments += len(jobs)
        for job in jobs:
            name = str(job.path)
            if name in self.entries:
                continue
            self.entries[name] = None if self.cache.has(name) else self.speak.options(
                name=f"speak {job.path.stem[:12]}", max_retries=SPEAK_RETRIES,
                num_cpus=min(_cpus(job.voice), self.node_cpus),
            ).remote(job.voice, job.text, self.cache, name)
            if self.entries[name] is not None:
                self.speech_started = self.speech_started or time.perf_counter()
                self.speaking.add(self.entries[name])
        self.report("synthesize", len(self.spoken), len(self.speaking) + len(self.spoken))
        names = list(dict.fromkeys(str(job.path) for job in jobs))
        waits = [self.entries[name] for name in names if self.entries[name] is not None]
        task = self.finish.options(name=f"assemble {_label(planned.request)}", **self.show_task)
        self.finishing[task.remote(planned, self.cache, names, *waits)] = (index, [job.path for job in jobs])

    def spoke(self, ref: Any) -> None:
        self.speaking.discard(ref)
        self.speech_ended = time.perf_counter()
        result = _value(self.ray, ref)
        # A segment that failed for good fails the shows that need it, through their assembly task.
        self.spoken.append(result if isinstance(result, Spoken) else Spoken("", made=False, loaded_voice=False))
        self.report("synthesize", len(self.spoken), len(self.speaking) + len(self.spoken))

    def finished(self, ref: Any) -> None:
        index, paths = self.finishing.pop(ref)
        result = _value(self.ray, ref)
        if isinstance(result, ShowFailure):
            self.settle(index, None, result)
        else:
            made = {Path(s.name) for s in self.spoken if s.made}
            self.settle(index, synthesized_here(result, paths, made), None)
        self.shows_finished += 1
        self.report("encode", self.shows_finished, self.shows_planned)
        self.report("publish", self.shows_finished, self.shows_planned)

    def settle(self, index: int, result: BriefingResult | None, failure: ShowFailure | None) -> None:
        self.outcomes[index] = ShowOutcome(result, failure, round(time.perf_counter() - self.started, 3))
        if self.on_show:
            self.on_show(index, self.outcomes[index])

    def stats(self) -> RunStats:
        return RunStats(shows=len(self.requests), segments=self.segments, distinct=len(self.entries),
                        synthesized=sum(1 for s in self.spoken if s.made),
                        synthesis_s=round(self.speech_ended - self.speech_started, 3) if self.speech_started else 0.0,
                        voice_loads=sum(1 for s in self.spoken if s.loaded_voice))


def _value(ray: Any, ref: Any) -> Any:
    """A task's result; a task that failed for good (its worker died every time, or a
    segment it waited for failed) becomes the show's failure."""
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as error:
        return as_failure(error.cause if isinstance(error.cause, BaseException) else error)
    except ray.exceptions.RayError as error:
        return ShowFailure(f"a Ray task failed for good: {error}", 1)


def _label(request: BriefingRequest) -> str:
    return request.output_dir.name
