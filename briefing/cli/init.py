"""`briefing init show.toml`: write a commented example show file to start from."""
from __future__ import annotations

from pathlib import Path

import typer

from .console import ExitCode, err, escape, fail


def init(
    path: Path = typer.Argument(Path("show.toml"), help="Where to write the example show file."),
) -> None:
    """Write a commented example show file for `briefing run` (never overwrites a file)."""
    from ..run.show_file import example_show

    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(example_show(path))
    except FileExistsError:
        raise fail(f"{path} already exists; give another name, or edit that file.", ExitCode.USAGE) from None
    except OSError as error:
        raise fail(f"cannot write {path} ({error.strerror}); check that its folder exists.", ExitCode.USAGE) from None
    err().print(f"Wrote {escape(str(path))}: set its title and sources, then run "
                f"[bold]briefing run {escape(str(path))}[/].")
