"""`briefing serve` as podcast apps and browsers meet it: a real subprocess on a free loopback port."""
from __future__ import annotations

import http.client
import io
import socket
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html
import podcastparser
import publish_library_builder as builder  # loaded by path in conftest.py
import pytest
from lxml import etree

from briefing.errors import BriefingError
from briefing.publish.serve import make_server, start_in_thread
from briefing.publish.update import publish_library

NEWER, OLDER = builder.NEWER, builder.OLDER


def request(base_url: str, path: str, method: str = "GET", headers: dict | None = None):
    """Send `path` exactly as written (no client-side normalization of '..' or '%2e')."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def get(url: str, headers: dict | None = None):
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return request(f"{parts.scheme}://{parts.netloc}/", path, headers=headers)


def feed_urls(feed: bytes) -> list[str]:
    """Every URL in the feed: link/url texts and url/href attributes."""
    urls = []
    for element in etree.fromstring(feed).iter():
        for name in ("url", "href"):
            if element.get(name):
                urls.append(element.get(name))
        if etree.QName(element).localname in ("link", "url") and element.text:
            urls.append(element.text.strip())
    return urls


def test_the_server_tells_where_the_page_and_feed_are(served_library):
    _, url, server = served_library
    assert url.startswith("http://127.0.0.1:") and url.endswith("/")
    assert [line.strip() for line in server.banner[1:]] == [f"page: {url}index.html", f"feed: {url}feed.xml"]


def test_feed_from_the_server_parses_in_feedparser_and_podcastparser(served_library):
    output, url, _ = served_library
    status, headers, feed = get(url + "feed.xml")
    assert status == 200
    assert headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert feed == (output / "feed.xml").read_bytes()
    parsed = feedparser.parse(feed)
    assert parsed.bozo == 0
    assert [e.title for e in parsed.entries] == [NEWER.title, OLDER.title]
    gpodder = podcastparser.parse(url + "feed.xml", io.BytesIO(feed))
    assert [e["enclosures"][0]["url"] for e in gpodder["episodes"]] == [
        f"{url}episodes/{NEWER.id}/briefing.mp3",
        f"{url}episodes/{OLDER.id}/briefing.mp3",
    ]


def test_every_url_in_the_feed_resolves(served_library):
    _, url, _ = served_library
    feed = get(url + "feed.xml")[2]
    urls = feed_urls(feed)
    # channel: link, self, image url and link, itunes:image; each item: link, enclosure, 3 transcripts, chapters
    assert len(urls) == 17
    for each in urls:
        assert each.startswith(url)
        status, _, body = get(each.split("#")[0])
        assert (each, status) == (each, 200)
        assert body


def test_every_local_url_on_the_page_resolves(served_library):
    _, url, _ = served_library
    page = get(url)[2]
    doc = lxml.html.fromstring(page)
    local = [
        value
        for attribute in ("src", "href", "data-clip")
        for value in doc.xpath(f"//@{attribute}")
        if "://" not in value and not value.startswith("#")
    ]
    assert len(local) > 10
    for each in local:
        assert get(urljoin(url, each))[0] == 200, each


def test_enclosure_downloads_with_the_length_the_feed_announces(served_library):
    output, url, _ = served_library
    feed = feedparser.parse(get(url + "feed.xml")[2])
    for entry in feed.entries:
        [enclosure] = entry.enclosures
        status, headers, body = get(enclosure.href)
        assert status == 200
        assert headers["content-type"] == "audio/mpeg"
        assert headers["accept-ranges"] == "bytes"
        assert len(body) == int(enclosure.length) == int(headers["content-length"])
        assert body == (output / urlsplit(enclosure.href).path.lstrip("/")).read_bytes()


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        (f"/episodes/{NEWER.id}/transcript.vtt", "text/vtt; charset=utf-8"),
        (f"/episodes/{NEWER.id}/transcript.txt", "text/plain; charset=utf-8"),
        (f"/episodes/{NEWER.id}/chapters.json", "application/json"),
        (f"/episodes/{NEWER.id}/clips/01-story-1.mp3", "audio/mpeg"),
        ("/cover.png", "image/png"),
        ("/static/briefing.css", "text/css; charset=utf-8"),
        ("/static/briefing.js", "text/javascript; charset=utf-8"),
    ],
)
def test_content_types(served_library, path, content_type):
    _, url, _ = served_library
    status, headers, _ = request(url, path)
    assert (status, headers["content-type"], headers["x-content-type-options"]) == (200, content_type, "nosniff")


def test_range_requests_return_the_exact_bytes(served_library):
    output, url, _ = served_library
    path = f"/episodes/{NEWER.id}/briefing.mp3"
    data = (output / path.lstrip("/")).read_bytes()
    size = len(data)

    status, headers, body = request(url, path, headers={"Range": "bytes=100-1099"})
    assert (status, headers["content-range"], headers["content-length"]) == (206, f"bytes 100-1099/{size}", "1000")
    assert body == data[100:1100]

    status, headers, body = request(url, path, headers={"Range": "bytes=-500"})
    assert (status, headers["content-range"], body) == (206, f"bytes {size - 500}-{size - 1}/{size}", data[-500:])

    status, headers, body = request(url, path, headers={"Range": f"bytes={size - 10}-"})
    assert (status, headers["content-range"], body) == (206, f"bytes {size - 10}-{size - 1}/{size}", data[-10:])

    status, headers, body = request(url, path, headers={"Range": f"bytes=0-{size + 5000}"})
    assert (status, headers["content-range"], body) == (206, f"bytes 0-{size - 1}/{size}", data)


def test_an_unsatisfiable_range_gets_416(served_library):
    output, url, _ = served_library
    path = f"/episodes/{NEWER.id}/briefing.mp3"
    size = (output / path.lstrip("/")).stat().st_size
    status, headers, body = request(url, path, headers={"Range": f"bytes={size}-"})
    assert (status, headers["content-range"], body) == (416, f"bytes */{size}", b"")


def test_if_range_gets_a_part_only_while_the_file_is_unchanged(served_library):
    output, url, _ = served_library
    path = f"/episodes/{NEWER.id}/briefing.mp3"
    etag = request(url, path, method="HEAD")[1]["etag"]
    status, _, body = request(url, path, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert (status, len(body)) == (206, 10)
    status, _, body = request(url, path, headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
    assert (status, len(body)) == (200, (output / path.lstrip("/")).stat().st_size)


def test_head_gives_headers_without_a_body(served_library):
    output, url, _ = served_library
    status, headers, body = request(url, "/cover.png", method="HEAD")
    assert (status, body) == (200, b"")
    assert int(headers["content-length"]) == (output / "cover.png").stat().st_size


def test_etag_and_last_modified_revalidate_with_304(served_library):
    _, url, _ = served_library
    status, headers, _ = request(url, "/feed.xml")
    assert status == 200
    assert request(url, "/feed.xml", headers={"If-None-Match": headers["etag"]})[0] == 304
    assert request(url, "/feed.xml", headers={"If-None-Match": '"other"'})[0] == 200
    assert request(url, "/feed.xml", headers={"If-Modified-Since": headers["last-modified"]})[0] == 304
    assert request(url, "/feed.xml", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/../outside.txt",
        "/episodes/../../outside.txt",
        "/%2e%2e/outside.txt",
        "/%2E%2E%2Foutside.txt",
        "/episodes/%2e%2e/%2e%2e/outside.txt",
        "/..%2foutside.txt",
        "/static/..%5c..%5coutside.txt",
        "/%252e%252e/outside.txt",
        "//outside.txt",
        "/.cache/secret.txt",
        "/%2ecache/secret.txt",
        "/episodes/../.cache/secret.txt",
        "/escape/outside.txt",
        "/escape-file",
        "/feed.xml%00.png",
        "/%ff%fe",
        "/episodes",
        "/no-such-file.mp3",
    ],
)
def test_nothing_outside_the_library_is_served(served_library, path):
    output, url, _ = served_library
    (output.parent / "outside.txt").write_text("SECRET-OUTSIDE")
    (output / ".cache").mkdir(exist_ok=True)
    (output / ".cache" / "secret.txt").write_text("SECRET-CACHE")
    if not (output / "escape").exists():
        (output / "escape").symlink_to(output.parent, target_is_directory=True)
        (output / "escape-file").symlink_to(output.parent / "outside.txt")
    status, _, body = request(url, path)
    assert status == 404
    assert b"SECRET" not in body


def test_keep_retires_episodes_from_disk_feed_and_server(tmp_path, audio_cache):
    output = builder.make_library(tmp_path / "output", audio_cache)
    server, url = start_in_thread(output)
    try:
        result = publish_library(output, base_url=url, keep=1)
        assert result.retired == (OLDER.id,)
        feed = feedparser.parse(get(url + "feed.xml")[2])
        assert [e.title for e in feed.entries] == [NEWER.title]
        assert request(url, f"/episodes/{OLDER.id}/briefing.mp3")[0] == 404
        assert request(url, f"/episodes/{NEWER.id}/briefing.mp3")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_a_busy_port_is_reported_as_a_clear_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        expected = rf"^Cannot listen on 127\.0\.0\.1:{port} .*pick another port with --port\.$"
        with pytest.raises(BriefingError, match=expected):
            make_server(tmp_path, port=port)


def test_a_missing_output_folder_is_reported(tmp_path):
    with pytest.raises(BriefingError, match=r"There is no folder .*nowhere; run briefing generate first"):
        make_server(tmp_path / "nowhere", port=0)
