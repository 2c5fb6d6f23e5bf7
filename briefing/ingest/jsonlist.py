"""JSON lists of articles -> listed articles, for programmatic use.

The list holds objects with the keys `title`, `text`, `url`, `source`,
`published` (ISO 8601) and optionally `author`; `{"articles": [...]}` is
accepted too. An item with a `url` but no `text` is marked for ingest to fetch
and extract. An unusable item is reported on its own and the rest go on.
"""
from __future__ import annotations

import json

from ..errors import SourceError
from ..models import Article, InputFailure
from ..plan.sentences import split_sentences
from .feeds import ListedArticle
from .html import outlet_name, parse_datetime


def _field(item: dict, key: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    return " ".join(str(value).split()) if key != "text" else str(value).strip()


def parse_json_list(data: bytes, origin: str) -> tuple[list[ListedArticle], list[InputFailure]]:
    """The articles a JSON list names, and one failure per unusable item."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SourceError(origin, "the JSON is not UTF-8 text; save it as UTF-8") from None
    except json.JSONDecodeError as error:
        raise SourceError(
            origin, f"is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno}); fix the file"
        ) from None
    if isinstance(document, dict):
        document = document.get("articles", document.get("items"))
    if not isinstance(document, list):
        raise SourceError(
            origin,
            'is not a JSON list of articles; give a list of {"title", "text", "url", "source", "published"} objects',
        )
    listed: list[ListedArticle] = []
    failures: list[InputFailure] = []
    for index, item in enumerate(document, 1):
        name = f"{origin} item {index}"
        if not isinstance(item, dict):
            failures.append(InputFailure(name, "is not an object with title and text; give it those keys"))
            continue
        text = _field(item, "text") or ""
        url = _field(item, "url")
        fetchable = bool(url and url.lower().startswith(("http://", "https://")))
        if not split_sentences(text) and not fetchable:
            failures.append(InputFailure(name, "has no text and no url to fetch it from; give it a text or a url"))
            continue
        title = _field(item, "title") or (split_sentences(text)[0] if text else "")
        article = Article(
            title=title,
            text=text,
            source=_field(item, "source") or outlet_name(None, url),
            url=url,
            published=parse_datetime(_field(item, "published")),
            author=_field(item, "author"),
            origin=name,
        )
        listed.append(ListedArticle(article=article, needs_page=fetchable and not split_sentences(text)))
    return listed, failures
