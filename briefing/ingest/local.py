"""Sources on this machine: files, folders of them, devices, pipes and stdin, read within the size cap."""
from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from ..errors import SourceError
from ..files import format_bytes, read_at_most
from ..models import InputFailure
from .sources import MAX_SOURCE_BYTES, folder_articles, is_url
from .text import decode_text


def too_big(source: str, max_bytes: int) -> SourceError:
    return SourceError(source, f"is larger than the {format_bytes(max_bytes)} size limit; give one article or feed")


def read_file(source: str, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a file, device or pipe, capped by what is read (a pipe's size is 0)."""
    path = Path(source)
    try:
        with path.open("rb") as file:
            data = read_at_most(file, max_bytes)
    except FileNotFoundError:
        if path.is_symlink():
            raise SourceError(source, f"is a link to {os.readlink(path)}, which does not exist; fix the link") from None
        raise SourceError(source, "no such file or folder; check the path") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise SourceError(source, "is a symbolic link that leads back to itself (a link loop); fix the link") from None
        raise SourceError(source, f"cannot be read ({error.strerror}); check its permissions") from None
    if data is None:
        raise too_big(source, max_bytes)
    return data


def read_stdin(stream: BinaryIO, max_bytes: int = MAX_SOURCE_BYTES) -> str:
    """The text piped in, read with the same cap as files; "" if nothing was piped."""
    data = read_at_most(stream, max_bytes)
    if data is None:
        raise too_big("stdin", max_bytes)
    return decode_text(data, "stdin") if data.strip() else ""


def expand_sources(sources: Sequence[str]) -> tuple[list[str], list[InputFailure]]:
    """Folders become their article files (sources.folder_articles)."""
    expanded: list[str] = []
    failures: list[InputFailure] = []
    for source in sources:
        path = Path(source)
        if source != "-" and not is_url(source) and path.is_dir():
            files = folder_articles(path)
            if not files:
                failures.append(InputFailure(source, "the folder holds no articles (.txt, .md, .html, feeds or .json)"))
            expanded.extend(str(p) for p in files)
        else:
            expanded.append(source)
    return expanded, failures


