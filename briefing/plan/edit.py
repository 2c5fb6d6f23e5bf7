"""Edit a story for the ear: which sentences can be heard without the ones around them.

A listener hears each story once, in order, and cannot glance back. So:

- a sentence opening on a pronoun, a connective ("However", "But", "Also") or
  an anaphoric "The committee" leans on the sentence before it (or, for "The
  committee", on the last one that spoke of a committee) and is read only with
  it;
- quoted speech is read only when the listener knows who speaks, by the end of
  its first sentence: named in it, or by the sentence just before that
  introduces it; a quote running over several sentences is read whole or not
  at all;
- a sentence that retells a fact already read (half or more of the shorter
  sentence's content words, and at least three) is not read again;
- each story opens on the sentence that states its news: the lead, or the
  first sentence after it that stands alone when the lead does not.

`StoryEditor` applies these rules while the script stage allocates time. This
module does not rank sentences (rank.py) or name people (people.py).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..models import RankedStory, Story
from .rank import PERSONAL_PRONOUNS, PRONOUNS, SPEECH_VERBS, Ranker, assess_readability
from .words import WORD

_CONNECTIVES = frozenset(
    """however but and also yet still meanwhile instead nevertheless nonetheless moreover furthermore
    additionally besides otherwise indeed thus therefore hence so then likewise similarly accordingly
    consequently another both neither other others such""".split()
)
_CONNECTIVE_PHRASES = re.compile(
    r"(?:even so|in addition|as well|at the same time|despite (?:this|that)|in contrast|by contrast|"
    r"on the other hand|in fact|after that|as a result|the other|the same|in other words|for example|"
    r"for instance|that said|even then|in turn)\b",
    re.IGNORECASE,
)
_FRONTED_PRONOUN = re.compile(r"[^,\"“”]{1,60},\s+(?:he|she|they|it|his|her|their)\b")
_DEFINITE = re.compile(r"(?:The|This|That|These|Those)\s+((?:[a-z][a-z-]*\s+){1,3})")
_DESCRIBED = re.compile(r"(?:of|between|in|for|on|at|that|which|who|whose|behind|from|to|with)\b")
"""Words after a definite noun that say which one is meant ("The initial attempt to sell")."""
_INTRODUCING = SPEECH_VERBS | frozenset("mentioned noted indicated expressed emphasized emphasised described".split())
_QUOTE_MARKS = "\"“”"
_OPENING_MARKS = "\"“"
MIN_NEWS_WORDS = 5
"""A lead shorter than this is a kicker ("Storm latest."), not the news; "T1 are your Worlds
2023 champions!" and "Anthropic pushed for moral boundaries." state it. A question ("Crazy
weather, isn't it?", "Are you in the grips of the storm?") never does."""
_VERB_ENDING = re.compile(r"[a-z]{3,}ed$")
_COMMON_VERBS = frozenset(
    """saw made came went took gave began left found won lost led met ran fell rose sent held kept
    brought bought built put set cut hit let showed seemed remains wants needs faces comes goes looks""".split()
)
"""Verbs that end a definite noun phrase ("The early game saw ...") and are not stop words."""


@lru_cache(maxsize=1)
def _ranker() -> Ranker:
    return Ranker()


@lru_cache(maxsize=65536)
def content_terms(text: str) -> frozenset[str]:
    """Stemmed content words, as the ranker sees them (memoized: every unit is checked
    against every sentence already heard)."""
    return frozenset(_ranker().terms(text))


def retells(sentence: str, earlier: str) -> bool:
    """Does `sentence` tell again a fact `earlier` told? Half or more of the shorter one's
    content words, and at least three, are shared: a paraphrase and its quote, a
    headline-style restatement; two sentences about the same people but different
    facts share fewer."""
    a, b = content_terms(sentence), content_terms(earlier)
    shared = len(a & b)
    return shared >= 3 and shared >= 0.5 * min(len(a), len(b))


@dataclass(frozen=True)
class Reading:
    """How one sentence of a story can be heard."""

    needs: tuple[int, ...] = ()
    """Sentences that must be read with it, all before it except the rest of its quote."""
    speech: bool = False
    readable: bool = True
    """False for a caption or web prompt, and for quoted speech whose speaker the
    listener could not know."""


def quote_spans(sentences: Sequence[str | None], starts: Sequence[int]) -> list[tuple[int, int]]:
    """(first, last) of each double-quoted passage running over several sentences.

    News style opens each paragraph of a long quote again and closes only the last,
    so a sentence opening on a quote mark while a quote is open continues it."""
    spans = []
    for start, end in zip(starts, [*starts[1:], len(sentences)]):
        opened = None
        for i in range(start, end):
            text = (sentences[i] or "").lstrip()
            marks = sum(text.count(mark) for mark in _QUOTE_MARKS)
            if opened is not None and text[:1] in _OPENING_MARKS:
                marks -= 1
            if marks % 2:
                if opened is None:
                    opened = i
                else:
                    spans.append((opened, i))
                    opened = None
        if opened is not None and end - 1 > opened:
            spans.append((opened, end - 1))
    return spans


def _outside_quotes(text: str) -> str:
    """The words of `text` that are not inside quotation marks."""
    text = re.sub(r"[\"“][^\"“”]*[\"”]", " ", text)
    unmatched = list(re.finditer(r"[\"“”]", text))
    if len(unmatched) == 1:
        # A quote that runs on past this sentence opens before a word ('He said: "We ...');
        # one begun earlier closes after one ('... better," she said.').
        mark = unmatched[0]
        opens = mark.group() == "“" or (mark.group() == '"' and text[mark.end():mark.end() + 1].isalnum())
        text = text[:mark.start()] if opens else text[mark.end():]
    return text


def attribution(sentence: str) -> str | None:
    """"named" when the sentence says who speaks, "pronoun" for "he said", else None."""
    words = [w.lower() for w in WORD.findall(_outside_quotes(sentence))]
    for i, word in enumerate(words):
        if word in SPEECH_VERBS and word != "according":
            if PERSONAL_PRONOUNS & set(words[max(0, i - 2):i + 3]):
                return "pronoun"
            return "named"
        if word == "according" and words[i + 1:i + 2] == ["to"]:
            return "pronoun" if PERSONAL_PRONOUNS & set(words[i + 2:i + 4]) else "named"
    return None


def _is_speech(sentence: str) -> bool:
    text = sentence.lstrip()
    quoted = re.findall(r"[\"“]([^\"“”]*)[\"”]", text)
    return text[:1] in _OPENING_MARKS or any(len(q.split()) >= 4 for q in quoted)


def _introduces(sentence: str | None) -> bool:
    """Does this sentence name someone speaking, so that a quote after it is theirs?"""
    if not sentence:
        return False
    words = {w.lower() for w in WORD.findall(_outside_quotes(sentence))}
    return sentence.rstrip().endswith(":") or bool(words & _INTRODUCING)


def leans_on(sentences: Sequence[str | None], position: int, article_start: int) -> int | None:
    """The earlier sentence this one cannot be understood without, if any."""
    if position == article_start:
        return None
    text = (sentences[position] or "").lstrip()
    words = WORD.findall(text)
    if not words:
        return None
    first = words[0].lower()
    if first in PRONOUNS or first in _CONNECTIVES or _CONNECTIVE_PHRASES.match(text) or _FRONTED_PRONOUN.match(text):
        return position - 1
    definite = _DEFINITE.match(text)
    if definite and not _DESCRIBED.match(text[definite.end():]):
        head = None
        for word in definite.group(1).split():
            terms = content_terms(word)
            if not terms or word in SPEECH_VERBS or (head and (word in _COMMON_VERBS or _VERB_ENDING.match(word))):
                break
            head = next(iter(terms))
        if head:
            for earlier in range(position - 1, article_start - 1, -1):
                if head in content_terms(sentences[earlier] or ""):
                    return earlier
    return None


def read_sentences(sentences: Sequence[str | None], starts: Sequence[int] = (0,)) -> tuple[Reading, ...]:
    """How each sentence can be heard; `None` stands for a sentence not available."""
    starts = sorted(set(starts) | {0})
    article_start = [max(s for s in starts if s <= i) for i in range(len(sentences))]
    spans = {i: span for span in quote_spans(sentences, starts) for i in range(span[0], span[1] + 1)}
    readings = []
    for i, text in enumerate(sentences):
        if text is None or assess_readability(text).unusable:
            readings.append(Reading(readable=False))
            continue
        needs: set[int] = set()
        span = spans.get(i)
        speech = span is not None or _is_speech(text)
        # A quote's own pronouns are its speaker's: only words outside it can lean back.
        antecedent = None if text.lstrip()[:1] in _OPENING_MARKS or (span and span[0] < i) else (
            leans_on(sentences, i, article_start[i]))
        if antecedent is not None:
            needs.add(antecedent)
        readable = True
        if speech:
            first, last = span or (i, i)
            needs.update(range(first, last + 1))
            before = first - 1 if first > article_start[i] else None
            # Who speaks must be known by the end of the quote's first sentence.
            said = attribution(sentences[first] or "")
            if before is not None and (said == "pronoun" or (said is None and _introduces(sentences[before]))):
                needs.add(before)
            elif said != "named":
                readable = False
        needs.discard(i)
        readings.append(Reading(tuple(sorted(needs)), speech, readable))
    return tuple(readings)


def closure(position: int, readings: Sequence[Reading]) -> tuple[int, ...] | None:
    """The sentences to read for `position` to be understood, or None if it cannot be."""
    todo, found = [position], set()
    while todo:
        current = todo.pop()
        if current in found:
            continue
        if not (0 <= current < len(readings)) or not readings[current].readable:
            return None
        found.add(current)
        todo.extend(readings[current].needs)
    return tuple(sorted(found))


def news_sentence(sentences: Sequence[str | None], starts: Sequence[int], readings: Sequence[Reading]) -> int | None:
    """The sentence that states the story's news: the lead article's lead, or the first
    sentence after it that stands alone, is not a question or a quote (unless it names its
    speaker: "Obama told the UN he would seek 'real breakthroughs'") and is long enough to be news."""
    end = min([s for s in starts if s > 0] or [len(sentences)])
    for position in range(0, end):
        text, reading = sentences[position], readings[position]
        if (text and reading.readable and not reading.needs and (not reading.speech or attribution(text) == "named")
                and len(WORD.findall(text)) >= MIN_NEWS_WORDS and not text[0].islower()
                and not text.rstrip("\"'”’) ").endswith("?")):
            return position
    return None


class StoryEditor:
    """Chooses one story's sentences, unit by unit, so each can be followed when heard.

    A unit is a sentence with everything it needs (its antecedent, the rest of its
    quote). Units come in the ranker's order, the news first; a unit that cannot be
    understood, or retells a fact already heard anywhere in the episode, is passed over.
    """

    def __init__(self, story: RankedStory):
        self.story = story
        if story.sentences:
            self.sentences: list[str | None] = list(story.sentences)
            starts = story.starts
        else:
            # Only the ranked sentences are known: the rest are treated as unavailable.
            size = max(r.position for r in story.ranked) + 1 if story.ranked else 0
            self.sentences = [None] * size
            for ranked in story.ranked:
                self.sentences[ranked.position] = ranked.text
            starts = (0,)
        self.readings = read_sentences(self.sentences, starts)
        self.order = [r.position for r in story.ranked]
        self.chosen: set[int] = set()
        self._passed: set[int] = set()
        news = news_sentence(self.sentences, starts, self.readings)
        self.news = news if news is not None else next(
            (p for p in self.order if closure(p, self.readings) is not None), None)

    def opening(self) -> tuple[int, ...]:
        """The unit that states the news, read first."""
        if self.news is None:
            return ()
        return closure(self.news, self.readings) or ()

    def next_unit(self, heard: Sequence[str]) -> tuple[int, ...] | None:
        """The best unit not yet read that adds a fact and can be followed, or None."""
        for position in self.order:
            if position in self.chosen or position in self._passed:
                continue
            unit = closure(position, self.readings)
            new = [p for p in unit or () if p not in self.chosen]
            if unit is None or self._retold(new, heard):
                self._passed.add(position)
                continue
            return tuple(new)
        return None

    def _retold(self, new: Sequence[int], heard: Sequence[str]) -> bool:
        texts = [self.sentences[p] or "" for p in new]
        return any(
            retells(text, other) for i, text in enumerate(texts) for other in [*heard, *texts[:i]]
        )

    def text(self, unit: Sequence[int]) -> list[str]:
        return [self.sentences[p] or "" for p in unit]

    def take(self, unit: Sequence[int]) -> None:
        self.chosen.update(unit)

    def result(self) -> Story:
        story = self.story
        return Story(
            headline=story.headline,
            sentences=tuple(self.sentences[p] or "" for p in sorted(self.chosen)),
            sources=story.sources,
            urls=story.urls,
            published=story.published,
            articles=story.articles,
            update_of=story.update_of,
        )
