"""Fetch: the one HTTP client that ingest uses to download pages and feeds.

Every wait is bounded: each network step (connect, each read) has `timeout_s`,
and a whole fetch (connect, headers, body, redirects, retries) has a
wall-clock deadline of four times that, enforced on every socket wait by the
network backend (network.py), which also applies the fetch policy (which
addresses a fetch may reach) and stops every download at once on Ctrl-C. Bodies are capped at `max_bytes` while streaming, so a huge page is
never held in memory. Redirects are followed by hand, so a loop is named as a
loop. A 5xx answer is retried a few times with exponential backoff. With a
`cache_dir`, answers that carry an ETag or Last-Modified are kept on disk and
re-validated with a conditional request, so an unchanged page costs a 304.

This module only downloads; it does not decode or parse what it gets.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass, replace
from email.message import Message
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlparse

import httpcore
import httpx

from ..errors import SourceError
from ..files import format_bytes, write_atomic
from .network import Fence, GuardedBackend, is_public_address, origin_key

USER_AGENT = "briefing/0.1 (+podcast news briefing)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/rdf+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
DEADLINE_FACTOR = 4
"""A whole download may take this many times `timeout_s` (slow trickles included)."""
NAMED = "<named by the user>"
"""Fetcher.fetch's default private_origin: the URL's own origin, for a URL the user named."""
RETRY_STATUSES = frozenset({500, 502, 503, 504})
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class FetchSettings:
    timeout_s: float = 15.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    """Extra attempts after a 5xx answer."""
    backoff_s: float = 0.5
    """Wait before the first retry; doubles for each further one."""
    cache_dir: Path | None = None
    user_agent: str = USER_AGENT
    allow_private: bool = False
    """Let any fetch reach loopback and private addresses, not only those the user named."""


@dataclass(frozen=True)
class Download:
    """What a URL answered: the body as bytes plus what the server said about it."""

    url: str
    """The address that was asked for."""
    final_url: str
    """The address after redirects."""
    media_type: str
    """Content type without parameters, lower case ("text/html"); "" if not given."""
    charset: str | None
    body: bytes
    private_origin: str | None = None
    """"host:port" of the answer if it came from a private address: its links may lead back there."""


def default_cache_dir() -> Path:
    """Where the command line keeps downloads: $XDG_CACHE_HOME/briefing/http or ~/.cache/briefing/http."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing" / "http"


def _content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    message = Message()
    message["content-type"] = value
    charset = message.get_param("charset")
    return message.get_content_type().lower() if "/" in value else "", (
        str(charset).strip().lower() if charset else None
    )


def _status_text(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


def _status_reason(code: int) -> str:
    status = _status_text(code)
    if code in (401, 403):
        return f"the server refused access ({status}); the page may need a login or may block automated readers"
    if code in (404, 410):
        return f"the server answered {status}; check the address"
    if code == 429:
        return f"the server answered {status}; wait a while before trying again"
    return f"the server answered {status}; check the address or try again later"


def _path_of(url: str) -> str:
    parsed = urlparse(url)
    return parsed.path or "/"


class HttpCache:
    """A small on-disk cache of answers with validators (ETag / Last-Modified).

    One JSON file of headers and one body file per URL, named by the URL's
    SHA-256, written to a temp name and renamed, so concurrent runs and
    interrupted writes never leave a half entry. Entries not used for
    `max_age_days` are removed when the cache is opened, so it stays small.
    """

    def __init__(self, folder: Path, max_age_days: float = 30):
        self.folder = folder
        self.prune(max_age_days)

    def prune(self, max_age_days: float) -> None:
        cutoff = time.time() - max_age_days * 86400
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return
        for path in entries:
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                continue

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / f"{key}.json", self.folder / f"{key}.body"

    def lookup(self, url: str) -> tuple[dict, Path] | None:
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("url") != url or not body_path.is_file():
            return None
        return meta, body_path

    def validators(self, url: str) -> dict[str, str]:
        found = self.lookup(url)
        if found is None:
            return {}
        meta, _ = found
        headers = {}
        if meta.get("etag"):
            headers["If-None-Match"] = meta["etag"]
        if meta.get("last_modified"):
            headers["If-Modified-Since"] = meta["last_modified"]
        return headers

    def load(self, url: str) -> Download | None:
        found = self.lookup(url)
        if found is None:
            return None
        meta, body_path = found
        try:
            body = body_path.read_bytes()
        except OSError:
            return None
        for path in self._paths(url):
            try:
                os.utime(path)
            except OSError:
                pass
        return Download(
            url=url,
            final_url=meta.get("final_url") or url,
            media_type=meta.get("media_type", ""),
            charset=meta.get("charset"),
            body=body,
        )

    def store(self, download: Download, etag: str | None, last_modified: str | None) -> None:
        if not (etag or last_modified):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        meta_path, body_path = self._paths(download.url)
        meta = {
            "url": download.url,
            "final_url": download.final_url,
            "media_type": download.media_type,
            "charset": download.charset,
            "etag": etag,
            "last_modified": last_modified,
        }
        write_atomic(body_path, download.body)
        write_atomic(meta_path, json.dumps(meta, indent=1).encode("utf-8"))


class Fetcher:
    """Downloads URLs through one guarded network backend; safe to use from several threads."""

    def __init__(self, settings: FetchSettings = FetchSettings()):
        self.settings = settings
        self.cache = HttpCache(settings.cache_dir) if settings.cache_dir else None
        self._backend = GuardedBackend()
        self._clients: dict[str | None, httpx.Client] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.close()

    def abort(self) -> None:
        """Stop every download now (Ctrl-C): waiting sockets wake and fail."""
        self._backend.abort()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _client(self, private_origin: str | None) -> httpx.Client:
        """One client, so one connection pool, per private origin: a pooled connection to a
        private address is reused only by fetches that may reach it."""
        key = None if self.settings.allow_private else private_origin
        with self._lock:
            if key not in self._clients:
                self._clients[key] = httpx.Client(
                    transport=_GuardedTransport(self._backend),
                    timeout=httpx.Timeout(self.settings.timeout_s),
                    follow_redirects=False,
                    headers={"User-Agent": self.settings.user_agent, "Accept": ACCEPT},
                )
            return self._clients[key]

    @property
    def deadline_s(self) -> float:
        return self.settings.timeout_s * DEADLINE_FACTOR

    def fetch(self, url: str, *, private_origin: str | None = NAMED) -> Download:
        """The body of `url`, from the network or the cache; SourceError names what went wrong.

        `private_origin` ("host:port") is the one origin this fetch may reach on
        a loopback or private address (network.py); every other one must be
        public. The default, NAMED, is for a URL the user named: its own origin.
        """
        if private_origin == NAMED:
            private_origin = origin_key(url)
        fence = Fence(deadline=time.monotonic() + self.deadline_s, private_origin=private_origin,
                      allow_private=self.settings.allow_private)
        with self._backend.fenced(fence):
            return self._fetch(url, fence)

    def _fetch(self, url: str, fence: Fence) -> Download:
        client = self._client(fence.private_origin)
        conditional = self.cache.validators(url) if self.cache else {}
        attempts = 1 + max(0, self.settings.retries)
        for attempt in range(attempts):
            status, download, validators = self._attempt(client, url, conditional, fence)
            if status == 304 and conditional and self.cache:
                cached = self.cache.load(url)
                if cached is not None:
                    return replace(cached, private_origin=fence.answer_private_origin)
                conditional = {}  # the entry vanished meanwhile: ask for the whole page
                status, download, validators = self._attempt(client, url, conditional, fence)
            if download is not None:
                if self.cache:
                    self.cache.store(download, *validators)
                return download
            if status not in RETRY_STATUSES:
                raise SourceError(url, _status_reason(status))
            if attempt + 1 < attempts and self._backend.stopped.wait(self.settings.backoff_s * 2**attempt):
                raise SourceError(url, "the run was interrupted")
        raise SourceError(
            url,
            f"the server answered {_status_text(status)} on {attempts} tries; try again later",
        )

    def _attempt(
        self, client: httpx.Client, url: str, conditional: dict[str, str], fence: Fence
    ) -> tuple[int, Download | None, tuple[str | None, str | None]]:
        """One try, following redirects: (status, download if 200, (etag, last_modified))."""
        hops = [url]
        while True:
            response = self._send(client, url, hops[-1], conditional, fence)
            try:
                target = self._redirect_target(url, response, hops)
                if target is None:
                    return self._answer(url, response, fence)
            finally:
                response.close()
            hops.append(target)

    def _send(self, client: httpx.Client, url: str, current: str, conditional: dict[str, str],
              fence: Fence) -> httpx.Response:
        try:
            return client.send(client.build_request("GET", current, headers=conditional), stream=True)
        except httpx.TimeoutException:
            raise SourceError(url, self._timeout_reason(fence, "no answer within {step} s (timed out); "
                                                        "try again later or allow a longer timeout")) from None
        except httpx.UnsupportedProtocol:
            raise SourceError(url, "only http and https addresses can be fetched; check the address") from None
        except httpx.InvalidURL as error:
            raise SourceError(url, f"is not a valid web address ({error}); check the address") from None
        except httpx.ConnectError as error:
            if fence.refused_address:
                raise SourceError(url, _refusal(url, current, fence.refused_address)) from None
            raise SourceError(url, _connect_reason(str(error))) from None
        except httpx.TransportError as error:
            if self._backend.stopped.is_set():
                raise SourceError(url, "the run was interrupted") from None
            raise SourceError(url, f"the connection failed ({error or type(error).__name__}); try again later") from None

    def _timeout_reason(self, fence: Fence, per_step: str) -> str:
        if time.monotonic() >= fence.deadline:
            return (f"took longer than {self.deadline_s:g} s to download; "
                    "try again later or allow a longer timeout")
        return per_step.format(step=f"{self.settings.timeout_s:g}")

    def _redirect_target(self, url: str, response: httpx.Response, hops: list[str]) -> str | None:
        """Where a redirect leads, or None if `response` is the answer; SourceError for loops and chains."""
        if not response.is_redirect or response.status_code in (300, 304):
            return None
        if not response.has_redirect_location or response.next_request is None:
            raise SourceError(url, "the server sent a redirect without a target; check the address")
        target = str(response.next_request.url)
        if target in hops:
            path = " -> ".join(_path_of(u) for u in [*hops[hops.index(target):], target])
            raise SourceError(url, f"redirects in a loop ({path}); check the address")
        if len(hops) > self.settings.max_redirects:
            raise SourceError(url, f"was redirected more than {self.settings.max_redirects} times; check the address")
        return target

    def _answer(
        self, url: str, response: httpx.Response, fence: Fence
    ) -> tuple[int, Download | None, tuple[str | None, str | None]]:
        fence.answer_private_origin = _private_origin(response)
        if response.status_code != 200:
            return response.status_code, None, (None, None)
        body = self._read_body(url, response, fence)
        media_type, charset = _content_type(response.headers.get("content-type"))
        download = Download(
            url=url,
            final_url=str(response.url),
            media_type=media_type,
            charset=charset,
            body=body,
            private_origin=fence.answer_private_origin,
        )
        return 200, download, (response.headers.get("etag"), response.headers.get("last-modified"))

    def _read_body(self, url: str, response: httpx.Response, fence: Fence) -> bytes:
        limit = self.settings.max_bytes
        too_big = (
            f"is larger than the {format_bytes(limit)} size limit; "
            "give the address of the article page or feed, not a large file"
        )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise SourceError(url, too_big)
        body = bytearray()
        try:
            for chunk in response.iter_bytes(CHUNK_BYTES):
                body += chunk
                if len(body) > limit:
                    raise SourceError(url, too_big)
        except httpx.TimeoutException:
            raise SourceError(url, self._timeout_reason(
                fence, "stopped sending for {step} s mid-download (timed out); try again later")) from None
        except httpx.DecodingError:
            encoding = response.headers.get("content-encoding", "").strip() or "compressed"
            raise SourceError(url, f"the server said the page was sent compressed (Content-Encoding: {encoding}) "
                                   "but it could not be unpacked; the site is misconfigured, try again later") from None
        except httpx.TransportError as error:
            if self._backend.stopped.is_set():
                raise SourceError(url, "the run was interrupted") from None
            raise SourceError(url, f"the connection broke off mid-download ({error}); try again later") from None
        return bytes(body)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport over a connection pool that connects through GuardedBackend."""

    def __init__(self, backend: GuardedBackend):
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), network_backend=backend)


def _refusal(url: str, current: str, address: str) -> str:
    if current == url:
        where = f"is at a local or private address ({address}) and was not named on the command line"
    else:
        where = f"redirects to {current}, a local or private address ({address}) not named on the command line"
    return f"{where}; name it there or pass --allow-private to fetch it"


def _private_origin(response: httpx.Response) -> str | None:
    """The response's origin if it came from a non-public address (so its links may lead back there)."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if not peer or is_public_address(str(peer[0])):
        return None
    return origin_key(str(response.url))


def _connect_reason(message: str) -> str:
    lowered = message.lower()
    if "refused" in lowered:
        return "nothing answered at this address (connection refused); check the address or try again later"
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "getaddrinfo" in lowered:
        return "the server's name could not be found; check the address and your network"
    return f"could not connect ({message}); check the address and your network"
