"""A small local web server for the episode library: listen in a browser, subscribe in an app.

Serves files of the output folder only (GET and HEAD), through http.py: byte
ranges, revalidation, and nothing outside the folder.

A library made without a base URL has feed URLs for http://127.0.0.1:8000/;
for it, feed.xml, alexa.json and index.html are served with those URLs moved to
the address the client used (its Host header), so a phone on the same network
subscribes at this machine's address and port. The files on disk stay as
published. alexa.json goes out as application/json, as Amazon asks.

Hardened for a network it does not control (http.py): Host checks against DNS
rebinding, request deadlines, bounded ranges. For production, serve output/
from any static web server instead.
"""
from __future__ import annotations

import hashlib
import socket
import threading
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from ..episodes import ALEXA_FEED, FEED, PAGE
from ..errors import BriefingError
from .hosts import host_name
from .http import HOST_HEADER, REQUEST_TIMEOUT_S, SOCKET_TIMEOUT_S, FolderRequestHandler, FolderServer, file_headers
from .update import LOCAL_BASE_URL, read_feed_base_url


def make_server(
    output_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    request_timeout_s: float = REQUEST_TIMEOUT_S,
    socket_timeout_s: float = SOCKET_TIMEOUT_S,
) -> ThreadingHTTPServer:
    """A bound, not yet running server for `output_dir`; port 0 picks a free port.

    Read the chosen port from `server.server_address[1]`; run it with
    `serve_forever()` (in a thread for tests) and stop it with `shutdown()`
    and `server_close()`.
    """
    root = Path(output_dir).resolve()
    if not root.is_dir():
        raise BriefingError(f"There is no folder {output_dir}; run briefing generate first or pass --output.")
    handler = type("LibraryRequestHandler", (_LibraryRequestHandler,), {"root": root, "timeout": socket_timeout_s})
    server_class = _LibraryServer6 if ":" in host else _LibraryServer
    try:
        server = server_class((host, port), handler)
    except OSError as error:
        raise BriefingError(
            f"Cannot listen on {host}:{port} ({error.strerror or error}); pick another port with --port."
        ) from None
    server.configure(root, host, request_timeout_s)
    return server


def serve(output_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve `output_dir` until interrupted. Binds to loopback unless told otherwise."""
    with make_server(output_dir, host, port) as server:
        server.serve_forever()


def start_in_thread(output_dir: Path, host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start a server in a daemon thread; return it and its base URL. For tests and embedding."""
    server = make_server(output_dir, host, port)
    thread = threading.Thread(target=server.serve_forever, name="briefing-serve", daemon=True)
    thread.start()
    return server, base_url_of(server)


def base_url_of(server: ThreadingHTTPServer) -> str:
    host, port = str(server.server_address[0]), server.server_address[1]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


class _Library:
    """The base URL the library's feed.xml was published for, re-read whenever the file changes."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._base: str | None = None

    def base_url(self) -> str | None:
        """feed.xml's base URL; None if there is no feed.xml."""
        try:
            stat = (self.root / FEED).stat()
        except OSError:
            return None
        with self._lock:
            if self._seen != (stat.st_mtime_ns, stat.st_size):
                self._seen = (stat.st_mtime_ns, stat.st_size)
                self._base = read_feed_base_url(self.root)
            return self._base

    def has_own_base_url(self) -> bool:
        base = self.base_url()
        return base is not None and base != LOCAL_BASE_URL


class _LibraryServer(FolderServer):
    library: _Library

    def configure(self, root: Path, host: str, request_timeout_s: float) -> None:
        super().configure(root, host, request_timeout_s)
        self.library = _Library(root)

    def answers_to(self, header: str) -> bool:
        """One of this server's names, or the host of the base URL the library was published for."""
        if super().answers_to(header):
            return True
        base = self.library.base_url()
        return bool(base) and HOST_HEADER.match(header.strip()) is not None and \
            host_name(header) == (urlsplit(base).hostname or "").lower()


class _LibraryServer6(_LibraryServer):
    address_family = socket.AF_INET6


class _LibraryRequestHandler(FolderRequestHandler):
    server: _LibraryServer

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, *, send_body: bool) -> None:
        host = self.headers.get("Host")
        if host is not None and not self.server.answers_to(host):
            self.send_error_page(HTTPStatus.MISDIRECTED_REQUEST)
            return
        path = self.resolve(self.path)
        if path is None:
            self.send_error_page(HTTPStatus.NOT_FOUND)
            return
        if path.parent == self.root and path.name in (FEED, PAGE, ALEXA_FEED) and \
                not self.server.library.has_own_base_url():
            self._send_rendered(path, host, send_body=send_body)
            return
        self.send_file(path, send_body=send_body)

    def _send_rendered(self, path: Path, host: str | None, *, send_body: bool) -> None:
        """feed.xml, alexa.json or index.html with their URLs moved to the address the client used.

        The library has no base URL of its own, so its files point at
        LOCAL_BASE_URL; every occurrence becomes http://<Host>/. Everything else
        (channel, cover, the show's podcast:guid) stays as published.
        """
        base = f"http://{host.strip() if host else self.server.address_for_urls()}/"
        try:
            stat = path.stat()
            body = path.read_bytes().replace(LOCAL_BASE_URL.encode(), base.encode())
        except OSError:
            self.send_error_page(HTTPStatus.NOT_FOUND)
            return
        etag = f'"{hashlib.sha256(body).hexdigest()[:20]}"'
        headers = {**file_headers(path, etag, stat.st_mtime), "Vary": "Host"}
        if self.not_modified(etag, stat.st_mtime):
            self.send_headers(HTTPStatus.NOT_MODIFIED, headers)
            return
        self.send_headers(HTTPStatus.OK, {**headers, "Content-Length": str(len(body))})
        if send_body:
            self.wfile.write(body)
