"""The command line: one module per command, the shared options, one error path.

Commands only turn flags into library calls and print; all behaviour lives in
the library. Each command imports the library when it runs, so `briefing
--help` does not load NLTK, numpy or a voice.
"""
from __future__ import annotations

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


def main() -> None:
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        err().print("[red]interrupted[/]; nothing half-written was left behind.")
        sys.exit(ExitCode.INTERRUPTED)


__all__ = ["ExitCode", "app", "main"]
