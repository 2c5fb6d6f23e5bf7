"""A small hardened HTTP server for the files of one folder: the base of `serve` and the studio.

GET and HEAD of files inside the folder only, with the content types podcast
apps expect, byte ranges (RFC 9110 section 14, so players can seek), and ETag /
Last-Modified revalidation. Anything outside the folder, any hidden name
(".cache", temp files of atomic writes) and any symlink that leads out is
answered 404. Requests whose Host is not one of the server's own names get 421
(DNS rebinding, hosts.py); a client has REQUEST_TIMEOUT_S to send its request's
headers and an idle connection is closed after as long; absurd Range values get
416; log lines escape control characters.
"""
from __future__ import annotations

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

from .hosts import WILDCARDS, host_name, served_names

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
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
HOST_HEADER = re.compile(r"^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$")
LOG_ESCAPES = str.maketrans({c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))})


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def file_headers(path: Path, etag: str, mtime: float) -> dict[str, str]:
    """What every file's answer says: type, validators, and that players must revalidate."""
    return {
        "Content-Type": content_type(path),
        "ETag": etag,
        "Last-Modified": formatdate(mtime, usegmt=True),
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
    }


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




class FolderServer(ThreadingHTTPServer):
    """Serves one folder; `answers_to` is the Host check, which subclasses may widen."""

    daemon_threads = True
    request_queue_size = BACKLOG
    root: Path
    names: frozenset[str]
    deadlines: _Deadlines
    request_timeout_s: float

    def configure(self, root: Path, host: str, request_timeout_s: float) -> None:
        self.root = root
        self.names = served_names(host)
        self.request_timeout_s = request_timeout_s
        self.deadlines = _Deadlines(poll_s=min(1.0, request_timeout_s / 4))

    def answers_to(self, header: str) -> bool:
        """Is a Host header one of this server's names?"""
        return bool(HOST_HEADER.match(header.strip())) and host_name(header) in self.names

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


class FolderRequestHandler(BaseHTTPRequestHandler):
    """Sends the folder's files; subclasses route requests (do_GET) to `send_file` and the rest."""

    root: Path
    server: FolderServer
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

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), (format % args).translate(LOG_ESCAPES))


    def send_file(self, path: Path, *, send_body: bool) -> None:
        try:
            stat = path.stat()
        except OSError:
            self.send_error_page(HTTPStatus.NOT_FOUND)
            return
        size = stat.st_size
        etag = f'"{size:x}-{stat.st_mtime_ns:x}"'
        headers = {**file_headers(path, etag, stat.st_mtime), "Accept-Ranges": "bytes"}
        last_modified = headers["Last-Modified"]
        if self.not_modified(etag, stat.st_mtime):
            self.send_headers(HTTPStatus.NOT_MODIFIED, headers)
            return
        byte_range = self._byte_range(size, etag, last_modified)
        if byte_range == "unsatisfiable":
            headers["Content-Range"] = f"bytes */{size}"
            del headers["Content-Type"]
            self.send_headers(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, {**headers, "Content-Length": "0"})
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
                self.send_headers(status, headers)
                if send_body:
                    file.seek(start)
                    self._copy(file, length)
        except (BrokenPipeError, ConnectionResetError):
            # Players routinely drop a connection mid-file when they seek.
            self.close_connection = True

    def resolve(self, raw_path: str) -> Path | None:
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

    def not_modified(self, etag: str, mtime: float) -> bool:
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

    def send_headers(self, status: HTTPStatus, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def send_error_page(self, status: HTTPStatus) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        headers = {
            "Content-Type": "text/plain; charset=utf-8",
            "Content-Length": str(len(body)),
            "X-Content-Type-Options": "nosniff",
        }
        self.send_headers(status, headers)
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
