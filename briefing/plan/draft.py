"""The first draft of a script: articles grouped into stories, each story's sentences ranked,
sentences allocated to fit the length, and the script written.

Which stories to tell (topics, memory) is decided by the caller through
`edit_stories`, between ranking and allocation. The draft keeps what an editor
may want back: each story's next-best sentences (`Story.alternates`) and the
stories left out, each drafted as it would be told on its own (`Script.left_out`).
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import date

from ..errors import NothingToSay
from ..models import Alternate, Article, InputFailure, LeftOutStory, Presenter, RankedStory, Script, Story
from .group import group_articles
from .rank import Ranker
from .script import allocate, write_script
from .sentences import split_sentences


def rank_stories(groups: Sequence[Sequence[Article]], ranker: Ranker) -> list[RankedStory]:
    """Rank the sentences of every article in a group together, so a story told by
    several outlets is told once from the best sentences of all of them."""
    stories = []
    for group in groups:
        sentences: list[str] = []
        starts: list[int] = []
        for article in group:
            starts.append(len(sentences))
            sentences.extend(split_sentences(article.text))
        ranked = ranker.rank(group[0].title, sentences, starts=starts)
        sources = tuple(dict.fromkeys(a.source for a in group if a.source))
        urls = tuple(dict.fromkeys(a.url for a in group if a.url))
        dated = [a.published for a in group if a.published]
        stories.append(
            RankedStory(
                headline=group[0].title,
                ranked=tuple(ranked),
                sources=sources,
                urls=urls,
                published=max(dated) if dated else None,
                articles=tuple(group),
                sentences=tuple(sentences),
                starts=tuple(starts),
            )
        )
    return stories


def plan_script(
    articles: Sequence[Article], day: date, minutes: float | None, chars_per_second: float, ranker: Ranker | None = None,
    *, edit_stories: Callable[[list[RankedStory]], list[RankedStory]] | None = None, keep: Collection[str] = (),
    hosts: Sequence[Presenter] = (),
) -> tuple[Script, list[InputFailure], list[str]]:
    """Group, rank and allocate: the script the voice will read, plus what was dropped.

    `edit_stories`, if given, sees the ranked stories before allocation and returns
    the ones to tell, in order (topics and memory, see _plan). `keep`: words the
    normalizer leaves as written (the voices' lexicons). `hosts`: the presenters
    (two take turns by story)."""
    ranker = ranker or Ranker()
    stories = rank_stories(group_articles(articles), ranker)
    if edit_stories is not None:
        stories = edit_stories(stories)
    failures = [
        InputFailure(s.articles[0].origin, "has no sentences worth reading aloud; it was left out")
        for s in stories if not s.ranked
    ]
    target_ms = int(minutes * 60_000) if minutes else None
    chosen = allocate(stories, target_ms, chars_per_second)
    chosen_headlines = {s.headline for s in chosen}
    left_out = [s.headline for s in stories if s.ranked and s.headline not in chosen_headlines]
    if not chosen:
        raise NothingToSay("No article had sentences to read, so no episode was made; check the inputs above.",
                           tuple(failures))
    script = write_script(chosen, day, keep=keep, hosts=hosts)
    ranked = {s.headline: s for s in stories}
    told = tuple(replace(s, alternates=alternates(ranked[s.headline], c)) for s, c in zip(script.stories, chosen))
    drafts = [LeftOutStory(story) for s in stories if s.headline in left_out
              if (story := draft_story(s, day, chars_per_second, keep)) is not None]
    return replace(script, stories=told, left_out=tuple(drafts), target_minutes=minutes), failures, left_out


ALTERNATES = 4
"""Next-best sentences kept per story for an editor: enough to choose from, few enough to scan."""


def alternates(story: RankedStory, chosen: Story, count: int = ALTERNATES) -> tuple[Alternate, ...]:
    """The ranker's best sentences of `story` that `chosen` does not read, with their ranks."""
    read = set(chosen.sentences)
    return tuple(Alternate(rank, ranked.text) for rank, ranked in enumerate(story.ranked, 1)
                 if ranked.text not in read)[:count]


def draft_story(story: RankedStory, day: date, chars_per_second: float, keep: Collection[str] = ()) -> Story | None:
    """`story` as it would be told on its own (its news and about two more sentences, people
    named in full), with its alternates: how a left-out story is offered back to an editor.
    None if no sentence of it can open a story."""
    chosen = allocate([story], None, chars_per_second)
    if not chosen:
        return None
    told = write_script(chosen, day, keep=keep).stories[0]
    return replace(told, alternates=alternates(story, chosen[0]))
