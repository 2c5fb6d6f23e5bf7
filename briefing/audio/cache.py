"""Where spoken segments are kept: a folder, or any fsspec URL, shared by every show and worker.

Entries are content-addressed (synthesize.cache_key: the engine's text and the
voice's settings) and named `ab/abcdef....wav`, so a segment made once serves
every show that says it, on any machine. A plain folder needs nothing more (on
a shared filesystem it serves a whole cluster). A URL (s3://bucket/briefing,
gcs://..., file:///mnt/shared) goes through fsspec, which comes with
`briefing[ray]`, plus the protocol's own package (s3fs for S3).

Every write is atomic and lands under the entry's final name only: a segment
appears whole or not at all, and two workers making the same segment leave one
entry. Engines and assembly need WAV files on local disk, so a URL cache is
used through a local folder: entries are fetched into it, and made ones uploaded.
This module only moves files; synthesize.py makes them.
"""
from __future__ import annotations

import os
import posixpath
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BriefingError


class CacheError(BriefingError):
    """A segment cache location that cannot be used; the CLI exits with the usage code (2)."""

    exit_code = 2


def default_segment_cache() -> Path:
    """Where `briefing run` keeps segments: $XDG_CACHE_HOME/briefing/segments or ~/.cache/briefing/segments,
    beside the download cache."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing" / "segments"


@dataclass(frozen=True)
class SegmentCache:
    """A segment cache: `location` is a folder path, or a URL (anything with "://") for fsspec.

    Only the location travels (to Ray workers, say); each process opens the
    filesystem itself."""

    location: str

    @property
    def is_url(self) -> bool:
        return "://" in self.location

    @property
    def folder(self) -> Path:
        """The folder of a plain (not URL) cache."""
        if self.is_url:
            raise ValueError(f"{self.location} is a URL, not a folder")
        return Path(self.location)

    def check(self) -> None:
        """Raise CacheError now, before any work, if the location cannot be used."""
        if self.is_url:
            self._filesystem()

    def has(self, name: str) -> bool:
        if not self.is_url:
            return (self.folder / name).exists()
        fs, root = self._filesystem()
        return bool(fs.exists(posixpath.join(root, name)))

    def fetch(self, names: Iterable[str], into: Path) -> int:
        """Copy the entries present in this URL cache into the folder `into`; return how many it had."""
        fs, root = self._filesystem()
        fetched = 0
        for name in names:
            target = into / name
            if target.exists():
                fetched += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(handle)
            try:
                fs.get_file(posixpath.join(root, name), temp)
            except FileNotFoundError:
                Path(temp).unlink(missing_ok=True)
                continue
            os.replace(temp, target)
            fetched += 1
        return fetched

    def upload(self, local: Path, name: str) -> bool:
        """Put the file `local` into this URL cache as entry `name`, unless it is there already.

        The file goes to a hidden temp name beside the entry, then is moved into
        place (a rename on filesystems, a server-side copy on object stores), so a
        reader never sees part of an entry. Returns whether it was uploaded."""
        fs, root = self._filesystem()
        final = posixpath.join(root, name)
        if fs.exists(final):
            return False
        folder, base = posixpath.split(final)
        temp = posixpath.join(folder, f".{base}.{uuid.uuid4().hex}.tmp")
        fs.makedirs(folder, exist_ok=True)
        fs.put_file(str(local), temp)
        try:
            fs.mv(temp, final)
        except BaseException:
            fs.rm(temp)
            raise
        return True

    def _filesystem(self) -> tuple[Any, str]:
        """(fsspec filesystem, root path) for a URL; fsspec keeps one filesystem per URL and options."""
        try:
            from fsspec.core import url_to_fs
        except ImportError:
            raise CacheError(f"--cache {self.location}: a URL cache needs fsspec; "
                             "install it with `pip install 'briefing[ray]'`, or give a folder.") from None
        try:
            fs, root = url_to_fs(self.location)
        except (ImportError, ValueError) as error:
            raise CacheError(f"--cache {self.location}: {error}") from None
        return fs, root.rstrip("/")


def segment_cache(location: str | Path | None) -> SegmentCache:
    """The cache at `location` (default_segment_cache() if None); a folder is made absolute,
    so workers elsewhere see the same one."""
    if location is None:
        return SegmentCache(str(default_segment_cache()))
    text = str(location)
    if "://" in text:
        return SegmentCache(text)
    return SegmentCache(str(Path(text).expanduser().resolve()))
