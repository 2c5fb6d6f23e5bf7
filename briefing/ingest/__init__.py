"""Ingest: turn the user's sources (files, folders, stdin, ...) into Articles.

A failure in one source is recorded as an InputFailure and the rest go on.
This stage does not rank, group or judge articles.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import SourceError
from ..models import Article, IngestResult, InputFailure
from ..sentences import split_sentences
from .text import decode_text, parse_text_article

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
ARTICLE_SUFFIXES = TEXT_SUFFIXES


@dataclass(frozen=True)
class IngestOptions:
    """How far ingest may go; later sources (feeds, URLs) add their limits here."""

    stdin_text: str | None = None
    """The text behind the `-` source, read by the caller."""


def _check_readable(article: Article) -> Article:
    if not split_sentences(article.text):
        raise SourceError(
            article.origin,
            "has a headline but no sentences to read; give it the article's body text",
        )
    return article


def _articles_from_file(path: Path) -> list[Article]:
    if not path.exists():
        raise SourceError(str(path), "no such file or folder; check the path")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(str(path), f"cannot be read ({error.strerror}); check its permissions") from None
    return [_check_readable(parse_text_article(decode_text(data, str(path)), str(path)))]


def expand_sources(sources: Sequence[str]) -> tuple[list[str], list[InputFailure]]:
    """Folders become their article files, sorted, so runs are deterministic."""
    expanded: list[str] = []
    failures: list[InputFailure] = []
    for source in sources:
        path = Path(source)
        if source != "-" and path.is_dir():
            files = sorted(
                p for p in path.iterdir()
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in ARTICLE_SUFFIXES
            )
            if not files:
                failures.append(InputFailure(source, "the folder holds no .txt or .md articles"))
            expanded.extend(str(p) for p in files)
        else:
            expanded.append(source)
    return expanded, failures


def ingest(sources: Sequence[str], options: IngestOptions = IngestOptions()) -> IngestResult:
    """Every article the sources hold, plus one failure per source that gave none."""
    expanded, failures = expand_sources(sources)
    articles: list[Article] = []
    for source in expanded:
        try:
            if source == "-":
                text = options.stdin_text or ""
                if not text.strip():
                    raise SourceError("stdin", "nothing was piped in; pipe an article's text or name a file")
                articles.append(_check_readable(parse_text_article(text, "stdin")))
            else:
                articles.extend(_articles_from_file(Path(source)))
        except SourceError as error:
            failures.append(InputFailure(error.source, error.reason))
    return IngestResult(tuple(articles), tuple(failures))
