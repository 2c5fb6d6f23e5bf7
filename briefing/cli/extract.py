"""`briefing extract SOURCE...`: print every article ingest finds, to see what a briefing will read."""
from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import typer

from .console import ExitCode
from .options import (
    AllowPrivateOption,
    CacheDirOption,
    MaxArticlesOption,
    MaxPagesOption,
    MaxPerFeedOption,
    NoCacheOption,
    SinceOption,
    SourceFlags,
    TimeoutOption,
    ingest_options,
)

if TYPE_CHECKING:
    from ..ingest.language import Language
    from ..models import Article


def article_record(article: Article, language: Language, left_out: str | None) -> dict[str, str | None]:
    """The --json shape of one article: what ingest found, its language, and why a briefing
    would leave it out (None if a briefing reads it)."""
    return {
        "title": article.title,
        "source": article.source,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "url": article.url,
        "language": language.code or None,
        "left_out": left_out,
        "text": article.text,
    }


def format_article(article: Article, language: Language, left_out: str | None) -> str:
    """One article as a human reads it: headline, metadata lines, blank line, full text."""
    published = article.published.isoformat() if article.published else "unknown"
    return "\n".join(
        [
            f"# {article.title}",
            f"Source: {article.source or 'unknown'}",
            f"Author: {article.author or 'unknown'}",
            f"Published: {published}",
            f"URL: {article.url or 'none'}",
            f"Language: {f'{language.name} ({language.code})' if language.code else 'unknown'}",
            f"Briefing: {f'left out ({left_out})' if left_out else 'read'}",
            "",
            article.text,
        ]
    )


def print_articles(articles: Sequence[Article], json_output: bool) -> None:
    """Every article with its language and whether a briefing would read it."""
    from ..ingest.accept import language_of, left_out_reason

    judged = [(a, language_of(a)) for a in articles]
    found = [(a, language, left_out_reason(a, language)) for a, language in judged]
    if json_output:
        typer.echo(json.dumps([article_record(*item) for item in found], ensure_ascii=False, indent=2))
    else:
        typer.echo("\n\n---\n\n".join(format_article(*item) for item in found))


def extract(
    sources: list[str] = typer.Argument(
        ..., help="Article files (.txt, .md, .html), feeds (RSS, Atom, RDF), OPML lists, JSON lists, folders, "
        "http(s) URLs of pages or feeds, or - for stdin."
    ),
    json_output: bool = typer.Option(
        False, "--json",
        help="Print a JSON list of {title, source, author, published, url, language, left_out, text} objects.",
    ),
    max_per_feed: MaxPerFeedOption = None,
    since: SinceOption = None,
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    timeout_s: TimeoutOption = 15.0,
    max_pages: MaxPagesOption = 300,
    max_articles: MaxArticlesOption = 1000,
    allow_private: AllowPrivateOption = False,
) -> None:
    """Print every article the sources hold: headline, outlet, author, date, URL, language and full text.

    Articles a briefing would leave out (those not in English: the voices read English only)
    are listed too, marked with the reason.

    Exit codes: 0 every source was read; 3 some sources failed but articles came out; 1 no articles.
    """
    from ..ingest import ingest, read_stdin

    stdin_text = read_stdin(sys.stdin.buffer) if "-" in sources else None
    options = replace(ingest_options(stdin_text, SourceFlags(
        max_per_feed, since, cache_dir, no_cache, timeout_s, max_pages, max_articles, allow_private)),
        english_only=False)
    result = ingest(sources, options)
    print_articles(result.articles, json_output)
    for failure in result.failures:
        typer.echo(str(failure), err=True)
    for cut in result.notes:
        typer.echo(f"note: {cut}", err=True)
    if not result.articles:
        if not result.failures:
            typer.echo("no articles found in the sources (check --since and --max-per-feed)", err=True)
        raise typer.Exit(ExitCode.NOTHING_MADE)
    if result.failures:
        raise typer.Exit(ExitCode.PARTIAL)
