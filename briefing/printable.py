"""Text that may reach XML, ID3 tags, web pages and the terminal: no control characters,
and times written the one way a listener reads them (`clock`).

A headline can carry an escape sequence (`\\x1b[2J`), a feed title an `&#x1B;`
entity, a JSON title a `\\u0001`: XML 1.0 forbids them (the feed writer stops),
terminals obey them, and no voice can say them. Ingest cleans every article
and failure with `printable`; the manifest reader cleans what older runs
wrote, so a library holding such a manifest still publishes.
"""
from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
"""C0 and C1 controls but tab and newline, DEL, lone surrogates and non-characters
(the code points outside XML 1.0's Char production, plus C1, which XML discourages)."""
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]")
"""A terminal's CSI sequence ("\x1b[2J" clears the screen): removed whole, not left as "[2J"."""
_LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]")
_SPACES = re.compile("[ \t]{2,}")


def printable(text: str, *, lines: bool = False) -> str:
    """`text` without control characters; line breaks are kept only when `lines` is true.

    Each removed character leaves a space (an escape or separator often
    stands between two words), and runs of spaces become one.
    """
    escaped = "\x1b" in text or "\x9b" in text
    if escaped:
        text = _ESCAPE_SEQUENCE.sub(" ", text)
    if lines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return _SPACES.sub(" ", _CONTROL.sub(" ", text)) if escaped or _CONTROL.search(text) else text
    if not (escaped or _CONTROL.search(text) or _LINE_BREAKS.search(text)):
        return text
    return " ".join(_CONTROL.sub(" ", _LINE_BREAKS.sub(" ", text)).split())


def printable_fields(value: Any) -> Any:
    """Every string inside a JSON value (dicts, lists) made printable, on one line."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [printable_fields(item) for item in value]
    if isinstance(value, dict):
        return {key: printable_fields(item) for key, item in value.items()}
    return value


def clock(seconds: float) -> str:
    """A time in an episode as a player shows it, "2:58" or "1:02:05": whole seconds elapsed
    (truncated, so a story said to start at 0:24 is playing at 0:24)."""
    minutes, second = divmod(int(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}" if hours else f"{minute}:{second:02d}"
