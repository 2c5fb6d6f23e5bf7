"""What ingest hands on: articles with sentences to read, printable, dated in UTC, and in English.

Every article passes here on its way out, whatever source it came from, and every
failure is made printable: both reach the terminal, the feed, the page and ID3 tags.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..errors import SourceError
from ..models import Article, InputFailure
from ..plan.sentences import split_sentences
from ..printable import printable
from .language import Language, detect_language


def check_readable(article: Article) -> Article:
    if not split_sentences(article.text):
        raise SourceError(
            article.origin,
            "has a headline but no sentences to read; give it the article's body text",
        )
    return article


def _printable_article(article: Article) -> Article:
    """The article without control characters, which would reach the feed, page, manifest and ID3 tags."""
    return replace(
        article,
        title=printable(article.title),
        text=printable(article.text, lines=True),
        source=printable(article.source) if article.source else article.source,
        url=printable(article.url) if article.url else article.url,
        author=printable(article.author) if article.author else article.author,
        origin=printable(article.origin),
    )


def _printable_failure(failure: InputFailure) -> InputFailure:
    return type(failure)(printable(failure.source), printable(failure.reason))


def language_of(article: Article) -> Language:
    """The article's language, judged on its headline and text."""
    return detect_language(article.title + "\n" + article.text)


def left_out_reason(article: Article, language: Language | None = None) -> str | None:
    """Why a briefing leaves this article out ("is in Portuguese, not English; the voices
    read English only"), or None if it reads it."""
    language = language or language_of(article)
    return f"{language.reason}; the voices read English only" if language.reason else None


def _foreign(article: Article) -> InputFailure | None:
    reason = left_out_reason(article)
    return InputFailure(article.origin, f"{reason}, so it was left out") if reason else None


def accept(items: Iterable[object], english_only: bool) -> tuple[list[Article], list[InputFailure]]:
    """The articles to hand on and the failures to report, from a run's results in order.
    Dates from text files carry no zone; they are taken as UTC so every date compares."""
    articles: list[Article] = []
    failures: list[InputFailure] = []
    for item in items:
        if isinstance(item, InputFailure):
            failures.append(_printable_failure(item))
        elif isinstance(item, Article) and english_only and (foreign := _foreign(item)):
            failures.append(_printable_failure(foreign))
        elif isinstance(item, Article):
            articles.append(_printable_article(replace(item, published=item.published_utc)))
    return articles, failures


