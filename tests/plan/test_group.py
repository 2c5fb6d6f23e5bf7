"""Grouping: syndicated copies collapse, one event's reports from several outlets form one story."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from briefing.ingest import IngestOptions, ingest
from briefing.models import Article
from briefing.plan.group import collapse_duplicates, group_articles
from briefing.plan.script import credit_line

WEB = Path(__file__).resolve().parents[1] / "fixtures" / "web"
NOON = datetime(2025, 12, 2, 12, 0, tzinfo=timezone.utc)

PORT = (
    "Dock workers at Norbridge port voted to accept a two-year pay deal on Tuesday, ending the threat of a strike. "
    "The union said 71% of members who voted backed the offer, which raises pay by 6.5% this year. "
    "The port operator said the agreement gives certainty to customers before Christmas."
)
PORT_OTHER = (
    "Norbridge dockers have backed a new pay offer, calling off a planned strike at the port. "
    "Union members voted 71% in favour of the two-year deal worth 6.5% in the first year. "
    "Shipping firms had warned that a strike would hit Christmas deliveries."
)
MUSEUM = (
    "The Kestrel Maritime Museum reopened on Monday after a two-year restoration costing 14 million pounds. "
    "Its famous lifeboat now stands in a new glass hall overlooking the harbour. "
    "More than 3,000 visitors have booked tickets for the first week."
)
RATES = (
    "The central bank kept its benchmark interest rate at 4.25% on Tuesday as inflation cooled. "
    "Governor Helen Marsh said wage growth was still too strong for an immediate cut. "
    "Seven of the nine committee members voted to hold rates."
)


def _article(title: str, text: str, source: str, hours_ago: float = 0) -> Article:
    return Article(title=title, text=text, source=source, published=NOON - timedelta(hours=hours_ago), origin=source)


def test_two_outlets_on_one_event_form_one_group_ordered_first():
    museum = _article("Museum reopens", MUSEUM, "Harbor Daily", hours_ago=1)
    port_a = _article("Port workers accept pay deal", PORT, "Meridian Wire", hours_ago=5)
    rates = _article("Central bank holds rates", RATES, "Harbor Daily", hours_ago=2)
    port_b = _article("Dockers back pay offer, calling off strike", PORT_OTHER, "The Coastal Ledger", hours_ago=4)
    groups = group_articles([museum, port_a, rates, port_b])
    assert [[a.source for a in g] for g in groups] == [
        ["Meridian Wire", "The Coastal Ledger"],
        ["Harbor Daily"],
        ["Harbor Daily"],
    ]
    assert groups[0][0].title == "Port workers accept pay deal"
    assert [g[0].title for g in groups[1:]] == ["Museum reopens", "Central bank holds rates"]


def test_syndicated_copy_collapses_to_the_longer_original():
    original = _article("Port workers accept pay deal", PORT + " Norbridge handles a fifth of container traffic.", "Meridian Wire", 3)
    copy = _article("Dockers accept deal (Meridian Wire)", PORT, "Harbor Daily", 1)
    groups = group_articles([copy, original])
    assert groups == [(original,)]


def test_exact_duplicates_keep_the_earliest():
    early = _article("Museum reopens", MUSEUM, "Harbor Daily", hours_ago=6)
    late = replace(early, published=NOON, origin="second")
    assert collapse_duplicates([late, early]) == [1]
    assert group_articles([late, early]) == [(early,)]


def test_different_stories_stay_apart_and_order_by_recency_then_input():
    undated = Article(title="Undated museum", text=MUSEUM, source="Gazette")
    older = _article("Rates", RATES, "Harbor Daily", hours_ago=10)
    newer = _article("Port", PORT, "Meridian Wire", hours_ago=1)
    assert group_articles([undated, older, newer]) == [(newer,), (older,), (undated,)]


def test_naive_and_aware_dates_compare():
    naive = Article(title="Rates", text=RATES, source="A", published=datetime(2025, 12, 2, 9, 0))
    aware = _article("Port", PORT, "B", hours_ago=1)
    assert [g[0].title for g in group_articles([naive, aware])] == ["Port", "Rates"]


def test_grouping_is_deterministic_and_handles_empty_input():
    articles = [
        _article("Port workers accept pay deal", PORT, "Meridian Wire", 5),
        _article("Dockers back pay offer", PORT_OTHER, "The Coastal Ledger", 4),
        _article("Museum reopens", MUSEUM, "Harbor Daily", 1),
    ]
    assert group_articles(articles) == group_articles(list(articles))
    assert group_articles([]) == []


def test_fixture_sources_group_into_the_storm_story_first(web):
    """Two outlets' pages on Storm Elena, plus feeds that carry a syndicated copy of one of them."""
    sources = [web.url("/news-page.html"), web.url("/rss.xml"), web.url("/wire-story.html"), web.url("/atom.xml")]
    articles = ingest(sources, IngestOptions(timeout_s=2)).articles
    assert len(articles) == 9
    groups = group_articles(articles)
    assert [a.source for a in groups[0]] == ["The Coastal Ledger", "Meridian Wire"]
    storm = groups[0]
    assert storm[0].title == "Storm Elena forces evacuation of 12,000 on Kestrel coast"
    assert storm[1].title == "Thousands evacuated as Storm Elena batters Kestrel coast"
    headlines = [g[0].title for g in groups]
    assert "Storm Elena: thousands leave homes as record tide hits Kestrel coast" not in headlines
    assert "Dutch close storm surge barrier as Elena moves east" in headlines
    assert len(groups) == 7
    assert all(len(g) == 1 for g in groups[1:])
    assert headlines[1] == "Central bank holds rates at 4.25% as inflation cools"


@pytest.mark.parametrize(
    ("sources", "line"),
    [
        ([], ""),
        (["NDTV"], "NDTV"),
        (["NDTV", "Reuters"], "NDTV and Reuters"),
        (["NDTV", "Reuters", "BBC"], "NDTV, Reuters and the BBC"),
        (["NDTV", "ndtv", "", "Reuters", "NDTV"], "NDTV and Reuters"),
    ],
)
def test_credit_line(sources, line):
    assert credit_line(sources) == line
