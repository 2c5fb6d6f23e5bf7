"""The Typer app: every command, with its help and exit codes."""
from __future__ import annotations

import typer

from .console import EXIT_CODES_HELP, RENDER_EXIT_CODES_HELP, reported
from .extract import extract
from .generate import generate
from .init import init
from .normalize import normalize
from .plan import plan
from .render import render
from .run import RUN_EXIT_CODES_HELP, run
from .say import say
from .serve import serve
from .studio import studio
from .summarize import summarize
from .voices import voices

app = typer.Typer(
    help="Turn news articles into a podcast-style spoken news briefing, offline.\n\n" + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_EPILOGS = {generate: EXIT_CODES_HELP, run: RUN_EXIT_CODES_HELP, render: RENDER_EXIT_CODES_HELP}
for command in (generate, plan, render, run, init, voices, summarize, extract, serve, studio, normalize, say):
    app.command(command.__name__, epilog=_EPILOGS.get(command))(reported(command))
