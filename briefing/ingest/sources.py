"""What a source name is, from the name alone: a URL, or a file of a kind ingest reads.

Apart from ingest/ so that the command line can tell local article files from
feeds and pages without loading ingest's parsers (rerun.py).
"""
from __future__ import annotations

from pathlib import Path

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
