"""A small local web server for the episode library: listen in a browser, subscribe in an app.

Serves files of the output folder only (GET and HEAD), with the content
types podcast apps expect, byte ranges (RFC 9110 section 14, so players can
seek), and ETag / Last-Modified revalidation. Anything outside the folder,
any hidden name (".cache", temp files of atomic writes) and any symlink that
leads out is answered 404. For production, serve output/ from any static web
server instead; this one is for listening on your own machine.
"""
from __future__ import annotations

import logging
import mimetypes
import re
import socket
import threading
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefing.errors import BriefingError

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


def make_server(output_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A bound, not yet running server for `output_dir`; port 0 picks a free port.

    Read the chosen port from `server.server_address[1]`; run it with
    `serve_forever()` (in a thread for tests) and stop it with `shutdown()`.
    """
    root = Path(output_dir).resolve()
    if not root.is_dir():
        raise BriefingError(f"There is no folder {output_dir}; run briefing generate first or pass --output.")
    handler = type("LibraryRequestHandler", (_LibraryRequestHandler,), {"root": root})
    server_class = _LibraryServer6 if ":" in host else _LibraryServer
    try:
        server = server_class((host, port), handler)
    except OSError as error:
        raise BriefingError(
            f"Cannot listen on {host}:{port} ({error.strerror or error}); pick another port with --port."
        ) from None
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
    host, port = server.server_address[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


class _LibraryServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # socketserver would print the traceback to stderr; library code logs instead.
        log.exception("Error while answering %s", client_address[0])


class _LibraryServer6(_LibraryServer):
    address_family = socket.AF_INET6


class _LibraryRequestHandler(BaseHTTPRequestHandler):
    root: Path
    server_version = "briefing"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def _respond(self, *, send_body: bool) -> None:
        path = self._resolve(self.path)
        if path is None:
            self._send_error(HTTPStatus.NOT_FOUND)
            return
        try:
            stat = path.stat()
        except OSError:
            self._send_error(HTTPStatus.NOT_FOUND)
            return
        size = stat.st_size
        etag = f'"{size:x}-{stat.st_mtime_ns:x}"'
        last_modified = formatdate(stat.st_mtime, usegmt=True)
        headers = {
            "Content-Type": content_type(path),
            "ETag": etag,
            "Last-Modified": last_modified,
            "Accept-Ranges": "bytes",
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        }
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
