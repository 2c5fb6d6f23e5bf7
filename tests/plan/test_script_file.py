"""The script file an editor edits: written and read back exactly, and every problem named by line."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.models import Alternate, EarlierStory
from briefing.plan.script_file import (
    ScriptError,
    looks_like_script,
    read_script_file,
    read_script_text,
    script_text,
    write_script_file,
)
from briefing.run.pipeline import BriefingRequest, plan_episode

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "articles"


@pytest.fixture(scope="module")
def planned(tmp_path_factory, sample_article):
    """Two presenters, five stories at a minute and a half: one left out for time."""
    request = BriefingRequest(sources=(str(EXAMPLES), str(sample_article)), output_dir=tmp_path_factory.mktemp("lib"),
                              day=date(2026, 11, 26), minutes=1.5, co_host="joe")
    return plan_episode(request)


def test_written_read_and_written_again_gives_the_same_bytes_and_script(planned, tmp_path):
    path = tmp_path / "script.md"
    write_script_file(planned.script, path)
    read = read_script_file(path, voices={"heart", "joe"})
    assert script_text(read).encode() == path.read_bytes()
    assert read.segments == planned.script.segments  # every line, speaker, pause and story, as planned
    assert [s.headline for s in read.stories] == [s.headline for s in planned.script.stories]
    assert [s.sentences for s in read.stories] == [s.sentences for s in planned.script.stories]
    assert [s.sources for s in read.stories] == [s.sources for s in planned.script.stories]
    assert [s.urls for s in read.stories] == [s.urls for s in planned.script.stories]
    assert [s.alternates for s in read.stories] == [s.alternates for s in planned.script.stories]
    assert read.hosts == planned.script.hosts and read.title == planned.script.title
    assert read.target_minutes == 1.5
    assert [item.story.headline for item in read.left_out] == [item.story.headline for item in planned.script.left_out]


def test_the_file_shows_what_an_editor_needs(planned):
    text = script_text(planned.script)
    lines = text.splitlines()
    assert lines[:4] == ["title: News briefing for Thursday, November 26th, 2026", "date: 2026-11-26",
                         "presenters: Hannah (heart), Joe (joe)", "target: 1.5 min"]
    assert "[intro Joe] And I'm Joe. Today, four stories." in lines
    assert lines.index("# Opening") < lines.index("# Stories") < lines.index("# Sign-off") < lines.index("# Left out")
    bridge = lines.index("## Harbour Bridge Reopens to Traffic After Two-Year, $1.2bn Restoration")
    assert lines[bridge + 1:bridge + 5] == [
        "from: Wellport Herald <https://www.wellportherald.com/news/harbour-bridge-reopens-after-restoration-2026>",
        "read by: Joe", "[handover Hannah] Joe, over to you.", "[transition] Now to another story, from Wellport Herald."]
    story = planned.script.stories[0]
    assert f"// {story.alternates[0].rank}. {story.alternates[0].text}" in lines
    putin = lines.index(next(line for line in lines if line.startswith("## Putin Aims")))
    assert putin > lines.index("# Left out") and lines[putin + 1] == "left out: for time"
    assert lines[putin + 2].startswith("from: NDTV <https://www.ndtv.com/world-news/vladimir-putin-india-visit")
    assert lines[putin + 3].startswith("During his upcoming India visit, Russian President Vladimir Putin")


def test_every_story_lists_the_rankers_next_best_sentences_with_their_ranks(planned):
    for story in planned.script.stories:
        assert 1 <= len(story.alternates) <= 4
        assert not {a.text for a in story.alternates} & set(story.sentences)
        assert [a.rank for a in story.alternates] == sorted(a.rank for a in story.alternates)


SCRIPT = """\
title: Test briefing
date: 2026-11-26
presenters: Hannah (heart), Joe (joe)

# Opening
Hello, and welcome.
[rundown Joe] Coming up: a bridge.

# Stories

## Bridge reopens
from: Wellport Herald <https://example.org/bridge>, 2026-11-25
from: <examples/bridge.txt>
update of: Bridge closes (2026-11-20, episode 2026-11-20-abc123)
read by: Joe
[transition] First, from Wellport Herald.
The bridge reopened on Monday.
\\// This line starts like a comment but is read.
\\[Note] So does this one.
// 3. An alternate sentence.

# Sign-off
[outro Joe] That's all.

# Left out

## Cup final
left out: on the excluded topic "football"
The final was played.

## Old news
left out: told before, nothing new since: Old news (2026-11-20, episode 2026-11-20-abc123)
It happened.
"""


def test_reading_a_hand_written_script():
    script = read_script_text(SCRIPT)
    assert [(s.kind, s.speaker, s.display, s.story_index, s.pause_after_ms) for s in script.segments] == [
        ("intro", "heart", "Hello, and welcome.", None, 1300),
        ("rundown", "joe", "Coming up: a bridge.", None, 1300),
        ("transition", "joe", "First, from Wellport Herald.", 0, 550),
        ("sentence", "joe", "The bridge reopened on Monday.", 0, 450),
        ("sentence", "joe", "// This line starts like a comment but is read.", 0, 450),
        ("sentence", "joe", "[Note] So does this one.", 0, 1300),
        ("outro", "joe", "That's all.", None, 0),
    ]
    story = script.stories[0]
    assert story.sources == ("Wellport Herald",) and story.urls == ("https://example.org/bridge",)
    assert story.articles[1].origin == "examples/bridge.txt" and story.published.isoformat() == "2026-11-25T00:00:00+00:00"
    assert story.update_of == EarlierStory("2026-11-20-abc123", date(2026, 11, 20), "Bridge closes")
    assert story.alternates == (Alternate(3, "An alternate sentence."),)
    assert [(i.reason, i.topic, i.told_in) for i in script.left_out] == [
        ("topic", "football", None), ("told", None, EarlierStory("2026-11-20-abc123", date(2026, 11, 20), "Old news"))]
    assert script_text(read_script_text(script_text(script))) == script_text(script)


def test_a_script_that_cannot_be_used_names_every_problem_by_line():
    bad = """\
title: Broken
date: 2026-11-26
presenters: Hannah (heart), Bob (bob)

# Opening
[intro Zed] Hello.
[shout] Hey!

# Stories

## Empty story
from: nowhere <>, yesterday

## Fine story
...
"""
    with pytest.raises(ScriptError) as caught:
        read_script_text(bad, "bad.md", voices={"heart", "joe"})
    assert caught.value.exit_code == 2
    assert caught.value.lines() == [
        "bad.md:3: no voice called 'bob'; known voices: heart, joe (see `briefing voices`)",
        "bad.md:6: no presenter called 'Zed'; the presenters are Hannah (add a voice to the header's presenters: line)",
        "bad.md:7: unknown line kind [shout]; use intro, rundown, transition, handover, sentence, outro",
        "bad.md:11: the story 'Empty story' has no sentence to read; add one, or move it under # Left out, or delete it",
        "bad.md:12: from: write the outlet, its link in <> and the date, e.g. from: NDTV "
        "<https://www.ndtv.com/story>, 2026-11-25",
        "bad.md:15: this line has no words to say; write the words, or delete the line",
    ]


def test_a_script_without_header_or_stories_says_so():
    with pytest.raises(ScriptError) as caught:
        read_script_text("# Opening\nHello.\n", "s.md")
    assert caught.value.lines() == [
        "s.md: the script has no story to read; put at least one ## story under # Stories",
        "s.md:1: the header needs a date: line, YYYY-MM-DD",
        "s.md:1: the header needs a presenters: line, e.g. presenters: Hannah (heart)",
        "s.md:1: the header needs a title: line",
    ]


def test_a_script_is_told_from_an_article():
    assert looks_like_script(SCRIPT)
    assert not looks_like_script((EXAMPLES / "03-river-flood-warning.md").read_text(encoding="utf-8"))


def test_the_readme_example_is_a_script_render_takes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("### The script format", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    script = read_script_text(example, "README.md", voices={"heart", "joe"})
    assert [s.headline for s in script.stories] == [
        "Harbour Bridge Reopens to Traffic After Two-Year, $1.2bn Restoration",
        "Chipmaker Norvex Posts Record Quarter as AI Server Demand Surges"]
    assert [s.speaker for s in script.segments if s.kind == "sentence"] == ["heart", "heart", "joe"]
    assert script.stories[0].alternates == (Alternate(4, "Engineers replaced 4,800 tonnes of corroded steel."),
                                            Alternate(6, "The restoration was funded jointly by the city and the "
                                                         "regional government."))
    assert [item.reason for item in script.left_out] == ["time"]
