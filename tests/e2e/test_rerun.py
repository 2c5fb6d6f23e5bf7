"""End to end: `generate` run again with nothing changed is answered from the last
run (rerun.py), which must be exactly what a full run would leave behind; any
change to a source or to the library makes it a full run again."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.run.record import RECORD

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def generate(news: Path, output: Path, *, python: tuple[str, ...] = (), reordered: bool = False) -> dict:
    options = ["--minutes", "0.5", "--voice", "heart", "--date", "2026-11-24", "--json"]
    args = [*options, str(news), "--output", str(output)] if reordered else [str(news), "-o", str(output), *options]
    run = subprocess.run([sys.executable, *python, "-m", "briefing", "generate", *args],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    result["imported"] = re.findall(r"^import time:.*\| +(\S+)$", run.stderr, re.M)
    return result


def answered_from_record(result: dict) -> bool:
    return list(result["timings_s"]) == ["reused"]


def library_bytes(output: Path) -> dict[str, str]:
    """Every published file's digest (the caches and the lock aside)."""
    return {str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(output.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(output).parts)}


def test_a_repeated_run_is_answered_from_the_last_one_until_something_changes(tmp_path):
    news, output = tmp_path / "news", tmp_path / "out"
    news.mkdir()
    shutil.copy(ROOT / "examples" / "articles" / "01-harbour-bridge-reopens.txt", news)
    first = generate(news, output)
    made = library_bytes(output)

    # The same command line is answered before the command-line framework is loaded.
    again = generate(news, output, python=("-X", "importtime"))
    assert answered_from_record(again) and "briefing.run.record" in again["imported"]
    assert "typer" not in again["imported"] and "briefing.run.pipeline" not in again["imported"]
    assert {**again, "timings_s": None, "imported": None} == {**first, "segments_synthesized": 0, "timings_s": None,
                                                              "imported": None}
    # Another command line that means the same is answered once it is parsed.
    reordered = generate(news, output, python=("-X", "importtime"), reordered=True)
    assert answered_from_record(reordered) and "typer" in reordered["imported"]
    assert "briefing.run.pipeline" not in reordered["imported"]

    # What it skipped is what a full run does: a full run changes no byte of the library.
    (output / RECORD).unlink()
    full = generate(news, output)
    assert not answered_from_record(full) and full["episode"] == first["episode"]
    assert library_bytes(output) == made
    assert answered_from_record(generate(news, output))

    # A removed episode file: a full run, which makes it again.
    Path(first["mp3"]).unlink()
    remade = generate(news, output)
    assert not answered_from_record(remade) and Path(remade["mp3"]).stat().st_size > 0

    # An article edited in place: a full run, and the new episode.
    shutil.copy(ROOT / "examples" / "articles" / "04-space-telescope.txt", news / "01-harbour-bridge-reopens.txt")
    edited = generate(news, output)
    assert not answered_from_record(edited) and edited["episode"] != first["episode"]
    assert "telescope" in Path(edited["manifest"]).read_text().lower()


def test_a_repeated_run_says_again_what_was_skipped_and_exits_as_before(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "empty.txt").write_bytes(b"")
    shutil.copy(ROOT / "examples" / "articles" / "01-harbour-bridge-reopens.txt", news)
    command = [sys.executable, "-m", "briefing", "generate", str(news), "-o", str(tmp_path / "out"),
               "--minutes", "0.5", "--date", "2026-11-24"]
    first, again = (subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300) for _ in range(2))
    assert first.returncode == again.returncode == 3, again.stderr
    assert "Nothing changed since the last run" in again.stderr
    skipped = [line for line in again.stderr.splitlines() if line.startswith("skipped:")]
    assert skipped == [line for line in first.stderr.splitlines() if line.startswith("skipped:")]
    assert len(skipped) == 1 and "empty.txt" in skipped[0]
