"""The command line: one module per command, the shared options, one error path.

Commands only turn flags into library calls and print; all behaviour lives in
the library. Each command imports the library when it runs, so `briefing
--help` does not load NLTK, numpy or a voice. The Typer app is in commands.py and
loads after `main` has looked for a repeated run to answer (replay.py).
"""
from __future__ import annotations

import gc
import os
import sys
from typing import Any

ONE_BLAS_THREAD = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
"""numpy's BLAS would start a thread per core for each small matrix product and spin
them while the voices speak on those cores: one thread each made a 10-minute briefing
1.5-2 s faster on 2 cores (bench/speed.py). briefing runs its own processes and threads."""


def main() -> None:
    for name in ONE_BLAS_THREAD:  # before numpy is loaded, here and in the speech workers
        os.environ.setdefault(name, "1")
    from .replay import replay

    code = replay(sys.argv[1:])  # a repeated run, answered before Typer loads
    if code is not None:
        sys.exit(code)
    from .commands import app
    from .console import ExitCode, err

    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        err().print("[red]interrupted[/]; nothing half-written was left behind.")
        sys.exit(ExitCode.INTERRUPTED)
    finally:
        # Python collects garbage again and again as it clears its modules at exit (0.1 s
        # after a render); frozen objects are left out of that, and still freed as their
        # references go.
        gc.freeze()


def __getattr__(name: str) -> Any:
    """`app` and `ExitCode` load Typer and the commands on first use, not with main."""
    if name == "app":
        from .commands import app

        return app
    if name == "ExitCode":
        from .console import ExitCode

        return ExitCode
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ExitCode", "app", "main"]
