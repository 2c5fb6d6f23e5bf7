"""A show's channel and cover reach the feed, the page and the cover; every show-note link resolves.

Two days of a show file are made (fake engine) from the loopback news site, into a
library served by briefing's own server, and read back as podcast apps and browsers would.
"""
from __future__ import annotations

import io
import json
import re
import urllib.request
from datetime import date
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin

import feedparser
import lxml.html
import podcastparser
import pytest
from lxml import etree
from PIL import Image

from briefing import build_briefing
from briefing.ingest import IngestOptions
from briefing.publish.cover import drawn_title, render_cover
from briefing.publish.serve import start_in_thread
from briefing.publish.update import publish_library
from briefing.run.show_file import load_show

ITUNES = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
SHOW = """
title = "Harbor Morning"
description = "Harbor City's news, read aloud each morning."
author = "Harbor Newsdesk"
email = "desk@harbor.example"
language = "en-GB"
category = "Daily News"
explicit = false
cover = "art.jpg"
sources = ["{feed}"]
output = "library"
minutes = 1.5
base_url = "{base}"
"""


@pytest.fixture(scope="module")
def show_library(module_news_site, tmp_path_factory, tone_engine_class):
    folder = tmp_path_factory.mktemp("show")
    (folder / "library").mkdir()
    Image.new("RGB", (1400, 1400), (30, 60, 120)).save(folder / "art.jpg", format="JPEG")
    server, base = start_in_thread(folder / "library")
    try:
        path = folder / "harbor.toml"
        path.write_text(SHOW.format(feed=module_news_site.feed_url, base=base), encoding="utf-8")
        show = load_show(path)
        engine = tone_engine_class()
        for number, day in ((1, date(2026, 11, 25)), (2, date(2026, 11, 26))):
            module_news_site.show_day(number)
            build_briefing(show.request(day, ingest=IngestOptions()), engine=engine)
        yield show, base
    finally:
        server.shutdown()
        server.server_close()


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except HTTPError as error:
        return error.code


def test_the_feed_carries_the_show_files_channel(show_library):
    show, base = show_library
    feed = (show.output / "feed.xml").read_bytes()
    parsed = feedparser.parse(feed)
    assert parsed.bozo == 0
    channel = parsed.feed
    assert (channel.title, channel.subtitle, channel.language) == (
        "Harbor Morning", "Harbor City's news, read aloud each morning.", "en-GB")
    assert channel.author == "Harbor Newsdesk"
    assert channel.publisher_detail == {"name": "Harbor Newsdesk", "email": "desk@harbor.example"}
    assert [t.term for t in channel.tags] == ["Daily News"]
    assert channel.image.href == base + "cover.jpg"
    assert len(parsed.entries) == 2

    gpodder = podcastparser.parse(base + "feed.xml", io.BytesIO(feed))
    assert (gpodder["title"], gpodder["itunes_author"], gpodder["cover_url"]) == (
        "Harbor Morning", "Harbor Newsdesk", base + "cover.jpg")
    assert gpodder["itunes_owner"] == {"name": "Harbor Newsdesk", "email": "desk@harbor.example"}
    assert gpodder["itunes_categories"] == [["Daily News"]] and gpodder["explicit"] is False
    assert etree.fromstring(feed).find("channel/itunes:image", ITUNES).get("href") == base + "cover.jpg"


def test_the_show_files_cover_is_published_as_it_is(show_library):
    show, base = show_library
    assert (show.output / "cover.jpg").read_bytes() == show.cover.read_bytes()
    assert get(base + "cover.jpg") == 200
    page = (show.output / "index.html").read_text(encoding="utf-8")
    assert '<img class="cover" src="cover.jpg"' in page and '<link rel="icon" href="cover.jpg">' in page


def test_every_link_in_the_show_notes_resolves(show_library, module_news_site):
    show, _ = show_library
    parsed = feedparser.parse((show.output / "feed.xml").read_bytes())
    links = [href for entry in parsed.entries for href in re.findall(r'<a href="([^"]+)"', entry.summary)]
    assert links and all(link.startswith(module_news_site.base + "/news/") for link in links)
    assert {link: get(link) for link in links} == dict.fromkeys(links, 200)
    newest = parsed.entries[0]
    assert "<li>0:" in newest.summary and "Update: <a href=" in newest.summary
    assert f'<a href="{module_news_site.url("ferry-resumes")}">' in newest.summary


def test_every_link_on_the_page_resolves(show_library):
    show, base = show_library
    page = lxml.html.fromstring((show.output / "index.html").read_bytes())
    links = [urljoin(base, href) for href in page.xpath("//a/@href | //link/@href | //img/@src | //audio/@src | "
                                                        "//script/@src | //button/@data-clip")]
    article_links = page.xpath('//p[@class="credit"]/a/@href')
    assert len(article_links) >= 5  # "read at" every story's article, both days
    assert {link: get(link) for link in links} == dict.fromkeys(links, 200)


def test_each_chapter_links_its_first_article(show_library):
    show, _ = show_library
    folders = list((show.output / "episodes").iterdir())
    assert len(folders) == 2
    for folder in folders:
        manifest = json.loads((folder / "episode.json").read_text(encoding="utf-8"))
        chapters = json.loads((folder / "chapters.json").read_text(encoding="utf-8"))
        assert chapters["podcastName"] == "Harbor Morning" and chapters["author"] == "Harbor Newsdesk"
        assert chapters["chapters"]
        assert [c["url"] for c in chapters["chapters"]] == [s["urls"][0] for s in manifest["stories"]]


def test_a_drawn_cover_is_redrawn_when_the_title_changes(tmp_path):
    from briefing.models import Channel

    publish_library(tmp_path, channel=Channel(title="Old Name"))
    assert drawn_title(tmp_path / "cover.png") == "Old Name"
    publish_library(tmp_path, channel=Channel(title="New Name"))
    assert (tmp_path / "cover.png").read_bytes() == render_cover("New Name")


def test_a_cover_put_there_by_hand_is_kept(tmp_path):
    from briefing.models import Channel

    Image.new("RGB", (1400, 1400)).save(tmp_path / "cover.png", format="PNG")
    mine = (tmp_path / "cover.png").read_bytes()
    publish_library(tmp_path, channel=Channel(title="Any Name"))
    assert (tmp_path / "cover.png").read_bytes() == mine


def test_a_bad_cover_given_to_publish_is_one_clear_line(tmp_path):
    from briefing.publish.cover import CoverError

    Image.new("RGB", (800, 600)).save(tmp_path / "small.png", format="PNG")
    with pytest.raises(CoverError, match=r"small.png is 800x600 px; a podcast cover must be square\.$"):
        publish_library(tmp_path / "library", cover=tmp_path / "small.png")


def test_the_cover_path_is_where_feed_and_page_point(tmp_path):
    Image.new("RGB", (1500, 1500)).save(tmp_path / "art.png", format="PNG")
    result = publish_library(tmp_path / "library", cover=tmp_path / "art.png")
    assert result.cover_path == tmp_path / "library" / "cover.png"
    assert Path(result.cover_path).read_bytes() == (tmp_path / "art.png").read_bytes()


def test_a_bad_cover_is_refused_before_any_work(tmp_path, tone_engine):
    from briefing import BriefingRequest
    from briefing.publish.cover import CoverError

    Image.new("RGB", (800, 800)).save(tmp_path / "small.png", format="PNG")
    request = BriefingRequest(sources=("nowhere.txt",), output_dir=tmp_path / "library", day=date(2026, 11, 25),
                              cover=tmp_path / "small.png")
    with pytest.raises(CoverError, match="is 800x800 px; Apple Podcasts takes 1400x1400 to 3000x3000 px"):
        build_briefing(request, engine=tone_engine)
    assert not (tmp_path / "library").exists()
