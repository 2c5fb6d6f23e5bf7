"""The podcast feed, read back by the parsers real podcast apps use.

feedparser (bozo must be 0), gPodder's podcastparser, and lxml for the exact
namespaced tags of the Apple (itunes:) and Podcasting 2.0 (podcast:) specs.
"""
from __future__ import annotations

import io
from dataclasses import replace

import feedparser
import podcastparser
import publish_library_builder as builder  # loaded by path in conftest.py
import pytest
from lxml import etree

from briefing.episodes import load_episodes
from briefing.models import Channel, Rendition
from briefing.publish.feed import (
    episode_guid,
    podcast_guid,
    render_feed,
    story_list_html,
)
from briefing.publish.update import publish_library

BASE = "https://news.example.org/briefing/"
NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}
NEWER, OLDER = builder.NEWER, builder.OLDER


@pytest.fixture
def feed_bytes(library) -> bytes:
    channel = Channel(email="news@example.org")
    return publish_library(library, base_url=BASE, channel=channel).feed_path.read_bytes()


def size_of(library, episode) -> int:
    return (library / "episodes" / episode.id / "briefing.mp3").stat().st_size


def test_feedparser_reads_the_feed_cleanly_with_every_field(feed_bytes, library):
    parsed = feedparser.parse(feed_bytes)
    assert parsed.bozo == 0
    assert parsed.version == "rss20"
    channel = parsed.feed
    assert channel.title == "News Briefing"
    assert channel.link == BASE + "index.html"
    assert channel.language == "en"
    assert channel.author == "briefing"
    assert channel.image.href == BASE + "cover.png"
    assert [t.term for t in channel.tags] == ["News"]
    assert channel.publisher_detail == {"name": "briefing", "email": "news@example.org"}
    assert channel.podcast_guid == podcast_guid(BASE + "feed.xml")

    assert [e.id for e in parsed.entries] == [f"briefing-episode-{NEWER.id}", f"briefing-episode-{OLDER.id}"]
    newest = parsed.entries[0]
    assert newest.title == NEWER.title
    assert newest.guidislink is False
    assert newest.published == "Thu, 26 Nov 2026 08:00:03 +0000"
    assert newest.itunes_duration == "8"
    assert newest.itunes_episodetype == "full"
    assert newest.link == BASE + f"index.html#episode-{NEWER.id}"
    [enclosure] = newest.enclosures
    assert enclosure == {
        "href": BASE + f"episodes/{NEWER.id}/briefing.mp3",
        "length": str(size_of(library, NEWER)),
        "type": "audio/mpeg",
    }
    assert newest.summary == (
        "<p>2 stories in this briefing:</p><ol>"
        '<li>0:00 <a href="https://www.ndtv.com/world/putin">Putin aims to expand the S-400 deal</a> '
        '(<a href="https://www.ndtv.com/world/putin">NDTV</a>, <a href="https://www.reuters.com/world/putin">Reuters</a>)'
        "</li>"
        '<li>0:03 <a href="https://www.bbc.co.uk/news/markets">Markets rise on rate hopes</a> (BBC)</li></ol>'
    )


def test_podcastparser_reads_what_gpodder_shows(feed_bytes, library):
    parsed = podcastparser.parse(BASE + "feed.xml", io.BytesIO(feed_bytes))
    assert parsed["title"] == "News Briefing"
    assert parsed["link"] == BASE + "index.html"
    assert parsed["cover_url"] == BASE + "cover.png"
    assert parsed["language"] == "en"
    assert parsed["itunes_author"] == "briefing"
    assert parsed["itunes_owner"] == {"name": "briefing", "email": "news@example.org"}
    assert parsed["itunes_categories"] == [["News"]]
    assert parsed["explicit"] is False
    assert parsed["type"] == "episodic"
    assert [e["guid"] for e in parsed["episodes"]] == [f"briefing-episode-{NEWER.id}", f"briefing-episode-{OLDER.id}"]
    newest = parsed["episodes"][0]
    assert newest["title"] == NEWER.title
    assert newest["published"] == 1795680003  # 2026-11-26T08:00:03Z
    assert newest["total_time"] == 8
    assert newest["enclosures"] == [
        {"url": BASE + f"episodes/{NEWER.id}/briefing.mp3", "file_size": size_of(library, NEWER),
         "mime_type": "audio/mpeg"}
    ]
    assert newest["description"].splitlines()[0] == "2 stories in this briefing:"
    assert "Putin aims to expand the S-400 deal (NDTV, Reuters)" in newest["description"]


def test_apple_and_podcasting20_tags_are_exact(feed_bytes, library):
    root = etree.fromstring(feed_bytes)
    channel = root.find("channel")
    assert root.get("version") == "2.0"
    assert root.nsmap["podcast"] == NS["podcast"] and root.nsmap["itunes"] == NS["itunes"]
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    assert channel.find("itunes:image", NS).get("href") == BASE + "cover.png"
    assert channel.find("itunes:category", NS).get("text") == "News"
    assert channel.findtext("podcast:guid", namespaces=NS) == podcast_guid(BASE + "feed.xml")
    assert channel.find("atom:link", NS).attrib == {
        "href": BASE + "feed.xml", "rel": "self", "type": "application/rss+xml"
    }
    assert channel.findtext("lastBuildDate") == "Thu, 26 Nov 2026 08:00:03 +0000"
    item = channel.find("item")
    assert item.find("guid").get("isPermaLink") == "false"
    episode_base = BASE + f"episodes/{NEWER.id}/"
    assert [t.attrib for t in item.findall("podcast:transcript", NS)] == [
        {"url": episode_base + "transcript.txt", "type": "text/plain", "language": "en"},
        {"url": episode_base + "transcript.json", "type": "application/json", "language": "en"},
        {"url": episode_base + "transcript.vtt", "type": "text/vtt", "language": "en", "rel": "captions"},
    ]
    assert channel.find("podcast:updateFrequency", NS) is None  # a library made by hand claims no schedule
    assert item.findall("podcast:soundbite", NS) == []  # the fixture's stories are 3-4 s, under 15 s
    assert item.find("podcast:chapters", NS).attrib == {
        "url": episode_base + "chapters.json", "type": "application/json+chapters"
    }


def test_podcast_guid_follows_the_spec_examples():
    # The two examples in podcast-namespace docs/tags/guid.md.
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert podcast_guid("podnews.net/rss////") == "9b024349-ccf0-5f69-a609-6b82873eab3c"


def test_episode_guids_do_not_change_when_the_feed_moves(library):
    episodes = load_episodes(library)
    one = render_feed(episodes, channel=Channel(), base_url="http://127.0.0.1:8000/")
    two = render_feed(episodes, channel=Channel(), base_url="https://elsewhere.example/")

    def guids(feed: bytes) -> list[str]:
        return [e.id for e in feedparser.parse(feed).entries]

    assert guids(one) == guids(two) == [episode_guid(e) for e in episodes]


def test_a_hostile_headline_stays_text_in_every_reader(feed_bytes):
    parsed = feedparser.parse(feed_bytes)
    older = parsed.entries[1]
    assert "<script" not in older.summary
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"
    link = "https://news.example.com/a?x=1&amp;y=2"
    assert f'<li>0:00 <a href="{link}">{escaped}</a> (Example Wire)</li>' in older.summary
    assert "<li>0:02 Rain expected across the north (Weather Desk)</li>" in older.summary  # javascript: is no link
    gpodder = podcastparser.parse(BASE + "feed.xml", io.BytesIO(feed_bytes))["episodes"][1]
    assert "<script" not in gpodder["description_html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in gpodder["description_html"]


def test_show_notes_fit_apples_4000_bytes(library):
    newest = load_episodes(library)[0]
    timing = newest.stories[0]
    many = tuple(replace(timing, story=replace(timing.story, headline=f"Story number {n} " + "é" * 80))
                 for n in range(1, 61))
    notes = story_list_html(replace(newest, stories=many))
    assert len(notes.encode()) <= 4000
    assert notes.startswith('<p>60 stories in this briefing:</p><ol><li>0:00 <a href="https://www.ndtv.com/world/putin">'
                            "Story number 1 ")
    shown = notes.count("<li>")
    assert notes.endswith(f"</ol><p>and {60 - shown} more</p>")
    assert shown == 11  # each item is about 350 bytes with its three links; the next one would not fit


def test_explicit_flag_is_apples_true_or_false(library):
    episodes = load_episodes(library)
    explicit = render_feed(episodes, channel=Channel(explicit=True), base_url=BASE)
    assert etree.fromstring(explicit).findtext("channel/itunes:explicit", namespaces=NS) == "true"
    assert podcastparser.parse(BASE, io.BytesIO(explicit))["explicit"] is True


def test_two_presenters_are_credited_in_the_feed(library):
    builder.make_two_presenters(library, builder.NEWER.id)
    feed = publish_library(library, base_url=BASE).feed_path.read_bytes()
    items = etree.fromstring(feed).findall("channel/item")
    persons = [(p.get("role"), p.text) for p in items[0].findall("{https://podcastindex.org/namespace/1.0}person")]
    assert persons == [("host", "Hannah"), ("host", "Joe")]
    assert items[1].findall("{https://podcastindex.org/namespace/1.0}person") == []
    parsed = feedparser.parse(feed)
    assert parsed.bozo == 0
    assert parsed.entries[0].summary.startswith("<p>2 stories in this briefing, presented by Hannah and Joe:</p>")


def with_long_stories_and_a_rendition(episode):
    """The episode with stories of 40 s, 160 s and 10 s, and a rendition for smart speakers."""
    spans = ((0.5, 40.5), (40.5, 200.5), (200.5, 210.5))
    timing = episode.stories[0]
    stories = tuple(replace(timing, story=replace(timing.story, headline=f"Story {n}"), start_s=start, end_s=end)
                    for n, (start, end) in enumerate(spans, start=1))
    alexa = Rendition("alexa.mp3", 7_000_000, 256, -14.1, -2.3, ("alexa/01.mp3", "alexa/02.mp3", "alexa/03.mp3"))
    return replace(episode, stories=stories, duration_s=212.0, alexa=alexa)


def test_podcasting20_soundbites_frequency_and_alternate_enclosure(library):
    newest, older = load_episodes(library)
    channel = Channel(update_frequency="daily")
    feed = render_feed([with_long_stories_and_a_rendition(newest), older], channel=channel, base_url=BASE)
    root = etree.fromstring(feed)
    frequency = root.find("channel/podcast:updateFrequency", NS)
    assert (frequency.text, frequency.attrib) == ("Daily", {"rrule": "FREQ=DAILY"})
    item = root.find("channel/item")
    bites = [(float(b.get("startTime")), float(b.get("duration")), b.text) for b in item.findall("podcast:soundbite", NS)]
    # Each inside its story and 15-120 s: the 160 s story gives its first 120 s, the 10 s one none.
    assert bites == [(0.5, 40.0, "Story 1"), (40.5, 120.0, "Story 2")]
    alternate = item.find("podcast:alternateEnclosure", NS)
    assert alternate.attrib == {"type": "audio/mpeg", "length": "7000000", "bitrate": "256000",
                                "title": "For smart speakers (Alexa: -14 LUFS)"}
    assert [s.get("uri") for s in alternate.findall("podcast:source", NS)] == [
        BASE + f"episodes/{NEWER.id}/alexa.mp3"]
    assert root.find("channel/item[2]/podcast:alternateEnclosure", NS) is None  # made before renditions

    parsed = feedparser.parse(feed)
    assert parsed.bozo == 0 and [e.enclosures[0].href for e in parsed.entries] == [
        BASE + f"episodes/{e.id}/briefing.mp3" for e in (NEWER, OLDER)]
    # gPodder reads feeds with podcastparser: the new tags leave the enclosure and the timed transcript as they were.
    gpodder = podcastparser.parse(BASE + "feed.xml", io.BytesIO(feed))["episodes"][0]
    assert [e["url"] for e in gpodder["enclosures"]] == [BASE + f"episodes/{NEWER.id}/briefing.mp3"]
    assert gpodder["total_time"] == 212


@pytest.mark.parametrize(("words", "label", "rule"), [
    ("weekdays", "Weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("weekly", "Weekly", "FREQ=WEEKLY"),
    ("FREQ=WEEKLY;BYDAY=SA", "FREQ=WEEKLY;BYDAY=SA", "FREQ=WEEKLY;BYDAY=SA"),
])
def test_a_show_says_how_often_it_comes(library, words, label, rule):
    feed = render_feed(load_episodes(library), channel=Channel(update_frequency=words), base_url=BASE)
    frequency = etree.fromstring(feed).find("channel/podcast:updateFrequency", NS)
    assert (frequency.text, frequency.get("rrule")) == (label, rule)
