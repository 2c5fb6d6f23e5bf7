"""render: a script as an editor left it becomes the episode, and each edit is followed in the
manifest, the transcript and the audio (by the stories' clip timings). A fake engine whose audio
length follows the text stands in for the voice; tests/e2e/test_edit.py uses the real one."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import webvtt

from briefing.audio.mp3 import mp3_duration_s
from briefing.plan import revise
from briefing.plan.script_draft import draft_script, script_draft, spoken_lines
from briefing.plan.script_file import draft_text, read_script_file
from briefing.run.pipeline import BriefingRequest, plan_episode
from briefing.run.render import RenderRequest, render_script

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


@pytest.fixture(scope="module")
def draft(tmp_path_factory, sample_article):
    planned = plan_episode(BriefingRequest(
        sources=(str(EXAMPLES), str(sample_article)), output_dir=tmp_path_factory.mktemp("plan"),
        day=date(2026, 11, 26), minutes=1.5, co_host="joe"))
    return script_draft(planned.script)


def render(draft, folder: Path, engine):
    """Write the draft to folder/script.md, read it as render does, and render it."""
    path = folder / "script.md"
    path.write_text(draft_text(draft), encoding="utf-8")
    script = read_script_file(path, voices={"heart", "joe"})
    return render_script(script, RenderRequest(output_dir=folder / "output", script_path=path), engine=engine)


def heard(result) -> list[tuple[str, float, float]]:
    episode = result.episode
    return [(" ".join(c.text.split()), c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000)
            for c in webvtt.read(episode.path(episode.transcript_vtt))]


def assert_follows(result, draft):
    """The episode tells the draft's stories in its order, each story's lines inside its clip's time."""
    manifest = json.loads(Path(result.manifest_path).read_text(encoding="utf-8"))
    assert [s["headline"] for s in manifest["stories"]] == [b.story.headline for b in draft.stories]
    cues = heard(result)
    for story, block in zip(manifest["stories"], draft.stories):
        lines = [line.display for line in block.lines if line.kind in ("transition", "sentence")]
        assert story["sentences"] == [line.display for line in block.lines if line.kind == "sentence"]
        assert story["host"] == block.reader
        own = [(start, end) for text, start, end in cues if text in lines]
        assert len(own) == len(lines)
        assert story["start_s"] == pytest.approx(min(s for s, _ in own), abs=0.002)
        assert story["end_s"] == pytest.approx(max(e for _, e in own), abs=0.002)
        clip = Path(result.episode.folder) / story["clip"]
        assert mp3_duration_s(clip) == pytest.approx(story["end_s"] - story["start_s"] + 0.3, abs=0.08)
    starts = [s["start_s"] for s in manifest["stories"]]
    assert starts == sorted(starts)
    spoken = [line.display for line in spoken_lines(draft)]
    assert [text for text, _, _ in cues] == spoken
    assert Path(result.episode.folder, result.episode.transcript_text).read_text(encoding="utf-8").split() == \
        " ".join(spoken).split()
    return manifest


def sentence_index(block, nth: int = 0) -> int:
    return [i for i, line in enumerate(block.lines) if line.kind == "sentence"][nth]


EDITS = {
    "reorder": lambda d: revise.move_story(d, 3, 0),
    "cut": lambda d: revise.drop_story(d, 1),
    "bring back": lambda d: revise.restore_story(d, 0),
    "edit a sentence": lambda d: revise.edit_line(d, ("story", 2, sentence_index(d.stories[2])),
                                                   "Norvex sold more memory chips than ever before."),
    "swap an alternate": lambda d: revise.swap_alternate(d, 0, sentence_index(d.stories[0]), 0),
    "change a presenter": lambda d: revise.set_reader(d, 1, "heart"),
    "add a line": lambda d: revise.add_line(d, 3, "Astronomers will publish the full images next week."),
}


@pytest.fixture(scope="module")
def original(draft, tmp_path_factory, tone_engine_class):
    folder = tmp_path_factory.mktemp("render")
    engine = tone_engine_class()
    return folder, render(draft, folder, engine), engine


def test_the_script_as_planned_renders_as_planned(draft, original):
    _, result, _ = original
    assert_follows(result, draft)
    assert result.segments_synthesized == result.segments_total


@pytest.mark.parametrize("edit", list(EDITS))
def test_render_follows_each_kind_of_edit(edit, draft, original, tmp_path, tone_engine_class):
    folder, first, engine = original
    edited = EDITS[edit](draft)
    assert edited != draft
    result = render(edited, folder, engine)
    manifest = assert_follows(result, edited)
    assert result.episode.id != first.episode.id
    episodes = sorted(p.name for p in (folder / "output" / "episodes").iterdir())
    assert episodes == [result.episode.id], "the previous render of the same script file is replaced"
    feed = (folder / "output" / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 1
    said = lambda d: {(line.display, line.speaker) for line in spoken_lines(d)}  # noqa: E731
    # Only lines new here (or said by another voice) are spoken; earlier edits' renders cached some of them.
    assert 0 < result.segments_synthesized <= len(said(edited) - said(draft))
    if edit == "edit a sentence":
        assert result.segments_synthesized == 1
    if edit == "cut":
        assert draft.stories[1].story.headline in manifest["left_out"]


def test_an_edited_line_is_read_through_the_same_normalizer(draft, tmp_path, tone_engine):
    edited = revise.edit_line(draft, ("story", 0, sentence_index(draft.stories[0])), "It rose 2.5% on 5 May.")
    script = draft_script(edited)
    result = render_script(script, RenderRequest(output_dir=tmp_path), engine=tone_engine)
    assert "It rose two point five percent on the fifth of May." in tone_engine.spoken
    assert json.loads(Path(result.manifest_path).read_text())["stories"][0]["sentences"][0] == "It rose 2.5% on 5 May."
