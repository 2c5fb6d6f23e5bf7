"""A command line run again with nothing changed is answered before Typer loads.

Typer and the Pydantic it builds each option with take about 0.15 s to start,
most of a repeated run (run/record.py). The last run of `generate` kept its command
line in its record; the same command line, here, today, with the key and the
library's stamp still holding, gets that run's result, printed the same way.
Only the record's place is guessed from the command line (-o/--output); the
record itself must name the very same command line, so a wrong guess only
means a full run.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

_invoked: list[str] | None = None


def invoked_argv() -> list[str] | None:
    """The command line `main` ran, or None when a command was called otherwise (tests)."""
    return _invoked


def replay(argv: Sequence[str]) -> int | None:
    """Answer a repeated `generate` from the last run's record: its exit code, or None
    (after noting the command line for the run's own record) to run it in full."""
    global _invoked
    _invoked = list(argv)
    if not argv or argv[0] != "generate":
        return None
    started = time.perf_counter()
    from ..run.record import replayed_result

    found = replayed_result(output_folder(argv[1:]), argv)
    if found is None:
        return None
    from .report import report_unchanged

    result, json_output = found
    return report_unchanged(result, json_output, time.perf_counter() - started)


def output_folder(args: Sequence[str]) -> Path:
    """Where -o/--output points, as click reads it (the last one wins), else the default."""
    folder = "output"
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg in ("-o", "--output") and i + 1 < len(args):
            folder = args[i + 1]
        elif arg.startswith("--output="):
            folder = arg.split("=", 1)[1]
        elif arg.startswith("-o") and not arg.startswith("--") and len(arg) > 2:
            folder = arg[2:]
    return Path(folder)
