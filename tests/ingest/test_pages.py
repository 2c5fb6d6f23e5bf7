"""Issue 25 item 1: is a page an article? A short breaking-news page is; a front, video or
search page is not. Real pages (tests/fixtures/web/real, see its README for where they come
from) and pages built like them (tests/fixtures/web)."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from briefing.errors import SourceError
from briefing.ingest import ingest
from briefing.ingest.html import parse_html_article
from briefing.ingest.pagekind import is_complete_sentence
from briefing.plan.draft import plan_script

WEB = Path(__file__).resolve().parents[1] / "fixtures" / "web"
REAL = WEB / "real"
REFUSED = "no article text found on the page; give the address of an article, not a front, video or search page"


def test_a_400_character_breaking_news_page_makes_a_story():
    [article] = ingest([str(WEB / "breaking-short.html")]).articles
    assert article.title == "Ferry captain arrested after Kestrel harbour collision"
    assert article.text.splitlines() == [
        "The captain of a passenger ferry that struck the harbour wall at Kestrel Bay on Tuesday night has been "
        "arrested on suspicion of endangering life, police said on Wednesday morning.",
        "Eleven people, two of them children, were taken to hospital with minor injuries after the collision, "
        "which happened shortly after 9pm as the ferry arrived from Norbridge in high winds.",
        "The harbour master said the route would stay closed while investigators examined the vessel.",
    ]
    assert 400 <= len(article.text) <= 550
    script, failures, left_out = plan_script([article], date(2025, 12, 3), 1.0, 15.0)
    assert (failures, left_out) == ([], [])
    [story] = script.stories
    assert story.sentences[0] == article.text.splitlines()[0]


def test_a_real_short_article_page_makes_a_story():
    """LinkNaija, 2018: 450 characters of body in <div>s whose source lines break mid-sentence."""
    [article] = ingest([str(REAL / "linknaija-short-article.html")]).articles
    assert article.title == "Nollywood Actress, Kate Henshaw Is Looking Stunning In New Photos"
    assert article.source == "LinkNaija"
    assert article.text.splitlines()[0] == (
        "Photos which were released online and are making the rounds on social media, show Nigerian actress, "
        "Kate Henshaw, looking absolutely stunning in new make-up photos.")
    assert "See more photos" not in article.text
    script, _, _ = plan_script([article], date(2018, 10, 6), 1.0, 15.0)
    assert len(script.stories) == 1 and script.stories[0].sentences


def test_a_real_video_page_that_carries_an_article_is_read():
    """Polygon, 2014: og:type video.other, with four paragraphs of report under the player."""
    [article] = ingest([str(REAL / "polygon-video-article.html")]).articles
    assert article.text.startswith("Yacht Club Games' Shovel Knight digs deep into classic game conventions")


@pytest.mark.parametrize("page", [REAL / "cnn-front-page.html", REAL / "yahoo-front-page.html",
                                  WEB / "video-page.html", WEB / "search-page.html", WEB / "section-front.html"])
def test_front_video_and_search_pages_are_refused_with_the_clear_line(page):
    result = ingest([str(page)])
    assert result.articles == ()
    assert [str(f) for f in result.failures] == [f"{page}: {REFUSED}"]


@pytest.mark.parametrize(("url", "refused"), [
    ("https://www.coastalledger.example/", True),
    ("https://www.coastalledger.example/search?q=ferry", True),
    ("https://www.coastalledger.example/news/2025/12/03/ferry-captain-arrested", False),
])
def test_a_page_that_says_nothing_of_itself_is_judged_by_its_address(url, refused):
    """A root or search address makes the same teaser text a front or search page."""
    page = re.sub(r'<link rel="canonical"[^>]*>|<meta property="og:(?:url|type)"[^>]*>|<script.*?</script>', "",
                  (WEB / "breaking-short.html").read_text(encoding="utf-8"), flags=re.S)
    if refused:
        with pytest.raises(SourceError, match="no article text found"):
            parse_html_article(page, "page.html", url)
    else:
        assert parse_html_article(page, "page.html", url).text.startswith("The captain of a passenger ferry")


@pytest.mark.parametrize(("sentence", "complete"), [
    ("Police said two people were hurt.", True),
    ("Two people were hurt.", False),
    ("Storm Elena latest: live updates", False),
    ("东京电力公司周五表示，福岛核电站的处理水排放工作已经完成。", True),
    ("今日は晴れ。", False),
    ("กรุงเทพมหานครประกาศปิดโรงเรียนทุกแห่งในวันพรุ่งนี้เนื่องจากฝุ่นละออง", True),
    ("«Il governo ha approvato la riforma», ha detto il ministro.", True),
])
def test_a_complete_sentence_in_any_script(sentence, complete):
    assert is_complete_sentence(sentence) is complete
