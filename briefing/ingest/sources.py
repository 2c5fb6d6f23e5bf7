"""What a source is: a URL or a file of a kind ingest reads, by its name, its bytes or its media type.

Loads no parser, so that the command line can tell local article files from
feeds and pages without loading ingest's parsers (run/record.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SourceError

if TYPE_CHECKING:
    from .fetch import Download

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
OPML_SUFFIXES = (".opml",)
JSON_SUFFIXES = (".json",)
ARTICLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES + OPML_SUFFIXES + JSON_SUFFIXES

MAX_SOURCE_BYTES = 10 * 1024 * 1024
"""The largest file, download or stdin read: far above any article or feed."""


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def folder_articles(folder: Path) -> list[Path]:
    """The article files a folder source stands for, sorted, so runs are deterministic."""
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in ARTICLE_SUFFIXES
    )


_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_FEED_TYPES = {
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/x-rss+xml", "application/feed+json", "text/rss+xml",
}
_OPML_TYPES = {"text/x-opml", "application/x-opml", "text/x-opml+xml"}
_JSON_TYPES = {"application/json", "text/json"}
_SNIFF_TYPES = {"", "text/plain", "application/octet-stream", "binary/octet-stream"}


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


def file_kind(path: Path, data: bytes) -> str:
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


def download_kind(download: Download) -> str:
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
