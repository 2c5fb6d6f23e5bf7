"""`briefing normalize TEXT`: print text exactly as the voice will be given it."""
from __future__ import annotations

import sys

import typer


def normalize(
    text: str = typer.Argument(
        ..., help="The text to check, in quotes; or - to read standard input and print one line per input line."
    ),
    keep: list[str] = typer.Option(
        [], "--keep", metavar="WORD",
        help="A word to leave exactly as written, as a pronunciation lexicon would need it; repeat for more.",
    ),
) -> None:
    """Print text as the voice will be given it: numbers, money, dates, units and acronyms in words.

    Check a phrase with briefing normalize "the 400m mark"; with - it reads standard input and prints one line per line, in one process.
    """
    from ..speech.normalize import normalize_for_speech

    if text != "-":
        typer.echo(normalize_for_speech(text, keep))
        return
    write = sys.stdout.write
    for line in sys.stdin:
        write(normalize_for_speech(line.rstrip("\r\n"), keep) + "\n")
