"""Fetching from a real HTTP server on 127.0.0.1: every fault gives one clear line, nothing hangs."""
from __future__ import annotations

import os
import time
import tracemalloc

import pytest

from briefing.errors import SourceError
from briefing.ingest import IngestOptions, ingest
from briefing.ingest.fetch import USER_AGENT, Fetcher, FetchSettings

FAST = IngestOptions(timeout_s=0.5, backoff_s=0.01)


def _lines(result) -> list[str]:
    return [str(failure) for failure in result.failures]


def test_page_is_fetched_with_our_user_agent_and_extracted(web):
    result = ingest([web.url("/news-page.html")], FAST)
    assert result.failures == ()
    [article] = result.articles
    assert article.title == "Storm Elena forces evacuation of 12,000 on Kestrel coast"
    assert article.origin == web.url("/news-page.html")
    assert article.url == "https://www.coastalledger.example/news/2025/12/02/storm-elena-evacuation"
    [request] = web.seen("/news-page.html")
    assert request.headers["user-agent"] == USER_AGENT == "briefing/0.1 (+podcast news briefing)"


def test_each_fault_is_one_line_naming_the_source_and_the_rest_still_come_out(web, dead_url):
    faults = {
        dead_url: "nothing answered at this address (connection refused); check the address or try again later",
        web.url("/missing.html"): "the server answered 404 Not Found; check the address",
        web.url("/slow"): "no answer within 0.5 s (timed out); try again later or allow a longer timeout",
        web.url("/report.pdf"): "is a PDF document (application/pdf), not a web page, feed or text; "
        "give the address of an article page or a feed",
        web.url("/big"): "is larger than the 10 MB size limit; give the address of the article page or feed, "
        "not a large file",
        web.url("/loop/a"): "redirects in a loop (/loop/a -> /loop/b -> /loop/a); check the address",
        web.url("/section-front.html"): "no article text found on the page; "
        "give the address of an article, not a front, video or search page",
        web.url("/down"): "the server answered 503 Service Unavailable on 3 tries; try again later",
    }
    sources = [web.url("/news-page.html"), *faults, web.url("/wire-story.html")]
    started = time.monotonic()
    result = ingest(sources, FAST)
    elapsed = time.monotonic() - started
    assert _lines(result) == [f"{source}: {reason}" for source, reason in faults.items()]
    assert [a.source for a in result.articles] == ["The Coastal Ledger", "Meridian Wire"]
    assert elapsed < 3.0


def test_timeout_bounds_the_wait(web):
    started = time.monotonic()
    result = ingest([web.url("/slow")], IngestOptions(timeout_s=0.3))
    assert time.monotonic() - started < 1.5
    assert _lines(result) == [
        f"{web.url('/slow')}: no answer within 0.3 s (timed out); try again later or allow a longer timeout"
    ]


def test_50_mb_page_is_stopped_at_the_cap_while_streaming(web):
    tracemalloc.start()
    try:
        with Fetcher(FetchSettings(timeout_s=2)) as fetcher, pytest.raises(SourceError) as error:
            fetcher.fetch(web.url("/big"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.value.reason.startswith("is larger than the 10 MB size limit")
    assert peak < 30 * 1024 * 1024


def test_declared_50_mb_length_is_refused_before_reading(web):
    result = ingest([web.url("/big-declared")], IngestOptions(timeout_s=1, max_bytes=1024 * 1024))
    assert _lines(result) == [
        (f"{web.url('/big-declared')}: is larger than the 1 MB size limit; "
        "give the address of the article page or feed, not a large file")
    ]


def test_redirect_is_followed_to_the_page(web):
    [article] = ingest([web.url("/moved")], FAST).articles
    assert article.source == "The Coastal Ledger"
    assert [r.status for r in web.requests] == [301, 200]


def test_too_many_redirects_is_named(web):
    with Fetcher(FetchSettings(max_redirects=0)) as fetcher, pytest.raises(SourceError) as error:
        fetcher.fetch(web.url("/moved"))
    assert error.value.reason == "was redirected more than 0 times; check the address"


def test_server_errors_are_retried_with_backoff(web):
    result = ingest([web.url("/flaky")], FAST)
    assert result.failures == ()
    assert [a.source for a in result.articles] == ["Meridian Wire"]
    assert [r.status for r in web.seen("/flaky")] == [503, 503, 200]


def test_no_retry_on_client_errors(web):
    ingest([web.url("/missing.html")], FAST)
    assert len(web.seen("/missing.html")) == 1


def test_unchanged_page_is_revalidated_not_downloaded_again(web, tmp_path):
    options = IngestOptions(timeout_s=2, cache_dir=tmp_path / "http")
    first = ingest([web.url("/news-page.html")], options)
    second = ingest([web.url("/news-page.html")], options)
    assert second.articles == first.articles and len(first.articles) == 1
    initial, again = web.seen("/news-page.html")
    assert "if-none-match" not in initial.headers and initial.status == 200
    assert again.headers["if-none-match"].startswith('"')
    assert again.headers["if-modified-since"] == "Tue, 02 Dec 2025 12:00:00 GMT"
    assert again.status == 304


def test_feed_run_twice_downloads_nothing_the_second_time(web, tmp_path):
    options = IngestOptions(timeout_s=2, cache_dir=tmp_path / "http")
    first = ingest([web.url("/rss.xml")], options)
    count = len(web.requests)
    second = ingest([web.url("/rss.xml")], options)
    assert second == first
    assert [r.status for r in web.requests[count:]] == [304, 304, 304]


def test_without_cache_dir_nothing_is_conditional(web):
    ingest([web.url("/news-page.html")], FAST)
    ingest([web.url("/news-page.html")], FAST)
    assert [r.status for r in web.seen("/news-page.html")] == [200, 200]


def test_downloads_run_concurrently_and_results_keep_source_order(web):
    sources = [web.url(f"/pause?n={n}") for n in range(4)] + [web.url("/news-page.html")]
    started = time.monotonic()
    result = ingest(sources, IngestOptions(timeout_s=2, fetch_workers=4))
    elapsed = time.monotonic() - started
    assert [a.origin for a in result.articles] == sources
    assert elapsed < 1.5  # one after another would take 4 x 0.5 s


def test_only_web_addresses_are_fetched():
    with Fetcher() as fetcher, pytest.raises(SourceError) as error:
        fetcher.fetch("ftp://127.0.0.1/feed.xml")
    assert error.value.reason == "only http and https addresses can be fetched; check the address"


def test_cache_entries_unused_for_a_month_are_pruned(web, tmp_path):
    folder = tmp_path / "http"
    ingest([web.url("/news-page.html"), web.url("/wire-story.html")], IngestOptions(cache_dir=folder))
    assert len(list(folder.iterdir())) == 4
    old = time.time() - 31 * 86400
    for path in folder.iterdir():
        if path.read_bytes().find(b"Meridian") >= 0 or "wire-story" in path.read_text(errors="ignore"):
            os.utime(path, (old, old))
    Fetcher(FetchSettings(cache_dir=folder)).close()
    remaining = [p.read_text(errors="ignore") for p in folder.iterdir()]
    assert len(remaining) == 2
    assert all("wire-story" not in text and "Meridian" not in text for text in remaining)
