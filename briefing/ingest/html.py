"""HTML pages -> Article: main text, headline, author, outlet and publication time.

trafilatura finds the article's main text and metadata and leaves navigation,
ads, cookie banners, share bars, related links, tables and comments out; we
prune a few more page furniture blocks it lets through (newsletter boxes,
consent overlays, video descriptions), read line breaks in the page's source as
the spaces they are, and drop lines that are not the story (wire sign-offs,
credits, labels, calls to action, the headline again, the site's name in it).
Whether the page is an article at all is pagekind.py's judgement. The
publication time is read from the page's structured metadata (JSON-LD, Open
Graph, <time>), because trafilatura only keeps the date. Bytes are decoded with
care for the wrong or missing charsets and mojibake that real pages carry.
bench/extract.py measures this against plain trafilatura on 107 real pages.

This module does not fetch anything; fetch.py does.
"""
from __future__ import annotations

import codecs
import json
import re
from datetime import datetime, timezone
from ipaddress import ip_address
from urllib.parse import urlparse

import ftfy
import lxml.etree
import lxml.html
import trafilatura

from ..errors import SourceError
from ..models import Article
from ..plan.sentences import split_sentences
from .pagekind import is_article, page_kind
from .text import decode_legacy, outlet_from_url, text_codec

GARBLED_CHARACTERS = 200
"""More than one replacement character (U+FFFD) in this many means the text is lost."""

# Class, id or data-testid fragments of page furniture that trafilatura keeps
# when it sits inside the article body.
_FURNITURE = ("newsletter", "sign-up", "signup", "consent", "cookie", "share-bar", "social-share", "read-next",
              "video-desc", "video-caption")
_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
PRUNE_XPATH = "//*[@class or @id or @data-testid][not(self::html or self::body or self::main or self::article)][{}]".format(
    " or ".join(
        f"contains({_LOWER.format(attribute)}, '{fragment}')"
        for attribute in ("@class", "@id", "@data-testid")
        for fragment in _FURNITURE
    )
)

# Lines that belong to the page, not the story: wire sign-offs and calls to action.
_NOT_STORY = re.compile(
    r"^\W*(?:(?:additional )?reporting by|editing by|writing by|compiled by|"
    r"sign up here|subscribe (?:now|here|today)|click here|read more|advertisement|see more (?:photos|pictures)|"
    r"(?:please )?share your (?:videos|photos|pictures|stories)|(?:image |photo |picture |video )?credits?(?=:)|"
    r"share this|our standards:|(?:please )?(?:enable|turn on) javascript|javascript is (?:disabled|required|off)|"
    r"your browser does not support|this video (?:is|has been) (?:unavailable|removed|no longer available)|"
    r"(?:watch|play|replay) (?:the )?video(?=\W*$)|"
    r"this is an? (?:breaking|developing)(?: news)? story|this story (?:is developing|will be updated|is being updated)|"
    r"(?:more details|more|updates) to follow|(?:breaking(?: news)?|live|exclusive|developing|just in)(?=\W*$))\b",
    re.IGNORECASE,
)
_NOT_STORY_MAX_WORDS = 20
# A wire dateline opening the story: "KESTREL BAY, England, Dec 2 (Meridian Wire) - ", "(CNN) -- ".
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'-]+(?:, [A-Z][\w .'-]*)*?(?:,? [A-Z][a-z]{2}\.? \d{1,2})? )?\([\w .&'-]+\) [-–—]+ (?=\S)"
)
_DATELINE_LINES = 3
"""The story's first paragraph, which holds the dateline, may come after a kicker or a prompt."""

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)

_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date_published",
    "publishdate",
    "publish-date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
)
_ARTICLE_TYPES = ("Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle", "WebPage")


def decode_html(data: bytes, declared_charset: str | None = None) -> str:
    """Page bytes -> text, trusting the bytes over a wrong label, and repairing mojibake.

    Valid UTF-8 is read as UTF-8 whatever the page declares (a page that
    decodes as UTF-8 with non-ASCII bytes is UTF-8 in practice); otherwise the
    declared charset (HTTP header, then <meta>), otherwise detection. Text that
    was UTF-8 misread as Windows-1252 somewhere upstream ("cafÃ©") is repaired
    with ftfy.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _repair_mojibake(data.decode(encoding, errors="replace"))
    text: str | None = None
    if b"\x00" not in data[:4096]:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if text is None:
        meta = _META_CHARSET.search(data[:4096])
        charset = text_codec(declared_charset, data) or text_codec(
            meta.group(1).decode("ascii", "ignore") if meta else None, data)
        if charset in (None, "utf-8"):
            text = decode_legacy(data) or data.decode("cp1252", errors="replace")
        else:
            text = data.decode(charset, errors="replace")
    return _repair_mojibake(text)


# UTF-8 read as Windows-1252 or Latin-1 leaves a lead byte's letter (Â to ô) before a
# continuation byte's character (U+0080-U+00BF, or what Windows-1252 puts there: € ‚ ’ “ ” …).
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                       "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
                       "\u20ac\u2122]")


def _repair_mojibake(text: str) -> str:
    """ftfy's repair, run only where its commonest target may be: on a large page ftfy's own
    scan takes half a second, and most pages have nothing to repair."""
    return ftfy.fix_encoding(text) if _MOJIBAKE.search(text) else text


def _outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url).hostname or ""
    try:
        ip_address(host)
        return None
    except ValueError:
        pass
    if host in ("localhost", ""):
        return None
    return outlet_from_url(url)


_SITE_SEPARATOR = re.compile(r"\s+[|–—]\s+|\s+-\s+")


def outlet_name(sitename: str | None, url: str | None) -> str | None:
    """The outlet's speakable name: the page's site name without its tagline ("LinkNaija |
    Nigeria's popular news platform" is LinkNaija), or one made from its domain."""
    if sitename:
        sitename = _SITE_SEPARATOR.split(sitename.strip())[0]
        if re.fullmatch(r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?", sitename):
            sitename = re.sub(r"^https?://|/$", "", sitename)
            return _outlet_from_url(f"https://{sitename}") or None
        return sitename
    return _outlet_from_url(url)


_TITLE_SEPARATOR = re.compile(r"\s+[|–—]\s+|\s+-\s+|:\s+")


def headline(title: str | None, sitename: str | None) -> str:
    """The page's title without the site's name before or after it: "Site | Tagline: Headline",
    "Headline | CNN Politics" (site CNN), "Headline | CISA" (site "... Security Agency CISA")."""
    title = " ".join((title or "").split())
    site = " ".join((sitename or "").split()).casefold()
    short = (outlet_name(sitename, None) or "").casefold()
    if not site:
        return title

    def names_site(part: str, after: bool) -> bool:
        """A part after the headline may be the site's section ("CNN Politics"); one before it
        is the site's name, then its tagline."""
        part = part.strip().casefold()
        return bool(part) and (part in site or (after and part.startswith(short or site)))

    parts = _TITLE_SEPARATOR.split(title)
    separators = _TITLE_SEPARATOR.findall(title)
    while len(parts) > 1 and names_site(parts[-1], after=True) and ":" not in separators[-1]:
        parts, separators = parts[:-1], separators[:-1]
    if len(parts) > 1 and parts[0].strip().casefold() in (site, short):
        while len(parts) > 1 and names_site(parts[0], after=False):
            parts, separators = parts[1:], separators[1:]
    return "".join(p + (separators[i] if i < len(separators) else "") for i, p in enumerate(parts)).strip()


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime; a bare date is taken as midnight UTC."""
    if not value:
        return None
    value = value.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=timezone.utc)
    return found


def _json_ld_objects(tree: lxml.html.HtmlElement) -> list[dict]:
    objects: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return objects


def _published_from_metadata(tree: lxml.html.HtmlElement) -> datetime | None:
    """The publication time the page states in its structured metadata, if any."""
    for item in _json_ld_objects(tree):
        kinds = item.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(kind in _ARTICLE_TYPES for kind in kinds):
            found = parse_datetime(str(item.get("datePublished") or "")) if item.get("datePublished") else None
            if found:
                return found
    metas = {}
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and key not in metas:
            metas[key] = meta.get("content")
    for key in _DATE_META:
        found = parse_datetime(metas.get(key))
        if found:
            return found
    for element in tree.xpath("//*[@itemprop='datePublished']") + tree.xpath("//article//time[@datetime]"):
        found = parse_datetime(element.get("content") or element.get("datetime"))
        if found:
            return found
    return None


def clean_story_lines(text: str, title: str | None) -> str:
    """One paragraph a line, without sign-offs, calls to action, labels ("Breaking"),
    a wire dateline, or the headline when the text repeats it."""
    lines: list[str] = []
    dated = 0
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line or (title and line.casefold() == " ".join(title.split()).casefold()):
            continue
        if _NOT_STORY.match(line) and len(line.split()) <= _NOT_STORY_MAX_WORDS:
            continue
        if len(lines) < _DATELINE_LINES and not dated:
            line, dated = _DATELINE.subn("", line, count=1)
        lines.append(line)
    return "\n".join(lines)


def _first_sentence_title(text: str) -> str:
    first = split_sentences(text)[0]
    words = first.split()
    return " ".join(words[:12]) + ("..." if len(words) > 12 else "")


_SOURCE_LINE = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_KEEPS_LINES = "//pre | //pre//* | //textarea | //script | //style"


def join_source_lines(tree: lxml.html.HtmlElement) -> None:
    """Line breaks in a page's source text are spaces, as a browser shows them; trafilatura
    keeps some (text in <div> and <span>), which would cut a sentence into "paragraphs".
    Text in <pre> keeps its lines."""
    keep = set(tree.xpath(_KEEPS_LINES))
    for element in tree.iter():
        if element.text and "\n" in element.text and element not in keep and isinstance(element.tag, str):
            element.text = _SOURCE_LINE.sub(" ", element.text)
        if element.tail and "\n" in element.tail and element.getparent() not in keep:
            element.tail = _SOURCE_LINE.sub(" ", element.tail)


_NOT_AN_ARTICLE = "no article text found on the page; give the address of an article, not a front, video or search page"


def parse_html_article(html: str, origin: str, url: str | None = None) -> Article:
    """The article on a web page; SourceError if the page holds no article text or is
    a front, section, video or search page (pagekind.py).

    `url` is where the page was fetched from; the page's own canonical address
    wins when it states one.
    """
    tree = trafilatura.load_html(html) if html.strip() else None
    if tree is None:
        raise SourceError(origin, "the page could not be read as HTML; check that it is a web page")
    published = _published_from_metadata(tree)
    kind = page_kind(tree, url)
    join_source_lines(tree)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        prune_xpath=PRUNE_XPATH,
    )
    if isinstance(document, dict):  # only with as_dict=True, which we never ask for
        raise TypeError("trafilatura returned a dict")
    title = headline(document.title, document.sitename) if document is not None else ""
    text = clean_story_lines(document.text or "", title) if document is not None else ""
    if document is None or not is_article(text, kind):
        raise SourceError(origin, _NOT_AN_ARTICLE)
    if text.count("\ufffd") * GARBLED_CHARACTERS > len(text):
        raise SourceError(
            origin,
            "the page's text is garbled (characters were lost to a wrong encoding before it was served); "
            "open it in a browser and save it as UTF-8",
        )
    canonical = document.url if document.url and document.url.startswith(("http://", "https://")) else None
    page_url = canonical or url
    published = published or parse_datetime(document.date)
    return Article(
        title=title or _first_sentence_title(text),
        text=text,
        source=outlet_name(document.sitename, page_url),
        url=page_url,
        published=published,
        author=document.author or None,
        origin=origin,
    )
