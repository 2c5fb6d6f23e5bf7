"""One ingest run: every source read in order, and the pages and feeds they lead to fetched within the caps.

Downloads go to a thread pool; results keep the order of the sources and of
the entries within them, whatever order the downloads finish in. A failure in
one source is recorded as an InputFailure and the rest go on.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Union

from ..errors import SourceError
from ..models import Article, CapNote, IngestResult, InputFailure
from ..plan.sentences import split_sentences
from .accept import accept, check_readable
from .fetch import Download, Fetcher
from .local import expand_sources, read_file
from .network import origin_key
from .options import DEFAULT_MAX_PER_FEED, MAX_OPML_DEPTH, IngestOptions
from .sources import download_kind, file_kind, is_url
from .text import decode_text, parse_text_article, text_codec

if TYPE_CHECKING:
    from .feeds import ListedArticle
# Pages, feeds and JSON lists (trafilatura, feedparser, lxml) are imported where they
# are read: a run over text files never loads them.


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
            return [check_readable(parse_text_article(text, "stdin"))]
        if is_url(source):
            return [self.submit(self.url, source)]
        data = read_file(source, self.options.max_bytes)
        return self.document(data, source, file_kind(Path(source), data))

    def url(self, url: str) -> list[_Outcome]:
        """A URL the user named: it may be on a private address (they chose it)."""
        download = self.fetcher.fetch(url)
        return self.document(download.body, url, download_kind(download), download)

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
        return [check_readable(parse_text_article(text, origin))]

    def opml(self, data: bytes, origin: str, download: Download | None, trail: tuple[str, ...]) -> list[_Outcome]:
        if len(trail) >= MAX_OPML_DEPTH:
            raise SourceError(origin, f"is an OPML list nested {len(trail) + 1} lists deep; list its feeds directly")
        from .feeds import parse_opml

        trail = (*trail, origin)
        return [_Wanted(url, _link_origin(url, download, True), trail=trail) for url in parse_opml(data, origin)]

    def listed_feed(self, wanted: _Wanted) -> list[_Outcome]:
        url = wanted.url
        download = self.fetcher.fetch(url, private_origin=wanted.private_origin)
        kind = download_kind(download)
        if kind == "html":
            raise SourceError(url, "is a web page, not a feed; check the feed's address in the OPML file")
        if kind not in ("feed", "opml"):
            return self.document(download.body, url, kind, download)
        if kind == "opml":
            return self.document(download.body, url, kind, download, wanted.trail)
        return self.feed(download.body, url, download)

    def feed(self, data: bytes, origin: str, download: Download | None) -> list[_Outcome]:
        from .feeds import parse_feed, select_entries

        feed = parse_feed(data, origin, text_codec(download.charset, data) if download else None)
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
            if download_kind(download) != "html":
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


def _results(outcomes: Sequence[_Outcome]) -> Iterator[_Outcome]:
    """Expanded outcomes with each pending page's own outcomes in its place, waiting for them in order."""
    for outcome in outcomes:
        yield from outcome.future.result() if isinstance(outcome, _Pending) else [outcome]


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
        articles, found_failures = accept(_results(run.expand(outcomes)), options.english_only)
    except BaseException:
        fetcher.abort()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    fetcher.close()
    notes = [f for f in found_failures if isinstance(f, CapNote)]
    found_failures = [f for f in found_failures if not isinstance(f, CapNote)]
    return IngestResult(tuple(articles), (*failures, *found_failures), (*notes, *run.cap_notes()))
