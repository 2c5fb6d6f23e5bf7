"""How long `briefing --help` takes to start, next to importing Typer alone.

    .venv/bin/python bench/startup.py [--runs 15] [--quick]

Each command runs in a fresh process; the table shows the best and the median of
--runs runs. The bar (issue 9): `briefing --help` within 3x `python -c "import typer"`.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from _common import BenchParser, like_a_user

EXTRA = None
VENV_BIN = Path(sys.executable).parent


def timed(command: list[str], runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        seconds.append(time.perf_counter() - started)
    return seconds


def parser() -> BenchParser:
    parser = BenchParser(__doc__.split("\n\n")[0], quick=["--runs", "1"])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    like_a_user()
    commands = {
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
        "briefing --help": [str(VENV_BIN / "briefing"), "--help"],
        "briefing generate --help": [str(VENV_BIN / "briefing"), "generate", "--help"],
    }
    results = {name: timed(command, args.runs) for name, command in commands.items()}
    base = min(results['python -c "import typer"'])
    print("| command | best s | median s | best / import typer |\n|---|---|---|---|")
    for name, seconds in results.items():
        print(f"| `{name}` | {min(seconds):.3f} | {statistics.median(seconds):.3f} | {min(seconds) / base:.2f} |")


if __name__ == "__main__":
    main()
