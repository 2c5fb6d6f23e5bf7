"""episode.json: the episode's manifest, the one JSON edge of the pipeline.

The feed, the web page and users' scripts read it; its keys are documented in
the README. Written to a temp file and renamed.
"""
from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Sequence

from .models import Article, Episode, InputFailure, Story, StoryTiming


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def episode_record(episode: Episode, *, audio_bytes: int, created: datetime, bitrate_kbps: int,
                   sample_rate_hz: int, left_out: Sequence[str] = (), audio_key: str = "") -> dict:
    audio = Path(episode.audio_path)
    return {
        "id": episode.id,
        "audio_key": audio_key,
        "title": episode.title,
        "date": episode.date.isoformat(),
        "created": created.isoformat(timespec="seconds"),
        "duration_s": episode.duration_s,
        "voice": episode.voice,
        "audio": {
            "file": audio.name,
            "bytes": audio_bytes,
            "type": "audio/mpeg",
            "sample_rate_hz": sample_rate_hz,
            "channels": 1,
            "bitrate_kbps": bitrate_kbps,
            "loudness_lufs": episode.loudness_lufs,
            "true_peak_dbtp": episode.true_peak_dbtp,
        },
        "transcript": {"text": "transcript.txt", "vtt": "transcript.vtt"},
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
                "articles": [
                    {"title": a.title, "source": a.source, "url": a.url, "origin": a.origin,
                     "published": _iso(a.published)}
                    for a in t.story.articles
                ],
            }
            for i, t in enumerate(episode.stories)
        ],
        "left_out": list(left_out),
        "failures": [{"source": f.source, "reason": f.reason} for f in episode.failures],
    }


def write_json_atomic(data: object, path: Path) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_manifest(episode: Episode, path: Path, **fields) -> None:
    """Write episode.json for an episode whose files sit beside `path` (maybe not yet in place)."""
    audio_bytes = (path.parent / Path(episode.audio_path).name).stat().st_size
    write_json_atomic(episode_record(episode, audio_bytes=audio_bytes, **fields), path)


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def load_episode(folder: Path) -> Episode:
    """An Episode back from its manifest (without transcript cues), for reuse."""
    record = json.loads((folder / "episode.json").read_text(encoding="utf-8"))
    stories = tuple(
        StoryTiming(
            story=Story(
                headline=s["headline"],
                sentences=tuple(s["sentences"]),
                sources=tuple(s["sources"]),
                urls=tuple(s["urls"]),
                published=_datetime(s["published"]),
                articles=tuple(
                    Article(title=a["title"], text="", source=a["source"], url=a["url"], origin=a["origin"],
                            published=_datetime(a.get("published")))
                    for a in s["articles"]
                ),
            ),
            start_s=s["start_s"],
            end_s=s["end_s"],
            clip=s["clip"],
        )
        for s in record["stories"]
    )
    return Episode(
        id=record["id"],
        title=record["title"],
        date=date.fromisoformat(record["date"]),
        folder=str(folder),
        audio_path=str(folder / record["audio"]["file"]),
        duration_s=record["duration_s"],
        voice=record["voice"],
        stories=stories,
        cues=(),
        loudness_lufs=record["audio"]["loudness_lufs"],
        true_peak_dbtp=record["audio"]["true_peak_dbtp"],
        failures=tuple(InputFailure(f["source"], f["reason"]) for f in record["failures"]),
    )


def stored_audio_key(folder: Path) -> str | None:
    """The audio key an existing episode was made with, or None if it is missing,
    unreadable or lacks any of its files."""
    try:
        record = json.loads((folder / "episode.json").read_text(encoding="utf-8"))
        files = [record["audio"]["file"], *record["transcript"].values(), *(s["clip"] for s in record["stories"])]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return record.get("audio_key") if all((folder / name).is_file() for name in files) else None


def record_inputs(folder: Path, failures: Sequence[InputFailure], left_out: Sequence[str]) -> None:
    """Update a reused episode's manifest with this run's failed and left-out inputs."""
    path = folder / "episode.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["failures"] = [{"source": f.source, "reason": f.reason} for f in failures]
    record["left_out"] = list(left_out)
    write_json_atomic(record, path)
