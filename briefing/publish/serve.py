"""A small local web server for the episode library: listen in a browser, subscribe in an app.

Serves files of the output folder only (GET and HEAD), with the content
types podcast apps expect, byte ranges (RFC 9110 section 14, so players can
seek), and ETag / Last-Modified revalidation. Anything outside the folder,
any hidden name (".cache", temp files of atomic writes) and any symlink that
leads out is answered 404.

A library made without a base URL has feed URLs for http://127.0.0.1:8000/;
for it, feed.xml and index.html are served with those URLs moved to the
address the client used (its Host header), so a phone on the same network
subscribes at this machine's address and port. The files on disk stay as
published.

Hardened for a network it does not control: requests whose Host is not one
of the server's own names get 421 (DNS rebinding, hosts.py); a client has
REQUEST_TIMEOUT_S to send its request's headers and an idle connection is
closed after as long; absurd Range values get 416; log lines escape control
characters; the listen backlog is large enough for a burst of downloads. For
production, serve output/ from any static web server instead.
"""
from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
import socket
import sys
import threading
import time
from contextlib import suppress
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..episodes import FEED, PAGE
from ..errors import BriefingError
from .hosts import WILDCARDS, host_name, served_names
from .update import LOCAL_BASE_URL, read_feed_base_url

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".mp3": "audio/mpeg",
    ".xml": "application/rss+xml; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
}
CHUNK_BYTES = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
MAX_RANGE_DIGITS = 18
"""Longer byte positions (an exabyte and up) are absurd: 416, not a traceback."""
REQUEST_TIMEOUT_S = 20.0
"""A client has this long to send a request line and headers; an idle kept-alive connection
is closed after as long (nginx's client_header_timeout is 60 s; 20 s is plenty on a LAN)."""
SOCKET_TIMEOUT_S = 60.0
"""The longest any one read or write may block (a player that stopped reading)."""
BACKLOG = 128
"""Connections the kernel queues before accept (socketserver's 5 made a burst of 200 downloads
wait for SYN retries: 55 s instead of 2 s)."""
_HOST_HEADER = re.compile(r"^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$")
_LOG_ESCAPES = str.maketrans({c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))})


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


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def _file_headers(path: Path, etag: str, mtime: float) -> dict[str, str]:
    """What every file's answer says: type, validators, and that players must revalidate."""
    return {
        "Content-Type": content_type(path),
        "ETag": etag,
        "Last-Modified": formatdate(mtime, usegmt=True),
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
    }


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


class _Deadlines:
    """One thread that closes connections whose client is too slow to send its request."""

    def __init__(self, poll_s: float):
        self._due: dict[socket.socket, float] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._poll_s = poll_s
        threading.Thread(target=self._watch, name="briefing-serve-deadlines", daemon=True).start()

    def arm(self, connection: socket.socket, seconds: float) -> None:
        with self._lock:
            self._due[connection] = time.monotonic() + seconds

    def disarm(self, connection: socket.socket) -> None:
        with self._lock:
            self._due.pop(connection, None)

    def stop(self) -> None:
        self._stopped.set()

    def _watch(self) -> None:
        while not self._stopped.wait(self._poll_s):
            now = time.monotonic()
            with self._lock:
                late = [connection for connection, due in self._due.items() if due <= now]
                for connection in late:
                    del self._due[connection]
            for connection in late:
                with suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)


class _LibraryServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = BACKLOG
    root: Path
    library: _Library
    names: frozenset[str]
    deadlines: _Deadlines
    request_timeout_s: float

    def configure(self, root: Path, host: str, request_timeout_s: float) -> None:
        self.root = root
        self.library = _Library(root)
        self.names = served_names(host)
        self.request_timeout_s = request_timeout_s
        self.deadlines = _Deadlines(poll_s=min(1.0, request_timeout_s / 4))

    def answers_to(self, header: str) -> bool:
        """Is a Host header one of this server's names (or the library's base URL's host)?"""
        if not _HOST_HEADER.match(header.strip()):
            return False
        name = host_name(header)
        if name in self.names:
            return True
        base = self.library.base_url()
        return bool(base) and name == (urlsplit(base).hostname or "").lower()

    def address_for_urls(self) -> str:
        """host:port for URLs when a request names no Host: the bound address, or loopback for a wildcard."""
        host, port = str(self.server_address[0]), self.server_address[1]
        host = "127.0.0.1" if host in WILDCARDS else host
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def server_close(self) -> None:
        if hasattr(self, "deadlines"):  # not when binding failed
            self.deadlines.stop()
        super().server_close()

    def handle_error(self, request, client_address) -> None:
        # socketserver would print the traceback to stderr; a client that went away is routine.
        if isinstance(sys.exc_info()[1], OSError):
            log.debug("Connection from %s ended: %s", client_address[0], sys.exc_info()[1])
            return
        log.exception("Error while answering %s", client_address[0])


class _LibraryServer6(_LibraryServer):
    address_family = socket.AF_INET6


class _LibraryRequestHandler(BaseHTTPRequestHandler):
    root: Path
    server: _LibraryServer
    server_version = "briefing"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def handle_one_request(self) -> None:
        """One request; its line and headers must arrive within REQUEST_TIMEOUT_S (slowloris, idle)."""
        self.server.deadlines.arm(self.connection, self.server.request_timeout_s)
        try:
            super().handle_one_request()
        finally:
            self.server.deadlines.disarm(self.connection)

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        self.server.deadlines.disarm(self.connection)
        return parsed

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), (format % args).translate(_LOG_ESCAPES))

    def _respond(self, *, send_body: bool) -> None:
        host = self.headers.get("Host")
        if host is not None and not self.server.answers_to(host):
            self._send_error(HTTPStatus.MISDIRECTED_REQUEST)
            return
        path = self._resolve(self.path)
        if path is None:
            self._send_error(HTTPStatus.NOT_FOUND)
            return
        if path.parent == self.root and path.name in (FEED, PAGE) and not self.server.library.has_own_base_url():
            self._send_rendered(path, host, send_body=send_body)
            return
        self._send_file(path, send_body=send_body)

    def _send_rendered(self, path: Path, host: str | None, *, send_body: bool) -> None:
        """feed.xml or index.html with their URLs moved to the address the client used.

        The library has no base URL of its own, so its files point at
        LOCAL_BASE_URL; every occurrence becomes http://<Host>/. Everything else
        (channel, cover, the show's podcast:guid) stays as published.
        """
        base = f"http://{host.strip() if host else self.server.address_for_urls()}/"
        try:
            stat = path.stat()
            body = path.read_bytes().replace(LOCAL_BASE_URL.encode(), base.encode())
        except OSError:
            self._send_error(HTTPStatus.NOT_FOUND)
            return
        etag = f'"{hashlib.sha256(body).hexdigest()[:20]}"'
        headers = {**_file_headers(path, etag, stat.st_mtime), "Vary": "Host"}
        if self._not_modified(etag, stat.st_mtime):
            self._send_headers(HTTPStatus.NOT_MODIFIED, headers)
            return
        self._send_headers(HTTPStatus.OK, {**headers, "Content-Length": str(len(body))})
        if send_body:
            self.wfile.write(body)

    def _send_file(self, path: Path, *, send_body: bool) -> None:
        try:
            stat = path.stat()
        except OSError:
            self._send_error(HTTPStatus.NOT_FOUND)
            return
        size = stat.st_size
        etag = f'"{size:x}-{stat.st_mtime_ns:x}"'
        headers = {**_file_headers(path, etag, stat.st_mtime), "Accept-Ranges": "bytes"}
        last_modified = headers["Last-Modified"]
        if self._not_modified(etag, stat.st_mtime):
            self._send_headers(HTTPStatus.NOT_MODIFIED, headers)
            return
        byte_range = self._byte_range(size, etag, last_modified)
        if byte_range == "unsatisfiable":
            headers["Content-Range"] = f"bytes */{size}"
            del headers["Content-Type"]
            self._send_headers(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, {**headers, "Content-Length": "0"})
            return
        if byte_range is None:
            status, start, length = HTTPStatus.OK, 0, size
        else:
            start, end = byte_range
            status, length = HTTPStatus.PARTIAL_CONTENT, end - start + 1
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        headers["Content-Length"] = str(length)
        try:
            with path.open("rb") as file:
                self._send_headers(status, headers)
                if send_body:
                    file.seek(start)
                    self._copy(file, length)
        except (BrokenPipeError, ConnectionResetError):
            # Players routinely drop a connection mid-file when they seek.
            self.close_connection = True

    def _resolve(self, raw_path: str) -> Path | None:
        """The file a URL path names, or None for anything we must not serve."""
        url_path = urlsplit(raw_path).path
        if not url_path.startswith("/"):
            return None
        try:
            decoded = unquote(url_path, errors="strict")
        except UnicodeDecodeError:
            return None
        if "\x00" in decoded or "\\" in decoded:
            return None
        parts = [part for part in decoded.split("/") if part]
        if any(part in (".", "..") or part.startswith(".") for part in parts):
            return None
        candidate = self.root.joinpath(*parts)
        try:
            real = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if not real.is_relative_to(self.root):
            return None
        if any(part.startswith(".") for part in real.relative_to(self.root).parts):
            return None
        if real.is_dir():
            real = real / "index.html"
            if not url_path.endswith("/") and parts:
                return None
        return real if real.is_file() else None

    def _not_modified(self, etag: str, mtime: float) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
            return int(mtime) <= since
        return False

    def _byte_range(self, size: int, etag: str, last_modified: str):
        """(start, end) inclusive for a satisfiable single range, "unsatisfiable", or None for the whole file.

        Multiple ranges and malformed headers get the whole file, which
        RFC 9110 allows; If-Range that no longer matches does too.
        """
        header = self.headers.get("Range")
        if not header:
            return None
        if_range = self.headers.get("If-Range")
        if if_range is not None and if_range.strip() not in (etag, last_modified):
            return None
        match = _RANGE.match(header.strip())
        if not match or match.group(1) == match.group(2) == "":
            return None
        first, last = match.groups()
        if len(first) > MAX_RANGE_DIGITS or len(last) > MAX_RANGE_DIGITS:
            return "unsatisfiable"
        if first == "":
            suffix = int(last)
            if suffix == 0 or size == 0:
                return "unsatisfiable"
            return max(0, size - suffix), size - 1
        start = int(first)
        if start >= size:
            return "unsatisfiable"
        end = int(last) if last else size - 1
        if end < start:
            return None
        return start, min(end, size - 1)

    def _send_headers(self, status: HTTPStatus, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _send_error(self, status: HTTPStatus) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        headers = {
            "Content-Type": "text/plain; charset=utf-8",
            "Content-Length": str(len(body)),
            "X-Content-Type-Options": "nosniff",
        }
        self._send_headers(status, headers)
        if self.command != "HEAD":
            self.wfile.write(body)

    def _copy(self, file, length: int) -> None:
        remaining = length
        while remaining > 0:
            chunk = file.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            self.wfile.write(chunk)
            remaining -= len(chunk)
