"""Feeds (RSS 2.0, Atom, RDF), OPML lists and JSON lists, from a real server and from files."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from briefing.errors import SourceError
from briefing.ingest import IngestOptions, ingest, parse_since
from briefing.ingest.feeds import feed_outlet, fragment_text, parse_feed

WEB = Path(__file__).resolve().parents[1] / "fixtures" / "web"
EXPECTED = json.loads((WEB / "expected.json").read_text(encoding="utf-8"))
NOW = datetime(2025, 12, 2, 12, 0, tzinfo=timezone.utc)
OPTIONS = IngestOptions(timeout_s=2, backoff_s=0.01, now=NOW)

RSS_TITLES = [
    "Central bank holds rates at 4.25% as inflation cools",
    "Storm Elena: thousands leave homes as record tide hits Kestrel coast",
    "Kestrel museum reopens after two-year restoration",
    "Winter ferry timetable announced",
]
ATOM_TITLES = [
    "Port workers vote to accept new pay deal, ending strike threat",
    "Dutch close storm surge barrier as Elena moves east",
    "Chipmaker Lumen to cut 1,200 jobs as demand slows",
]
RDF_TITLES = ["Valley school wins national robotics title", "Norbridge bypass opening delayed to spring"]


def _lines(result) -> list[str]:
    return [str(failure) for failure in result.failures]


def test_rss_teasers_are_completed_from_their_linked_pages(web):
    result = ingest([web.url("/rss.xml")], OPTIONS)
    assert result.failures == ()
    assert [a.title for a in result.articles] == RSS_TITLES
    rates, storm, museum, ferry = result.articles
    assert rates.text.splitlines() == EXPECTED["articles/rates.html"]["body"]
    assert museum.text.splitlines() == EXPECTED["articles/museum.html"]["body"]
    assert rates.source == "Harbor Daily" and rates.author == "Luis Ferreira"
    assert rates.published == datetime(2025, 12, 2, 13, 30, tzinfo=timezone.utc)
    assert rates.url == "https://harbordaily.example/2025/12/02/central-bank-holds-rates/"
    assert rates.origin == web.url("/articles/rates.html")
    # Full-content entries are read from the feed, never fetched.
    assert sorted(r.path for r in web.requests) == ["/articles/museum.html", "/articles/rates.html", "/rss.xml"]
    assert storm.text.splitlines()[0] == (
        "Storm Elena pushed record tides over sea defences on Britain’s Kestrel coast on Tuesday, "
        "forcing more than 12,000 people from their homes as emergency crews worked through the night."
    )
    assert "appeared first on" not in storm.text
    assert storm.author == "Daniel Osei, Meridian Wire"
    assert ferry.published == datetime(2025, 11, 28, 16, 20, tzinfo=timezone.utc)
    assert ferry.text.splitlines()[-1] == "Season tickets go on sale on Monday."


def test_atom_entries_keep_outlet_author_and_time(web):
    result = ingest([web.url("/atom.xml")], OPTIONS)
    assert [a.title for a in result.articles] == ATOM_TITLES
    port = result.articles[0]
    assert port.source == "Meridian Wire"
    assert port.author == "Hannah Brooks"
    assert port.published == datetime(2025, 12, 2, 10, 5, tzinfo=timezone.utc)
    assert port.url == "https://www.meridianwire.example/business/port-workers-vote-accept-pay-deal-2025-12-02/"
    assert port.text.startswith("Dock workers at Norbridge port voted to accept a two-year pay deal on Tuesday,")
    assert len(port.text.splitlines()) == 4
    assert [r.path for r in web.requests] == ["/atom.xml"]


def test_rdf_feed_from_a_file():
    result = ingest([str(WEB / "rdf.xml")], OPTIONS)
    assert [a.title for a in result.articles] == RDF_TITLES
    robotics = result.articles[0]
    assert robotics.source == "Kestrel Valley Gazette"
    assert robotics.author == "Owen Pryce"
    assert robotics.published == datetime(2025, 12, 1, 19, 30, tzinfo=timezone.utc)
    assert robotics.text.endswith("Head teacher Ruth Adeyemi said the whole school was proud of them.")


def test_opml_list_reads_every_feed_in_order(web, tmp_path):
    expected = RSS_TITLES + RDF_TITLES + ATOM_TITLES
    served = ingest([web.url("/feeds.opml")], OPTIONS)
    assert served.failures == ()
    assert [a.title for a in served.articles] == expected
    saved = tmp_path / "feeds.opml"
    saved.write_text((WEB / "feeds.opml").read_text().replace("{{BASE}}", web.base))
    assert [a.title for a in ingest([str(saved)], OPTIONS).articles] == expected


def test_max_per_feed_takes_the_newest_entries_of_each_feed(web):
    result = ingest([web.url("/feeds.opml")], IngestOptions(now=NOW, max_per_feed=1, timeout_s=2))
    assert [a.title for a in result.articles] == [RSS_TITLES[0], RDF_TITLES[0], ATOM_TITLES[0]]
    assert web.seen("/articles/museum.html") == []


def test_since_skips_older_entries_before_fetching_them(web):
    result = ingest([web.url("/rss.xml"), web.url("/rdf.xml")], IngestOptions(now=NOW, since=timedelta(hours=6)))
    assert [a.title for a in result.articles] == RSS_TITLES[:2]
    assert web.seen("/articles/museum.html") == []
    day = ingest([web.url("/rss.xml")], IngestOptions(now=NOW, since=parse_since("24h")))
    assert [a.title for a in day.articles] == RSS_TITLES[:3]


def test_truncated_feed_gives_its_complete_entries_and_says_it_was_cut(web):
    result = ingest([web.url("/truncated.xml")], OPTIONS)
    assert [a.title for a in result.articles] == [RSS_TITLES[0]]
    assert _lines(result) == [
        (f"{web.url('/truncated.xml')}: the feed is cut off or broken (XML error: unclosed CDATA section); "
        "read the 1 complete entry before the break")
    ]


def test_feed_that_is_not_xml_is_one_line(web):
    result = ingest([web.url("/not-a-feed"), web.url("/atom.xml")], OPTIONS)
    assert _lines(result) == [
        (f"{web.url('/not-a-feed')}: is not an RSS, Atom or RDF feed "
        "(XML error: not well-formed (invalid token)); check the feed's address")
    ]
    assert len(result.articles) == 3


def test_broken_teaser_links_are_reported_and_the_feed_goes_on(web):
    result = ingest([web.url("/teasers")], OPTIONS)
    assert _lines(result) == [
        (f"{web.url('/articles/gone.html')}: the server answered 404 Not Found; check the address "
        "(read the feed's summary of it instead)"),
        (f"{web.url('/report.pdf')}: is a PDF document (application/pdf), not a web page, feed or text; "
        "give the address of an article page or a feed"),
    ]
    assert [a.title for a in result.articles] == [RSS_TITLES[0], RSS_TITLES[1], RSS_TITLES[3]]
    assert result.articles[0].text == (
        "The central bank kept its benchmark interest rate at 4.25% on Tuesday, "
        "saying inflation was cooling faster than it had expected in the autumn."
    )


def test_opml_entry_that_is_a_web_page_is_named(web, tmp_path):
    opml = tmp_path / "mixed.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        f'<outline text="Wrong" xmlUrl="{web.url("/news-page.html")}"/>'
        f'<outline text="Gazette" xmlUrl="{web.url("/rdf.xml")}"/>'
        "</body></opml>"
    )
    result = ingest([str(opml)], OPTIONS)
    assert _lines(result) == [
        f"{web.url('/news-page.html')}: is a web page, not a feed; check the feed's address in the OPML file"
    ]
    assert [a.title for a in result.articles] == RDF_TITLES


def test_json_list_items_and_a_bad_item():
    result = ingest([str(WEB / "articles.json")], OPTIONS)
    assert [a.title for a in result.articles] == [
        "Library extends opening hours for exam season",
        "Harbour festival dates announced",
    ]
    library = result.articles[0]
    assert library.source == "Kestrel County Council" and library.author == "Press Office"
    assert library.published == datetime(2025, 12, 2, 11, 0, tzinfo=timezone.utc)
    assert library.url == "https://kestrelcouncil.example/news/library-hours"
    assert library.text.splitlines()[0].startswith("Kestrel Bay central library will stay open until 10pm")
    assert _lines(result) == [
        f"{WEB / 'articles.json'} item 3: has no text and no url to fetch it from; give it a text or a url"
    ]
    recent = ingest([str(WEB / "articles.json")], IngestOptions(now=NOW, since=timedelta(days=1)))
    assert [a.title for a in recent.articles] == ["Library extends opening hours for exam season"]


def test_json_item_with_only_a_url_is_fetched(web, tmp_path):
    listing = tmp_path / "list.json"
    listing.write_text(json.dumps([{"url": web.url("/wire-story.html"), "source": "Meridian Wire"}]))
    [article] = ingest([str(listing)], OPTIONS).articles
    assert article.title == "Thousands evacuated as Storm Elena batters Kestrel coast"
    assert article.text.splitlines() == EXPECTED["wire-story.html"]["body"]


def test_invalid_json_is_one_line(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('[{"title": "x",}]')
    result = ingest([str(broken)])
    assert _lines(result) == [
        (f"{broken}: is not valid JSON (Expecting property name enclosed in double quotes at line 1, column 16); "
        "fix the file")
    ]


def test_empty_feed_is_reported(tmp_path):
    empty = tmp_path / "empty.xml"
    empty.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    assert _lines(ingest([str(empty)])) == [f"{empty}: the feed has no entries right now; try again later"]


@pytest.mark.parametrize(
    ("title", "link", "outlet"),
    [
        ("Meridian Wire - Top News", "https://www.meridianwire.example/", "Meridian Wire"),
        ("World news | The Guardian", "https://www.theguardian.com/world", "The Guardian"),
        ("BBC News - World", "https://www.bbc.co.uk/news/world", "BBC News"),
        ("Harbor Daily", "https://harbordaily.example", "Harbor Daily"),
    ],
)
def test_feed_title_gives_the_outlet_name(title, link, outlet):
    assert feed_outlet(title, link) == outlet


def test_entry_html_becomes_one_paragraph_a_line_without_images():
    markup = '<p>First <b>bold</b> line.</p><figure><img src="x.jpg"><figcaption>A caption</figcaption></figure><p>Second<br>line.</p>'
    assert fragment_text(markup) == "First bold line.\nSecond\nline."


def test_html_page_is_not_a_feed():
    with pytest.raises(SourceError, match="is not an RSS, Atom or RDF feed"):
        parse_feed((WEB / "news-page.html").read_bytes(), "page.html")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("24h", timedelta(hours=24)), ("90m", timedelta(minutes=90)), ("2d", timedelta(days=2)),
     ("1w", timedelta(weeks=1)), ("1d12h", timedelta(hours=36)), ("1.5h", timedelta(minutes=90))],
)
def test_parse_since(text, expected):
    assert parse_since(text) == expected


@pytest.mark.parametrize("text", ["", "24", "yesterday", "0h", "3x", "h24"])
def test_parse_since_rejects_what_is_not_a_duration(text):
    with pytest.raises(ValueError, match="write it like 24h, 90m, 2d or 1w"):
        parse_since(text)
