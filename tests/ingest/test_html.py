"""HTML pages: main text without page noise, metadata, charsets and mojibake, pages with no article."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from briefing.errors import SourceError
from briefing.ingest import ingest
from briefing.ingest.html import clean_story_lines, decode_html, headline, outlet_name, parse_html_article

WEB = Path(__file__).resolve().parents[1] / "fixtures" / "web"
EXPECTED = json.loads((WEB / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_saved_page_gives_exactly_the_story_text_and_its_metadata(name):
    expected = EXPECTED[name]
    result = ingest([str(WEB / name)])
    assert result.failures == ()
    [article] = result.articles
    assert article.text.splitlines() == expected["body"]
    leaked = [noise for noise in expected["noise"] if noise in article.text or noise in article.title]
    assert leaked == []
    assert article.title == expected["title"]
    assert article.source == expected["source"]
    assert article.author == expected["author"]
    assert article.published == datetime.fromisoformat(expected["published"])
    assert article.published.tzinfo is not None
    assert article.url == expected["url"]
    assert article.origin == str(WEB / name)


def test_page_served_with_wrong_charset_header_reads_correctly(web):
    result = ingest([web.url("/charset-wrong.html")])
    assert result.failures == ()
    [article] = result.articles
    assert article.title == "Zürich café wins European award"
    assert article.text.splitlines() == EXPECTED["charset-wrong.html"]["body"]
    assert article.url == web.url("/charset-wrong.html")


def test_undeclared_windows_1252_page_is_detected(web):
    [article] = ingest([web.url("/charset-undeclared.html")]).articles
    assert "Owner Léa Brünnhilde said the prize — worth 20,000 euros —" in article.text


def test_mojibake_in_a_utf8_page_is_repaired():
    raw = (WEB / "mojibake.html").read_bytes()
    assert "CafÃ© MÃ¼ller".encode() in raw
    text = decode_html(raw, "utf-8")
    assert "Café Müller in Zürich has won this year’s European Coffee House award" in text
    assert "Ã" not in text and "â€" not in text


def test_declared_charset_is_used_when_bytes_are_not_utf8():
    page = "<html><body><p>Škoda and Łódź</p></body></html>".encode("cp1250")
    assert decode_html(page, "windows-1250") == "<html><body><p>Škoda and Łódź</p></body></html>"


def test_page_without_article_text_is_one_clear_failure():
    result = ingest([str(WEB / "section-front.html")])
    assert result.articles == ()
    assert [str(f) for f in result.failures] == [
        (f"{WEB / 'section-front.html'}: no article text found on the page; "
        "give the address of an article, not a front, video or search page")
    ]


def test_short_list_of_links_is_not_an_article():
    with pytest.raises(SourceError, match="no article text"):
        parse_html_article("<html><body><ul><li><a href='/a'>One story</a></li></ul></body></html>", "links.html")


@pytest.mark.parametrize(
    ("line", "clean"),
    [
        ("KESTREL BAY, England, Dec 2 (Meridian Wire) - Storm Elena pushed on.", "Storm Elena pushed on."),
        ("NEW DELHI, Dec 3 (Reuters) - Indian officials met.", "Indian officials met."),
        ("WASHINGTON (AP) — The Senate voted.", "The Senate voted."),
        ("Storm Elena (pictured) - hit the coast.", "Storm Elena (pictured) - hit the coast."),
    ],
)
def test_wire_dateline_is_dropped_from_the_first_line_only(line, clean):
    assert clean_story_lines(f"{line}\n{line}", None) == f"{clean}\n{line}"


def test_sign_offs_and_calls_to_action_are_dropped_but_story_lines_stay():
    text = "The port reopened.\nSign up here.\nReporting by Ann Lee; Editing by Bo Chan\nRead more about ports in our guide to the coast.\nIt had been shut for a week."
    assert clean_story_lines(text, None) == "The port reopened.\nIt had been shut for a week."


def test_page_whose_characters_were_lost_is_one_clear_failure(web):
    result = ingest([web.url("/garbled.html"), web.url("/mojibake.html")])
    assert [str(f) for f in result.failures] == [
        (f"{web.url('/garbled.html')}: the page's text is garbled (characters were lost to a wrong encoding "
        "before it was served); open it in a browser and save it as UTF-8")
    ]
    assert [a.title for a in result.articles] == ["Zürich café wins European award"]


def test_empty_html_file_is_named(tmp_path):
    empty = tmp_path / "saved.html"
    empty.write_bytes(b"  \n")
    assert [str(f) for f in ingest([str(empty)]).failures] == [f"{empty}: the file is empty; give it an article's text"]


def test_labels_credits_share_prompts_and_a_dateline_after_a_kicker_are_dropped():
    text = ("Breaking\nAre you in the storm? Please share your videos at iReport.\n"
            "(CNN) -- The storm struck much of the east on Wednesday.\nCredit: Zhou et al.\n"
            "This is a breaking news story and will be updated.\nAirports reported few delays.")
    assert clean_story_lines(text, None) == (
        "Are you in the storm? Please share your videos at iReport.\n"
        "The storm struck much of the east on Wednesday.\nAirports reported few delays.")


@pytest.mark.parametrize(("title", "site", "clean"), [
    ("LinkNaija | Nigeria's popular news platform: Kate Henshaw Is Looking Stunning",
     "LinkNaija | Nigeria's popular news platform", "Kate Henshaw Is Looking Stunning"),
    ("Takeaways from Trump's testimony | CNN Politics", "CNN", "Takeaways from Trump's testimony"),
    ("CISA Adds Two Vulnerabilities to Catalog | CISA", "Cybersecurity and Infrastructure Security Agency CISA",
     "CISA Adds Two Vulnerabilities to Catalog"),
    ("Voltzite Threat Group | Dragos", "VOLTZITE", "Voltzite Threat Group | Dragos"),
    ("Analysis: The nonstop sparring match", "CNN", "Analysis: The nonstop sparring match"),
])
def test_the_site_name_is_cut_from_the_headline_but_the_headline_is_kept(title, site, clean):
    assert headline(title, site) == clean


@pytest.mark.parametrize(("site", "outlet"), [
    ("LinkNaija | Nigeria's popular news platform", "LinkNaija"), ("http://www.tmz.com", "TMZ"),
    ("The Coastal Ledger", "The Coastal Ledger"),
])
def test_the_outlet_is_the_site_name_without_its_tagline_or_scheme(site, outlet):
    assert outlet_name(site, None) == outlet
