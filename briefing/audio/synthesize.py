"""Synthesize each script segment to audio, with an on-disk cache and workers.

Each segment's audio is cached as a WAV file keyed by a hash of its text and
the voice's settings, so a re-run re-synthesizes only what changed.

Parallelism is processes x threads. Piper's model scales over two cores but
each process holds its own ~0.5 GB of model and buffers, so the default is one
process per two cores; in this process (a 2-core machine), two threads speak at
once through one copy of the model, each call on one ONNX thread, which made
8-30% more speech per second than one call with two intra-op threads (the more,
the busier the machine). hibari's small model gains little from a second thread
(its time is in single-threaded G2P and vocoder code, which holds the GIL) and is
cheap to load, so it gets one process per core, one thread each: 184x real time
against 122x for one process with two threads on 23 minutes of speech, the same
on 5 minutes (bench/workers.py).

Segments are handed out in script order, and `on_done` tells the caller as each
is ready, so the episode is encoded while it is being spoken. Each cached WAV
carries the segment's loudness measurements (dynamics.Levels), so the mix never
has to be measured, and the time of each word it speaks (speech/timing.py), so the
transcript's words are timed without asking the engine again. This stage does not mix or encode.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import struct
import wave
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import SynthesisError, VoiceUnavailable
from ..files import write_atomic
from ..models import Clip, Script, TimedWord, Voice
from ..speech import OFFLINE_ENGINES, THREADS_PER_PROCESS, Engine, Speech, load_engine, speak_bounded, voice_problem
from ..speech.lexicon import voice_lexicon
from .dynamics import Levels, block_power, level_pcm, true_peak

CACHE_FORMAT = 5
"""Bump when the cached audio would change for the same text and voice (3: levelled to one
K-weighted loudness, with its block powers in the file; 4: its peak is the true peak; 5: with
each word's time in the file)."""


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
    peaks (see dynamics.py), and cache as WAV with the levels the mix needs."""
    speech = speak_bounded(engine, text)
    pcm, levels = level_pcm(speech.pcm, speech.sample_rate_hz)
    write_wav(path, Speech(pcm, speech.sample_rate_hz, speech.words), levels)


LEVELS_CHUNK = b"blvl"
"""Our RIFF chunk after the audio: the segment's sample peak and 100 ms block powers
(dynamics.Levels) as little-endian float64. WAV readers skip chunks they do not know."""
WORDS_CHUNK = b"bwrd"
"""Our RIFF chunk of the speech's timed words: UTF-8 JSON, [[word, start_s, end_s], ...]."""


def write_wav(path: Path, speech: Speech, levels: Levels | None = None) -> None:
    """16-bit mono WAV, with `levels` and the speech's words in chunks of their own if
    given; written atomically, so a killed run never leaves a truncated cache entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rate = speech.sample_rate_hz
    chunks = [b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, 2 * rate, 2, 16),
              b"data" + struct.pack("<I", len(speech.pcm)) + speech.pcm + b"\0" * (len(speech.pcm) % 2)]
    if levels is not None:
        payload = struct.pack("<d", levels.peak) + levels.block_power.astype("<f8").tobytes()
        chunks.append(LEVELS_CHUNK + struct.pack("<I", len(payload)) + payload)
    if speech.words:
        payload = json.dumps([[w.text, w.start_s, w.end_s] for w in speech.words], ensure_ascii=False).encode()
        chunks.append(WORDS_CHUNK + struct.pack("<I", len(payload)) + payload + b"\0" * (len(payload) % 2))
    body = b"WAVE" + b"".join(chunks)
    write_atomic(path, b"RIFF" + struct.pack("<I", len(body)) + body)


def read_wav(path: Path) -> tuple[Speech, Levels]:
    """A cached segment's audio and levels (measured now if the file has none)."""
    data = Path(path).read_bytes()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise SynthesisError(f"{path} is not a WAV file; delete it and run again.")
    chunks: dict[bytes, bytes] = {}
    position = 12
    while position + 8 <= len(data):
        name, size = data[position:position + 4], struct.unpack_from("<I", data, position + 4)[0]
        chunks.setdefault(name, data[position + 8:position + 8 + size])
        position += 8 + size + size % 2
    fmt, pcm = chunks.get(b"fmt ", b""), chunks.get(b"data")
    encoding, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", fmt) if len(fmt) >= 16 else (0,) * 6
    if pcm is None or (encoding, channels, bits) != (1, 1, 16):
        raise SynthesisError(f"{path} is not 16-bit mono PCM; delete it and run again.")
    speech = Speech(pcm[: len(pcm) // 2 * 2], rate, _words(chunks.get(WORDS_CHUNK, b"")))
    stored = chunks.get(LEVELS_CHUNK)
    if stored is not None and len(stored) >= 8 and len(stored) % 8 == 0:
        power = np.frombuffer(stored, dtype="<f8", offset=8).astype(np.float64)
        return speech, Levels(power, struct.unpack_from("<d", stored)[0])
    audio = np.frombuffer(speech.pcm, dtype="<i2").astype(np.float32) / np.float32(32768.0)
    return speech, Levels(block_power(audio, rate), true_peak(audio))


def _words(stored: bytes) -> tuple[TimedWord, ...]:
    """The timed words of a WORDS_CHUNK; none if it is missing or unreadable (then estimated)."""
    try:
        return tuple(TimedWord(str(text), float(start), float(end))
                     for text, start, end in json.loads(stored.rstrip(b"\0").decode()))
    except (ValueError, TypeError):
        return ()


def wav_duration_ms(path: Path) -> int:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() * 1000 // wav.getframerate()


_worker_engine: Engine | None = None


def plan_workers(requested: int | None, cores: int, threads_per_process: int = 2) -> tuple[int, int]:
    """(processes, threads per process) for `cores` cores; `threads_per_process` is what
    the engine's model makes good use of (speech.THREADS_PER_PROCESS). A worker process
    gives its threads to ONNX; this process, if it is the only one, speaks with that
    many threads at once, one ONNX thread each."""
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
    if engine is None and voice.engine in OFFLINE_ENGINES and threads > 1 and len(todo) > 1:
        _synthesize_threads(todo, load_engine(voice, threads=1), threads, finished)
        return
    speaker = engine or load_engine(voice, threads=threads)
    for path, text in todo.items():
        speak_to_cache(speaker, text, path)
        finished(path)


def _synthesize_threads(todo: dict[Path, str], engine: Engine, threads: int,
                        finished: Callable[[Path], None]) -> None:
    """Speak with `threads` threads over one engine whose model runs one ONNX thread per
    call: two Piper calls at once on two cores made 8-30% more speech per second than one
    call with two intra-op threads (which wait on each other, the more so when the cores
    are shared), with one copy of the model. Piper locks its phonemizer itself; ONNX
    Runtime sessions may run from several threads. Jobs go out in script order;
    `finished` is called in this thread."""
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="briefing-speak") as pool:
        futures = {pool.submit(speak_to_cache, engine, text, path): path for path, text in todo.items()}
        try:
            for future in as_completed(futures):
                future.result()
                finished(futures[future])
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _synthesize_parallel(
    todo: dict[Path, str], voice: Voice, workers: int, threads: int, finished: Callable[[Path], None]
) -> None:
    """Speak with `workers` speakers: this process and `workers` - 1 worker processes.

    This process would only wait otherwise, and speaking here saves starting one more
    interpreter and model (about 0.8 s of a core, 250 MB for hibari); it loads its
    engine while the workers start. Jobs go out in script order (the episode's encoder
    takes segments in that order, mix.Assembly), two at a time to each worker so
    it never waits for the next, one at a time near the end so the speakers finish
    together; `finished` is called in this thread.
    """
    problem = voice_problem(voice)
    if problem:
        raise VoiceUnavailable(problem)  # here, as one line, not as a broken pool
    waiting = deque(todo.items())
    helpers = workers - 1
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=helpers, mp_context=context, initializer=_start_worker,
                               initargs=(voice, threads))
    running: dict[Future[None], Path] = {}

    def hand_out() -> None:
        while waiting and len(running) < (2 if len(waiting) > 2 * workers else 1) * helpers:
            path, text = waiting.popleft()
            running[pool.submit(_speak_in_worker, text, str(path))] = path

    def collect(block: bool) -> None:
        done, _ = wait(running, timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            future.result()
            finished(running.pop(future))
        hand_out()

    try:
        hand_out()
        engine = load_engine(voice, threads=threads)
        while waiting or running:
            collect(block=False)
            if waiting:
                path, text = waiting.popleft()
                speak_to_cache(engine, text, path)
                finished(path)
            elif running:
                collect(block=True)
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        raise SynthesisError("A speech worker process died (out of memory?); try again with --workers 1.") from None
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()

