"""A run that repeats the last one: its episode stands, so it is not made again.

`generate` run again with nothing changed (a cron job that fires twice, a
script that re-runs every step) would read and plan every article again only
to find the same episode on disk, and importing NLTK and numpy alone takes
longer than answering. So each run records a key of everything its episode
and the feed depend on, with a stamp of the library as the run left it
(output/.cache/last-run.json). A run with the same key into a library with the
same stamp prints that run's result and stops.

The key holds every option of the command (paths resolved, the date
resolved), the bytes of every source, every file of this package, the voice
profiles and lexicons, Python's version and the installed distributions'
names and versions. Sources that can change behind the same name (URLs,
feeds, lists and OPML that lead to pages, stdin) have no key: such runs are
always full ones. The stamp is the size and modification time of every file
of the library (episodes, feed, page, cover, memory), so an episode removed, a
file edited or another run in between makes the next run a full one. Any
doubt means a full run, which finds what it can reuse as before.

A record is found two ways: by the key of the parsed options (recorded_result),
and, before the command line is even parsed, by the command line itself
(replayed_result, used by cli/replay.py): the same command line in the same
folder on the same day parses to the same options, so the key the record's
inputs make again must be the one it holds.

This module is loaded before the pipeline, so it imports nothing heavy.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..files import write_json_atomic
from ..ingest.sources import HTML_SUFFIXES, MAX_SOURCE_BYTES, TEXT_SUFFIXES, folder_articles, is_url

RECORD = Path(".cache") / "last-run.json"
"""Inside the output folder: hidden, so never served and not part of the stamp."""
RECORD_FORMAT = 2
LIBRARY_FOLDERS = ("episodes", "static")
"""The library's folders (episodes.EPISODES_FOLDER and STATIC_FOLDER, which a test pins);
with the files at the top of the output folder, everything a run writes or publishing reads."""
KEYED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
"""Local files read as they are: text and HTML articles (feeds and lists may lead to pages)."""
PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class RunInputs:
    """What a run's key is made of. Kept in the run's record, so that a later process
    can make the key again before it parses its command line (replayed_result)."""

    command: str
    options: str
    """The command's options as text: paths resolved, the date resolved (plain_options)."""
    sources: tuple[str, ...]
    setting_files: tuple[str, ...] = ()
    """Voice profiles, lexicons and music files named on the command line."""
    setting_folders: tuple[str, ...] = ()
    """Folders of voice profiles: every .toml in them, so a profile added is seen."""

    def key(self) -> str | None:
        """The run's key, or None when a source may change behind its name or a file
        cannot be read (the full run then says what is wrong with it)."""
        try:
            return self._key()
        except OSError:
            return None

    def _key(self) -> str | None:
        files = source_files(self.sources)
        if files is None:
            return None
        settings = [Path(name) for name in self.setting_files]
        for folder in self.setting_folders:
            settings.extend(Path(folder).glob("*.toml"))
        digest = hashlib.sha256()
        digest.update(repr((RECORD_FORMAT, self.command, sys.version, os.getcwd(), self.options)).encode())
        for path in files:
            digest.update(b"\0source\0" + _file_identity(path))
        for path in sorted(settings):
            if not path.is_file():
                return None
            digest.update(b"\0setting\0" + _file_identity(path))
        for path in _package_files():
            digest.update(b"\0code\0" + _file_identity(path))
        digest.update(b"\0installed\0" + "\0".join(_installed()).encode())
        return digest.hexdigest()


def plain_options(options: Mapping[str, object]) -> str:
    """Options as stable text: paths resolved, lists as tuples, dates in ISO form."""
    return repr(sorted((name, _plain(value)) for name, value in options.items()))


def source_files(sources: Sequence[str]) -> list[Path] | None:
    """The local article files the sources stand for (folders expanded as ingest does),
    or None if any source is not a local text or HTML file within ingest's size limit."""
    files: list[Path] = []
    for source in sources:
        if source == "-" or is_url(source):
            return None
        path = Path(source)
        if path.is_dir():
            found = folder_articles(path)
        elif path.is_file():
            found = [path]
        else:
            return None
        for file in found:
            if file.suffix.lower() not in KEYED_SUFFIXES or file.stat().st_size > MAX_SOURCE_BYTES:
                return None
        files.extend(found)
    return files


def _file_identity(path: Path) -> bytes:
    data = path.read_bytes()
    return f"{path.resolve()}\0{len(data)}\0".encode() + data


def _plain(value: object) -> object:
    """An option's value as a stable, comparable repr: paths resolved, lists as tuples."""
    if isinstance(value, Path):
        return str(value.resolve())
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _package_files() -> list[Path]:
    found: list[Path] = []
    for folder, dirs, names in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found.extend(Path(folder) / name for name in sorted(names) if not name.endswith((".pyc", ".pyo")))
    return found


def _installed() -> list[str]:
    """The installed distributions as their metadata folders name them (name-version)."""
    names: list[str] = []
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        names.extend(name for name in listing if name.endswith((".dist-info", ".egg-info", ".pth")))
    return sorted(names)


def library_state(output_dir: Path) -> list[list[Any]]:
    """[path, size, mtime_ns] of every file of the library, for comparing, not reading."""
    root = Path(output_dir)
    state: list[list[Any]] = []

    def add(path: Path) -> None:
        try:
            stat = path.stat()
        except OSError:  # gone since it was listed: the stamp differs either way
            return
        state.append([str(path.relative_to(root)), stat.st_size, stat.st_mtime_ns])

    try:
        tops = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return state
    for entry in tops:
        if entry.name.startswith(".") or not entry.is_file():
            continue
        add(Path(entry.path))
    for name in LIBRARY_FOLDERS:
        for folder, dirs, names in os.walk(root / name):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            add(Path(folder))
            for file in sorted(n for n in names if not n.startswith(".")):
                add(Path(folder) / file)
    return state


def record_run(output_dir: Path, key: str, inputs: RunInputs, state: list[list[Any]],
               result: Mapping[str, object], *, argv: Sequence[str] | None = None, json_output: bool = False) -> None:
    """Remember this run: its key and inputs, the library's stamp as it left it, and its
    result (the --json record). `argv`, the command line as typed, lets the next process
    with the same command line check all this before it parses it. Best effort: without
    the record the next run is a full one."""
    record = {"format": RECORD_FORMAT, "key": key, "inputs": asdict(inputs), "argv": list(argv) if argv else None,
              "cwd": os.getcwd(), "today": date.today().isoformat(), "json_output": json_output,
              "library": state, "result": dict(result)}
    try:
        (Path(output_dir) / RECORD).parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(Path(output_dir) / RECORD, record)
    except OSError:
        pass


def recorded_result(output_dir: Path, key: str) -> dict[str, Any] | None:
    """The last run's result if it had this key and the library is as it left it."""
    record = _record(output_dir)
    if record is None or record.get("key") != key or record.get("library") != library_state(output_dir):
        return None
    return record["result"]


def replayed_result(output_dir: Path, argv: Sequence[str]) -> tuple[dict[str, Any], bool] | None:
    """The last run's result and --json flag, if it ran this very command line, here,
    today (the date an option may default to), and its key and the library's stamp
    still hold: the same command line parses to the same options, so its key is the
    one these inputs make again."""
    record = _record(output_dir)
    if record is None or record.get("argv") != list(argv) or record.get("cwd") != os.getcwd():
        return None
    if record.get("today") != date.today().isoformat():
        return None
    try:
        raw = record["inputs"]
        inputs = RunInputs(str(raw["command"]), str(raw["options"]), tuple(raw["sources"]),
                           tuple(raw["setting_files"]), tuple(raw["setting_folders"]))
    except (KeyError, TypeError):
        return None
    if inputs.key() != record.get("key") or record.get("library") != library_state(output_dir):
        return None
    return record["result"], bool(record.get("json_output"))


def _record(output_dir: Path) -> dict[str, Any] | None:
    try:
        record = json.loads((Path(output_dir) / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        return None
    return record if isinstance(record.get("result"), dict) else None
