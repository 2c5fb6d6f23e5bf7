"""End to end: the same inputs, date and voices give the same MP3 bytes.

The episode is encoded while it is being spoken, with segments finishing in
whatever order the synthesis workers reach them; none of that may show in the
file. hibari seeds its vocoder's noise, so two runs from empty caches must agree
to the byte. Piper draws fresh noise on every call, so for joe the promise holds
for the same segment cache: a second library made from it is byte-identical.
"""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from briefing import BriefingRequest, build_briefing
from briefing.audio.synthesize import SynthesisOptions

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
ARTICLES = [str(ROOT / "examples" / "articles" / name)
            for name in ("01-harbour-bridge-reopens.txt", "03-river-flood-warning.md")]
WORKER_SEGMENTS = SynthesisOptions(cache_dir=Path()).parallel_min_segments


def episode_files(folder: Path) -> dict[str, bytes]:
    """The episode's audio and transcripts (the manifest holds the creation time)."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and (path.suffix in (".mp3", ".vtt", ".txt") or path.name == "transcript.json")}


def test_heart_makes_the_same_bytes_from_empty_caches(tmp_path):
    folders = []
    for name in ("first", "second"):
        run = subprocess.run([sys.executable, "-m", "briefing", "generate", *ARTICLES, "-o", str(tmp_path / name),
                              "--minutes", "1", "--voice", "heart", "--date", "2026-11-24", "--json"],
                             capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert run.returncode == 0, run.stderr
        summary = json.loads(run.stdout)
        # Really spoken, and by worker processes (enough segments for them).
        assert summary["segments_synthesized"] == summary["segments"] >= WORKER_SEGMENTS
        folders.append(Path(summary["manifest"]).parent)
    first, second = (episode_files(folder) for folder in folders)
    # The episode and two story clips, and the same for smart speakers.
    assert len([name for name in first if name.endswith(".mp3")]) == 6
    assert first == second


def test_joe_makes_the_same_bytes_from_the_same_segment_cache(tmp_path, piper_engine):
    def build(name: str) -> Path:
        request = BriefingRequest(sources=tuple(ARTICLES), output_dir=tmp_path / name, day=date(2026, 11, 24),
                                  voice="joe", minutes=0.5, publish=False, cache_dir=tmp_path / "segments")
        return Path(build_briefing(request, engine=piper_engine).episode.folder)

    first, second = build("first"), build("second")
    assert episode_files(first) == episode_files(second)
