"""Synthesize each script segment to audio, with an on-disk cache and workers.

Each segment's audio is cached as a WAV file keyed by a hash of its text and
the voice's settings, so a re-run re-synthesizes only what changed.

Parallelism is processes x ONNX threads. Piper's model scales well over two
intra-op threads (1.7x on two cores) but each process holds its own ~0.5 GB of
model and buffers, so the default is one process per two cores, each with two
threads; many uncached segments are spread over those processes, longest
first. On a 2-core machine that is one process speaking in this one, which
measured within 5% of two single-thread processes at half the memory
(bench/speed.py). hibari's small model gains little from a second thread (its
time is in single-threaded G2P and vocoder code) and is cheap to load, so it
gets one process per core, one thread each: 184x real time against 122x for
one process with two threads on 23 minutes of speech, the same on 5 minutes
(bench/workers.py). This stage does not mix or encode.
"""
from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import signal
import wave
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Sequence

from .dynamics import even_out_pcm
from .files import write_atomic
from .models import Clip, Script, Voice
from .errors import SynthesisError, VoiceUnavailable
from .speech import OFFLINE_ENGINES, THREADS_PER_PROCESS, Engine, Speech, load_engine, speak_bounded, voice_problem
from .speech.lexicon import voice_lexicon

CACHE_FORMAT = 2
"""Bump when the cached audio would change for the same text and voice."""


@dataclass(frozen=True)
class SynthesisOptions:
    cache_dir: Path
    workers: int | None = None
    """Synthesis processes; None means one per two cores for Piper, one per core for hibari."""
    parallel_min_segments: int = 6
    """Fewer uncached segments than this are spoken in this process (no start-up cost)."""


def engine_text(voice: Voice, text: str) -> str:
    """A segment's normalized text as the engine reads it: the voice's lexicon applied."""
    return voice_lexicon(voice).apply(text, voice.engine)


def cache_key(voice: Voice, text: str) -> str:
    """Hash of the engine's text and the voice's settings. The lexicon is left out of
    the settings: its effect is in the text, so a changed entry re-speaks only the
    segments that hold its word."""
    settings = tuple(pair for pair in voice.settings if pair[0] != "lexicon")
    identity = {"format": CACHE_FORMAT, "engine": voice.engine, "settings": settings, "text": text}
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()


def cache_path(cache_dir: Path, voice: Voice, text: str) -> Path:
    key = cache_key(voice, text)
    return cache_dir / key[:2] / f"{key}.wav"


def speak_to_cache(engine: Engine, text: str, path: Path) -> None:
    """Speak (a long text in pieces, so memory stays bounded), even out the level and
    peaks (see dynamics.py), and cache as WAV."""
    speech = speak_bounded(engine, text)
    write_wav(path, Speech(even_out_pcm(speech.pcm, speech.sample_rate_hz), speech.sample_rate_hz))


def write_wav(path: Path, speech: Speech) -> None:
    """Write atomically, so a killed run never leaves a truncated cache entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(speech.sample_rate_hz)
        out.writeframes(speech.pcm)
    write_atomic(path, buffer.getvalue())


def wav_duration_ms(path: Path) -> int:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() * 1000 // wav.getframerate()


_worker_engine: Engine | None = None


def plan_workers(requested: int | None, cores: int, threads_per_process: int = 2) -> tuple[int, int]:
    """(processes, ONNX threads per process) for `cores` cores; `threads_per_process`
    is what the engine's model makes good use of (speech.THREADS_PER_PROCESS)."""
    processes = requested or max(1, cores // threads_per_process)
    return processes, max(1, cores // processes)


def _start_worker(voice: Voice, threads: int) -> None:
    global _worker_engine
    # Ctrl-C is the parent's to handle: it cancels the pool; workers must not
    # treat it as one task's error and carry on with the next.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_engine = load_engine(voice, threads=threads)


def _speak_in_worker(text: str, path: str) -> None:
    assert _worker_engine is not None
    speak_to_cache(_worker_engine, text, Path(path))


@dataclass(frozen=True)
class SpeechJob:
    """One segment's speech: the voice, the text the engine reads, and its cache file."""

    voice: Voice
    text: str
    path: Path


def speech_jobs(script: Script, voices: Voice | Sequence[Voice], cache_dir: Path) -> list[SpeechJob]:
    """One job per segment, in script order, cached or not. Each segment is spoken by
    the voice its `speaker` names (the first of `voices` for "")."""
    cast = (voices,) if isinstance(voices, Voice) else tuple(voices)
    by_name = {voice.name: voice for voice in cast}
    jobs = []
    for segment in script.segments:
        voice = by_name.get(segment.speaker, cast[0])
        text = engine_text(voice, segment.text)
        jobs.append(SpeechJob(voice, text, cache_path(cache_dir, voice, text)))
    return jobs


def speak_jobs(
    jobs: Sequence[SpeechJob],
    options: SynthesisOptions,
    *,
    engine: Engine | None = None,
    on_done: Callable[[SpeechJob], None] | None = None,
) -> set[Path]:
    """Speak every job whose cache file is missing, each distinct one once, voice by voice
    (in worker processes when there are many); return the cache files made. Several
    episodes' jobs may be given together, so they share one pool and one cache.
    `on_done(job)` is called for every job as its file is ready (cached ones at once)."""
    todo: dict[Path, SpeechJob] = {}
    for job in jobs:
        if not job.path.exists():
            todo.setdefault(job.path, job)
    waiting: dict[Path, list[SpeechJob]] = {}
    for job in jobs:
        if job.path in todo:
            waiting.setdefault(job.path, []).append(job)
        elif on_done:
            on_done(job)

    def finished(path: Path) -> None:
        for job in waiting.get(path, ()):
            if on_done:
                on_done(job)

    voices = list(dict.fromkeys(job.voice for job in todo.values()))
    for voice in voices:
        own = {path: job.text for path, job in todo.items() if job.voice == voice}
        _speak_all(own, voice, options, engine, finished)
    return set(todo)


def synthesize(
    script: Script,
    voices: Voice | Sequence[Voice],
    options: SynthesisOptions,
    *,
    engine: Engine | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[Clip]:
    """One Clip per segment, in script order.

    Each segment is spoken by the voice its `speaker` names (the first of `voices`
    for ""). `engine`, if given, is an already-loaded engine used in this process
    for every voice (tests pass a fake or a session-wide one). `on_progress(done,
    total)` is called as segments finish.
    """
    jobs = speech_jobs(script, voices, options.cache_dir)
    progress = _Progress(len(jobs), 0, on_progress)
    made = speak_jobs(jobs, options, engine=engine, on_done=lambda job: progress.add(1))
    return [
        Clip(segment=segment, path=str(job.path), duration_ms=wav_duration_ms(job.path), cached=job.path not in made)
        for segment, job in zip(script.segments, jobs)
    ]


class _Progress:
    def __init__(self, total: int, done: int, report: Callable[[int, int], None] | None):
        self.total, self.done, self.report = total, done, report
        self.add(0)

    def add(self, count: int) -> None:
        self.done += count
        if self.report:
            self.report(self.done, self.total)


def _speak_all(todo: dict[Path, str], voice: Voice, options: SynthesisOptions, engine: Engine | None,
               finished: Callable[[Path], None]) -> None:
    """Speak every (cache path, text) of one voice: in worker processes when there are
    many, else in this process."""
    processes, threads = plan_workers(options.workers, os.cpu_count() or 1,
                                      THREADS_PER_PROCESS.get(voice.engine, 2))
    if (engine is None and voice.engine in OFFLINE_ENGINES and processes > 1
            and len(todo) >= options.parallel_min_segments):
        _synthesize_parallel(todo, voice, processes, threads, finished)
        return
    speaker = engine or load_engine(voice, threads=threads)
    for path, text in todo.items():
        speak_to_cache(speaker, text, path)
        finished(path)


def _synthesize_parallel(
    todo: dict[Path, str], voice: Voice, workers: int, threads: int, finished: Callable[[Path], None]
) -> None:
    problem = voice_problem(voice)
    if problem:
        raise VoiceUnavailable(problem)  # here, as one line, not as a broken pool
    # Longest first, so no worker is left with a long segment at the end.
    jobs: Sequence[tuple[Path, str]] = sorted(todo.items(), key=lambda item: -len(item[1]))
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)), mp_context=context, initializer=_start_worker, initargs=(voice, threads)
    )
    try:
        futures = {pool.submit(_speak_in_worker, text, str(path)): path for path, text in jobs}
        for future in as_completed(futures):
            future.result()
            finished(futures[future])
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        raise SynthesisError("A speech worker process died (out of memory?); try again with --workers 1.") from None
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()

