"""What every command shares on the terminal: exit codes, one-line errors, progress.

Human messages and progress go to stderr through rich; machine output (--json)
goes to stdout. Our exceptions become one red line and an exit code here, in
one place (`reported`), for every command.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from enum import IntEnum
from typing import Any, TypeVar

import typer

from ..errors import BriefingError, NothingToSay
from .terminal import err, error_line, escape, note, warn

__all__ = ["ExitCode", "err", "error_line", "escape", "fail", "note", "progress_display", "reported", "warn"]


class ExitCode(IntEnum):
    OK = 0
    """Every input was used."""
    NOTHING_MADE = 1
    """No usable input remained (or another error): nothing was made."""
    USAGE = 2
    """Bad command-line usage."""
    PARTIAL = 3
    """The episode was made, but some inputs failed."""
    INTERRUPTED = 130
    """Stopped with Ctrl-C; nothing half-written is left behind."""


EXIT_CODES_HELP = (
    "Exit codes: 0 every input was used; 3 the episode was made but some inputs failed; "
    "1 nothing usable remained, no episode; 2 usage error; 130 interrupted."
)

RENDER_EXIT_CODES_HELP = (
    "Exit codes: 0 the episode was made and published; 1 it could not be made (a voice that cannot speak, "
    "a folder that cannot be written); 2 usage error, or a script that cannot be used (one line per problem, "
    "with its line number); 130 interrupted."
)


def fail(message: str, code: ExitCode = ExitCode.NOTHING_MADE) -> typer.Exit:
    """Print `message` as one red error line; return the Exit to raise."""
    error_line(message)
    return typer.Exit(code)


def exit_code(error: BriefingError) -> ExitCode:
    """The error's own `exit_code` (a bad show file is a usage error, 2), else 1."""
    return ExitCode(getattr(error, "exit_code", ExitCode.NOTHING_MADE))


Command = TypeVar("Command", bound=Callable[..., Any])


def reported(command: Command) -> Command:
    """Wrap a command so our exceptions end it with one line and the documented exit code.

    Unexpected exceptions still show a traceback: they are bugs.
    """

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except NothingToSay as error:
            for failure in error.failures:
                warn(str(failure))
            raise fail(str(error)) from None
        except BriefingError as error:
            *first, last = str(error).splitlines() or [""]
            for line in first:  # an error with several problems (a script file) says each on its line
                error_line(line)
            raise fail(last, exit_code(error)) from None
        except KeyboardInterrupt:
            raise fail("interrupted; finished episodes and the feed were left as they were.",
                       ExitCode.INTERRUPTED) from None

    return run  # type: ignore[return-value]


class QuietProgress:
    """Stands in for the progress display when stderr is not a terminal (and in tests)."""

    def __enter__(self) -> QuietProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __call__(self, stage: str, done: int, total: int) -> None:
        return None


class BarProgress:
    LABELS = {"ingest": "Ingest", "summarize": "Summarize", "synthesize": "Synthesize segments",
              "encode": "Encode MP3", "publish": "Publish feed and page"}

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bars = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), console=err(), transient=False)
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> BarProgress:
        self.bars.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.bars.__exit__(*exc)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bars.add_task(self.LABELS.get(stage, stage), total=total)
        self.bars.update(self.tasks[stage], completed=done, total=total)


def progress_display() -> QuietProgress | BarProgress:
    return BarProgress() if err().is_terminal else QuietProgress()
