"""RSS 2.0, Atom and RDF feeds, and OPML subscription lists -> listed articles.

feedparser reads every feed dialect; each entry becomes a ListedArticle whose
text is the entry's full content when the feed carries it, or its teaser, in
which case `needs_page` tells ingest to fetch and extract the linked page. A
feed cut off mid-way still gives the entries that arrived whole, plus a note
saying so. This module does not fetch anything.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

import feedparser
import ftfy
import lxml.etree
import lxml.html

from ..errors import SourceError
from ..models import Article
from .html import clean_story_lines, outlet_name
from .pagekind import has_article_text

_BLOCK_TAGS = (
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "section", "article", "tr", "table", "pre", "dd", "dt", "br", "hr",
)
_DROP_TAGS = ("script", "style", "figure", "figcaption", "img", "iframe", "noscript", "video", "audio")
_WORDPRESS_FOOTER = re.compile(r"^The post .+ appeared first on .+\.$")
# How a feed says "this is only the start of the story".
_TEASER_MARKER = re.compile(
    r"\s*(?:\[(?:…|\.\.\.|&hellip;)\]|…|\.\.\.)?\s*(?:(?:continue reading|read more|read the full story)\b.{0,160})?$",
    re.IGNORECASE,
)
_CLOSED_ENTRY = re.compile(rb"</(?:[\w-]+:)?(?:item|entry)\s*>", re.IGNORECASE)
_FEED_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|:>»–—]|::)\s+")


@dataclass(frozen=True)
class ListedArticle:
    """An article named by a feed or list; its text may be only a teaser."""

    article: Article
    needs_page: bool = False
    """True when the text is a teaser and the page at `article.url` holds the story."""


@dataclass(frozen=True)
class Feed:
    title: str | None
    entries: tuple[ListedArticle, ...]
    fault: str | None = None
    """Why part of the feed could not be read (cut off, broken), in words for the user."""


def fragment_text(markup: str) -> str:
    """HTML from a feed entry -> plain text, one paragraph a line."""
    if "<" not in markup:
        return "\n".join(" ".join(line.split()) for line in markup.splitlines() if line.strip())
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _strip_teaser(text: str) -> tuple[str, bool]:
    """The text without feed footers and "Continue reading" tails, and whether it was cut short."""
    lines = [line for line in text.splitlines() if not _WORDPRESS_FOOTER.match(line)]
    cut = False
    if lines:
        last = lines[-1]
        marker = _TEASER_MARKER.search(last)
        if marker and marker.group(0).strip():
            cut = True
            last = last[: marker.start()].rstrip()
            # The sentence the marker cut off is incomplete: keep only whole sentences.
            whole = max(last.rfind(". "), last.rfind("? "), last.rfind("! "))
            last = last[: whole + 1] if whole >= 0 else ""
            lines[-1] = last
    return "\n".join(line for line in lines if line.strip()), cut


def _when(entry: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            year, month, day, hour, minute, second = value[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
    return None


def _plain(value: str | None) -> str:
    if not value:
        return ""
    return " ".join(ftfy.fix_encoding(fragment_text(value) if "<" in value else value).split())


def feed_outlet(title: str | None, link: str | None) -> str | None:
    """The outlet behind a feed: "Meridian Wire - Top News" -> "Meridian Wire"."""
    if not title:
        return outlet_name(None, link)
    parts = [part.strip() for part in _FEED_TITLE_SEPARATORS.split(title) if part.strip()]
    host = re.sub(r"[^a-z0-9]", "", (urlparse(link or "").hostname or "").lower())
    for part in parts:
        key = re.sub(r"[^a-z0-9]", "", part.lower())
        if key and host and (key in host or host.split("www")[-1].startswith(key)):
            return part
    return parts[0] if parts else None


def parse_feed(data: bytes, origin: str, charset: str | None = None) -> Feed:
    """Every entry of an RSS, Atom or RDF feed; SourceError if `data` is not a feed."""
    headers = {"content-type": f"application/xml; charset={charset}"} if charset else {}
    if origin.lower().startswith(("http://", "https://")):
        headers["content-location"] = origin  # the base for relative links in entries
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    problem_text = _describe_xml_problem(problem)
    if not parsed.get("version"):
        if problem_text:
            raise SourceError(origin, f"is not an RSS, Atom or RDF feed ({problem_text}); check the feed's address")
        raise SourceError(origin, "is not an RSS, Atom or RDF feed; check the feed's address")
    entries = list(parsed.entries)
    fault = None
    if problem_text and _is_xml_error(problem):
        complete = min(len(entries), len(_CLOSED_ENTRY.findall(data)))
        if complete == 0:
            raise SourceError(
                origin, f"the feed is cut off or broken before its first complete entry ({problem_text}); try again later"
            )
        entries = entries[:complete]
        fault = (
            f"the feed is cut off or broken ({problem_text}); "
            f"read the {complete} complete {'entry' if complete == 1 else 'entries'} before the break"
        )
    if not entries:
        raise SourceError(origin, "the feed has no entries right now; try again later")
    feed_title = _plain(parsed.feed.get("title")) or None
    outlet = feed_outlet(feed_title, parsed.feed.get("link"))
    listed = tuple(_listed(entry, index, origin, outlet) for index, entry in enumerate(entries, 1))
    return Feed(title=feed_title, entries=listed, fault=fault)


def _is_xml_error(problem: object) -> bool:
    return problem is not None and type(problem).__name__ in ("SAXParseException", "SAXException", "ExpatError")


def _describe_xml_problem(problem: object) -> str | None:
    if problem is None or not _is_xml_error(problem):
        return None
    return f"XML error: {getattr(problem, 'getMessage', lambda: str(problem))()}"


def _listed(entry: feedparser.FeedParserDict, index: int, origin: str, outlet: str | None) -> ListedArticle:
    link = entry.get("link") or None
    title = _plain(entry.get("title"))
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    body = max(contents, key=len) if contents else entry.get("summary", "")
    text, cut = _strip_teaser(ftfy.fix_encoding(fragment_text(body or "")))
    text = clean_story_lines(text, title)
    article = Article(
        title=title or (text.split("\n", 1)[0][:80] if text else f"Entry {index}"),
        text=text,
        source=outlet,
        url=link,
        published=_when(entry),
        author=_plain(entry.get("author")) or None,
        origin=link or f"{origin} (entry {index})",
    )
    fetchable = bool(link and link.lower().startswith(("http://", "https://")))
    needs_page = fetchable and (cut or not has_article_text(text))
    return ListedArticle(article=article, needs_page=needs_page)


def select_entries(
    entries: Sequence[ListedArticle],
    max_count: int | None = None,
    since: timedelta | None = None,
    now: datetime | None = None,
) -> list[ListedArticle]:
    """Entries published within `since` of `now`, at most the `max_count` newest, in feed order.

    An entry without a date is kept by `since` (it cannot be judged) and ranks
    after every dated one for `max_count`.
    """
    chosen = list(entries)
    if since is not None:
        cutoff = (now or datetime.now(timezone.utc)) - since
        chosen = [e for e in chosen if (when := e.article.published_utc) is None or when >= cutoff]
    if max_count is not None and len(chosen) > max_count:
        oldest = datetime.min.replace(tzinfo=timezone.utc)
        order = sorted(
            range(len(chosen)),
            key=lambda i: (-(chosen[i].article.published_utc or oldest).timestamp() if chosen[i].article.published else float("inf"), i),
        )
        keep = set(order[: max(0, max_count)])
        chosen = [entry for i, entry in enumerate(chosen) if i in keep]
    return chosen


def parse_opml(data: bytes, origin: str) -> list[str]:
    """The feed addresses an OPML subscription list names, in order, without repeats."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(data, parser=parser)
    except lxml.etree.XMLSyntaxError as error:
        raise SourceError(origin, f"is not a readable OPML file ({error.msg}); check the file") from None
    if not isinstance(root.tag, str) or lxml.etree.QName(root).localname.lower() != "opml":
        raise SourceError(origin, "is not an OPML subscription list (no <opml> root); check the file")
    urls: list[str] = []
    for outline in root.iter("{*}outline"):
        attributes = {key.lower(): value for key, value in outline.attrib.items()}
        url = (attributes.get("xmlurl") or "").strip()
        if url and url not in urls:
            urls.append(url)
    if not urls:
        raise SourceError(origin, "the OPML file lists no feeds (no outline with an xmlUrl); check the file")
    return urls


def with_page(listed: ListedArticle, page: Article) -> Article:
    """The entry's article, with the story text and metadata extracted from its page."""
    entry = listed.article
    return replace(
        entry,
        title=entry.title or page.title,
        text=page.text,
        source=page.source or entry.source,
        url=page.url or entry.url,
        published=entry.published or page.published,
        author=page.author or entry.author,
    )
