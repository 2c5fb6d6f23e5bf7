"""What every bench script shares: the checkout it measures, the BBC dev set, and `--quick`.

A script runs as `.venv/bin/python bench/NAME.py`, so Python puts bench/ on the path and
`from _common import ...` finds this file; importing it puts the checkout first on the path,
so a script measures this checkout's `briefing` even where another copy is installed.

Every script has `parser()`, which builds its arguments without doing any work, and
`main(argv)`. `--quick` runs a script at its smallest size (seconds, a minute at most), and
`EXTRA` in each script names the optional dependencies it needs beyond the package's own
(None, "ray" or "bench"); .ci/bench-smoke reads both.
"""
from __future__ import annotations

import argparse
import compileall
import os
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
"""The checkout the scripts measure."""
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEV_SET = ROOT / "tests" / "fixtures" / "bbc-dev"
"""The BBC dev set (50 articles, 10 per topic, each with a reference summary; its README says
how it is laid out and scored). ../shared/eval/bbc-dev holds the same files."""

SAMPLE = ROOT.parent / "shared" / "samples" / "putin-india-visit.txt"
"""The shared sample: a real scraped article, with the noise scraping leaves."""


def like_a_user() -> None:
    """Time commands as a user's install runs them, from compiled bytecode: pip compiles a
    package as it installs it, but a machine may set PYTHONDONTWRITEBYTECODE (this one does),
    and then every run of the checkout compiles its 110 modules again (0.06-0.1 s). The
    package is compiled once here, into its own __pycache__ (git-ignored), and the commands
    the script starts inherit an environment that lets Python keep what it compiles."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False
    compileall.compile_dir(ROOT / "briefing", quiet=1)


def dev_article_paths(corpus: Path = DEV_SET) -> list[Path]:
    """The article files (`article/<topic>/<id>.txt`, headline on the first line), sorted by
    path, so every run reads them in the same order."""
    paths = sorted((corpus / "article").glob("*/*.txt"))
    if not paths:
        raise SystemExit(f"No dev articles in {corpus / 'article'}: expected <topic>/<id>.txt files there.")
    return paths


class BenchParser(argparse.ArgumentParser):
    """A script's arguments, with `--quick`: the script's own options for its smallest size,
    added after the ones given (so they win), for a run of seconds that CI can afford."""

    def __init__(self, description: str, quick: Sequence[str], **kwargs) -> None:
        super().__init__(description=description, **kwargs)
        self.quick = tuple(quick)
        self.add_argument("--quick", action="store_true",
                          help=f"smallest size, seconds to run (what CI runs): the same as {' '.join(self.quick)}")

    def parse_args(self, args=None, namespace=None):
        given = sys.argv[1:] if args is None else list(args)
        parsed = super().parse_args(given, namespace)
        return super().parse_args([*given, *self.quick], namespace) if parsed.quick else parsed
