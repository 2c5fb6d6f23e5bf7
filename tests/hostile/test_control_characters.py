"""Issue 13 item 2: control characters in headlines never break publishing, now or later."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from lxml import etree

from briefing import BriefingRequest, build_briefing
from briefing.episodes import episodes_dir
from briefing.ingest import ingest
from briefing.publish.update import publish_library

FIXTURES = Path(__file__).parent / "fixtures"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_ingest_strips_control_characters_from_every_kind_of_source():
    result = ingest([str(FIXTURES / name) for name in ("escape-headline.txt", "control-title.rss", "control-title.json")])
    assert [a.title for a in result.articles] == [
        "Harbour bridge to be rebuilt",  # escape sequences go whole, not just their ESC
        "Ferry fares frozen for a year",
        "Market hall reopens",
    ]
    assert result.articles[2].source == "Harbour Post"
    for article in result.articles:
        for value in (article.title, article.text, article.source or "", article.url or ""):
            assert not CONTROL.search(value.replace("\n", ""))


def test_a_run_with_control_characters_publishes_and_so_does_the_next(tmp_path, tone_engine):
    sources = tuple(str(FIXTURES / name) for name in ("escape-headline.txt", "control-title.rss", "control-title.json"))
    output = tmp_path / "output"
    request = BriefingRequest(sources=sources, output_dir=output, day=date(2025, 12, 2), minutes=0.5)
    build_briefing(request, engine=tone_engine)
    feed = (output / "feed.xml").read_bytes()
    titles = [t.text for t in etree.fromstring(feed).iter("title")]
    assert not any(CONTROL.search(t or "") for t in titles)
    manifest = next(episodes_dir(output).glob("*/episode.json")).read_text(encoding="utf-8")
    assert not CONTROL.search(manifest.replace("\n", ""))
    assert publish_library(output).episodes  # the library stays publishable


def test_a_library_already_holding_control_characters_still_publishes(tmp_path, tone_engine):
    output = tmp_path / "output"
    request = BriefingRequest(sources=(str(FIXTURES / "control-title.rss"),), output_dir=output,
                              day=date(2025, 12, 2), minutes=0.5)
    episode = build_briefing(request, engine=tone_engine).episode
    manifest_path = Path(episode.folder) / "episode.json"
    record = json.loads(manifest_path.read_text(encoding="utf-8"))
    record["title"] = "Daily\x1b[2J briefing\x00"
    record["stories"][0]["headline"] = "Ferry\x01 fares\ud800 frozen"
    record["failures"] = [{"source": "feed\x1b]0;owned\x07", "reason": "bad\x0b"}]
    manifest_path.write_text(json.dumps(record), encoding="utf-8")
    result = publish_library(output)
    assert result.episodes == (episode.id,) and result.skipped == ()
    tree = etree.fromstring((output / "feed.xml").read_bytes())
    assert [t.text for t in tree.iter("title")][-1] == "Daily briefing"
    assert "Ferry fares frozen" in (output / "index.html").read_text(encoding="utf-8")
