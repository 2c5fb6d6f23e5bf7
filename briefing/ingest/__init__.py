"""Ingest: turn the user's sources into Articles.

A source is a text, Markdown, HTML, feed, OPML or JSON file, a folder of
those, `-` for stdin, or an http(s) URL of a page or feed. The run (crawl.py)
reads local sources (local.py), tells what each is (sources.py), fetches URLs
concurrently through one client (fetch.py, network.py), reads pages, feeds
and lists (html.py, pagekind.py, text.py, feeds.py, jsonlist.py), and hands on
the articles worth reading, in English (accept.py, language.py). A failure in one source is recorded as an
InputFailure and the rest go on.

This stage does not rank, group or judge articles (plan/ does). Its names are
loaded when first used, so the command line can import `ingest.sources` or
`ingest.options` without loading the parsers or the HTTP client.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_HOMES = {
    "ingest": "crawl",
    "IngestOptions": "options", "parse_since": "options", "DEFAULT_MAX_PER_FEED": "options",
    "MAX_FETCHES": "options", "MAX_ARTICLES": "options",
    "read_file": "local", "read_stdin": "local", "expand_sources": "local",
    "sniff_kind": "sources",
}

__all__ = [
    "DEFAULT_MAX_PER_FEED", "MAX_ARTICLES", "MAX_FETCHES", "IngestOptions", "expand_sources", "ingest",
    "parse_since", "read_file", "read_stdin", "sniff_kind",
]

if TYPE_CHECKING:
    from .crawl import ingest
    from .local import expand_sources, read_file, read_stdin
    from .options import DEFAULT_MAX_PER_FEED, MAX_ARTICLES, MAX_FETCHES, IngestOptions, parse_since
    from .sources import sniff_kind


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'briefing.ingest' has no attribute {name!r}")
    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
