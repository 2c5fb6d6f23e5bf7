"""An editor's changes to a script, and the presenter lines that follow them."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.plan import revise
from briefing.plan.script_draft import script_draft
from briefing.plan.script_file import draft_text
from briefing.plan.script_parse import read_draft
from briefing.run.pipeline import BriefingRequest, plan_episode

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


@pytest.fixture(scope="module", params=[None, "joe"], ids=["one presenter", "two presenters"])
def draft(request, tmp_path_factory, sample_article):
    planned = plan_episode(BriefingRequest(
        sources=(str(EXAMPLES), str(sample_article)), output_dir=tmp_path_factory.mktemp("lib"),
        day=date(2026, 11, 26), minutes=1.5, co_host=request.param))
    return script_draft(planned.script)


def presenter_lines(draft):
    return ([line.display for line in draft.opening]
            + [line.display for block in draft.stories for line in block.lines if line.kind != "sentence"]
            + [line.display for line in draft.sign_off])


def test_the_planners_presenter_lines_are_worded_again_the_same(draft):
    assert sorted(revise.planned_lines(draft).values()) == sorted(presenter_lines(draft))


def test_moving_the_last_story_first_rewords_the_untouched_presenter_lines(draft):
    last = draft.stories[-1].story.headline
    moved = revise.move_story(draft, len(draft.stories) - 1, 0)
    assert moved.stories[0].story.headline == last
    assert moved.stories[0].lines[0].kind == "transition"
    assert moved.stories[0].lines[0].display.split(",")[0].rstrip(".") in ("First", "To begin", "Our first story")
    final = next(line for line in moved.stories[-1].lines if line.kind == "transition")
    assert final.display.split(",")[0].rstrip(".") in ("And finally", "Finally today", "And our last story")
    assert sorted(revise.planned_lines(moved).values()) == sorted(presenter_lines(moved))
    assert read_draft(draft_text(moved)) == read_draft(draft_text(moved))


def test_a_presenter_line_the_editor_rewrote_stays_as_written(draft):
    edited = revise.edit_line(draft, ("story", 1, [line.kind for line in draft.stories[1].lines].index("transition")),
                              "And now, something completely different.")
    moved = revise.move_story(edited, 1, 0)
    assert "And now, something completely different." in [line.display for line in moved.stories[0].lines]


def test_dropping_a_story_puts_it_under_left_out_and_the_count_follows(draft):
    dropped = revise.drop_story(draft, 0)
    assert len(dropped.stories) == len(draft.stories) - 1
    assert dropped.left_out[0].story.headline == draft.stories[0].story.headline
    assert dropped.left_out[0].left_out.reason == "editor"
    assert any("Today, three stories." in line.display for line in dropped.opening)
    back = revise.restore_story(dropped, 0)
    assert back.stories[-1].story.headline == draft.stories[0].story.headline
    assert [line.kind for line in back.stories[-1].lines][-1] == "sentence"
    assert "transition" in [line.kind for line in back.stories[-1].lines]
    assert any("Today, four stories." in line.display for line in back.opening)


def test_swapping_in_an_alternate_keeps_the_sentence_it_replaced(draft):
    block = draft.stories[0]
    number = [line.kind for line in block.lines].index("sentence")
    old, alternate = block.lines[number].display, block.story.alternates[1]
    swapped = revise.swap_alternate(draft, 0, number, 1)
    assert swapped.stories[0].lines[number].display == alternate.text
    assert swapped.stories[0].story.alternates[1].text == old and swapped.stories[0].story.alternates[1].rank == 0


def test_lines_are_added_and_deleted_but_a_story_keeps_a_sentence(draft):
    added = revise.add_line(draft, 0, "  A correction:   the bridge opened on Tuesday. ")
    assert added.stories[0].lines[-1].display == "A correction: the bridge opened on Tuesday."
    assert added.stories[0].lines[-1].speaker == draft.stories[0].reader
    one_sentence = next(i for i, b in enumerate(draft.stories) if sum(line.kind == "sentence" for line in b.lines) == 1)
    last = [line.kind for line in draft.stories[one_sentence].lines].index("sentence")
    with pytest.raises(revise.EditError, match="A story needs a sentence"):
        revise.edit_line(draft, ("story", one_sentence, last), "   ")


def test_changing_who_reads_a_story(draft):
    if len(draft.hosts) < 2:  # only a presenter of the script may read
        with pytest.raises(revise.EditError, match=r"^There is no presenter 'joe' in this script\.$"):
            revise.set_reader(draft, 1, "joe")
        return
    changed = revise.set_reader(draft, 1, "heart")
    block = changed.stories[1]
    assert block.reader == "heart"
    assert {line.speaker for line in block.lines if line.kind in ("transition", "sentence")} == {"heart"}
    assert not [line for line in changed.stories[1].lines if line.kind == "handover"]  # Hannah reads on: no handover
    assert sorted(revise.planned_lines(changed).values()) == sorted(presenter_lines(changed))
