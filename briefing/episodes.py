"""The library folder on disk: its layout, and the episode manifest's one writer and one reader.

    output/
      episodes/<id>/      briefing.mp3, clips/, transcript.txt, transcript.vtt,
                          transcript.json, chapters.json, episode.json (the manifest),
                          alexa.mp3 and alexa/ (the rendition for smart speakers)
      feed.xml, alexa.json, index.html, cover.png, static/
      lexicon.toml        the library's own pronunciation lexicon, if any

`episode.json` is the one JSON edge of the pipeline: assembly writes it, and
publishing, episode reuse and users' scripts read it back here, into the same
`Episode` type. Its keys are documented in the README. Every file is written
atomically (files.py).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from .errors import BriefingError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
from .files import write_json_atomic
from .models import (
    Article,
    EarlierStory,
    Episode,
    InputFailure,
    Presenter,
    Rendition,
    SkippedStory,
    Story,
    StoryTiming,
)
from .printable import printable_fields

EPISODES_FOLDER = "episodes"
MANIFEST = "episode.json"
AUDIO = "briefing.mp3"
AUDIO_TYPE = "audio/mpeg"
CLIPS_FOLDER = "clips"
TRANSCRIPT_TEXT = "transcript.txt"
TRANSCRIPT_VTT = "transcript.vtt"
TRANSCRIPT_JSON = "transcript.json"
CHAPTERS = "chapters.json"
ALEXA_AUDIO = "alexa.mp3"
ALEXA_CLIPS_FOLDER = "alexa"
ALEXA_FEED = "alexa.json"
FEED = "feed.xml"
PAGE = "index.html"
COVER = "cover.png"
STATIC_FOLDER = "static"
LEXICON = "lexicon.toml"
"""The library's own pronunciation lexicon (the studio adds to it); used for every episode made into it."""


LOCK_FILE = ".publish.lock"
_held_locks = threading.local()


@contextmanager
def library_lock(output_dir: Path) -> Iterator[None]:
    """Hold the library's lock while writing what all runs share (feed, page, memory), so
    overlapping runs (cron) publish one after the other.

    Without it, a run that read the episode folders before another run added
    its episode could write feed.xml and index.html last and drop that episode.
    The lock is flock(2) on a hidden file in the output folder (never served);
    the kernel releases it when a process dies. Where flock is missing
    (Windows) publishing goes unlocked, as before. A thread that holds the lock
    may take it again (flock would wait for itself).
    """
    lock = os.path.realpath(Path(output_dir) / LOCK_FILE)
    held = _held_locks.__dict__.setdefault("paths", set())
    if lock in held:  # this thread holds it already (publish_episode around publish_library)
        yield
        return
    with open(lock, "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        held.add(lock)
        try:
            yield
        finally:
            held.discard(lock)


class BadEpisode(BriefingError):
    """An episode folder that cannot be read back (unfinished, edited or broken)."""


def episodes_dir(output_dir: Path) -> Path:
    return Path(output_dir) / EPISODES_FOLDER


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def episode_record(episode: Episode, *, bitrate_kbps: int, sample_rate_hz: int, audio_key: str = "") -> dict[str, Any]:
    """The manifest's JSON shape (documented in the README)."""
    return {
        "id": episode.id,
        "audio_key": audio_key,
        "title": episode.title,
        "date": episode.date.isoformat(),
        "created": episode.created.isoformat(timespec="seconds") if episode.created else None,
        "duration_s": episode.duration_s,
        "voice": episode.voice,
        "hosts": [host.voice for host in episode.hosts],
        "presenters": {host.voice: host.name for host in episode.hosts},
        "audio": {
            "file": episode.audio_file,
            "bytes": episode.audio_bytes,
            "type": AUDIO_TYPE,
            "sample_rate_hz": sample_rate_hz,
            "channels": 1,
            "bitrate_kbps": bitrate_kbps,
            "loudness_lufs": episode.loudness_lufs,
            "true_peak_dbtp": episode.true_peak_dbtp,
        },
        "transcript": {"text": episode.transcript_text, "vtt": episode.transcript_vtt,
                       "json": episode.transcript_json},
        "alexa": _rendition_record(episode.alexa),
        "stories": [
            {
                "index": i + 1,
                "headline": t.story.headline,
                "source": t.story.sources[0] if t.story.sources else None,
                "sources": list(t.story.sources),
                "urls": list(t.story.urls),
                "published": _iso(t.story.published),
                "sentences": list(t.story.sentences),
                "start_s": t.start_s,
                "end_s": t.end_s,
                "clip": t.clip,
                "host": t.host,
                "update": t.story.update_of is not None,
                "update_of": _earlier_record(t.story.update_of),
                "articles": [
                    {"title": a.title, "source": a.source, "url": a.url, "origin": a.origin,
                     "published": _iso(a.published)}
                    for a in t.story.articles
                ],
            }
            for i, t in enumerate(episode.stories)
        ],
        "left_out": list(episode.left_out),
        **skipped_records(episode.skipped),
        "failures": [{"source": f.source, "reason": f.reason} for f in episode.failures],
    }


def _rendition_record(rendition: Rendition | None) -> dict[str, Any] | None:
    if rendition is None:
        return None
    return {"file": rendition.file, "bytes": rendition.bytes, "type": AUDIO_TYPE, "bitrate_kbps": rendition.bitrate_kbps,
            "loudness_lufs": rendition.loudness_lufs, "true_peak_dbtp": rendition.true_peak_dbtp,
            "clips": list(rendition.clips)}


def _rendition(folder: Path, raw: dict[str, Any] | None) -> Rendition | None:
    """The manifest's rendition, if its audio is in the folder; clips that are not come back as None."""
    if not raw or _existing(folder, str(raw["file"])) is None:
        return None
    return Rendition(file=str(raw["file"]), bytes=(folder / str(raw["file"])).stat().st_size,
                     bitrate_kbps=int(raw["bitrate_kbps"]), loudness_lufs=float(raw["loudness_lufs"]),
                     true_peak_dbtp=float(raw["true_peak_dbtp"]),
                     clips=tuple(_existing(folder, str(c)) if c else None for c in raw.get("clips") or ()))


def _earlier_record(earlier: EarlierStory | None) -> dict[str, str] | None:
    if earlier is None:
        return None
    return {"episode": earlier.episode, "date": earlier.date.isoformat(), "headline": earlier.headline}


def skipped_records(skipped: Sequence[SkippedStory]) -> dict[str, list[dict[str, Any]]]:
    """The manifest's "excluded" (topic) and "told_before" (memory) lists, also used by --json."""
    return {
        "excluded": [{"headline": s.headline, "topic": s.topic} for s in skipped if s.told_in is None],
        "told_before": [{"headline": s.headline, "told_in": _earlier_record(s.told_in)}
                        for s in skipped if s.told_in is not None],
    }


def _earlier(raw: dict[str, Any] | None) -> EarlierStory | None:
    if not raw:
        return None
    return EarlierStory(str(raw["episode"]), date.fromisoformat(raw["date"]), str(raw.get("headline") or ""))


def _skipped(record: dict[str, Any]) -> tuple[SkippedStory, ...]:
    excluded = [SkippedStory(str(raw["headline"]), topic=raw.get("topic")) for raw in record.get("excluded") or ()]
    told = [SkippedStory(str(raw["headline"]), told_in=_earlier(raw["told_in"])) for raw in record.get("told_before") or ()]
    return (*excluded, *told)


def write_manifest(episode: Episode, folder: Path, **fields: Any) -> None:
    """Write episode.json into `folder` (where the episode's files are, maybe not yet in place)."""
    write_json_atomic(folder / MANIFEST, episode_record(episode, **fields))


def _datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _story(raw: dict[str, Any]) -> StoryTiming:
    source = raw.get("source")
    sources = tuple(str(s) for s in raw.get("sources") or ()) or ((str(source),) if source else ())
    story = Story(
        headline=str(raw["headline"]),
        sentences=tuple(str(s) for s in raw.get("sentences") or ()),
        sources=sources,
        urls=tuple(str(u) for u in raw.get("urls") or ()),
        published=_datetime(raw.get("published")),
        articles=tuple(
            Article(title=str(a["title"]), text="", source=a.get("source"), url=a.get("url"),
                    origin=str(a.get("origin") or ""), published=_datetime(a.get("published")))
            for a in raw.get("articles") or ()
        ),
        update_of=_earlier(raw.get("update_of")),
    )
    clip, host = raw.get("clip"), raw.get("host")
    return StoryTiming(story=story, start_s=float(raw["start_s"]), end_s=float(raw["end_s"]),
                       clip=str(clip) if clip else None, host=str(host) if host else None)


def _hosts(record: dict[str, Any]) -> tuple[Presenter, ...]:
    names = record.get("presenters") or {}
    return tuple(Presenter(str(voice), str(names.get(voice) or voice)) for voice in record.get("hosts") or ())


def read_episode(folder: Path) -> Episode:
    """The episode in `folder`, from its manifest; BadEpisode says why it cannot be used.

    Files the manifest names but the folder lacks (or that point outside it)
    come back as None, so whoever publishes the episode links only to files
    that exist.
    """
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise BadEpisode("it has no episode.json yet; finish or re-run briefing generate, or delete the folder")
    try:
        record = printable_fields(json.loads(path.read_text(encoding="utf-8")))
        audio = record["audio"]
        transcript = record.get("transcript") or {}
        episode = Episode(
            id=str(record["id"]),
            title=str(record["title"]),
            date=date.fromisoformat(record["date"]),
            folder=str(folder),
            audio_path=str(folder / str(audio["file"])),
            duration_s=float(record["duration_s"]),
            voice=str(record.get("voice") or ""),
            stories=tuple(_story(s) for s in record.get("stories") or ()),
            loudness_lufs=audio.get("loudness_lufs"),
            true_peak_dbtp=audio.get("true_peak_dbtp"),
            failures=tuple(InputFailure(str(f["source"]), str(f["reason"])) for f in record.get("failures") or ()),
            created=_datetime(record.get("created")) or datetime.fromtimestamp(path.stat().st_mtime, timezone.utc),
            transcript_text=transcript.get("text"),
            transcript_vtt=transcript.get("vtt"),
            transcript_json=transcript.get("json"),
            left_out=tuple(str(h) for h in record.get("left_out") or ()),
            skipped=_skipped(record),
            hosts=_hosts(record),
            alexa=_rendition(folder, record.get("alexa")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BadEpisode(f"its episode.json is not a valid manifest ({error}); re-run briefing generate") from None
    if episode.id != folder.name:
        raise BadEpisode(f"its episode.json names episode {episode.id!r}; the folder and the id must match")
    audio_path = _inside(folder, str(audio["file"]))
    if audio_path is None or not audio_path.is_file():
        raise BadEpisode(f"its audio {audio['file']!r} is missing; re-run briefing generate")
    return episode.with_files(
        audio_bytes=audio_path.stat().st_size,
        transcript_text=_existing(folder, episode.transcript_text),
        transcript_vtt=_existing(folder, episode.transcript_vtt),
        transcript_json=_existing(folder, episode.transcript_json),
        clips=[_existing(folder, t.clip) for t in episode.stories],
    )


def _existing(folder: Path, relative: str | None) -> str | None:
    if relative is None:
        return None
    path = _inside(folder, relative)
    return relative if path is not None and path.is_file() else None


def _inside(folder: Path, relative: str) -> Path | None:
    """`folder/relative` if it stays inside the folder, else None (a manifest must not point elsewhere)."""
    if not relative or Path(relative).is_absolute():
        return None
    candidate = (folder / relative).resolve()
    return candidate if candidate.is_relative_to(folder.resolve()) else None


def scan_library(output_dir: Path) -> tuple[list[Episode], list[InputFailure]]:
    """Every readable episode, newest first (by date, then creation time), and why each other folder is not."""
    episodes: list[Episode] = []
    skipped: list[InputFailure] = []
    root = episodes_dir(output_dir)
    if not root.is_dir():
        return episodes, skipped
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        try:
            episodes.append(read_episode(folder))
        except BadEpisode as problem:
            skipped.append(InputFailure(str(folder), str(problem)))
    episodes.sort(key=lambda e: (e.date, e.created, e.id), reverse=True)
    return episodes, skipped


def load_episodes(output_dir: Path) -> list[Episode]:
    """Every readable episode in the library, newest first."""
    return scan_library(output_dir)[0]


def delete_episode(episode: Episode) -> None:
    folder = Path(episode.folder)
    if folder.is_symlink():
        folder.unlink()
    else:
        shutil.rmtree(folder)


def stored_audio_key(folder: Path) -> str | None:
    """The audio key an existing episode was made with, or None if it is missing,
    unreadable or lacks any of its files."""
    try:
        record = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        alexa = record.get("alexa") or {}
        files = [record["audio"]["file"], *(f for f in record["transcript"].values() if f),
                 *(s["clip"] for s in record["stories"]), *([alexa["file"]] if alexa else [])]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return record.get("audio_key") if all((folder / name).is_file() for name in files) else None


def record_inputs(
    folder: Path, failures: Sequence[InputFailure], left_out: Sequence[str], skipped: Sequence[SkippedStory] = ()
) -> None:
    """Update an episode's manifest with this run's failed, left-out and skipped inputs."""
    path = folder / MANIFEST
    record = json.loads(path.read_text(encoding="utf-8"))
    record["failures"] = [{"source": f.source, "reason": f.reason} for f in failures]
    record["left_out"] = list(left_out)
    record.update(skipped_records(skipped))
    write_json_atomic(path, record)


WORK_FOLDER = re.compile(r"^\.(?P<id>.+)\.(?P<kind>partial|old)-(?P<pid>\d+)$")
"""Hidden folders a run works in: `.<id>.partial-<pid>` (assembly) and `.<id>.old-<pid>` (replace_folder)."""
STALE_AFTER_S = 24 * 3600
"""A work folder this old is stale even if its pid is alive again (pids are reused; no run takes a day)."""


def work_folder(episodes: Path, episode_id: str, kind: str = "partial") -> Path:
    """Where this process builds (or sets aside) an episode before swapping it into place."""
    return Path(episodes) / f".{episode_id}.{kind}-{os.getpid()}"


def remove_stale_work(output_dir: Path) -> list[str]:
    """Delete the work folders that killed runs left behind; return their names.

    A folder whose process still runs is left alone (another run is busy in
    it), unless it is older than STALE_AFTER_S.
    """
    root = episodes_dir(output_dir)
    removed: list[str] = []
    try:
        entries = sorted(root.iterdir())
    except OSError:
        return removed
    for folder in entries:
        match = WORK_FOLDER.match(folder.name)
        if match is None or folder.is_symlink() or not folder.is_dir():
            continue
        pid = int(match.group("pid"))
        if pid == os.getpid() or (_running(pid) and not _older_than(folder, STALE_AFTER_S)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


def _older_than(folder: Path, seconds: float) -> bool:
    try:
        return time.time() - folder.stat().st_mtime > seconds
    except OSError:
        return False


def replace_folder(new: Path, final: Path) -> None:
    """Swap a finished folder into place; an older copy of the same episode is removed after."""
    old = work_folder(final.parent, final.name, "old")
    if final.exists():
        os.replace(final, old)
    os.replace(new, final)
    shutil.rmtree(old, ignore_errors=True)
