"""Many shows at once: this machine's runner against Ray on this machine, for 1, 4 and 16 shows.

    .venv/bin/python bench/scale.py [--shows 1,4,16] [--minutes 3] [--articles 5] [--voice heart]
                                    [--repeats 1] [--warm] [--ways local,ray] [--quick]

Show i is made from --articles BBC dev articles in a fixed order (topics
interleaved), starting at article i*(articles-1), so neighbouring shows share
one article (wire copy), and all share the day's sign-off; past the last
article the list wraps around. For each count, each way runs into fresh libraries and an empty
segment cache: `local` is run.shows.run_shows (plan every show, one synthesis
pool, then assemble each), `ray` is run.cluster.run_on_ray on a Ray instance
started once beforehand with every core (its start-up is printed apart).
With --warm, each way runs once more into fresh libraries with the cache it
filled: every segment is then a cache hit.

Columns: wall seconds; segments of all episodes (a segment in two shows counts
twice); distinct segments synthesized; cache hits (every other use of a
segment); segments/s = segments of finished episodes per wall second; synth/s
= distinct segments synthesized per second of the synthesis phase. Best wall
time of --repeats. The machine is shared, so figures are noisy: compare within
one run.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from _common import BenchParser, dev_article_paths

from briefing.audio.cache import SegmentCache
from briefing.audio.mix import AssemblyOptions
from briefing.run.pipeline import BriefingRequest
from briefing.run.shows import RunStats, run_shows

EXTRA = "ray"
DAY = date(2026, 11, 26)


def dev_articles() -> list[str]:
    """The dev articles, topics interleaved (business 1, entertainment 1, ...) so each show mixes topics."""
    columns: dict[str, list[Path]] = {}
    for path in dev_article_paths():
        columns.setdefault(path.parent.name, []).append(path)
    return [str(p) for row in zip(*columns.values()) for p in row]


def show_requests(count: int, root: Path, minutes: float, voice: str, per_show: int) -> list[BriefingRequest]:
    articles = dev_articles()
    step = max(1, per_show - 1)
    return [BriefingRequest(sources=tuple(articles[(i * step + j) % len(articles)] for j in range(per_show)),
                            output_dir=root / f"show{i:02d}", day=DAY, voice=voice, minutes=minutes,
                            assembly=AssemblyOptions())
            for i in range(count)]


Way = Callable[[Sequence[BriefingRequest], SegmentCache], tuple[list, RunStats]]


def measure(way: Way, count: int, args: argparse.Namespace) -> list[tuple[float, RunStats]]:
    """[(best wall seconds, stats) cold] and, with `warm`, the same with the cache filled."""
    best: list[tuple[float, RunStats]] = []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as work:
            cache = SegmentCache(str(Path(work) / "segments"))
            rows = []
            for run in ("cold", "warm")[: 2 if args.warm else 1]:
                requests = show_requests(count, Path(work) / run, args.minutes, args.voice, args.articles)
                started = time.perf_counter()
                outcomes, stats = way(requests, cache)
                wall = time.perf_counter() - started
                failed = [o.failure.message for o in outcomes if o.failure]
                if failed:
                    raise SystemExit(f"{len(failed)} shows failed: {failed[0]}")
                rows.append((wall, stats))
            best = rows if not best else [min(a, b, key=lambda r: r[0]) for a, b in zip(best, rows)]
    return best


def parser() -> BenchParser:
    parser = BenchParser(__doc__.splitlines()[0],
                         quick=["--shows", "2", "--articles", "2", "--minutes", "0.5", "--ways", "local", "--warm"])
    parser.add_argument("--shows", default="1,4,16", help="comma-separated show counts")
    parser.add_argument("--minutes", type=float, default=3.0, help="target length of each show")
    parser.add_argument("--articles", type=int, default=5, help="articles per show")
    parser.add_argument("--voice", default="heart")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--warm", action="store_true", help="also run again with the cache filled")
    parser.add_argument("--ways", default="local,ray", help="local, ray or both")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    counts = [int(n) for n in args.shows.split(",")]
    ways: dict[str, Way] = {}
    if "local" in args.ways:
        ways["local"] = lambda requests, cache: run_shows(requests, cache)
    ray_started = None
    if "ray" in args.ways:
        from briefing.run.cluster import ray_session, run_on_ray

        started = time.perf_counter()
        session = ray_session("local", num_cpus=os.cpu_count())
        session.__enter__()
        ray_started = time.perf_counter() - started
        ways["ray"] = lambda requests, cache: run_on_ray(requests, cache)

    print(f"| {'shows':>5} | {'way':<5} | {'cache':<5} | {'wall s':>6} | {'segments':>8} | {'synthesized':>11} "
          f"| {'cache hits':>10} | {'segments/s':>10} | {'synth/s':>7} |")
    print(f"|{'-' * 7}|{'-' * 7}|{'-' * 7}|{'-' * 8}|{'-' * 10}|{'-' * 13}|{'-' * 12}|{'-' * 12}|{'-' * 9}|")
    try:
        for count in counts:
            for name, way in ways.items():
                for run, (wall, stats) in zip(("cold", "warm"), measure(way, count, args)):
                    segments = stats.segments or stats.distinct
                    synth_rate = stats.synthesized / stats.synthesis_s if stats.synthesis_s else 0.0
                    print(f"| {count:>5} | {name:<5} | {run:<5} | {wall:>6.1f} | {segments:>8} | "
                          f"{stats.synthesized:>11} | {stats.cache_hits:>10} | {segments / wall:>10.1f} | "
                          f"{synth_rate:>7.1f} |", flush=True)
    finally:
        if ray_started is not None:
            session.__exit__(None, None, None)
    if ray_started is not None:
        print(f"(Ray start-up on this machine, not in the table: {ray_started:.1f} s)")
    print(f"({os.cpu_count()} cores, voice {args.voice}, {args.minutes:g} minutes and {args.articles} articles "
          f"a show, best of {args.repeats})")


if __name__ == "__main__":
    main()
