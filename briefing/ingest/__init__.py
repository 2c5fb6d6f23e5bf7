"""Ingest: turn the user's sources into Articles.

A source is a text, Markdown, HTML, feed, OPML or JSON file, a folder of
those, `-` for stdin, or an http(s) URL of a page or feed. URLs are fetched
concurrently through one client (fetch.py); feeds and lists may name further
pages to fetch. Articles come out in the order of the sources and of the
entries within them, whatever order the downloads finish in. A failure in one
source is recorded as an InputFailure and the rest go on.

This stage does not rank, group or judge articles (group.py groups them).
"""
from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO, Union

from ..errors import SourceError
from ..files import read_at_most
from ..models import Article, IngestResult, InputFailure
from ..printable import printable
from ..sentences import split_sentences
from .feeds import ListedArticle, parse_feed, parse_opml, select_entries, with_page
from .fetch import Download, Fetcher, FetchSettings, format_bytes, is_url
from .html import decode_html, parse_html_article
from .jsonlist import parse_json_list
from .language import foreign_language
from .text import decode_text, parse_text_article

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
OPML_SUFFIXES = (".opml",)
JSON_SUFFIXES = (".json",)
ARTICLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES + OPML_SUFFIXES + JSON_SUFFIXES

MAX_SOURCE_BYTES = 10 * 1024 * 1024
"""The largest file, download or stdin read: far above any article or feed."""

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_FEED_TYPES = {
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/x-rss+xml", "application/feed+json", "text/rss+xml",
}
_OPML_TYPES = {"text/x-opml", "application/x-opml", "text/x-opml+xml"}
_JSON_TYPES = {"application/json", "text/json"}
_SNIFF_TYPES = {"", "text/plain", "application/octet-stream", "binary/octet-stream"}


@dataclass(frozen=True)
class IngestOptions:
    """What ingest may take and how far it may go to get it."""

    stdin_text: str | None = None
    """The text behind the `-` source, read by the caller."""
    max_per_feed: int | None = None
    """Take at most this many of the newest entries from each feed."""
    since: timedelta | None = None
    """Skip feed and list entries published longer ago than this (undated ones are kept)."""
    now: datetime | None = None
    """The moment `since` counts back from; the current time when None."""
    cache_dir: Path | None = None
    """Keep downloads here and re-validate them with conditional requests; no cache when None."""
    timeout_s: float = 15.0
    max_bytes: int = MAX_SOURCE_BYTES
    fetch_workers: int = 8
    retries: int = 2
    backoff_s: float = 0.5
    max_redirects: int = 5
    english_only: bool = True
    """Leave out articles in another language or script: every voice reads English only."""

    def fetch_settings(self) -> FetchSettings:
        return FetchSettings(
            timeout_s=self.timeout_s,
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            retries=self.retries,
            backoff_s=self.backoff_s,
            cache_dir=self.cache_dir,
        )


_SINCE_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|s)", re.IGNORECASE)
_SINCE_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def parse_since(text: str) -> timedelta:
    """"24h", "2d", "90m", "1w", "1d12h" -> timedelta; ValueError with a usable message otherwise."""
    compact = text.strip().replace(" ", "")
    parts = _SINCE_PART.findall(compact)
    if not compact or "".join(n + u for n, u in parts).lower() != compact.lower():
        raise ValueError(f"{text!r} is not a duration; write it like 24h, 90m, 2d or 1w")
    total = timedelta()
    for number, unit in parts:
        total += timedelta(**{_SINCE_UNITS[unit.lower()]: float(number)})
    if total <= timedelta(0):
        raise ValueError(f"{text!r} is not a positive duration; write it like 24h, 90m, 2d or 1w")
    return total


def _too_big(source: str, max_bytes: int) -> SourceError:
    return SourceError(source, f"is larger than the {format_bytes(max_bytes)} size limit; give one article or feed")


def read_file(source: str, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a file, device or pipe, capped by what is read (a pipe's size is 0)."""
    path = Path(source)
    try:
        with path.open("rb") as file:
            data = read_at_most(file, max_bytes)
    except FileNotFoundError:
        if path.is_symlink():
            raise SourceError(source, f"is a link to {os.readlink(path)}, which does not exist; fix the link") from None
        raise SourceError(source, "no such file or folder; check the path") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise SourceError(source, "is a symbolic link that leads back to itself (a link loop); fix the link") from None
        raise SourceError(source, f"cannot be read ({error.strerror}); check its permissions") from None
    if data is None:
        raise _too_big(source, max_bytes)
    return data


def read_stdin(stream: BinaryIO, max_bytes: int = MAX_SOURCE_BYTES) -> str:
    """The text piped in, read with the same cap as files; "" if nothing was piped."""
    data = read_at_most(stream, max_bytes)
    if data is None:
        raise _too_big("stdin", max_bytes)
    return decode_text(data, "stdin") if data.strip() else ""


def _check_readable(article: Article) -> Article:
    if not split_sentences(article.text):
        raise SourceError(
            article.origin,
            "has a headline but no sentences to read; give it the article's body text",
        )
    return article


def expand_sources(sources: Sequence[str]) -> tuple[list[str], list[InputFailure]]:
    """Folders become their article files, sorted, so runs are deterministic."""
    expanded: list[str] = []
    failures: list[InputFailure] = []
    for source in sources:
        path = Path(source)
        if source != "-" and not is_url(source) and path.is_dir():
            files = sorted(
                p for p in path.iterdir()
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in ARTICLE_SUFFIXES
            )
            if not files:
                failures.append(InputFailure(source, "the folder holds no articles (.txt, .md, .html, feeds or .json)"))
            expanded.extend(str(p) for p in files)
        else:
            expanded.append(source)
    return expanded, failures


def sniff_kind(data: bytes) -> str | None:
    """What the bytes look like: "html", "feed", "opml", "json", or None for plain text."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith(b"<"):
        if b"<opml" in head:
            return "opml"
        if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
            return "feed"
        return "feed" if head.startswith(b"<?xml") else "html"
    if head.startswith((b"{", b"[")):
        return "feed" if b"jsonfeed.org" in head else "json"
    return None


def _file_kind(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in OPML_SUFFIXES:
        return "opml"
    if suffix in FEED_SUFFIXES:
        return "opml" if sniff_kind(data) == "opml" else "feed"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return sniff_kind(data) or "text"


def _describe_media_type(media_type: str) -> str:
    if media_type == "application/pdf":
        return "a PDF document"
    kind = media_type.split("/", 1)[0]
    if kind in ("image", "audio", "video"):
        return f"{'an' if kind in ('image', 'audio') else 'a'} {kind} file"
    return "a file"


def _download_kind(download: Download) -> str:
    media_type = download.media_type
    sniffed = sniff_kind(download.body)
    if media_type in _HTML_TYPES:
        return sniffed if sniffed in ("feed", "opml") else "html"
    if media_type in _FEED_TYPES:
        return "opml" if sniffed == "opml" else "feed"
    if media_type in _OPML_TYPES:
        return "opml"
    if media_type in _JSON_TYPES:
        return "feed" if sniffed == "feed" else "json"
    if media_type in _SNIFF_TYPES:
        return sniffed or "text"
    raise SourceError(
        download.url,
        f"is {_describe_media_type(media_type)} ({media_type}), not a web page, feed or text; "
        "give the address of an article page or a feed",
    )


_Outcome = Union[Article, InputFailure, "Future[list[_Outcome]]"]


class _Run:
    """One ingest run: downloads go to a thread pool, results keep source order.

    A task returns a list of outcomes in which further work appears as a
    Future; tasks never wait on each other, so the pool cannot deadlock, and
    the caller resolves the Futures in order at the end.
    """

    def __init__(self, options: IngestOptions, fetcher: Fetcher, pool: ThreadPoolExecutor):
        self.options = options
        self.fetcher = fetcher
        self.pool = pool
        self.now = options.now or datetime.now(timezone.utc)

    def submit(self, task: Callable[..., list[_Outcome]], *args: object) -> Future:
        return self.pool.submit(self.guarded, task, *args)

    @staticmethod
    def guarded(task: Callable[..., list[_Outcome]], *args: object) -> list[_Outcome]:
        try:
            return task(*args)
        except SourceError as error:
            return [InputFailure(error.source, error.reason)]

    def source(self, source: str) -> list[_Outcome]:
        if source == "-":
            text = self.options.stdin_text or ""
            if not text.strip():
                raise SourceError("stdin", "nothing was piped in; pipe an article's text or name a file")
            return [_check_readable(parse_text_article(text, "stdin"))]
        if is_url(source):
            return [self.submit(self.url, source)]
        data = read_file(source, self.options.max_bytes)
        return self.document(data, source, _file_kind(Path(source), data))

    def url(self, url: str) -> list[_Outcome]:
        download = self.fetcher.fetch(url)
        return self.document(download.body, url, _download_kind(download), download)

    def document(self, data: bytes, origin: str, kind: str, download: Download | None = None) -> list[_Outcome]:
        charset = download.charset if download else None
        if not data.strip():
            raise SourceError(
                origin,
                "the server sent an empty answer; check the address" if download else "the file is empty; give it an article's text",
            )
        if kind == "html":
            page_url = download.final_url if download else None
            return [parse_html_article(decode_html(data, charset), origin, page_url)]
        if kind == "feed":
            return self.feed(data, origin, charset)
        if kind == "opml":
            return [self.submit(self.feed_url, url) for url in parse_opml(data, origin)]
        if kind == "json":
            listed, failures = parse_json_list(data, origin)
            chosen = select_entries(listed, None, self.options.since, self.now)
            return [*failures, *self.listed(chosen)]
        text = decode_html(data, charset) if download else decode_text(data, origin)
        return [_check_readable(parse_text_article(text, origin))]

    def feed_url(self, url: str) -> list[_Outcome]:
        download = self.fetcher.fetch(url)
        kind = _download_kind(download)
        if kind == "html":
            raise SourceError(url, "is a web page, not a feed; check the feed's address in the OPML file")
        if kind != "feed":
            return self.document(download.body, url, kind, download)
        return self.feed(download.body, url, download.charset)

    def feed(self, data: bytes, origin: str, charset: str | None) -> list[_Outcome]:
        feed = parse_feed(data, origin, charset)
        chosen = select_entries(feed.entries, self.options.max_per_feed, self.options.since, self.now)
        outcomes: list[_Outcome] = [InputFailure(origin, feed.fault)] if feed.fault else []
        return [*outcomes, *self.listed(chosen)]

    def listed(self, entries: Sequence[ListedArticle]) -> list[_Outcome]:
        outcomes: list[_Outcome] = []
        for entry in entries:
            if entry.needs_page:
                outcomes.append(self.submit(self.linked_page, entry))
            elif split_sentences(entry.article.text):
                outcomes.append(entry.article)
            else:
                outcomes.append(InputFailure(entry.article.origin, "the entry has no text to read"))
        return outcomes

    def linked_page(self, entry: ListedArticle) -> list[_Outcome]:
        url = entry.article.url or ""
        try:
            download = self.fetcher.fetch(url)
            if _download_kind(download) != "html":
                raise SourceError(url, f"is {download.media_type or 'not a web page'}, not the article's web page")
            page = parse_html_article(decode_html(download.body, download.charset), url, download.final_url)
        except SourceError as error:
            if not split_sentences(entry.article.text):
                return [InputFailure(error.source, error.reason)]
            return [
                InputFailure(error.source, f"{error.reason} (read the feed's summary of it instead)"),
                entry.article,
            ]
        return [with_page(entry, page)]


def _with_aware_date(article: Article) -> Article:
    """Dates from text files carry no zone; take them as UTC so every date compares."""
    if article.published is not None and article.published.tzinfo is None:
        return replace(article, published=article.published.replace(tzinfo=timezone.utc))
    return article


def _printable_article(article: Article) -> Article:
    """The article without control characters, which would reach the feed, page, manifest and ID3 tags."""
    return replace(
        article,
        title=printable(article.title),
        text=printable(article.text, lines=True),
        source=printable(article.source) if article.source else article.source,
        url=printable(article.url) if article.url else article.url,
        author=printable(article.author) if article.author else article.author,
        origin=printable(article.origin),
    )


def _printable_failure(failure: InputFailure) -> InputFailure:
    return InputFailure(printable(failure.source), printable(failure.reason))


def _foreign(article: Article) -> InputFailure | None:
    reason = foreign_language(article.title + "\n" + article.text)
    if reason is None:
        return None
    return InputFailure(article.origin, f"{reason}; the voices read English only, so it was left out")


def _resolve(outcomes: Sequence[_Outcome], articles: list[Article], failures: list[InputFailure],
             english_only: bool) -> None:
    for outcome in outcomes:
        if isinstance(outcome, Future):
            _resolve(outcome.result(), articles, failures, english_only)
        elif isinstance(outcome, InputFailure):
            failures.append(_printable_failure(outcome))
        elif english_only and (foreign := _foreign(outcome)):
            failures.append(_printable_failure(foreign))
        else:
            articles.append(_printable_article(_with_aware_date(outcome)))


def ingest(sources: Sequence[str], options: IngestOptions = IngestOptions()) -> IngestResult:
    """Every article the sources hold, plus one failure per source (or entry) that gave none.

    May touch the network: URLs, feeds in OPML lists and teaser entries' pages
    are fetched, each wait bounded by `options.timeout_s`.
    """
    expanded, failures = expand_sources(sources)
    articles: list[Article] = []
    with Fetcher(options.fetch_settings()) as fetcher, ThreadPoolExecutor(
        max_workers=max(1, options.fetch_workers), thread_name_prefix="ingest-fetch"
    ) as pool:
        run = _Run(options, fetcher, pool)
        outcomes: list[_Outcome] = []
        for source in expanded:
            outcomes.extend(run.guarded(run.source, source))
        _resolve(outcomes, articles, failures, options.english_only)
    return IngestResult(tuple(articles), tuple(failures))
