"""`briefing extract SOURCE...`: print every article ingest finds, to see what a briefing will read."""
from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Optional

import typer

from .ingest import IngestOptions, ingest, parse_since
from .ingest.fetch import default_cache_dir
from .models import Article


def since_option(value: Optional[str]):
    """Typer callback: "24h" -> timedelta, or a usage error (exit code 2) naming the fix."""
    if value is None:
        return None
    try:
        return parse_since(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


# Source flags shared by `extract` and `generate`.
MaxPerFeedOption = Annotated[Optional[int], typer.Option(
    "--max-per-feed", min=1, metavar="N", help="Take at most the N newest entries of each feed.")]
SinceOption = Annotated[Optional[str], typer.Option(
    "--since", metavar="AGE", callback=since_option,
    help="Skip feed and list entries older than AGE, e.g. 24h, 90m, 2d or 1w (undated entries are kept).")]
CacheDirOption = Annotated[Optional[Path], typer.Option(
    "--cache-dir", metavar="FOLDER",
    help="Keep downloads here and re-validate them with ETag/Last-Modified (default ~/.cache/briefing/http).")]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Download everything afresh and keep nothing.")]
TimeoutOption = Annotated[float, typer.Option(
    "--timeout", min=0.1, metavar="SECONDS", help="Longest wait for any one network step.")]


def ingest_options(
    stdin_text: str | None,
    max_per_feed: int | None,
    since: timedelta | None,
    cache_dir: Path | None,
    no_cache: bool,
    timeout_s: float,
) -> IngestOptions:
    """IngestOptions from the shared source flags (--max-per-feed, --since, --cache-dir, --no-cache, --timeout)."""
    return IngestOptions(
        stdin_text=stdin_text,
        max_per_feed=max_per_feed,
        since=since,
        cache_dir=None if no_cache else (cache_dir or default_cache_dir()),
        timeout_s=timeout_s,
    )


def article_record(article: Article) -> dict[str, str | None]:
    """The --json shape of one article."""
    return {
        "title": article.title,
        "source": article.source,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "url": article.url,
        "text": article.text,
    }


def format_article(article: Article) -> str:
    """One article as a human reads it: headline, metadata lines, blank line, full text."""
    published = article.published.isoformat() if article.published else "unknown"
    return "\n".join(
        [
            f"# {article.title}",
            f"Source: {article.source or 'unknown'}",
            f"Author: {article.author or 'unknown'}",
            f"Published: {published}",
            f"URL: {article.url or 'none'}",
            "",
            article.text,
        ]
    )


def print_articles(articles: Sequence[Article], json_output: bool) -> None:
    if json_output:
        typer.echo(json.dumps([article_record(a) for a in articles], ensure_ascii=False, indent=2))
    else:
        typer.echo("\n\n---\n\n".join(format_article(a) for a in articles))


def extract_command(
    sources: list[str] = typer.Argument(
        ..., help="Article files (.txt, .md, .html), feeds (RSS, Atom, RDF), OPML lists, JSON lists, folders, "
        "http(s) URLs of pages or feeds, or - for stdin."
    ),
    json_output: bool = typer.Option(
        False, "--json", help="Print a JSON list of {title, source, author, published, url, text} objects."
    ),
    max_per_feed: MaxPerFeedOption = None,
    since: SinceOption = None,
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    timeout_s: TimeoutOption = 15.0,
) -> None:
    """Print every article the sources hold: headline, outlet, author, date, URL and full text.

    Exit codes: 0 every source was read; 3 some sources failed but articles came out; 1 no articles.
    """
    stdin_text = sys.stdin.read() if "-" in sources else None
    options = ingest_options(stdin_text, max_per_feed, since, cache_dir, no_cache, timeout_s)
    result = ingest(sources, options)
    print_articles(result.articles, json_output)
    for failure in result.failures:
        typer.echo(str(failure), err=True)
    if not result.articles:
        if not result.failures:
            typer.echo("no articles found in the sources (check --since and --max-per-feed)", err=True)
        raise typer.Exit(1)
    if result.failures:
        raise typer.Exit(3)
