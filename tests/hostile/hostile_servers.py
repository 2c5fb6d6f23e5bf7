"""Loopback servers that misbehave on purpose (trickles, loops, huge feeds, a page with a secret),
for tests/hostile. Every server listens on 127.0.0.1; loaded by path in conftest.py."""
from __future__ import annotations

import http.server
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

Route = Callable[["http.server.BaseHTTPRequestHandler"], None]


@dataclass
class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 whose paths are answered by `routes`."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: Counter = field(default_factory=Counter)
    base: str = ""

    def url(self, path: str) -> str:
        return self.base + path


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """Clients that hang up early are what these tests do."""


def send(handler, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
         headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _handler(state: LoopbackServer):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            state.hits[path] = state.hits[path] + 1
            route = state.routes.get(path) or next(
                (r for p, r in state.routes.items() if p.endswith("*") and path.startswith(p[:-1])), None)
            if route is None:
                return send(self, 404, b"<h1>Not Found</h1>")
            return route(self)

    return Handler


def start_server(routes: dict[str, Route] | None = None) -> tuple[LoopbackServer, _Server]:
    """A LoopbackServer running on a free port of 127.0.0.1, and its httpd to stop."""
    state = LoopbackServer(routes=dict(routes or {}))
    httpd = _Server(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return state, httpd


ARTICLE_HTML = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>The harbour authority said on Monday that {subject} would change next month after a long review "
    "of how the port is run and paid for by the city.</p>"
    "<p>Officials told reporters that the decision followed complaints from residents, traders and ferry "
    "crews, and that a public meeting would be held in the town hall before the plan takes effect.</p>"
    "</article></body></html>"
)


def article_page(title: str, subject: str = "the mooring rules") -> bytes:
    return ARTICLE_HTML.format(title=title, subject=subject).encode()


def teaser_feed(items: list[tuple[str, str]], summary: str = "") -> bytes:
    """An RSS feed of (title, link) teasers, newest first; each entry's text is `summary` (may be empty)."""
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        f"<pubDate>{time.strftime('%a, %d %b %Y %H:%M:%S GMT', time.gmtime(1764669600 - n * 60))}</pubDate>"
        f"<description>{summary}</description></item>"
        for n, (title, link) in enumerate(items)
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Harbour Wire</title>'
            f"<link>https://harbour.example/</link><description>d</description>{entries}</channel></rss>").encode()


def trickle(handler, data: bytes, interval_s: float, headers_first: bool = False, limit_s: float = 30.0) -> None:
    """Send `data` one byte every `interval_s` (a slow or hostile server), for at most `limit_s`."""
    handler.close_connection = True
    started = time.monotonic()
    try:
        for byte in data:
            if time.monotonic() - started > limit_s:
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(interval_s)
    except (BrokenPipeError, ConnectionResetError):
        return


# Servers that lie about what they send (issue 25): each answer is one a real, misconfigured site gives.

def _hang_up_hard(handler) -> None:
    """Close with a TCP reset (SO_LINGER 0), as a crashed server or a middlebox does."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True


def false_gzip(handler) -> None:
    """Content-Encoding: gzip on a body that is plain HTML (a proxy that strips compression, not the header)."""
    send(handler, 200, article_page("False gzip"), headers={"Content-Encoding": "gzip"})


def truncated(handler) -> None:
    """Half the body a Content-Length promises, then the connection closes."""
    body = article_page("Truncated page")
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body) * 2))
    handler.end_headers()
    handler.wfile.write(body)
    handler.wfile.flush()
    handler.close_connection = True


def reset(handler) -> None:
    """A reset instead of an answer."""
    _hang_up_hard(handler)


def reset_mid_body(handler) -> None:
    """Headers and part of the body, then a reset."""
    body = article_page("Reset page")
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body) * 2))
    handler.end_headers()
    handler.wfile.write(body[: len(body) // 2])
    handler.wfile.flush()
    _hang_up_hard(handler)


LATIN1_PAGE = article_page("Café owners back the harbour plan").decode().encode("cp1252")
"""A page in Windows-1252 (é is the byte E9), which is not valid UTF-8."""


def charset(label: str) -> Route:
    """LATIN1_PAGE served as text/html with this charset label: one Python does not know
    ("x-unknown"), one that is not a text encoding ("base64"), or a wrong one ("utf-16")."""
    return lambda handler: send(handler, 200, LATIN1_PAGE, f"text/html; charset={label}")


def redirect_loop(handler) -> None:
    send(handler, 302, headers={"Location": handler.path.replace("/loop-a", "/loop-b") if "loop-a" in handler.path
                                else handler.path.replace("/loop-b", "/loop-a")})
