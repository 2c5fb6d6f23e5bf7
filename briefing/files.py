"""Writing files so that no reader ever sees half of one.

Podcast apps, browsers, the segment cache and the next run may read any of our
files at any moment, and a run may be killed at any moment. Every file is
written under a hidden temp name in its own folder and renamed into place,
which POSIX makes atomic.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

READ_CHUNK_BYTES = 1024 * 1024


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` in one step: a temp file in the same folder, then a rename.

    The temp name starts with a dot, which `briefing serve` never serves.
    """
    path = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: object) -> None:
    """`data` as indented UTF-8 JSON, written atomically."""
    write_atomic(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def read_at_most(stream: BinaryIO, limit: int) -> bytes | None:
    """All of `stream` if it holds at most `limit` bytes, else None, having read at most `limit` + 1.

    A file's size on disk says nothing for pipes, devices (/dev/zero) and
    stdin, so the cap counts the bytes actually read.
    """
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(READ_CHUNK_BYTES, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
    return None


def format_bytes(count: int) -> str:
    """A size limit in words a user reads: "10 MB", "512 KB"."""
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):g} MB"
    if count >= 1024:
        return f"{count / 1024:g} KB"
    return f"{count} bytes"
