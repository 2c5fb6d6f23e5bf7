"""Issue 13 items 3, 4, 5 and 7: looping lists, slow servers, huge feeds and the fetch policy.

Every server is on 127.0.0.1; no test sends a packet anywhere else.
"""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import pytest
from hostile_servers import article_page, send, teaser_feed, trickle  # loaded by path in conftest.py

from briefing.errors import SourceError
from briefing.ingest import DEFAULT_MAX_PER_FEED, IngestOptions, ingest
from briefing.ingest.fetch import Fetcher, FetchSettings
from briefing.ingest.network import is_public_address

FAST = IngestOptions(timeout_s=2)
SECRET = "The launch code is tangerine seven"
SUMMARY = "The summary of this story is here. It is short but it has sentences."


def opml(*urls: str) -> bytes:
    outlines = "".join(f'<outline text="x" xmlUrl="{url}"/>' for url in urls)
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()


def test_an_opml_list_that_names_itself_is_read_once_and_the_loop_named(loopback_server):
    server = loopback_server()
    server.routes["/self.opml"] = lambda h: send(h, 200, opml(server.url("/self.opml")), "text/x-opml")
    result = ingest([server.url("/self.opml")], FAST)
    url = server.url("/self.opml")
    assert [str(f) for f in result.failures] == [
        f"{url}: the OPML lists form a loop ({url} -> {url}); each list was read once"
    ]
    assert server.hits["/self.opml"] == 1


def test_two_opml_lists_naming_each_other_are_each_read_once(loopback_server):
    server = loopback_server()
    a, b = server.url("/a.opml"), server.url("/b.opml")
    server.routes["/a.opml"] = lambda h: send(h, 200, opml(b), "text/x-opml")
    server.routes["/b.opml"] = lambda h: send(h, 200, opml(a), "text/x-opml")
    result = ingest([a], FAST)
    assert [str(f) for f in result.failures] == [f"{a}: the OPML lists form a loop ({a} -> {b} -> {a}); each list was read once"]
    assert (server.hits["/a.opml"], server.hits["/b.opml"]) == (1, 1)


def test_opml_lists_nest_only_a_few_deep(loopback_server):
    server = loopback_server()
    for depth in range(6):
        server.routes[f"/{depth}.opml"] = lambda h, d=depth: send(h, 200, opml(server.url(f"/{d + 1}.opml")), "text/x-opml")
    result = ingest([server.url("/0.opml")], FAST)
    assert [str(f) for f in result.failures] == [
        f"{server.url('/3.opml')}: is an OPML list nested 4 lists deep; list its feeds directly"
    ]
    assert sum(server.hits.values()) == 4


# Slow servers: one deadline per fetch, for headers and body alike.

def _slow_headers(handler) -> None:
    trickle(handler, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 200 + b"\r\n\r\n", 0.1)


def _slow_body(handler) -> None:
    body = article_page("Slow page") * 20
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    trickle(handler, body, 0.1)


@pytest.mark.parametrize("path", ["/slow-headers", "/slow-body"])
def test_a_server_that_trickles_is_cut_off_at_the_deadline(loopback_server, path):
    server = loopback_server({"/slow-headers": _slow_headers, "/slow-body": _slow_body})
    started = time.monotonic()
    result = ingest([server.url(path)], IngestOptions(timeout_s=0.5, retries=0))
    elapsed = time.monotonic() - started
    assert [f.reason for f in result.failures] == [
        "took longer than 2 s to download; try again later or allow a longer timeout"
    ]
    assert elapsed < 4


def test_ctrl_c_stops_a_download_at_once(loopback_server):
    server = loopback_server({"/slow-headers": _slow_headers})
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "extract", server.url("/slow-headers"), "--timeout", "5", "--no-cache"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A test run started in the background (`cmd &`) ignores SIGINT, and so would the child.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 30
        while server.hits["/slow-headers"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        interrupted = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
        stopped_s = time.monotonic() - interrupted
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert stopped_s < 2


# Caps: a run's cost stays bounded, and each cap says when it cuts.

def _huge_teaser_feed(server, count: int) -> None:
    items = [(f"Story number {n}", server.url(f"/page/{n}")) for n in range(count)]
    feed = teaser_feed(items)
    server.routes["/feed.xml"] = lambda h: send(h, 200, feed, "application/rss+xml")
    server.routes["/page/*"] = lambda h: send(h, 200, article_page(f"Story {h.path.rsplit('/', 1)[1]}",
                                                                   f"berth {h.path.rsplit('/', 1)[1]}"))


def test_a_huge_feed_is_cut_to_the_default_per_feed_cap_and_says_so(loopback_server):
    server = loopback_server()
    _huge_teaser_feed(server, 1000)
    result = ingest([server.url("/feed.xml")], FAST)
    assert len(result.articles) == DEFAULT_MAX_PER_FEED == 50
    assert result.failures == ()  # a cap is a note: a big feed is normal, not a failed input
    assert [str(f) for f in result.notes] == [
        f"{server.url('/feed.xml')}: has 1,000 entries; read the 50 newest (pass --max-per-feed to read more)"
    ]
    assert sum(n for path, n in server.hits.items() if path.startswith("/page/")) == 50


def test_the_run_fetches_at_most_max_fetches_pages(loopback_server):
    server = loopback_server()
    _huge_teaser_feed(server, 40)
    result = ingest([server.url("/feed.xml")], IngestOptions(timeout_s=2, max_per_feed=40, max_fetches=10))
    assert [a.title for a in result.articles] == [f"Story number {n}" for n in range(10)]
    assert [str(f) for f in result.notes] == [
        "this run: fetched the most linked pages and listed feeds a run may (10); 30 more were not fetched "
        "(teasers were read from their feed where they had text); raise --max-pages to fetch more"
    ]
    assert sum(n for path, n in server.hits.items() if path.startswith("/page/")) == 10


def test_the_run_reads_at_most_max_articles(tmp_path):
    for n in range(12):
        (tmp_path / f"{n:02d}.txt").write_text(f"Headline {n}\n\nThe first sentence of story {n} is here. "
                                               "And here is a second one.\n")
    result = ingest([str(tmp_path)], IngestOptions(max_articles=5))
    assert [a.title for a in result.articles] == [f"Headline {n}" for n in range(5)]
    assert [str(f) for f in result.notes] == [
        "this run: read the most articles a run may (5); 7 more were left out; raise --max-articles to read more"
    ]


# The fetch policy: content from one origin leads only to public addresses or to that same origin.

@pytest.fixture
def secret(loopback_server):
    """A second loopback server (another origin) holding a page that must never be read."""
    return loopback_server({"/admin": lambda h: send(h, 200, article_page(SECRET, "the launch code"))})


def _feed_linking_to(server, *links: str) -> str:
    feed = teaser_feed([(f"Linked story {n}", link) for n, link in enumerate(links)], summary=SUMMARY)
    server.routes["/feed.xml"] = lambda h: send(h, 200, feed, "application/rss+xml")
    return server.url("/feed.xml")


def test_a_feed_cannot_lead_to_a_private_address_it_was_not_served_from(loopback_server, secret):
    server = loopback_server()
    port = secret.base.rsplit(":", 1)[1]
    server.routes["/out"] = lambda h: send(h, 302, headers={"Location": secret.url("/admin")})
    feed = _feed_linking_to(server, secret.url("/admin"), server.url("/out"), f"http://localhost:{port}/admin")
    result = ingest([feed], FAST)
    assert secret.hits["/admin"] == 0
    assert all(SECRET not in a.text and SECRET not in a.title for a in result.articles)
    reasons = [f.reason for f in result.failures]
    assert reasons[0] == ("is at a local or private address (127.0.0.1) and was not named on the command line; "
                          "name it there or pass --allow-private to fetch it (read the feed's summary of it instead)")
    assert reasons[1].startswith(f"redirects to {secret.url('/admin')}, a local or private address (127.0.0.1) "
                                 "not named on the command line; name it there or pass --allow-private")
    assert reasons[2].startswith("is at a local or private address (")
    assert [a.text for a in result.articles] == [SUMMARY] * 3


def test_allow_private_and_naming_the_address_let_it_through(loopback_server, secret):
    server = loopback_server()
    feed = _feed_linking_to(server, secret.url("/admin"))
    allowed = ingest([feed], IngestOptions(timeout_s=2, allow_private=True))
    assert allowed.articles[0].title == "Linked story 0" and "launch code" in allowed.articles[0].text
    named = ingest([secret.url("/admin")], FAST)
    assert named.articles[0].title == SECRET
    assert secret.hits["/admin"] == 2


def test_the_policy_checks_the_address_a_name_resolves_to(loopback_server, secret, monkeypatch):
    """A public-looking name that resolves to loopback (DNS rebinding) is refused before any connection."""
    server = loopback_server()
    port = int(secret.base.rsplit(":", 1)[1])
    real = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        return real("127.0.0.1", *args, **kwargs) if host == "news.example" else real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    feed = _feed_linking_to(server, f"http://news.example:{port}/admin")
    result = ingest([feed], FAST)
    assert secret.hits["/admin"] == 0
    assert result.failures[0].reason.startswith("is at a local or private address (127.0.0.1)")


def test_fetcher_refuses_before_connecting(monkeypatch):
    """The refusal comes from the resolved address alone: no socket is ever opened."""
    opened = []
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, address: opened.append(address) or 111)
    with Fetcher(FetchSettings(timeout_s=1)) as fetcher, pytest.raises(SourceError) as error:
        fetcher.fetch("http://169.254.169.254/latest/meta-data/", private_origin=None)
    assert "is at a local or private address (169.254.169.254)" in str(error.value)
    assert opened == []


@pytest.mark.parametrize("address, public", [
    ("8.8.8.8", True), ("2606:4700:4700::1111", True), ("127.0.0.1", False), ("127.8.9.10", False),
    ("::1", False), ("10.1.2.3", False), ("172.16.5.4", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("fe80::1", False), ("fd00::1", False), ("100.64.0.1", False),
    ("0.0.0.0", False), ("::ffff:127.0.0.1", False), ("224.0.0.1", False),
])
def test_which_addresses_are_public(address, public):
    assert is_public_address(address) is public



def test_the_command_line_caps_are_ingests_defaults():
    import typer

    from briefing.cli.extract import extract
    from briefing.cli.generate import generate
    from briefing.cli.run import run
    from briefing.ingest import MAX_ARTICLES, MAX_FETCHES

    for command in (extract, generate, run):
        app = typer.Typer()
        app.command()(command)
        params = {p.name: p for p in typer.main.get_command(app).params}
        assert (params["max_pages"].default, params["max_articles"].default) == (MAX_FETCHES, MAX_ARTICLES)
        assert params["allow_private"].default is False


def test_allow_private_and_max_pages_reach_ingest_from_the_command_line(loopback_server, secret):
    server = loopback_server()
    feed = _feed_linking_to(server, secret.url("/admin"), secret.url("/admin?again"))
    base = [sys.executable, "-m", "briefing", "extract", feed, "--no-cache", "--json"]
    refused = subprocess.run(base, capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 3 and secret.hits["/admin"] == 0
    allowed = subprocess.run([*base, "--allow-private", "--max-pages", "1"], capture_output=True, text=True,
                             timeout=60, check=False)
    assert allowed.returncode == 0 and secret.hits["/admin"] == 1  # the cap's line is a note, not a failure
    assert "raise --max-pages to fetch more" in allowed.stderr
