"""The command line: one module per command, the shared options, one error path.

Commands only turn flags into library calls and print; all behaviour lives in
the library. Each command imports the library when it runs, so `briefing
--help` does not load NLTK, numpy or a voice.
"""
from __future__ import annotations

import os
import sys

import typer

from .console import EXIT_CODES_HELP, ExitCode, err, reported
from .extract import extract
from .generate import generate
from .init import init
from .normalize import normalize
from .run import RUN_EXIT_CODES_HELP, run
from .say import say
from .serve import serve
from .summarize import summarize
from .voices import voices

app = typer.Typer(
    help="Turn news articles into a podcast-style spoken news briefing, offline.\n\n" + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_EPILOGS = {generate: EXIT_CODES_HELP, run: RUN_EXIT_CODES_HELP}
for command in (generate, run, init, voices, summarize, extract, serve, normalize, say):
    app.command(command.__name__, epilog=_EPILOGS.get(command))(reported(command))


ONE_BLAS_THREAD = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
"""numpy's BLAS would start a thread per core for each small matrix product and spin
them while the voices speak on those cores: one thread each made a 10-minute briefing
1.5-2 s faster on 2 cores (bench/speed.py). briefing runs its own processes and threads."""


def main() -> None:
    for name in ONE_BLAS_THREAD:  # before numpy is loaded, here and in the speech workers
        os.environ.setdefault(name, "1")
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        err().print("[red]interrupted[/]; nothing half-written was left behind.")
        sys.exit(ExitCode.INTERRUPTED)


__all__ = ["ExitCode", "app", "main"]
