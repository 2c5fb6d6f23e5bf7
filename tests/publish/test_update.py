"""The episode library: reading manifests, retiring old episodes, publishing atomically."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import publish_library_builder as builder  # loaded by path in conftest.py
import pytest

from briefing.episodes import LOCK_FILE, load_episodes
from briefing.errors import BriefingError
from briefing.models import Channel
from briefing.publish.update import publish_library, read_feed_base_url, retire_episodes

NEWER, OLDER = builder.NEWER, builder.OLDER


def test_episodes_load_newest_first_with_their_stories(library):
    episodes = load_episodes(library)
    assert [e.id for e in episodes] == [NEWER.id, OLDER.id]
    newest = episodes[0]
    assert newest.title == NEWER.title
    assert newest.duration_s == 8.0
    assert newest.audio_bytes == (library / "episodes" / NEWER.id / "briefing.mp3").stat().st_size
    assert [t.story.headline for t in newest.stories] == [s.headline for s in NEWER.stories]
    assert newest.stories[0].story.sources == ("NDTV", "Reuters")
    assert newest.stories[1].clip == "clips/02-story-2.mp3"
    assert newest.stories[1].story.published is None


def test_same_day_episodes_are_ordered_by_creation_time(library, audio_cache):
    later = builder.FixtureEpisode(
        id="2026-11-26-ffffff", date="2026-11-26", created="2026-11-26T18:30:00+00:00",
        title="Evening briefing", duration_s=5.0, stories=OLDER.stories,
    )
    builder.write_episode(library, later, audio_cache)
    assert [e.id for e in load_episodes(library)] == [later.id, NEWER.id, OLDER.id]


def test_unfinished_and_broken_episodes_are_left_out_and_reported(library):
    (library / "episodes" / "2026-11-27-000000").mkdir()
    broken = library / "episodes" / "2026-11-24-bad000"
    shutil.copytree(library / "episodes" / OLDER.id, broken)
    manifest = json.loads((broken / "episode.json").read_text())
    manifest["id"] = broken.name
    manifest["audio"]["file"] = "../../../../etc/passwd"
    (broken / "episode.json").write_text(json.dumps(manifest))

    result = publish_library(library)

    assert result.episodes == (NEWER.id, OLDER.id)
    reasons = {Path(s.source).name: s.reason for s in result.skipped}
    assert reasons == {
        "2026-11-27-000000": "it has no episode.json yet; finish or re-run briefing generate, or delete the folder",
        "2026-11-24-bad000": "its audio '../../../../etc/passwd' is missing; re-run briefing generate",
    }


def test_files_the_manifest_names_but_the_folder_lacks_are_not_published(library):
    folder = library / "episodes" / NEWER.id
    (folder / "transcript.txt").unlink()
    (folder / "clips" / "01-story-1.mp3").unlink()
    newest = load_episodes(library)[0]
    assert newest.transcript_text is None
    assert newest.transcript_vtt == "transcript.vtt"
    assert [s.clip for s in newest.stories] == [None, "clips/02-story-2.mp3"]


def test_retire_deletes_oldest_episodes_beyond_keep(library):
    assert retire_episodes(library, keep=1) == (OLDER.id,)
    assert sorted(p.name for p in (library / "episodes").iterdir()) == [NEWER.id]
    assert retire_episodes(library, keep=1) == ()


def test_keep_below_one_is_refused(library):
    with pytest.raises(BriefingError, match=r"--keep 0 would delete every episode; give 1 or more\."):
        retire_episodes(library, keep=0)
    assert len(load_episodes(library)) == 2


def test_publish_with_keep_drops_old_episodes_from_disk_feed_and_page(library):
    result = publish_library(library, keep=1)
    assert result.retired == (OLDER.id,)
    assert result.episodes == (NEWER.id,)
    assert not (library / "episodes" / OLDER.id).exists()
    feed = (library / "feed.xml").read_text()
    page = (library / "index.html").read_text()
    assert NEWER.id in feed and OLDER.id not in feed
    assert NEWER.id in page and OLDER.id not in page


def test_publish_writes_podcasting20_chapters_per_episode(library):
    publish_library(library)
    chapters = json.loads((library / "episodes" / NEWER.id / "chapters.json").read_text())
    assert chapters == {
        "version": "1.2.0",
        "title": NEWER.title,
        "podcastName": "News Briefing",
        "author": "briefing",
        "chapters": [
            {"startTime": 0.5, "endTime": 3.5, "title": "Putin aims to expand the S-400 deal",
             "url": "https://www.ndtv.com/world/putin"},
            {"startTime": 3.5, "endTime": 7.5, "title": "Markets rise on rate hopes",
             "url": "https://www.bbc.co.uk/news/markets"},
        ],
    }
    older = json.loads((library / "episodes" / OLDER.id / "chapters.json").read_text())
    # A javascript: link from an article never becomes a chapter link.
    assert [c.get("url") for c in older["chapters"]] == ["https://news.example.com/a?x=1&y=2", None]


def test_publish_is_deterministic_and_leaves_no_temp_files(library):
    first = publish_library(library, base_url="https://example.com/briefing")
    feed, page = first.feed_path.read_bytes(), first.page_path.read_bytes()
    second = publish_library(library, base_url="https://example.com/briefing")
    assert second.feed_path.read_bytes() == feed
    assert second.page_path.read_bytes() == page
    assert first.feed_url == "https://example.com/briefing/feed.xml"
    leftovers = [p for p in library.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == [library / LOCK_FILE]  # kept: removing a lock file races with the next run
    assert sorted(p.name for p in library.iterdir()) == [LOCK_FILE, "alexa.json", "cover.png", "episodes", "feed.xml",
                                                          "index.html", "static"]
    assert sorted(p.name for p in (library / "static").iterdir()) == ["briefing.css", "briefing.js"]


def test_an_existing_cover_is_kept(library):
    (library / "cover.png").write_bytes(b"my own art")
    result = publish_library(library, channel=Channel(title="Other"))
    assert result.cover_path.read_bytes() == b"my own art"


def test_the_feed_remembers_its_base_url(library):
    assert read_feed_base_url(library) is None
    publish_library(library, base_url="https://example.com/news")
    assert read_feed_base_url(library) == "https://example.com/news/"
    publish_library(library, base_url=None)
    assert read_feed_base_url(library) == "http://127.0.0.1:8000/"


def test_a_base_url_that_is_not_http_is_refused(library):
    with pytest.raises(BriefingError, match=r"The base URL 'ftp://example\.com/' is not an http\(s\) URL"):
        publish_library(library, base_url="ftp://example.com/")


def test_an_empty_library_still_gets_a_feed_and_page(tmp_path):
    result = publish_library(tmp_path / "fresh")
    assert result.episodes == ()
    assert "No episodes yet" in result.page_path.read_text()
    assert "<item>" not in result.feed_path.read_text()
