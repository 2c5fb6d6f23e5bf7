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
from typing import TYPE_CHECKING, BinaryIO, Union

from ..errors import SourceError
from ..files import read_at_most
from ..models import Article, CapNote, IngestResult, InputFailure
from ..printable import printable
from ..plan.sentences import split_sentences
from .sources import (
    FEED_SUFFIXES,
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    MAX_SOURCE_BYTES,
    OPML_SUFFIXES,
    TEXT_SUFFIXES,
    folder_articles,
    is_url,
)
from .fetch import Download, Fetcher, FetchSettings, format_bytes
from .network import origin_key
from .language import foreign_language
from .text import decode_text, parse_text_article

if TYPE_CHECKING:
    from .feeds import ListedArticle
# Pages, feeds and JSON lists (trafilatura, feedparser, lxml) are imported where they
# are read: a run over text files never loads them.

DEFAULT_MAX_PER_FEED = 50
"""Entries taken from one feed unless --max-per-feed says otherwise: a busy news feed carries 20-60."""
MAX_FETCHES = 300
"""Linked pages and listed feeds fetched in one run: a day's news from ten feeds, each page ~1 s."""
MAX_ARTICLES = 1000
"""Articles read in one run; a five-minute briefing reads about ten stories."""
MAX_OPML_DEPTH = 3
"""OPML lists may name OPML lists this many levels deep."""

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
    """Take at most this many of the newest entries from each feed; None takes up to
    DEFAULT_MAX_PER_FEED and says so when a feed has more."""
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
    max_fetches: int = MAX_FETCHES
    """Fetch at most this many linked pages and listed feeds in a run (URLs the user names are not counted)."""
    max_articles: int = MAX_ARTICLES
    """Read at most this many articles in a run, the first in source order."""
    allow_private: bool = False
    """Let feeds and pages lead to loopback and private addresses, not only those the user names."""
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
            allow_private=self.allow_private,
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
    """Folders become their article files (sources.folder_articles)."""
    expanded: list[str] = []
    failures: list[InputFailure] = []
    for source in sources:
        path = Path(source)
        if source != "-" and not is_url(source) and path.is_dir():
            files = folder_articles(path)
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


@dataclass(frozen=True)
class _Wanted:
    """A download that content asks for: a feed an OPML list names, or a teaser entry's page.

    Tasks return these instead of fetching; the run starts them in source order
    while its caps last, so what a cap cuts is the same on every run.
    """

    url: str
    private_origin: str | None
    """The origin this fetch may reach on a private address (see network.py)."""
    entry: ListedArticle | None = None
    """For a page: the entry whose page it is."""
    trail: tuple[str, ...] = ()
    """For a feed: the OPML lists that led to it, outermost first."""


@dataclass(frozen=True)
class _Pending:
    future: Future
    leaf: bool
    """True for a page download, whose outcomes ask for nothing more."""


_Outcome = Union[Article, InputFailure, _Wanted, _Pending]


class _Run:
    """One ingest run: downloads go to a thread pool, results keep source order.

    A task returns a list of outcomes in which further downloads appear as
    `_Wanted`; tasks never wait on each other, so the pool cannot deadlock.
    The caller's thread expands the outcomes in source order, starting each
    wanted download while the run's caps last, and collects the results.
    """

    def __init__(self, options: IngestOptions, fetcher: Fetcher, pool: ThreadPoolExecutor):
        self.options = options
        self.fetcher = fetcher
        self.pool = pool
        self.now = options.now or datetime.now(timezone.utc)
        self.feeds_seen: set[str] = set()
        self.fetches = 0
        self.fetches_cut = 0
        self.articles = 0
        self.articles_cut = 0

    def submit(self, task: Callable[..., list[_Outcome]], *args: object, leaf: bool = False) -> _Pending:
        return _Pending(self.pool.submit(self.guarded, task, *args), leaf)

    @staticmethod
    def guarded(task: Callable[..., list[_Outcome]], *args: object) -> list[_Outcome]:
        try:
            return task(*args)
        except SourceError as error:
            return [InputFailure(error.source, error.reason)]

    # Tasks: each turns one input into outcomes.

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
        """A URL the user named: it may be on a private address (they chose it)."""
        download = self.fetcher.fetch(url)
        return self.document(download.body, url, _download_kind(download), download)

    def document(self, data: bytes, origin: str, kind: str, download: Download | None = None,
                 trail: tuple[str, ...] = ()) -> list[_Outcome]:
        charset = download.charset if download else None
        if not data.strip():
            raise SourceError(
                origin,
                "the server sent an empty answer; check the address" if download else "the file is empty; give it an article's text",
            )
        if kind == "html":
            from .html import decode_html, parse_html_article

            page_url = download.final_url if download else None
            return [parse_html_article(decode_html(data, charset), origin, page_url)]
        if kind == "feed":
            return self.feed(data, origin, download)
        if kind == "opml":
            return self.opml(data, origin, download, trail)
        if kind == "json":
            from .feeds import select_entries
            from .jsonlist import parse_json_list

            listed, failures = parse_json_list(data, origin)
            chosen = select_entries(listed, None, self.options.since, self.now)
            return [*failures, *self.listed(chosen, download, user_list=True)]
        if download:
            from .html import decode_html

            text = decode_html(data, charset)
        else:
            text = decode_text(data, origin)
        return [_check_readable(parse_text_article(text, origin))]

    def opml(self, data: bytes, origin: str, download: Download | None, trail: tuple[str, ...]) -> list[_Outcome]:
        if len(trail) >= MAX_OPML_DEPTH:
            raise SourceError(origin, f"is an OPML list nested {len(trail) + 1} lists deep; list its feeds directly")
        from .feeds import parse_opml

        trail = (*trail, origin)
        return [_Wanted(url, _link_origin(url, download, True), trail=trail) for url in parse_opml(data, origin)]

    def listed_feed(self, wanted: _Wanted) -> list[_Outcome]:
        url = wanted.url
        download = self.fetcher.fetch(url, private_origin=wanted.private_origin)
        kind = _download_kind(download)
        if kind == "html":
            raise SourceError(url, "is a web page, not a feed; check the feed's address in the OPML file")
        if kind not in ("feed", "opml"):
            return self.document(download.body, url, kind, download)
        if kind == "opml":
            return self.document(download.body, url, kind, download, wanted.trail)
        return self.feed(download.body, url, download)

    def feed(self, data: bytes, origin: str, download: Download | None) -> list[_Outcome]:
        from .feeds import parse_feed, select_entries

        feed = parse_feed(data, origin, download.charset if download else None)
        recent = select_entries(feed.entries, None, self.options.since, self.now)
        limit = self.options.max_per_feed or DEFAULT_MAX_PER_FEED
        chosen = select_entries(recent, limit)
        outcomes: list[_Outcome] = [InputFailure(origin, feed.fault)] if feed.fault else []
        if self.options.max_per_feed is None and len(recent) > limit:
            outcomes.append(CapNote(origin, f"has {len(recent):,} entries; read the {limit} newest "
                                         "(pass --max-per-feed to read more)"))
        return [*outcomes, *self.listed(chosen, download, user_list=False)]

    def listed(self, entries: Sequence[ListedArticle], download: Download | None, *, user_list: bool
               ) -> list[_Outcome]:
        """A list's entries: articles, or wanted pages for teasers."""
        outcomes: list[_Outcome] = []
        for entry in entries:
            if entry.needs_page:
                url = entry.article.url or ""
                outcomes.append(_Wanted(url, _link_origin(url, download, user_list), entry=entry))
            elif split_sentences(entry.article.text):
                outcomes.append(entry.article)
            else:
                outcomes.append(InputFailure(entry.article.origin, "the entry has no text to read"))
        return outcomes

    def linked_page(self, wanted: _Wanted) -> list[_Outcome]:
        from .feeds import with_page
        from .html import decode_html, parse_html_article

        entry = wanted.entry
        assert entry is not None
        url = wanted.url
        try:
            download = self.fetcher.fetch(url, private_origin=wanted.private_origin)
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

    # The caller's thread: start wanted downloads in order, within the caps.

    def expand(self, outcomes: Sequence[_Outcome]) -> list[_Outcome]:
        """Outcomes in source order with every feed and list read; page downloads may still be pending."""
        started = [self.start(o) if isinstance(o, _Wanted) else [o] for o in outcomes]
        expanded: list[_Outcome] = []
        for item in (item for group in started for item in group):
            if isinstance(item, _Pending) and not item.leaf:
                expanded.extend(self.expand(item.future.result()))
            elif isinstance(item, Article):
                expanded.extend(self.counted(item))
            else:
                expanded.append(item)
        return expanded

    def start(self, wanted: _Wanted) -> list[_Outcome]:
        if wanted.entry is None:
            if wanted.url in wanted.trail:
                loop = " -> ".join([*wanted.trail[wanted.trail.index(wanted.url):], wanted.url])
                return [InputFailure(wanted.url, f"the OPML lists form a loop ({loop}); each list was read once")]
            if wanted.url in self.feeds_seen:
                return []
            self.feeds_seen.add(wanted.url)
        elif self.articles >= self.options.max_articles:
            self.articles_cut += 1
            return []
        if self.fetches >= self.options.max_fetches:
            self.fetches_cut += 1
            has_summary = wanted.entry is not None and split_sentences(wanted.entry.article.text)
            return [wanted.entry.article] if has_summary and wanted.entry else []
        self.fetches += 1
        if wanted.entry is None:
            return [self.submit(self.listed_feed, wanted)]
        self.articles += 1
        return [self.submit(self.linked_page, wanted, leaf=True)]

    def counted(self, article: Article) -> list[_Outcome]:
        if self.articles >= self.options.max_articles:
            self.articles_cut += 1
            return []
        self.articles += 1
        return [article]

    def cap_notes(self) -> list[CapNote]:
        """One line for each cap that cut something."""
        notes = []
        if self.fetches_cut:
            notes.append(CapNote("this run", (
                f"fetched the most linked pages and listed feeds a run may ({self.options.max_fetches}); "
                f"{self.fetches_cut:,} more were not fetched (teasers were read from their feed where they had text); "
                "raise --max-pages to fetch more")))
        if self.articles_cut:
            notes.append(CapNote("this run", (
                f"read the most articles a run may ({self.options.max_articles}); {self.articles_cut:,} more were "
                "left out; raise --max-articles to read more")))
        return notes


def _link_origin(url: str | None, download: Download | None, user_list: bool) -> str | None:
    """Which origin a link may reach on a private address: that of the answer the link came in,
    if it came from a private address; the link's own when the user keeps the list that names
    it (a local OPML or JSON file); none for a feed file, which is content from elsewhere."""
    if download is not None:
        return download.private_origin
    return origin_key(url or "") if user_list else None


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
    return type(failure)(printable(failure.source), printable(failure.reason))


def _foreign(article: Article) -> InputFailure | None:
    reason = foreign_language(article.title + "\n" + article.text)
    if reason is None:
        return None
    return InputFailure(article.origin, f"{reason}; the voices read English only, so it was left out")


def _collect(outcomes: Sequence[_Outcome], english_only: bool) -> tuple[list[Article], list[InputFailure]]:
    """Articles and failures from expanded outcomes, waiting for pending pages in order."""
    articles: list[Article] = []
    failures: list[InputFailure] = []
    for outcome in outcomes:
        for item in outcome.future.result() if isinstance(outcome, _Pending) else [outcome]:
            if isinstance(item, InputFailure):
                failures.append(_printable_failure(item))
            elif isinstance(item, Article) and english_only and (foreign := _foreign(item)):
                failures.append(_printable_failure(foreign))
            elif isinstance(item, Article):
                articles.append(_printable_article(_with_aware_date(item)))
    return articles, failures


def ingest(sources: Sequence[str], options: IngestOptions = IngestOptions()) -> IngestResult:
    """Every article the sources hold, plus one failure per source (or entry) that gave none.

    May touch the network: URLs, feeds in OPML lists and teaser entries' pages
    are fetched, each fetch bounded by `options.timeout_s` a step and four
    times that in all, and the run by the caps in `options`. Ctrl-C stops
    every download at once.
    """
    expanded, failures = expand_sources(sources)
    fetcher = Fetcher(options.fetch_settings())
    pool = ThreadPoolExecutor(max_workers=max(1, options.fetch_workers), thread_name_prefix="ingest-fetch")
    try:
        run = _Run(options, fetcher, pool)
        outcomes: list[_Outcome] = []
        for source in expanded:
            outcomes.extend(run.guarded(run.source, source))
        articles, found_failures = _collect(run.expand(outcomes), options.english_only)
    except BaseException:
        fetcher.abort()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    fetcher.close()
    notes = [f for f in found_failures if isinstance(f, CapNote)]
    found_failures = [f for f in found_failures if not isinstance(f, CapNote)]
    return IngestResult(tuple(articles), (*failures, *found_failures), (*notes, *run.cap_notes()))
