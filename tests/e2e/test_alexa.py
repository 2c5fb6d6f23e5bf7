"""End to end: alexa.json, as a smart speaker's flash briefing reads it, on a two-day library
made with the real heart voice, and a show that lists stories.

Day one's episode runs over Alexa's 10 minutes, so it is listed story by story (with a
note); day two's is listed whole. A second show, of stories, makes day two from the same
segment cache. Each feed is read from the real server, and every stream it names is
decoded and measured with ffmpeg's ebur128: Amazon's -14 LUFS (+-1), a true peak of at
most -2 dBFS, 256 kbps, 10 s to 10 minutes.
"""
from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from urllib.request import urlopen

import pytest
from mutagen.mp3 import MP3

from briefing.audio.ffmpeg import ffmpeg_exe, measure_loudness
from briefing.ingest import IngestOptions
from briefing.models import Channel
from briefing.publish.serve import start_in_thread
from briefing.publish.update import publish_library
from briefing.run.pipeline import BriefingResult, build_briefing
from briefing.run.show_file import show_from_table

pytestmark = pytest.mark.e2e

ARTICLES = sorted((Path(__file__).parents[1] / "fixtures" / "bbc-dev" / "article").glob("*/*.txt"))
DAY_ONE, DAY_TWO = date(2026, 11, 24), date(2026, 11, 25)


def make(show_table: dict, folder: Path, day: date, sources: list[Path], cache: Path, engine) -> BriefingResult:
    show = show_from_table({**show_table, "sources": [str(s) for s in sources]}, folder / "show.toml")
    request = replace(show.request(day, ingest=IngestOptions()), cache_dir=cache, retell=True)
    return build_briefing(request, engine=engine)


@pytest.fixture(scope="module")
def libraries(tmp_path_factory, hibari_engine):
    root = tmp_path_factory.mktemp("alexa")
    daily = {"title": "Harbor Daily", "voice": "heart", "output": "daily", "minutes": 10.5}
    stories = {"title": "Harbor Stories", "voice": "heart", "output": "stories", "minutes": 1.5, "alexa": "stories"}
    long_day = make(daily, root, DAY_ONE, ARTICLES[:16], root / "segments", hibari_engine)
    short_day = make({**daily, "minutes": 1.5}, root, DAY_TWO, ARTICLES[40:42], root / "segments", hibari_engine)
    story_day = make(stories, root, DAY_TWO, ARTICLES[40:42], root / "segments", hibari_engine)
    return root, long_day, short_day, story_day


def read_feed(output: Path) -> list[dict]:
    server, url = start_in_thread(output)
    try:
        with urlopen(url + "alexa.json", timeout=10) as response:
            assert response.headers["Content-Type"] == "application/json"
            items = json.loads(response.read())
    finally:
        server.shutdown()
        server.server_close()
    base = url.rstrip("/")
    return [{**item, "streamUrl": item["streamUrl"].replace(base, "")} for item in items]


def check_stream(output: Path, item: dict) -> None:
    """The stream decodes cleanly and meets Amazon's audio rules."""
    path = output / item["streamUrl"].lstrip("/")
    decoded = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True)
    assert decoded.returncode == 0 and decoded.stderr == b"", item
    info = MP3(str(path)).info
    assert info.bitrate == 256_000 and 10 <= info.length <= 600, (item, info.bitrate, info.length)
    loudness = measure_loudness(path)
    assert abs(loudness.integrated_lufs + 14) <= 1 and loudness.true_peak_dbtp <= -2, (item, loudness)


def check_rules(items: list[dict]) -> None:
    assert 1 <= len(items) <= 5
    dates = [datetime.fromisoformat(item["updateDate"].replace("Z", "+00:00")) for item in items]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) == len(dates)  # newest first
    assert len({item["uid"] for item in items}) == len(items)
    assert all(item["mainText"] == "" and item["titleText"] for item in items)


def test_the_daily_shows_feed_lists_the_long_day_story_by_story(libraries):
    root, long_day, short_day, _ = libraries
    output = root / "daily"
    assert long_day.episode.duration_s > 600 >= short_day.episode.duration_s
    assert [(n.source, n.reason.split(",")[0]) for n in long_day.notes] == [
        ("alexa.json", f"the episode runs {int(long_day.episode.duration_s) // 60}:"
                       f"{int(long_day.episode.duration_s) % 60:02d}")]
    items = read_feed(output)
    check_rules(items)
    assert items[0]["titleText"] == short_day.episode.title
    assert items[0]["streamUrl"] == f"/episodes/{short_day.episode.id}/alexa.mp3"
    assert items[0]["redirectionUrl"].endswith(f"/index.html#episode-{short_day.episode.id}")
    long_stories = [t.story.headline for t in long_day.episode.stories if t.end_s - t.start_s >= 10]
    assert [item["titleText"] for item in items[1:]] == long_stories[:4]
    for item in items:
        check_stream(output, item)
    uids = [item["uid"] for item in items]
    publish_library(output, channel=Channel(title="Harbor Daily", update_frequency="daily"))
    assert [item["uid"] for item in read_feed(output)] == uids  # the same on every rewrite


def test_a_show_of_stories_lists_each_story(libraries):
    root, _, short_day, story_day = libraries
    output = root / "stories"
    items = read_feed(output)
    check_rules(items)
    headlines = [t.story.headline for t in story_day.episode.stories if t.end_s - t.start_s >= 10]
    assert [item["titleText"] for item in items] == headlines[:5] and len(items) >= 2
    assert all(item["streamUrl"].startswith(f"/episodes/{story_day.episode.id}/alexa/") for item in items)
    for item in items:
        check_stream(output, item)
    # The same stories as the daily show's day two, so every segment came from the cache: no new speech.
    assert [t.story.headline for t in story_day.episode.stories] == [t.story.headline for t in short_day.episode.stories]
    assert story_day.segments_synthesized == 0
