"""hibari's G2P data, read a key at a time from an indexed copy instead of loaded whole.

hibari's G2P reads two 90,000-word lexicons and an 80,000-feature tagger from gzipped
JSON in every process that speaks (0.35 s; 0.16 s even from a marshal copy), though a
sentence looks up a few hundred keys. It only ever calls `.get` on those tables, so a
mapping that answers `.get` from a SQLite copy in the user's cache (built once, on first
use), remembering what it has read, gives it the same answers: an edit's render, which
speaks one sentence, no longer waits for the whole dictionary.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

LAZY_ENTRIES = 10_000
"""A table with this many entries or more is read a key at a time; smaller ones whole."""
FORMAT = 1
"""Bump when the copy's layout changes."""
_UNREAD, _ABSENT = object(), object()


class StoredTable:
    """A read-only mapping kept in one table of a SQLite file; what `.get` reads is remembered."""

    def __init__(self, path: Path, table: str):
        self.path, self.table = path, table
        self._memo: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def get(self, key: str, default: Any = None) -> Any:
        value = self._memo.get(key, _UNREAD)
        if value is _UNREAD:
            with self._lock:
                if self._db is None:  # immutable: never written after it is renamed into place
                    self._db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True,
                                               check_same_thread=False)
                row = self._db.execute(f"SELECT value FROM {self.table} WHERE key = ?", (key,)).fetchone()
            value = marshal.loads(row[0]) if row is not None else _ABSENT
            self._memo[key] = value
        return default if value is _ABSENT else value

    def __contains__(self, key: str) -> bool:
        return self.get(key, _ABSENT) is not _ABSENT


def stored_asset(source: Path, read: Callable[[], Any], cache: Path) -> Any:
    """The JSON asset at `source` (read whole by `read`) with its large tables as StoredTables
    over a copy in `cache`, built the first time; the data itself if no copy can be made."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    copy = cache / f"hibari-{source.name}-{FORMAT}-{digest}.sqlite"
    if not copy.is_file():
        try:
            cache.mkdir(parents=True, exist_ok=True)
            _build(copy, read())
        except (OSError, sqlite3.Error):
            return read()
        for old in [*cache.glob(f"hibari-{source.name}-*.sqlite"), *cache.glob(f"hibari-{source.name}-*.marshal")]:
            if old != copy:
                old.unlink(missing_ok=True)
    try:
        return _open(copy)
    except (OSError, sqlite3.Error, ValueError, EOFError):
        return read()


def _build(copy: Path, data: Any) -> None:
    """Write `data` to a new SQLite file, renamed into place once whole: a table of entries
    (key, marshalled value) for each large dict, and the rest as its shape, marshalled."""
    handle, temp = tempfile.mkstemp(prefix=f".{copy.name}.", suffix=".tmp", dir=copy.parent)
    os.close(handle)
    try:
        with sqlite3.connect(temp) as db:
            if isinstance(data, dict) and len(data) >= LAZY_ENTRIES:
                shape: Any = _store_table(db, "t0", data)
            elif isinstance(data, dict):
                shape = {key: _store_table(db, f"t{i}", value)
                         if isinstance(value, dict) and len(value) >= LAZY_ENTRIES else value
                         for i, (key, value) in enumerate(data.items())}
            else:
                shape = data
            db.execute("CREATE TABLE shape (value BLOB)")
            db.execute("INSERT INTO shape VALUES (?)", (marshal.dumps(shape),))
        db.close()
        os.chmod(temp, 0o644)
        os.replace(temp, copy)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _store_table(db: sqlite3.Connection, table: str, entries: dict[str, Any]) -> tuple[str, str]:
    db.execute(f"CREATE TABLE {table} (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID")
    db.executemany(f"INSERT INTO {table} VALUES (?, ?)", ((k, marshal.dumps(v)) for k, v in entries.items()))
    return ("\0stored", table)


def _open(copy: Path) -> Any:
    with sqlite3.connect(f"file:{copy}?mode=ro&immutable=1", uri=True) as db:
        shape = marshal.loads(db.execute("SELECT value FROM shape").fetchone()[0])
    db.close()

    def table(value: Any) -> Any:
        is_table = isinstance(value, tuple) and len(value) == 2 and value[0] == "\0stored"
        return StoredTable(copy, value[1]) if is_table else value

    if isinstance(shape, dict):
        return {key: table(value) for key, value in shape.items()}
    return table(shape)
