"""The terminal, without the command-line framework: the stderr console and its
one-line messages. Apart from console.py so that a repeated run can be answered
(replay.py) before Typer is even imported.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@lru_cache(maxsize=1)
def err() -> Console:
    """The stderr console, made on first use (rich costs start-up time)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def error_line(message: str) -> None:
    err().print(f"[bold red]error:[/] {escape(message)}", markup=True, soft_wrap=True)


def warn(message: str) -> None:
    err().print(f"[yellow]skipped:[/] {escape(message)}", markup=True, soft_wrap=True)


def note(message: str) -> None:
    """A line that informs but reports no failure (a safety cap cut something)."""
    err().print(f"[cyan]note:[/] {escape(message)}", markup=True, soft_wrap=True)
