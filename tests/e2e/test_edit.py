"""End to end, with the real heart voice and the command line: plan, edit the text file, render.

`generate` is `plan` then `render` with no edit: the same MP3 bytes. An edit of one sentence
re-speaks that sentence only and replaces the episode the plan stood for."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SOURCES = [str(ROOT / "examples/articles/01-harbour-bridge-reopens.txt"),
           str(ROOT / "examples/articles/02-chipmaker-earnings.txt")]
OLD = "Norvex Semiconductor reported record quarterly revenue on Wednesday"
NEW = "Norvex Semiconductor reported the best quarter in its history on Wednesday"


def briefing(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edit")
    library, script = folder / "output", folder / "script.md"
    generated = briefing("generate", *SOURCES, "-o", str(library), "--minutes", "1", "--date", "2026-11-26", "--json")
    assert generated.returncode == 0, generated.stderr
    made = json.loads(generated.stdout)
    generated_mp3 = Path(made["mp3"]).read_bytes()
    planned = briefing("plan", *SOURCES, "-o", str(script), "-l", str(library), "--minutes", "1", "--date", "2026-11-26")
    rendered = briefing("render", str(script), "-o", str(library), "--json")
    return folder, made, generated_mp3, planned, rendered


def test_plan_says_where_the_script_is_and_what_to_do_next(runs):
    folder, _, _, planned, _ = runs
    assert planned.returncode == 0, planned.stderr
    lines = planned.stderr.splitlines()
    assert lines[0].startswith(f"Wrote {folder / 'script.md'}: 2 stories, about ")
    assert lines[1] == f"Edit it, then make the episode: briefing render {folder / 'script.md'} -o {folder / 'output'}"


def test_generate_is_plan_then_render_in_mp3_bytes(runs):
    _, made, generated_mp3, _, rendered = runs
    assert rendered.returncode == 0, rendered.stderr
    record = json.loads(rendered.stdout)
    assert record["episode"] == made["episode"]
    assert record["segments_synthesized"] == 0
    assert Path(record["mp3"]).read_bytes() == generated_mp3


def test_an_edit_respeaks_one_sentence_and_replaces_the_episode(runs):
    folder, made, _, _, _ = runs
    script = folder / "script.md"
    text = script.read_text(encoding="utf-8")
    assert text.count(OLD) == 1
    script.write_text(text.replace(OLD, NEW), encoding="utf-8")
    edited = briefing("render", str(script), "-o", str(folder / "output"))
    assert edited.returncode == 0, edited.stderr
    assert "1 of " in edited.stderr and " segments synthesized" in edited.stderr
    assert "Length " in edited.stderr and "against a target of 1:00" in edited.stderr
    episodes = [p.name for p in (folder / "output" / "episodes").iterdir()]
    assert len(episodes) == 1 and episodes[0] != made["episode"]
    manifest = json.loads((folder / "output" / "episodes" / episodes[0] / "episode.json").read_text())
    assert any(s.startswith(NEW) for story in manifest["stories"] for s in story["sentences"])
    transcript = (folder / "output" / "episodes" / episodes[0] / "transcript.txt").read_text()
    assert NEW in transcript and OLD not in transcript
    feed = (folder / "output" / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 1 and episodes[0] in feed


def test_a_script_that_cannot_be_used_gets_a_line_per_problem_and_exit_2(tmp_path):
    script = tmp_path / "bad.md"
    script.write_text("title: T\ndate: 2026-11-26\npresenters: Nobody (nobody)\n\n# Opening\n\n# Stories\n\n"
                      "## A story with nothing to say\n[transition] Next.\n", encoding="utf-8")
    result = briefing("render", str(script), "-o", str(tmp_path / "output"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: {script}:3: no voice called 'nobody'; known voices: gtts-us, heart, joe (see `briefing voices`)",
        f"error: {script}:9: the story 'A story with nothing to say' has no sentence to read; add one, or move it "
        "under # Left out, or delete it",
    ]
    assert not (tmp_path / "output").exists()
