"""episode.json: the episode's manifest, the one JSON edge of the pipeline.

The feed, the web page and users' scripts read it; its keys are documented in
the README. Written to a temp file and renamed.
"""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Sequence

from .models import Episode


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def episode_record(episode: Episode, *, audio_bytes: int, created: datetime, bitrate_kbps: int,
                   sample_rate_hz: int, left_out: Sequence[str] = ()) -> dict:
    audio = Path(episode.audio_path)
    return {
        "id": episode.id,
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
    temp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temp, path)


def write_manifest(episode: Episode, path: Path, **fields) -> None:
    """Write episode.json for an episode whose files sit beside `path` (maybe not yet in place)."""
    audio_bytes = (path.parent / Path(episode.audio_path).name).stat().st_size
    write_json_atomic(episode_record(episode, audio_bytes=audio_bytes, **fields), path)
