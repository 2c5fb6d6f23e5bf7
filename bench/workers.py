"""How should synthesis share the cores? Processes x ONNX threads, per offline voice.

    .venv/bin/python bench/workers.py [--voices heart,joe] [--articles 2] [--topics 5] [--repeats 3] [--quick]

Makes one script from the first N BBC dev articles of each of the first --topics
topics (3 sentences each, as `generate` without --minutes) and synthesizes every segment into an
empty cache with each plan: in this process with 1 and with 2 ONNX threads
(engine loaded beforehand, as a long run would amortize it), through
synthesize()'s worker pool with 2 processes x 1 thread (start-up included), and as
synthesize() chooses without --workers (THREADS_PER_PROCESS: heart 2 processes; joe one
process whose 2 threads share one model, each call on one ONNX thread; start-up included).
Prints wall seconds and speed (seconds of speech per second), best of
--repeats. On a shared machine the figures are noisy: compare within one run.
"""
from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from _common import BenchParser, dev_article_paths

from briefing.audio.synthesize import SynthesisOptions, synthesize
from briefing.ingest import IngestOptions, ingest
from briefing.plan.draft import plan_script
from briefing.speech import load_engine
from briefing.speech.lexicon import voice_lexicon
from briefing.voices import find_voice

EXTRA = None


def dev_sources(per_topic: int, topics: int) -> list[str]:
    paths = dev_article_paths()
    chosen = sorted({p.parent.name for p in paths})[:topics]
    return [str(p) for p in paths if int(p.stem) <= per_topic and p.parent.name in chosen]


def timed(script, voice, repeats: int, **plan) -> tuple[float, float]:
    """(best wall seconds, seconds of speech) over `repeats` runs into empty caches."""
    best, audio_s = float("inf"), 0.0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as cache:
            started = time.perf_counter()
            engine = plan.get("engine")
            options = SynthesisOptions(cache_dir=Path(cache), workers=plan.get("workers"), parallel_min_segments=1)
            clips = synthesize(script, voice, options, engine=engine)
            best = min(best, time.perf_counter() - started)
            audio_s = sum(c.duration_ms for c in clips) / 1000
    return best, audio_s


def parser() -> BenchParser:
    parser = BenchParser(__doc__.splitlines()[0],
                         quick=["--voices", "heart", "--articles", "1", "--topics", "1", "--repeats", "1"])
    parser.add_argument("--voices", default="heart,joe", help="comma-separated offline voices")
    parser.add_argument("--articles", type=int, default=2, help="dev articles per topic")
    parser.add_argument("--topics", type=int, default=5, help="how many of the 5 topics, in name order")
    parser.add_argument("--repeats", type=int, default=3)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    articles = ingest(dev_sources(args.articles, args.topics), IngestOptions()).articles
    print(f"| {'voice':<6} | {'plan':<34} | {'wall s':>6} | {'x real time':>11} |")
    print(f"|{'-' * 8}|{'-' * 36}|{'-' * 8}|{'-' * 13}|")
    for name in args.voices.split(","):
        voice = find_voice(name)
        script, _, _ = plan_script(articles, date(2026, 11, 24), None, float(voice.setting("chars_per_second")),
                                   keep=voice_lexicon(voice).words)
        plans = {
            "in this process, 1 thread": {"engine": load_engine(voice, threads=1)},
            "in this process, 2 threads": {"engine": load_engine(voice, threads=2)},
            "2 worker processes x 1 thread": {"workers": 2},
            "briefing's choice (no --workers)": {"workers": None},
        }
        for label, plan in plans.items():
            wall, audio = timed(script, voice, args.repeats, **plan)
            print(f"| {name:<6} | {label:<34} | {wall:>6.1f} | {audio / wall:>11.0f} |")
        print(f"({name}: {len(script.segments)} segments, {audio:.0f} s of speech)")


if __name__ == "__main__":
    main()
