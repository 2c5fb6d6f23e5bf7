"""Shared fixtures: the real Piper and hibari voices (each loaded once per
session), a fake engine for fast unit tests, paths to the bundled examples and
the shared sample, and a real HTTP server on 127.0.0.1 serving
tests/fixtures/web/ with the faults real sites show."""
from __future__ import annotations

import contextlib
import hashlib
import http.server
import math
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from briefing.speech import Speech
from briefing.voices import find_voice

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
SAMPLE = ROOT.parent / "shared" / "samples" / "putin-india-visit.txt"


@pytest.fixture(scope="session")
def joe():
    return find_voice("joe")


@pytest.fixture(scope="session")
def piper_engine(joe):
    """The real Piper voice, loaded once for the whole test session."""
    from briefing.speech import load_engine

    return load_engine(joe)


@pytest.fixture(scope="session")
def heart():
    return find_voice("heart")


@pytest.fixture(scope="session")
def hibari_engine(heart):
    """The real hibari voice (the default), loaded once for the whole test session."""
    from briefing.speech import load_engine

    return load_engine(heart)


class ToneEngine:
    """A fake engine whose audio length follows the text: 60 ms per character of a
    quiet tone, so timing and loudness code see speech-like input without a model."""

    sample_rate_hz = 22050

    def __init__(self) -> None:
        self.spoken: list[str] = []

    def speak(self, text: str) -> Speech:
        self.spoken.append(text)
        frames = int(len(text) * 0.06 * self.sample_rate_hz)
        # A 220 Hz tone with a 3 Hz amplitude wobble, roughly like syllables.
        seconds = np.arange(frames) / self.sample_rate_hz
        samples = 9000 * (0.6 + 0.4 * np.sin(2 * math.pi * 3 * seconds)) * np.sin(2 * math.pi * 220 * seconds)
        return Speech(pcm=samples.astype("<i2").tobytes(), sample_rate_hz=self.sample_rate_hz)


@pytest.fixture
def tone_engine():
    return ToneEngine()


@pytest.fixture(scope="session")
def tone_engine_class():
    """For module-scoped fixtures, which cannot use the function-scoped tone_engine."""
    return ToneEngine


@pytest.fixture(scope="session")
def sample_article() -> Path:
    """The real scraped article in ../shared/samples (CI puts shared/ beside the clone)."""
    if not SAMPLE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{SAMPLE} is missing; CI must have ../shared beside the clone")
        pytest.skip(f"{SAMPLE} not found (../shared is not beside this checkout)")
    return SAMPLE


# A real web server on loopback, for ingest.

WEB = Path(__file__).resolve().parent / "fixtures" / "web"
LAST_MODIFIED = "Tue, 02 Dec 2025 12:00:00 GMT"
BIG_BYTES = 50 * 1024 * 1024
SLOW_S = 3.0
PAUSE_S = 0.5

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
}
# Paths served with a content type other than the one their suffix suggests.
_TYPE_OVERRIDES = {
    "/rss.xml": "application/rss+xml; charset=UTF-8",
    "/atom.xml": "application/atom+xml",
    "/rdf.xml": "application/rdf+xml",
    "/truncated.xml": "application/rss+xml; charset=UTF-8",
    "/charset-wrong.html": "text/html; charset=ISO-8859-1",
    "/charset-undeclared.html": "text/html",
}


@dataclass
class SeenRequest:
    path: str
    headers: dict[str, str]
    status: int = 0


@dataclass
class WebServer:
    base: str
    requests: list[SeenRequest] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path

    def seen(self, path: str) -> list[SeenRequest]:
        return [r for r in self.requests if r.path == path]


def _handler(server_state: WebServer):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes = b"", content_type: str | None = None, headers: dict | None = None):
            self.seen_request.status = status
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            self.seen_request = SeenRequest(path, {k.lower(): v for k, v in self.headers.items()})
            server_state.requests.append(self.seen_request)
            server_state.hits[path] = server_state.hits.get(path, 0) + 1
            route = getattr(self, "route_" + path.strip("/").replace("-", "_").replace("/", "__"), None)
            if route is not None:
                return route()
            return self.static(path)

        def static(self, path: str) -> None:
            file = (WEB / path.lstrip("/")).resolve()
            if WEB not in file.parents or not file.is_file():
                return self._send(404, b"<h1>Not Found</h1>", "text/html")
            body = file.read_bytes().replace(b"{{BASE}}", server_state.base.encode())
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, headers={"ETag": etag})
            content_type = _TYPE_OVERRIDES.get(path) or _TYPES.get(file.suffix, "application/octet-stream")
            self._send(200, body, content_type, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

        def route_slow(self) -> None:
            time.sleep(SLOW_S)
            self._send(200, b"<html><body><p>Too late.</p></body></html>", "text/html")

        def route_pause(self) -> None:
            time.sleep(PAUSE_S)
            return self.static("/wire-story.html")

        def route_big(self) -> None:
            """50 MB of HTML sent in chunks with no Content-Length, never built in memory."""
            self.seen_request.status = 200
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"All work and no play makes a very long page. " * 1400 + b"</p>\n"
            sent = 0
            try:
                self.wfile.write(b"<html><body>")
                while sent < BIG_BYTES:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

        def route_big_declared(self) -> None:
            self.seen_request.status = 200
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(BIG_BYTES))
            self.end_headers()
            self.close_connection = True

        def route_loop__a(self) -> None:
            self._send(302, b"", "text/html", {"Location": "/loop/b"})

        def route_loop__b(self) -> None:
            self._send(302, b"", "text/html", {"Location": "/loop/a"})

        def route_moved(self) -> None:
            self._send(301, b"", "text/html", {"Location": "/news-page.html"})

        def route_flaky(self) -> None:
            if server_state.hits["/flaky"] <= 2:
                return self._send(503, b"<h1>Service Unavailable</h1>", "text/html")
            return self.static("/wire-story.html")

        def route_down(self) -> None:
            self._send(503, b"<h1>Service Unavailable</h1>", "text/html")

        def route_not_a_feed(self) -> None:
            body = (WEB / "not-a-feed.rss").read_bytes()
            self._send(200, body, "application/rss+xml; charset=utf-8")

        def route_teasers(self) -> None:
            """A feed whose teaser links point at a missing page and a PDF."""
            body = (WEB / "rss.xml").read_bytes().replace(b"{{BASE}}", server_state.base.encode())
            body = body.replace(b"/articles/rates.html", b"/articles/gone.html").replace(
                b"/articles/museum.html", b"/report.pdf"
            )
            self._send(200, body, "application/rss+xml")

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up early (size cap, timeout) is expected here, not an error."""


@pytest.fixture
def web() -> WebServer:
    """Serve the web fixtures on a free port of 127.0.0.1 for one test."""
    httpd = _Server(("127.0.0.1", 0), None)  # type: ignore[arg-type]
    state = WebServer(base=f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def dead_url() -> str:
    """An address on 127.0.0.1 where nothing listens (the port was just freed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/story.html"


# A local news site on loopback whose feed changes from day to day, for the daily-show tests.

DAILY_NEWS = Path(__file__).resolve().parent / "fixtures" / "daily" / "news.toml"


@dataclass
class NewsSite:
    """Serves /feed.xml (the day's articles, full text in content:encoded) and /news/<slug>.html
    for every article of any day, so links in older episodes keep working."""

    base: str
    articles: dict[str, dict]
    days: dict[str, list[str]]
    pages: dict[str, bytes] = field(default_factory=dict)

    @property
    def feed_url(self) -> str:
        return self.base + "/feed.xml"

    def url(self, slug: str) -> str:
        return f"{self.base}/news/{slug}.html"

    def text(self, slug: str) -> str:
        return " ".join(self.articles[slug]["text"].split())

    def sentences(self, slug: str) -> list[str]:
        return [line.strip() for line in self.articles[slug]["text"].strip().splitlines()]

    def show_day(self, day: int) -> None:
        from datetime import datetime
        from email.utils import format_datetime
        from xml.sax.saxutils import escape

        items = []
        for slug in self.days[str(day)]:
            article = self.articles[slug]
            published = datetime.fromisoformat(article["published"].replace("Z", "+00:00"))
            paragraphs = "".join(f"<p>{escape(line)}</p>" for line in self.sentences(slug))
            items.append(
                f"<item><title>{escape(article['title'])}</title><link>{self.url(slug)}</link>"
                f"<guid>{self.url(slug)}</guid><pubDate>{format_datetime(published)}</pubDate>"
                f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
            )
        feed = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Harbor Daily</title><link>{self.base}/</link><description>Local news</description>"
            f"{''.join(items)}</channel></rss>"
        )
        self.pages["/feed.xml"] = feed.encode()


def _news_handler(site: NewsSite):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            from html import escape

            path = self.path.split("?", 1)[0]
            slug = path.removeprefix("/news/").removesuffix(".html")
            status, content_type = 200, "text/html; charset=utf-8"
            if path in site.pages:
                body, content_type = site.pages[path], "application/rss+xml; charset=utf-8"
            elif path.startswith("/news/") and slug in site.articles:
                title = escape(site.articles[slug]["title"])
                paragraphs = "".join(f"<p>{escape(line)}</p>" for line in site.sentences(slug))
                body = (f"<!doctype html><html><head><title>{title}</title></head>"
                        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>").encode()
            else:
                status, body = 404, b"<h1>Not Found</h1>"
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextlib.contextmanager
def serve_news():
    """The two-day news site of tests/fixtures/daily/news.toml on a free port of 127.0.0.1, showing day 1."""
    from briefing.run.show_file import tomllib

    data = tomllib.loads(DAILY_NEWS.read_text(encoding="utf-8"))
    httpd = _Server(("127.0.0.1", 0), None)  # type: ignore[arg-type]
    site = NewsSite(base=f"http://127.0.0.1:{httpd.server_address[1]}", articles=data["articles"], days=data["days"])
    site.show_day(1)
    httpd.RequestHandlerClass = _news_handler(site)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def news_site():
    with serve_news() as site:
        yield site


@pytest.fixture(scope="module")
def module_news_site():
    """The same site for a module's tests; a test that changes its day must not share it."""
    with serve_news() as site:
        yield site


# A show's music, made here (no third-party music ships), in the formats users bring.

@dataclass(frozen=True)
class ShowMusicFiles:
    """Generated music files: a tone sweep intro, a steady tone bed, a falling sweep outro and
    a short decaying transition, each in another format, rate and channel count; and bad ones."""

    folder: Path
    intro: Path
    bed: Path
    outro: Path
    transition: Path
    bed_hz: float = 1010.0
    """The bed's tone: not a whole number of cycles in the milliseconds its silent ends are trimmed to."""


def sweep(seconds: float, rate: int, start_hz: float, end_hz: float, amplitude: float = 0.3) -> np.ndarray:
    """A linear sine sweep (chirp): its cross-correlation with itself has one sharp peak."""
    t = np.arange(int(seconds * rate)) / rate
    return amplitude * np.sin(2 * np.pi * (start_hz * t + (end_hz - start_hz) * t * t / (2 * seconds)))


def write_audio(path: Path, samples: np.ndarray, rate: int, *args: str) -> Path:
    """Encode float samples (a 2-D array for stereo) with ffmpeg; `args` pick the codec."""
    import subprocess

    from briefing.audio.ffmpeg import ffmpeg_exe

    channels = 1 if samples.ndim == 1 else samples.shape[1]
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "s16le", "-ar", str(rate), "-ac", str(channels),
                    "-i", "pipe:0", *args, str(path)], input=pcm, check=True)
    return path


@pytest.fixture(scope="session")
def show_music(tmp_path_factory) -> ShowMusicFiles:
    folder = tmp_path_factory.mktemp("music")
    intro = sweep(4.0, 44100, 300, 3000)
    decay = np.exp(-3 * np.arange(int(0.8 * 44100)) / 44100)
    return ShowMusicFiles(
        folder=folder,
        intro=write_audio(folder / "intro.mp3", np.stack([intro, intro], axis=1), 44100, "-b:a", "192k"),
        bed=write_audio(folder / "bed.ogg", 0.3 * np.sin(2 * np.pi * 1010 * np.arange(int(5.37 * 48000)) / 48000),
                        48000, "-c:a", "libvorbis"),
        outro=write_audio(folder / "outro.wav", sweep(3.0, 22050, 2500, 1500), 22050),
        transition=write_audio(folder / "transition.m4a", sweep(0.8, 44100, 600, 900) * decay, 44100, "-c:a", "aac"),
    )
