"""Write the spoken script: intro with the date, each story's lead-in and
sentences, transitions, outro, with the pauses between them.

Sentences are allocated across stories to fit the target length, then read in
their original order. Text is normalized for the ear here, once; the
transcript keeps the written form. This stage does not rank or synthesize.
"""
from __future__ import annotations

from datetime import date
from typing import Sequence

from num2words import num2words

from .models import RankedStory, Script, Segment, Story
from .speech.normalize import normalize_for_speech

# Pauses in milliseconds. Story gaps are long enough that a listener (and
# ffmpeg's silencedetect) hears a boundary; sentence gaps are a natural breath.
PAUSE_AFTER_SENTENCE_MS = 450
PAUSE_AFTER_HEADLINE_MS = 650
STORY_GAP_MS = 1300
TRANSITIONS = ("Next", "Also today", "Meanwhile", "In other news")


def spoken_date(day: date) -> str:
    """Thursday, November 26th: how a presenter says a date."""
    number = day.day
    suffix = "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{day:%A}, {day:%B} {number}{suffix}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".!?\"'" else text + "."


_TAKES_THE = {"BBC", "BBC News", "AP", "Associated Press", "Guardian", "Times", "Independent", "Telegraph"}


def credit_line(sources: Sequence[str]) -> str:
    """"NDTV", "NDTV and Reuters", "NDTV, Reuters and the BBC": each outlet once, in order."""
    names: list[str] = []
    seen: set[str] = set()
    for source in sources:
        name = " ".join((source or "").split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(f"the {name}" if name in _TAKES_THE else name)
    if len(names) <= 1:
        return names[0] if names else ""
    return f"{', '.join(names[:-1])} and {names[-1]}"


def lead_in(index: int, count: int, story: RankedStory | Story) -> str:
    """The words that introduce a story: a transition, the outlets, the headline."""
    if index == 0:
        transition = "First" if count > 1 else "Today's story"
    elif index == count - 1:
        transition = "And finally"
    else:
        transition = TRANSITIONS[(index - 1) % len(TRANSITIONS)]
    credit = credit_line(story.sources)
    if len(set(story.sources)) > 1:
        credit = f"with reports from {credit}"
    elif credit:
        credit = f"from {credit}"
    if story.update_of is not None:
        month_day = spoken_date(story.update_of.date).split(", ", 1)[1]
        credit = " ".join(f"an update {credit} on our story of {month_day}".split())
    opener = f"{transition}, {credit}:" if credit else f"{transition}:"
    return f"{opener} {_sentence(story.headline)}"


def intro_text(day: date, story_count: int) -> str:
    stories = "one story" if story_count == 1 else f"{num2words(story_count)} stories"
    return f"Here is your briefing for {spoken_date(day)}. Today, {stories}."


def outro_text(day: date) -> str:
    return f"That's your briefing for {spoken_date(day)}. Thanks for listening."


def estimate_ms(text: str, chars_per_second: float) -> int:
    """Rough speaking time of `text`, to plan the episode before any audio exists."""
    return int(len(normalize_for_speech(text)) / chars_per_second * 1000)


def allocate(
    stories: Sequence[RankedStory], target_ms: int | None, chars_per_second: float, *, default_sentences: int = 3
) -> list[Story]:
    """Choose each story's sentences so the whole script lasts about `target_ms`.

    Every story that fits gets its best sentence; then stories take turns adding
    their next-best sentence while that brings the total closer to the target.
    Without a target, each story gets `default_sentences`. Chosen sentences are
    returned in reading (article) order.
    """
    readable = [s for s in stories if s.ranked]
    chosen: list[list[int]] = [[] for _ in readable]
    if target_ms is None:
        for picks, story in zip(chosen, readable):
            picks.extend(range(min(default_sentences * story.share, len(story.ranked))))
    else:
        sentence_ms = lambda text: estimate_ms(text, chars_per_second) + PAUSE_AFTER_SENTENCE_MS  # noqa: E731
        total = estimate_ms(intro_text(date(2000, 1, 1), len(readable)) + outro_text(date(2000, 1, 1)), chars_per_second)
        total += STORY_GAP_MS
        for i, story in enumerate(readable):
            cost = estimate_ms(lead_in(i, len(readable), story), chars_per_second) + PAUSE_AFTER_HEADLINE_MS
            cost += sentence_ms(story.ranked[0].text) + STORY_GAP_MS
            if i > 0 and total + cost > target_ms:
                continue
            chosen[i].append(0)
            total += cost
        added = True
        while added:
            added = False
            for picks, story in zip(chosen, readable):
                for _ in range(story.share):
                    if not picks or len(picks) >= len(story.ranked):
                        break
                    cost = sentence_ms(story.ranked[len(picks)].text)
                    if abs(target_ms - (total + cost)) >= abs(target_ms - total):
                        break
                    picks.append(len(picks))
                    total += cost
                    added = True
    result = []
    for picks, story in zip(chosen, readable):
        if not picks:
            continue
        sentences = sorted((story.ranked[k] for k in picks), key=lambda s: s.position)
        result.append(
            Story(
                headline=story.headline,
                sentences=tuple(s.text for s in sentences),
                sources=story.sources,
                urls=story.urls,
                published=story.published,
                articles=story.articles,
                update_of=story.update_of,
            )
        )
    return result


def _segment(kind: str, display: str, pause_after_ms: int, story_index: int | None = None) -> Segment:
    return Segment(kind=kind, text=normalize_for_speech(display), display=display,
                   pause_after_ms=pause_after_ms, story_index=story_index)


def write_script(stories: Sequence[Story], day: date) -> Script:
    """The full spoken script for these stories, in this order."""
    segments = [_segment("intro", intro_text(day, len(stories)), STORY_GAP_MS)]
    for i, story in enumerate(stories):
        segments.append(_segment("headline", lead_in(i, len(stories), story), PAUSE_AFTER_HEADLINE_MS, i))
        for j, sentence in enumerate(story.sentences):
            last = j == len(story.sentences) - 1
            segments.append(_segment("sentence", sentence, STORY_GAP_MS if last else PAUSE_AFTER_SENTENCE_MS, i))
    segments.append(_segment("outro", outro_text(day), 0))
    return Script(
        title=f"News briefing for {spoken_date(day)}, {day.year}",
        date=day,
        segments=tuple(segments),
        stories=tuple(stories),
    )
