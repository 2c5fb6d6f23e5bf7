"""Is a web page an article, or a front, section, video or search page?

A breaking-news page may hold two or three sentences, so a page is an article
if its main text has one complete sentence, unless the page says it is
something else:

- a front, section or search page (its address is the site's root or a search,
  or its structured data calls it a collection, an item list or search
  results) is never an article, whatever its teasers say: those are other
  articles' first lines;
- a video page (Open Graph type video.*, or a VideoObject as its structured
  data) is read only when its text is an article's (a few prose sentences):
  a caption is not a story, a report published as a video page is.

A page that also declares itself an article (Open Graph "article", a
schema.org Article type) is judged by its text alone. This module only judges;
html.py reads the page.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import lxml.html

from ..plan.sentences import split_sentences

ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting", "Report", "ScholarlyArticle", "TechArticle",
})
LISTING_TYPES = frozenset({"CollectionPage", "SearchResultsPage", "ItemList"})
VIDEO_TYPES = frozenset({"VideoObject", "VideoGallery"})
SEARCH_PATHS = ("/search", "/find", "/s/")
SEARCH_KEYS = frozenset({"q", "query", "search", "s", "term", "keywords"})

MIN_SENTENCE_WORDS = 5
"""A complete sentence of body text has at least this many words ("Two people were hurt.": 4, a fragment)."""
MIN_SENTENCE_CHARACTERS = 10
"""...or, in a script written without spaces (Chinese, Japanese, Thai), this many characters."""
MIN_ARTICLE_WORDS = 40
"""A video page's text is an article's with this many words in prose sentences (a short news brief has ~50)."""
MIN_ARTICLE_SENTENCES = 2

_TERMINATORS = ".!?…。！？।॥۔؟።။"
_CLOSERS = "\"'”’)]」』）»"
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")
_UNMARKED_SCRIPTS = ("THAI", "LAO", "KHMER")
"""Scripts whose sentences end in a space, not a mark."""
_WORD = re.compile(r"\w+")
_PROSE_SENTENCE = re.compile(r"^\W*\w+(?:\W+\w+){4,}.*[.!?][\"'”’)\]]*$")


@dataclass(frozen=True)
class PageKind:
    """What a page says it is, from its address and its structured data."""

    article: bool = False
    """It declares itself an article (og:type article, a schema.org Article type)."""
    listing: bool = False
    """A front, section or search page."""
    video: bool = False


def _json_ld_types(tree: lxml.html.HtmlElement) -> set[str]:
    """The @type of every top-level JSON-LD object and every object in a @graph."""
    types: set[str] = set()
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        for item in list(items):
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                items.extend(item["@graph"])
        for item in items:
            kind = item.get("@type") if isinstance(item, dict) else None
            types.update(k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str))
    return types


def _meta(tree: lxml.html.HtmlElement, name: str) -> str:
    found = tree.xpath(f"//meta[@property='{name}' or @name='{name}']/@content")
    return str(found[0]).strip().lower() if found else ""


def _page_address(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    for address in (*tree.xpath("//link[@rel='canonical']/@href"), _meta(tree, "og:url"), url):
        if address and str(address).lower().startswith(("http://", "https://")):
            return str(address)
    return None


def _is_listing_address(address: str | None) -> bool:
    """The site's front page, or a search."""
    if not address:
        return False
    parts = urlsplit(address)
    path = parts.path.rstrip("/").lower()
    if not path and not parts.query:
        return True
    return path.startswith(SEARCH_PATHS) or bool(SEARCH_KEYS & set(parse_qs(parts.query)))


def page_kind(tree: lxml.html.HtmlElement, url: str | None) -> PageKind:
    """What the page declares itself to be; `url` is where it was fetched from, if it was."""
    types = _json_ld_types(tree)
    og_type = _meta(tree, "og:type")
    article = og_type == "article" or bool(types & ARTICLE_TYPES)
    listing = bool(types & LISTING_TYPES) or _is_listing_address(_page_address(tree, url))
    video = og_type.startswith("video") or bool(types & VIDEO_TYPES)
    return PageKind(article=article, listing=listing and not article, video=video and not article)


def _unspaced(character: str) -> bool:
    return unicodedata.name(character, "").startswith(_UNSPACED_SCRIPTS)


def is_complete_sentence(sentence: str) -> bool:
    """A sentence of prose: several words (or characters, in a script without spaces)
    ending in its script's full stop; in Thai, Lao or Khmer, which end sentences with a
    space, a long enough run of their letters."""
    text = sentence.strip().rstrip(_CLOSERS)
    if not text or not (text[-1] in _TERMINATORS or unicodedata.name(text[-1], "").startswith(_UNMARKED_SCRIPTS)):
        return False
    return (len(_WORD.findall(text)) >= MIN_SENTENCE_WORDS
            or sum(_unspaced(c) for c in text) >= MIN_SENTENCE_CHARACTERS)


def has_article_text(text: str) -> bool:
    """True if `text` reads as a whole article, not a teaser or a caption: a few prose sentences."""
    prose = [s for s in split_sentences(text) if _PROSE_SENTENCE.match(s)]
    return len(prose) >= MIN_ARTICLE_SENTENCES and sum(len(s.split()) for s in prose) >= MIN_ARTICLE_WORDS


def is_article(text: str, kind: PageKind) -> bool:
    """Does a page of this kind, with this main text, hold an article? (See the module docstring.)"""
    if kind.listing:
        return False
    if kind.video:
        return has_article_text(text)
    return any(is_complete_sentence(line) for paragraph in text.splitlines() for line in split_sentences(paragraph))
