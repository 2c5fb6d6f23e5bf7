"""Topics: leave out the stories a listener does not want, and put the ones they want first.

A topic is a word or phrase ("football", "climate change"), matched
case-insensitively as whole words on the stories' headlines and text. A word
also matches its plural and possessive ("election" matches "elections" and
"election's"; "policy" matches "policies"): write topics in the singular. A
phrase's words may be joined by spaces or hyphens ("climate-change").

A story is on a topic when one of its articles names it in the headline or in
the lead (the first 60 words, as in group.py), or at least twice in its text:
one passing mention deep in an article ("the stadium was used as a shelter
after the football match") does not make a flood story a sports story.

Excluded stories are left out and reported; included ones go first and take
two sentences per round of allocation where the others take one, so they get
about twice the time while they have sentences to give. Exclusion wins over
inclusion. This stage works on ranked stories; it does not rank or allocate.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ..errors import BriefingError
from ..models import Article, RankedStory, SkippedStory
from .words import WORD, lead

INCLUDED_SHARE = 2
"""Sentences an included story takes per round of allocation, where others take one."""
TEXT_MENTIONS = 2
"""Mentions in an article's text (outside headline and lead) that make it about a topic."""


class TopicError(BriefingError):
    """A topic that cannot be matched (no words in it)."""


@dataclass(frozen=True)
class Topics:
    """Words or phrases matched on headline and text (case-insensitive, whole words)."""

    include: tuple[str, ...] = ()
    """Stories on one of these go first and get more of the time."""
    exclude: tuple[str, ...] = ()
    """Stories on one of these are left out, and listed as such."""

    def __post_init__(self) -> None:
        for topic in (*self.include, *self.exclude):
            topic_pattern(topic)


_JOINER = r"[\s\-‐‑–—]+"
_APOSTROPHE = "['’]"


def _word_pattern(word: str) -> str:
    """A word with its plural ("-s", "-es", "-y" to "-ies") and possessive forms."""
    *inner, last = re.split(_APOSTROPHE, word)
    if len(last) > 2 and re.fullmatch(r"\w*[^aeiou\W]y", last):
        body = re.escape(last[:-1]) + "(?:y|ies)"
    else:
        body = re.escape(last) + "(?:e?s)?"
    return "".join(re.escape(part) + _APOSTROPHE for part in inner) + body + f"(?:{_APOSTROPHE}s?)?"


@lru_cache(maxsize=256)
def topic_pattern(topic: str) -> re.Pattern[str]:
    """The regular expression that finds `topic` as whole words; TopicError if it has no words."""
    words = WORD.findall(topic.lower())
    if not words:
        raise TopicError(f"The topic {topic!r} has no words to match; give a word or phrase like \"climate\".")
    body = _JOINER.join(_word_pattern(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def article_on_topic(article: Article, topic: str) -> bool:
    """The article names `topic` in its headline or lead, or at least twice in its text."""
    pattern = topic_pattern(topic)
    if pattern.search(article.title) or pattern.search(lead(article.text)):
        return True
    return sum(1 for _ in zip(range(TEXT_MENTIONS), pattern.finditer(article.text))) >= TEXT_MENTIONS


def story_topic(story: RankedStory, topics: Sequence[str]) -> str | None:
    """The first of `topics` the story is on, if any; its headline counts as an article's."""
    articles = story.articles or (Article(title=story.headline, text=" ".join(s.text for s in story.ranked)),)
    for topic in topics:
        if topic_pattern(topic).search(story.headline) or any(article_on_topic(a, topic) for a in articles):
            return topic
    return None


def apply_topics(
    stories: Sequence[RankedStory], topics: Topics
) -> tuple[list[RankedStory], list[SkippedStory]]:
    """The stories to tell, included topics first with a larger share, and the excluded ones.

    Order is otherwise kept (group.py's: most outlets, then newest).
    """
    kept: list[RankedStory] = []
    included: list[RankedStory] = []
    excluded: list[SkippedStory] = []
    for story in stories:
        topic = story_topic(story, topics.exclude)
        if topic is not None:
            excluded.append(SkippedStory(story.headline, topic=topic))
        elif story_topic(story, topics.include) is not None:
            included.append(replace(story, share=INCLUDED_SHARE))
        else:
            kept.append(story)
    return [*included, *kept], excluded
