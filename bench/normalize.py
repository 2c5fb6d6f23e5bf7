"""How fast `briefing normalize -` reads 10,000 lines of news, whole process included.

    .venv/bin/python bench/normalize.py [--lines N] [--runs N] [--quick]

The lines are the dev articles' own lines (tests/fixtures/bbc-dev/article/*/*.txt,
headlines and sentences, blank lines dropped), repeated in order until there are
N of them; each run starts a fresh `briefing normalize -` process, feeds it the
lines on standard input and waits for every output line. The figure the task
names is the best wall time of the runs; the machine is shared, so the median, the
CPU time the process used, and the start-up cost of `briefing normalize x` are
printed beside it. Budget: 2 s.
"""
from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from _common import BenchParser, dev_article_paths

EXTRA = None
BUDGET_S = 2.0


def news_lines(count: int) -> list[str]:
    """`count` realistic lines: the dev articles' lines, in order, repeated as needed."""
    source = [line.strip() for path in dev_article_paths()
              for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [source[i % len(source)] for i in range(count)]


def command() -> list[str]:
    script = shutil.which("briefing", path=str(Path(sys.executable).parent))
    return [script, "normalize"] if script else [sys.executable, "-m", "briefing", "normalize"]


def timed_run(args: list[str], stdin: str) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system) of the child, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def parser() -> BenchParser:
    parser = BenchParser(__doc__.splitlines()[0], quick=["--lines", "500", "--runs", "1"])
    parser.add_argument("--lines", type=int, default=10_000, help="how many lines to normalize per run")
    parser.add_argument("--runs", type=int, default=5, help="how many fresh processes to time")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    options = parser().parse_args(argv)

    lines = news_lines(options.lines)
    stdin = "\n".join(lines) + "\n"
    startup = min(timed_run([*command(), "x"], "")[0] for _ in range(options.runs))
    times, cpu_times = [], []
    for _ in range(options.runs):
        seconds, cpu, stdout = timed_run([*command(), "-"], stdin)
        produced = stdout.count("\n")
        if produced != len(lines):
            raise SystemExit(f"expected {len(lines)} output lines, got {produced}")
        times.append(seconds)
        cpu_times.append(cpu)
    best, median = min(times), statistics.median(times)
    print("| lines  | runs | best s | median s | best CPU s | start-up s | lines/s (best) | budget s | within |")
    print("|--------|------|--------|----------|------------|------------|----------------|----------|--------|")
    print(f"| {len(lines):6d} | {options.runs:4d} | {best:6.2f} | {median:8.2f} | {min(cpu_times):10.2f} | "
          f"{startup:10.2f} | {len(lines) / best:14.0f} | {BUDGET_S:8.1f} | {'yes' if best < BUDGET_S else 'NO':6s} |")


if __name__ == "__main__":
    main()
