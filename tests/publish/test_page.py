"""The library's web page as rendered HTML: order, escaping, players, transcript."""
from __future__ import annotations

import lxml.html
import publish_library_builder as builder  # loaded by path in conftest.py
import pytest

from briefing.publish.update import publish_library

NEWER, OLDER = builder.NEWER, builder.OLDER


def C(name: str) -> str:
    """XPath predicate: the element has this class."""
    return f"[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


@pytest.fixture
def page(library):
    result = publish_library(library, base_url="https://example.com/news/")
    source = result.page_path.read_text(encoding="utf-8")
    return source, lxml.html.fromstring(source)


def test_episodes_are_listed_newest_first(page):
    _, doc = page
    ids = [a.get("id") for a in doc.xpath(f"//article{C('episode')}")]
    assert ids == [f"episode-{NEWER.id}", f"episode-{OLDER.id}"]
    assert [h.text_content() for h in doc.xpath(f"//article{C('episode')}//h2")] == [NEWER.title, OLDER.title]
    assert doc.xpath(f"//article{C('episode')}//*{C('meta')}")[0].text_content() == "8 s · 2 stories"


def test_a_hostile_headline_is_escaped_text(page):
    source, doc = page
    assert builder.HOSTILE_HEADLINE not in source
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in source
    headline = doc.xpath(f"//*[@id='episode-{OLDER.id}']//*{C('story')}//*{C('headline')}")[0]
    assert headline.text_content() == builder.HOSTILE_HEADLINE
    scripts = doc.xpath("//script")
    assert [s.get("src") for s in scripts] == ["static/briefing.js"]
    assert all(not (s.text or "").strip() for s in scripts)


def test_only_web_links_from_articles_are_linked(page):
    _, doc = page
    hrefs = [a.get("href") for a in doc.xpath(f"//*[@id='episode-{OLDER.id}']//*{C('story')}//a")]
    assert hrefs == ["https://news.example.com/a?x=1&y=2"]


def test_each_story_has_a_play_button_for_its_clip(page, library):
    _, doc = page
    buttons = doc.xpath(f"//*[@id='episode-{NEWER.id}']//button{C('play')}")
    assert [b.get("data-clip") for b in buttons] == [
        f"episodes/{NEWER.id}/clips/01-story-1.mp3",
        f"episodes/{NEWER.id}/clips/02-story-2.mp3",
    ]
    assert [b.get("data-offset") for b in buttons] == ["0.500", "3.500"]
    assert [b.text_content() for b in buttons] == ["Play story 1", "Play story 2"]
    assert all(b.get("type") == "button" for b in buttons)
    for button in buttons:
        assert (library / button.get("data-clip")).is_file()


def test_full_episode_player_and_transcript_follow_the_vtt(page):
    _, doc = page
    [audio] = doc.xpath(f"//*[@id='episode-{NEWER.id}']//audio{C('episode-audio')}")
    assert audio.get("src") == f"episodes/{NEWER.id}/briefing.mp3"
    assert audio.get("controls") is not None
    cues = doc.xpath(f"//*[@id='episode-{NEWER.id}']//button{C('cue')}")
    expected = builder.cues_of(NEWER)
    assert [(float(c.get("data-start")), float(c.get("data-end"))) for c in cues] == [
        (start, end) for start, end, _ in expected
    ]
    assert [c.xpath(f".//*{C('text')}")[0].text_content() for c in cues] == [text for _, _, text in expected]
    assert [c.get("data-story") for c in cues] == ["1", "1", "1", "2", "2", "2", "2"]


def test_only_the_newest_transcript_starts_open(page):
    _, doc = page
    assert [d.get("open") is not None for d in doc.xpath(f"//details{C('transcript')}")] == [True, False]


def test_page_forbids_inline_script_and_outside_resources(page):
    _, doc = page
    [policy] = doc.xpath("//meta[@http-equiv='Content-Security-Policy']")
    assert policy.get("content").startswith("default-src 'none'; script-src 'self';")
    assert doc.xpath("//meta[@name='viewport']")[0].get("content") == "width=device-width, initial-scale=1"
    assert doc.xpath("//code")[0].text_content() == "https://example.com/news/feed.xml"
    local = [e.get("src") or e.get("href") for e in doc.xpath("//*[@src] | //link[@href]")]
    assert all("://" not in url for url in local)


def test_the_date_is_shown_when_the_title_does_not_say_it(library):
    import json

    manifest_path = library / "episodes" / NEWER.id / "episode.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["title"] = "Morning briefing"
    manifest_path.write_text(json.dumps(manifest))
    doc = lxml.html.fromstring(publish_library(library).page_path.read_text())
    [meta] = doc.xpath(f"//*[@id='episode-{NEWER.id}']//*{C('meta')}")
    assert meta.text_content() == "Thursday, November 26, 2026 · 8 s · 2 stories"
    assert meta.xpath("time/@datetime") == ["2026-11-26"]


def test_a_broken_vtt_leaves_the_episode_without_a_transcript(library):
    (library / "episodes" / NEWER.id / "transcript.vtt").write_text("not a WebVTT file\n")
    doc = lxml.html.fromstring(publish_library(library).page_path.read_text())
    assert doc.xpath(f"//*[@id='episode-{NEWER.id}']//details") == []
    assert len(doc.xpath(f"//*[@id='episode-{NEWER.id}']//button{C('play')}")) == 2


def test_two_presenters_are_named_on_the_page(library):
    builder.make_two_presenters(library, NEWER.id)
    doc = lxml.html.fromstring(publish_library(library).page_path.read_text(encoding="utf-8"))
    newest = doc.xpath(f"//article{C('episode')}")[0]
    assert newest.xpath(f".//*{C('meta')}")[0].text_content().endswith("presented by Hannah and Joe")
    stories = newest.xpath(f".//li{C('story')}")
    assert [s.get("data-reader") for s in stories] == ["Hannah", "Joe"]
    assert [s.xpath(f".//*{C('reader')}")[0].text_content() for s in stories] == ["read by Hannah", "read by Joe"]
    speakers = [s.text_content() for s in newest.xpath(f".//*{C('cue')}//*{C('speaker')}")]
    assert speakers[:3] == ["Hannah:", "Hannah:", "Hannah:"] and "Joe:" in speakers
    older = doc.xpath(f"//article{C('episode')}")[1]
    assert not older.xpath(f".//*{C('speaker')}") and not older.xpath(f".//*{C('reader')}")


def test_each_word_of_the_transcript_carries_its_time_from_transcript_json(page):
    _, doc = page
    [first] = doc.xpath(f"//*[@id='episode-{NEWER.id}']//button{C('cue')}")[:1]
    words = first.xpath(f".//*{C('word')}")
    expected = builder.words_of(builder.cues_of(NEWER))[:len(words)]
    assert [(float(w.get("data-start")), float(w.get("data-end")), w.text_content()) for w in words] == expected
    assert first.xpath(f".//*{C('text')}")[0].text_content() == "First sentence one."
    assert doc.xpath(f"//*[@id='episode-{NEWER.id}']//*{C('hint')}")[0].text_content() == \
        "Select a sentence, or a word, to play from there."


def test_a_transcript_json_that_does_not_spell_the_cues_leaves_the_sentences_whole(library):
    import json

    path = library / "episodes" / NEWER.id / "transcript.json"
    document = json.loads(path.read_text())
    document["segments"][4]["body"] = "edited"  # the second cue's second word
    path.write_text(json.dumps(document))
    doc = lxml.html.fromstring(publish_library(library).page_path.read_text())
    cues = doc.xpath(f"//*[@id='episode-{NEWER.id}']//button{C('cue')}")
    assert [len(c.xpath(f".//*{C('word')}")) for c in cues] == [3, 0, 0, 0, 0, 0, 0]
    assert cues[1].xpath(f".//*{C('text')}")[0].text_content() == "First sentence two."
