"""Plain text and Markdown articles -> Article.

The headline is the first non-empty line unless a `Title:`/`Headline:` line or a
Markdown `# heading` says otherwise. Aggregator noise (view counts, "Date &
Time:" stubs, "From: ..." and "Source: <url>" lines, datelines, share prompts)
is removed from the text, but the outlet and URL it names are kept as metadata
for attribution. This module does not split sentences or judge content.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlparse

import ftfy
from charset_normalizer import from_bytes

from ..errors import SourceError
from ..models import Article

_META_LINE = re.compile(
    r"^[-*•|\s]*(?P<key>title|headline|source|url|link|from|via|by|author|published|"
    r"date & time|date|time|updated|posted|views?|comments?|shares?|tags?|category)"
    r"\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\s*(?i:by)\s+(?P<value>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})\s*$")
_SEPARATOR = re.compile(r"^[-*•|_=~\s]*$")
_DATELINE = re.compile(r"^(?:[A-Z][\w .'-]{0,40}\([\w .'-]+\)|[A-Z][A-Z .'-]{1,40})\s*:$")
"""'Moscow (Russia):' or 'WASHINGTON:', not 'Officials said:'."""
_SENTENCE_END = tuple(".!?:;\"')]”’")
_PROMPT = re.compile(
    r"^\W*(read more|click here|advertisement|sponsored|subscribe|sign up|follow us|"
    r"share this|share on|also read|related:|watch:|listen:)\b",
    re.IGNORECASE,
)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_URL = re.compile(r"https?://\S+")

# Outlets whose name is not simply their domain in capitals or title case.
_OUTLET_NAMES = {
    "bbc": "BBC",
    "ndtv": "NDTV",
    "cnn": "CNN",
    "nytimes": "The New York Times",
    "theguardian": "The Guardian",
    "washingtonpost": "The Washington Post",
    "reuters": "Reuters",
    "apnews": "AP News",
    "aljazeera": "Al Jazeera",
    "hindustantimes": "Hindustan Times",
    "timesofindia": "The Times of India",
    "indiatimes": "The Times of India",
    "thehindu": "The Hindu",
    "ft": "Financial Times",
    "wsj": "The Wall Street Journal",
    "bloomberg": "Bloomberg",
    "npr": "NPR",
}


def outlet_from_url(url: str) -> str | None:
    """A speakable outlet name from a URL's domain: ndtv.com -> NDTV."""
    host = urlparse(url).hostname or ""
    parts = [p for p in host.split(".") if p not in ("www", "m", "amp", "edition", "news")]
    if len(parts) < 2:
        return None
    name = parts[-3] if len(parts) >= 3 and parts[-2] in ("co", "com", "org", "net", "gov", "ac") else parts[-2]
    if name in _OUTLET_NAMES:
        return _OUTLET_NAMES[name]
    return name.upper() if len(name) <= 4 else name.capitalize()


def decode_text(data: bytes, origin: str) -> str:
    """Bytes -> text, refusing binary files and bytes that are not UTF-8."""
    if not data.strip():
        raise SourceError(origin, "the file is empty; give it an article's text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    sample = data[:4096]
    # Binary files are full of control bytes; a text file may carry a stray NUL or escape,
    # which ingest strips (printable.py), so only a real share of them marks a binary.
    if sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) * 0.05:
        raise SourceError(origin, "this looks like a binary file, not text; pass a .txt, .md or .html article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = decode_legacy(data)
        if text is None:
            raise SourceError(
                origin,
                f"the text is not UTF-8 (bad byte at offset {error.start}) nor a known older encoding; "
                "save it as UTF-8 and try again",
            ) from None
        return text


# WHATWG Encoding: these labels mean windows-1252 in every browser.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii", "l1", "cp819"}


def text_codec(label: str | None, data: bytes = b"") -> str | None:
    """The Python codec a server's or page's charset label names, if it can be believed for `data`.

    None for a label Python does not know, for a codec that is not a text encoding
    ("base64", "zlib": bytes-to-bytes transforms), and for UTF-16 or UTF-32 claimed
    for bytes without a NUL among them (markup and spaces in those encodings have one).
    """
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
        b"a".decode(name, "ignore")  # LookupError for codecs that are not text encodings
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")) and data and b"\x00" not in data[:4096]:
        return None
    return name


WESTERN_ACCENTED_SHARE = 0.3
"""Western text read as Windows-1252 has a few accented letters among plain ones; text in
another legacy encoding (Cyrillic cp1251, KOI8-R, Greek) read that way is mostly accents."""


def decode_legacy(data: bytes) -> str | None:
    """Bytes that are not UTF-8 -> text, or None if no encoding fits.

    Windows-1252 first (what browsers assume for unlabelled Western text, and
    what Latin-1 files are in practice), unless it turns the text into mostly
    accented letters; then charset-normalizer's guess. ftfy repairs mojibake.
    """
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None:
        letters = [c for c in western if c.isalpha()]
        accented = sum(not c.isascii() for c in letters)
        if letters and accented <= len(letters) * WESTERN_ACCENTED_SHARE:
            return ftfy.fix_encoding(western)
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    return ftfy.fix_encoding(data.decode(best.encoding, errors="replace"))


def _parse_date(value: str) -> datetime | None:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d %B %Y", "%B %d, %Y"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _clean_markdown(line: str) -> str:
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_EMPHASIS.sub("", line)
    return line.lstrip("> ").strip()


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines back into their sentences: a line that does not end a
    sentence continues on the next line of the same paragraph."""
    joined: list[str] = []
    for line in lines:
        if joined and joined[-1] and line and not joined[-1].endswith(_SENTENCE_END):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


@dataclass
class _Found:
    """What the lines of a text article say about it, gathered line by line."""

    title: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    outlet: str | None = None
    """Named on a Source: line; beats the aggregator's From: line and the URL's domain."""
    body: list[str] = field(default_factory=list)
    first_line_seen: bool = False


def parse_text_article(text: str, origin: str) -> Article:
    """Headline, clean body and metadata from a scraped or hand-written text article."""
    found = _Found()
    for raw in text.splitlines():
        _read_line(raw.strip(), found)
    if not found.title:
        raise SourceError(origin, "the file has no headline or text; give it an article's text")
    source = found.source
    if found.outlet:
        source = found.outlet
    elif found.url:
        source = outlet_from_url(found.url) or source
    return Article(
        title=found.title,
        text="\n".join(_unwrap(found.body)).strip(),
        source=source,
        url=found.url,
        published=found.published,
        author=found.author,
        origin=origin,
    )


def _read_line(line: str, found: _Found) -> None:
    """One line: a paragraph break, the headline, metadata, noise, or body text."""
    if not line:
        if found.body and found.body[-1] != "":
            found.body.append("")
        return
    heading = re.match(r"^#{1,6}\s+(.*)$", line)
    if heading:
        line = heading.group(1).strip()
        if found.title is None:
            found.title = _clean_markdown(line)
            found.first_line_seen = True
            return
    meta = _META_LINE.match(line)
    if meta:
        _read_meta(line, meta.group("key").lower(), meta.group("value").strip(), found)
        return
    if _SEPARATOR.match(line) or _PROMPT.match(line):
        return
    if not found.first_line_seen:
        found.first_line_seen = True
        if found.title is None:
            found.title = _clean_markdown(line)
            return
    byline = _BYLINE.match(line)
    if byline and found.author is None:
        found.author = byline.group("value")
        return
    if _DATELINE.match(line):
        return
    found.body.append(_clean_markdown(line))


def _read_meta(line: str, key: str, value: str, found: _Found) -> None:
    """A "Key: value" line: headline, outlet and URL, author or date; prose that only
    looks like one ("Source: officials said ...") stays in the body."""
    found_url = _URL.search(value)
    if key in ("title", "headline") and value:
        found.title = value
    elif key in ("source", "url", "link", "from", "via"):
        named = _URL.sub("", value).strip(" ,;:-()") if key == "source" else ""
        if len(named.split()) > 6 or (not found_url and key == "source" and len(value.split()) > 6):
            found.body.append(_clean_markdown(line))
            return
        if found_url:
            found.url = found.url or found_url.group(0).rstrip(").,")
        if named:
            found.outlet = named
        elif value and not found_url and key != "url":
            found.source = found.source or value
    elif key in ("by", "author") and value:
        found.author = found.author or value
    elif key in ("published", "date", "date & time", "updated", "posted") and value:
        found.published = found.published or _parse_date(value)
