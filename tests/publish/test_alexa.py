"""alexa.json, the flash briefing feed, against Amazon's rules: at most 5 items, newest first,
uids that never change, 10 s to 10 minutes each, story by story for a long episode or a
show of stories; and served as application/json at the address a device used."""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import publish_library_builder as builder  # loaded by path in conftest.py

from briefing.episodes import read_episode, write_manifest
from briefing.models import Episode, Rendition, Story, StoryTiming
from briefing.publish.alexa import alexa_items, falls_back, item_uid, render_alexa
from briefing.publish.serve import start_in_thread
from briefing.publish.update import publish_library

BASE = "https://news.example.org/briefing/"
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.0Z$")


def made(day: int, duration_s: float, spans=((1.0, 31.0), (31.0, 38.0), (38.0, 52.0)), alexa: bool = True) -> Episode:
    """An episode of November `day`, made at 07:00 UTC, with stories at `spans` and (if `alexa`) its rendition."""
    stories = tuple(StoryTiming(Story(f"Story {n} of the {day}th", ("One sentence.",)), start, end,
                                clip=f"clips/{n:02d}-story.mp3") for n, (start, end) in enumerate(spans, start=1))
    rendition = Rendition("alexa.mp3", 1000, 256, -14.1, -2.3, tuple(f"alexa/{n:02d}-story.mp3"
                                                                     for n in range(1, len(spans) + 1)))
    return Episode(id=f"2026-11-{day:02d}-abc{day:03d}", title=f"Briefing for November {day}", date=date(2026, 11, day),
                   folder=f"/nowhere/{day}", audio_path=f"/nowhere/{day}/briefing.mp3", duration_s=duration_s,
                   voice="heart", stories=stories, created=datetime(2026, 11, day, 7, tzinfo=timezone.utc),
                   alexa=rendition if alexa else None)


def test_items_are_in_amazons_format_newest_first():
    items = json.loads(render_alexa([made(26, 60.0), made(25, 70.0)], mode="episode", base_url=BASE))
    assert [set(item) for item in items] == [{"uid", "updateDate", "titleText", "mainText", "streamUrl",
                                              "redirectionUrl"}] * 2
    newest = items[0]
    assert newest == {
        "uid": item_uid(made(26, 60.0)), "updateDate": "2026-11-26T07:00:00.0Z", "titleText": "Briefing for November 26",
        "mainText": "", "streamUrl": BASE + "episodes/2026-11-26-abc026/alexa.mp3",
        "redirectionUrl": BASE + "index.html#episode-2026-11-26-abc026",
    }
    assert newest["uid"].startswith("urn:uuid:") and all(DATE.match(item["updateDate"]) for item in items)
    assert items[1]["updateDate"] < newest["updateDate"]


def test_at_most_five_items_and_the_newest():
    episodes = [made(day, 60.0) for day in range(28, 20, -1)]
    items = alexa_items(episodes, "episode", BASE)
    assert [item.title for item in items] == [f"Briefing for November {day}" for day in range(28, 23, -1)]


def test_a_show_of_stories_lists_each_story_of_ten_seconds_or_more_in_the_episodes_order():
    items = json.loads(render_alexa([made(26, 60.0), made(25, 60.0)], mode="stories", base_url=BASE))
    # Story 2 of each day lasts 7 s: under Amazon's 10 s, so it is left out.
    assert [item["titleText"] for item in items] == ["Story 1 of the 26th", "Story 3 of the 26th",
                                                     "Story 1 of the 25th", "Story 3 of the 25th"]
    assert items[0]["streamUrl"] == BASE + "episodes/2026-11-26-abc026/alexa/01-story.mp3"
    assert items[0]["updateDate"] == "2026-11-26T07:00:00.0Z" and items[1]["updateDate"] == "2026-11-26T06:59:58.0Z"
    assert len({item["uid"] for item in items}) == 4


def test_an_episode_over_ten_minutes_is_listed_story_by_story():
    long = made(26, 612.0, spans=((1.0, 200.0), (200.0, 400.0), (400.0, 610.0)))
    items = alexa_items([long, made(25, 60.0)], "episode", BASE)
    assert [item.title for item in items] == ["Story 1 of the 26th", "Story 2 of the 26th", "Story 3 of the 26th",
                                              "Briefing for November 25"]
    assert all(10 <= item.duration_s <= 600 for item in items)
    # publish_library names it, for a note; a show of stories lists every episode so: no note.
    assert (falls_back(long, "episode"), falls_back(long, "stories"), falls_back(made(25, 60.0), "episode")) == \
        (True, False, False)


def test_uids_stay_the_same_across_rewrites_moves_and_new_episodes():
    before = alexa_items([made(25, 60.0)], "stories", BASE)
    after = alexa_items([made(26, 60.0), made(25, 60.0)], "stories", "http://127.0.0.1:8000/")
    assert [i.uid for i in before] == [i.uid for i in after if i.title.endswith("25th")]
    assert len({i.uid for i in after}) == len(after)
    assert item_uid(made(25, 60.0)) not in {i.uid for i in after}  # the whole episode is another item


def test_episodes_made_before_renditions_and_too_short_ones_are_left_out():
    assert alexa_items([made(26, 60.0, alexa=False), made(25, 8.0)], "episode", BASE) == []


def test_alexa_json_is_published_and_served_as_json_at_the_address_used(tmp_path, audio_cache):
    long_enough = builder.FixtureEpisode(
        id="2026-11-27-a1a1a1", date="2026-11-27", created="2026-11-27T08:00:00+00:00",
        title="News briefing for Friday, November 27, 2026", duration_s=14.0, stories=builder.NEWER.stories)
    output = builder.make_library(tmp_path / "output", audio_cache, episodes=(builder.OLDER, long_enough))
    folder = output / "episodes" / long_enough.id
    shutil.copyfile(folder / "briefing.mp3", folder / "alexa.mp3")
    episode = read_episode(folder)
    write_manifest(replace(episode, alexa=Rendition("alexa.mp3", 1, 256, -14.0, -2.2, (None, None))), folder,
                   bitrate_kbps=64, sample_rate_hz=44100)
    publish_library(output)  # no base URL: the local server's address, moved to each device's
    server, url = start_in_thread(output)
    try:
        from urllib.request import urlopen

        with urlopen(url + "alexa.json", timeout=10) as response:
            assert response.headers["Content-Type"] == "application/json"
            items = json.loads(response.read())
    finally:
        server.shutdown()
        server.server_close()
    assert [item["streamUrl"] for item in items] == [f"{url}episodes/{long_enough.id}/alexa.mp3"]
    assert items[0]["redirectionUrl"] == f"{url}index.html#episode-{long_enough.id}"
    assert datetime.fromisoformat(items[0]["updateDate"].replace("Z", "+00:00")) - \
        datetime(2026, 11, 27, 8, tzinfo=timezone.utc) == timedelta(0)
