"""Write the spoken script: the greeting with the date, a rundown of the top
stories, each story opened by a transition and told from its chosen sentences,
and the sign-off, with the pauses between them.

Sentences are allocated across stories to fit the target length, under the
rules of edit.py (each story opens on its news; no sentence without the one it
leans on; no quote without its speaker; no fact twice), then read in their
original order. The first time a person is heard, they are named in full
(people.py). Every line the presenters add (greeting, rundown, transitions,
handovers, sign-off) is worded by `Lines`, in one place, and is its own
segment. With two presenters, as in radio news, they share the greeting and
the sign-off and take turns by story, each story read whole by one of them,
handing over with a short line that adds no facts. Text is normalized for the
ear here, once; the transcript keeps the written form. This stage does not
rank or synthesize.

A story opens on its lead, not its headline: on the BBC dev articles the
machine listener missed far more headline words than lead words, and a lead
read after its headline retells the headline's fact (bench/headlines.py).
The written headline stays on Story.headline for chapters, the page and the feed.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import date

from num2words import num2words

from ..models import Presenter, RankedStory, Script, Segment, Story
from ..speech.normalize import normalize_for_speech
from .edit import StoryEditor, content_terms
from .people import Person, find_people, name_in_full
from .sentences import split_sentences

# Pauses in milliseconds. Story gaps are long enough that a listener (and
# ffmpeg's silencedetect) hears a boundary; sentence gaps are a natural breath.
PAUSE_AFTER_SENTENCE_MS = 450
PAUSE_AFTER_TRANSITION_MS = 550
STORY_GAP_MS = 1300
RUNDOWN_MIN_STORIES = 3
"""With this many stories or more, the greeting is followed by a rundown of the first ones."""
RUNDOWN_STORIES = 3
RELATED_SIMILARITY = 0.2
"""Cosine of two stories' content words at or above which a transition may say they are
related ("Staying with that subject", "Meanwhile"): of the 216 story pairs in the dev
briefings, the 11 at or above it are two Microsoft stories, two O'Sullivan races, two
musicals, theatre awards, athletics meetings and two firms' profits; the median is 0.04."""


def spoken_date(day: date) -> str:
    """Thursday, November 26th: how a presenter says a date."""
    number = day.day
    suffix = "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{day:%A}, {day:%B} {number}{suffix}"


_QUOTE_MARK = re.compile(r"(?<![\w])['‘\"“]|['’\"”](?![\w])")


def _sentence(text: str) -> str:
    """`text` ending in a full stop, also when it ends in a quote mark ('silly fuss')."""
    text = text.strip()
    return text if text.rstrip("'\"’”")[-1:] in ".!?" else text + "."


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


def credit_phrase(sources: Sequence[str]) -> str:
    """"from the BBC", "with reports from NDTV and Reuters", or "" with no outlet."""
    credit = credit_line(sources)
    if not credit:
        return ""
    return f"with reports from {credit}" if len(set(sources)) > 1 else f"from {credit}"


def spoken_headline(headline: str, people: dict[str, Person] | None = None) -> str:
    """A written headline as a presenter would say it in a rundown: without quote marks,
    "Campbell: E-mail row 'silly fuss'" as "Campbell says e-mail row silly fuss", a long
    two-part headline cut to its first part, ending in a full stop. Names are given in
    full later, by the same pass as the stories' sentences."""
    text = " ".join(_QUOTE_MARK.sub("", headline).split())
    speaker, colon, rest = text.partition(": ")
    if colon and speaker in (people or {}) and rest:
        text = f"{speaker} says {rest[0].lower() + rest[1:] if rest[1:2].islower() else rest}"
    elif colon and len(speaker.split()) >= 3:
        text = speaker
    return _sentence(text)


# Presenter lines: (with an outlet's credit, without one). Each group is chosen from
# by a stable hash of the date and story, never the same line twice running.
Choices = tuple[tuple[str, str], ...]
_FIRST: Choices = (("First, {credit}.", "First."), ("To begin, {credit}.", "To begin."),
          ("Our first story, {credit}.", "Our first story."))
_ONLY: Choices = (("Today's story, {credit}.", "Today's story."),)
_UNRELATED: Choices = (("Next, {credit}.", "Next."), ("In other news, {credit}.", "In other news."),
              ("Now to another story, {credit}.", "Now to another story."),
              ("Turning to other news, {credit}.", "Turning to other news."),
              ("Elsewhere in the news, {credit}.", "Elsewhere in the news."))
_RELATED: Choices = (("Staying with that subject, {credit}.", "Staying with that subject."),
            ("Also on that subject, {credit}.", "Also on that subject."),
            ("Meanwhile, {credit}.", "Meanwhile."))
_LAST: Choices = (("And finally, {credit}.", "And finally."), ("Finally today, {credit}.", "Finally today."),
         ("And our last story, {credit}.", "And our last story."))
_RUNDOWN = ("Coming up:", "In this briefing:", "Here are the top stories:")
# Handovers between two presenters: said by the one finishing a story, or, as a
# thank-you, by the one starting the next. Short, and never a fact.
_HANDOVERS = ("Over to {next}.", "{next}.", "Here's {next}.", "{next} has our next story.",
              "{next}, over to you.", "Thanks, {previous}.", "Thank you, {previous}.")


def _stable_hash(*key: object) -> int:
    return int.from_bytes(hashlib.sha256("\0".join(map(str, key)).encode()).digest()[:4], "big")


def _stable_choice(options: Sequence, *key: object) -> int:
    return _stable_hash(*key) % len(options)


class Lines:
    """Every line the presenter adds around the stories, worded in one place.

    Each group of lines is used in an order shuffled by a stable hash of the date and
    the first headline, through all its lines before any comes again, so lines vary
    from day to day and within an episode, and the same stories and date give the
    same lines. A later presenter per story, or handover lines, belong here too.
    """

    def __init__(self, day: date):
        self.day = day
        self._used: dict[int, int] = {}
        self._seed = ""
        self._previous = ""
        self._previous_handover = -1

    def intro(self, story_count: int) -> str:
        return f"Here is your briefing for {spoken_date(self.day)}. {self.story_count(story_count)}"

    @staticmethod
    def story_count(story_count: int) -> str:
        stories = "one story" if story_count == 1 else f"{num2words(story_count)} stories"
        return f"Today, {stories}."

    def greeting(self, hosts: Sequence[Presenter], story_count: int) -> list[str]:
        """Two presenters' shared opening: one line each."""
        first, second = hosts
        return [f"Here is your briefing for {spoken_date(self.day)}. I'm {first.name}.",
                f"And I'm {second.name}. {self.story_count(story_count)}"]

    def handover(self, index: int, previous: Presenter, next_: Presenter) -> str:
        """The line that passes story `index` from one presenter to the other; it starts
        with "Thank" when the incoming presenter says it. Never the same twice running."""
        order = sorted(range(len(_HANDOVERS)), key=lambda i: _stable_hash(self.day, self._seed, "handover", i))
        pick = order[index % len(order)]
        if pick == self._previous_handover:
            pick = order[(index + 1) % len(order)]
        self._previous_handover = pick
        return _HANDOVERS[pick].format(next=next_.name, previous=previous.name)

    def sign_off(self, last: Presenter, other: Presenter) -> list[str]:
        """Two presenters' shared sign-off, begun by the one who read the last story."""
        return [f"That's your briefing for {spoken_date(self.day)}. I'm {last.name}.",
                f"And I'm {other.name}. Thanks for listening."]

    def rundown(self, headlines: Sequence[str]) -> str:
        """ "Coming up: A. B. And C." from spoken headlines."""
        opener = _RUNDOWN[_stable_choice(_RUNDOWN, self.day, *headlines)]
        items = [_sentence(h) for h in headlines]
        if len(items) > 1:
            items[-1] = f"And {items[-1]}"
        return f"{opener} {' '.join(items)}"

    def transition(self, index: int, count: int, story: Story | RankedStory, related: bool = False) -> str:
        """The words that open a story: where it sits in the briefing, and its outlets."""
        if count == 1:
            group = _ONLY
        elif index == 0:
            group = _FIRST
        elif index == count - 1:
            group = _LAST
        else:
            group = _RELATED if related else _UNRELATED
        credit = credit_phrase(story.sources)
        if index == 0 or not self._seed:
            self._seed = story.headline
        order = sorted(range(len(group)), key=lambda i: _stable_hash(self.day, self._seed, group[i][1]))
        turn = self._used.get(id(group), 0)
        self._used[id(group)] = turn + 1
        line = group[order[turn % len(group)]][0 if credit else 1].format(credit=credit)
        if line.split(",")[0] == self._previous.split(",")[0] and len(group) > 1:
            line = group[order[(turn + 1) % len(group)]][0 if credit else 1].format(credit=credit)
        if story.update_of is not None:
            line = update_line(line, credit, story.update_of.date)
        self._previous = line
        return line

    def outro(self) -> str:
        return f"That's your briefing for {spoken_date(self.day)}. Thanks for listening."


def update_line(line: str, credit: str, earlier: date) -> str:
    """A transition for a story that updates an earlier episode's: "Next, an update from
    the BBC on our story of November 25th." (memory.py decides what is an update)."""
    opener = re.split(r"[,.]", line, maxsplit=1)[0]
    month_day = spoken_date(earlier).split(", ", 1)[1]
    return " ".join(f"{opener}, an update {credit} on our story of {month_day}.".split())


def estimate_ms(text: str, chars_per_second: float) -> int:
    """Rough speaking time of `text`, to plan the episode before any audio exists."""
    return int(len(normalize_for_speech(text)) / chars_per_second * 1000)


def allocate(
    stories: Sequence[RankedStory], target_ms: int | None, chars_per_second: float, *, default_sentences: int = 3
) -> list[Story]:
    """Choose each story's sentences so the whole script lasts about `target_ms`.

    Every story that fits gets the sentence that states its news; then stories
    take turns adding their next-best unit (a sentence with what it leans on,
    see edit.py) while that brings the total closer to the target. A unit that
    cannot be followed, or retells a fact heard anywhere in the episode, is
    passed over. Without a target, each story gets about `default_sentences`.
    Chosen sentences are returned in reading (article) order.
    """
    editors = [StoryEditor(s) for s in stories if s.ranked]
    editors = [e for e in editors if e.opening()]
    heard: list[str] = []
    day = date(2000, 1, 1)
    lines = Lines(day)
    sentence_ms = lambda text: estimate_ms(text, chars_per_second) + PAUSE_AFTER_SENTENCE_MS  # noqa: E731
    total = estimate_ms(lines.intro(len(editors)) + lines.outro(), chars_per_second) + STORY_GAP_MS
    if len(editors) >= RUNDOWN_MIN_STORIES:
        headlines = [spoken_headline(e.story.headline) for e in editors[:RUNDOWN_STORIES]]
        total += estimate_ms(lines.rundown(headlines), chars_per_second) + STORY_GAP_MS
    for i, editor in enumerate(editors):
        unit = editor.opening()
        cost = estimate_ms(lines.transition(i, len(editors), editor.story), chars_per_second)
        cost += PAUSE_AFTER_TRANSITION_MS + STORY_GAP_MS - PAUSE_AFTER_SENTENCE_MS
        cost += sum(sentence_ms(t) for t in editor.text(unit))
        if target_ms is not None and i > 0 and total + cost > target_ms:
            continue
        editor.take(unit)
        heard.extend(editor.text(unit))
        total += cost
    active = [e for e in editors if e.chosen]
    growing = list(active)
    while growing:
        for editor in list(growing):
            for _ in range(editor.story.share):  # an included topic takes two units a round (topics.py)
                next_unit = editor.next_unit(heard)
                if next_unit is None:
                    growing.remove(editor)
                    break
                texts = editor.text(next_unit)
                cost = sum(sentence_ms(t) for t in texts)
                if target_ms is None:
                    fits = len(editor.chosen) < default_sentences * editor.story.share
                else:
                    fits = abs(target_ms - (total + cost)) < abs(target_ms - total)
                if not fits:
                    growing.remove(editor)
                    break
                editor.take(next_unit)
                heard.extend(texts)
                total += cost
    return [e.result() for e in active]


def _segment(kind: str, display: str, pause_after_ms: int, story_index: int | None = None,
             keep: Collection[str] = (), speaker: str = "") -> Segment:
    """`keep`: words the normalizer leaves as written, for the voice's lexicon to say."""
    return Segment(kind=kind, text=normalize_for_speech(display, keep=keep), display=display,
                   pause_after_ms=pause_after_ms, story_index=story_index, speaker=speaker)


def _story_people(story: Story) -> dict[str, Person]:
    return find_people([s for a in story.articles for s in split_sentences(a.text)]) if story.articles else {}


def _related(a: Story, b: Story) -> bool:
    """Do two stories share a subject, by the cosine of their content words?"""
    x = Counter(t for s in (a.headline, *a.sentences) for t in content_terms(s))
    y = Counter(t for s in (b.headline, *b.sentences) for t in content_terms(s))
    dot = sum(x[t] * y[t] for t in x)
    norm = math.sqrt(sum(v * v for v in x.values()) * sum(v * v for v in y.values()))
    return bool(norm) and dot / norm >= RELATED_SIMILARITY


def write_script(stories: Sequence[Story], day: date, *, keep: Collection[str] = (),
                 hosts: Sequence[Presenter] = ()) -> Script:
    """The full spoken script for these stories, in this order.

    Story.sentences in the result are the sentences as read, people named in full.
    Words in `keep` (the voice's lexicon) are not rewritten by the normalizer.
    With two `hosts`, story i is read by hosts[i % 2] (see the module docstring)."""
    lines = Lines(day)
    people = [_story_people(story) for story in stories]
    rundown = ""
    if len(stories) >= RUNDOWN_MIN_STORIES:
        shown = range(RUNDOWN_STORIES)
        headlines = name_in_full((spoken_headline(stories[i].headline, people[i]), people[i]) for i in shown)
        rundown = lines.rundown(headlines)
    # Everything heard, in order, so each person is named in full the first time.
    passages = [(rundown, {k: v for p in people[:RUNDOWN_STORIES] for k, v in p.items()})] if rundown else []
    passages += [(sentence, people[i]) for i, story in enumerate(stories) for sentence in story.sentences]
    told = iter(name_in_full(passages)[1 if rundown else 0:])
    told_stories = [
        Story(headline=s.headline, sentences=tuple(next(told) for _ in s.sentences), sources=s.sources,
              urls=s.urls, published=s.published, articles=s.articles, update_of=s.update_of)
        for s in stories
    ]
    if len(hosts) == 2:
        segments = _two_presenters(told_stories, rundown, lines, (hosts[0], hosts[1]), keep)
    else:
        segments = _one_presenter(told_stories, rundown, lines, hosts[0].voice if hosts else "", keep)
    return Script(
        title=f"News briefing for {spoken_date(day)}, {day.year}",
        date=day,
        segments=tuple(segments),
        stories=tuple(told_stories),
        hosts=tuple(hosts),
    )


def _story_segments(stories: Sequence[Story], i: int, lines: Lines, keep: Collection[str],
                    speaker: str) -> list[Segment]:
    """Story i: its transition, then its sentences."""
    story = stories[i]
    related = i > 0 and _related(stories[i - 1], story)
    segments = [_segment("transition", lines.transition(i, len(stories), story, related),
                         PAUSE_AFTER_TRANSITION_MS, i, keep, speaker)]
    for j, sentence in enumerate(story.sentences):
        pause = STORY_GAP_MS if j == len(story.sentences) - 1 else PAUSE_AFTER_SENTENCE_MS
        segments.append(_segment("sentence", sentence, pause, i, keep, speaker))
    return segments


def _one_presenter(stories: Sequence[Story], rundown: str, lines: Lines, voice: str,
                   keep: Collection[str]) -> list[Segment]:
    segments = [_segment("intro", lines.intro(len(stories)), STORY_GAP_MS, keep=keep, speaker=voice)]
    if rundown:
        segments.append(_segment("rundown", rundown, STORY_GAP_MS, keep=keep, speaker=voice))
    for i in range(len(stories)):
        segments += _story_segments(stories, i, lines, keep, voice)
    segments.append(_segment("outro", lines.outro(), 0, keep=keep, speaker=voice))
    return segments


def _two_presenters(stories: Sequence[Story], rundown: str, lines: Lines, hosts: tuple[Presenter, Presenter],
                    keep: Collection[str]) -> list[Segment]:
    """Greeting shared, the rundown by the second presenter, stories in turn with a
    handover at each change, sign-off shared."""
    first, second = hosts
    hello, reply = lines.greeting(hosts, len(stories))
    segments = [_segment("intro", hello, PAUSE_AFTER_SENTENCE_MS, keep=keep, speaker=first.voice),
                _segment("intro", reply, STORY_GAP_MS, keep=keep, speaker=second.voice)]
    if rundown:
        segments.append(_segment("rundown", rundown, STORY_GAP_MS, keep=keep, speaker=second.voice))
    for i in range(len(stories)):
        reader, previous = hosts[i % 2], hosts[(i + 1) % 2]
        if i > 0:
            line = lines.handover(i, previous, reader)
            # Said by the incoming presenter when it thanks the other, else by the outgoing one;
            # between stories, so neither story's clip holds it.
            said_by = reader if line.startswith("Thank") else previous
            segments.append(_segment("handover", line, PAUSE_AFTER_TRANSITION_MS, keep=keep, speaker=said_by.voice))
        segments += _story_segments(stories, i, lines, keep, reader.voice)
    last, other = hosts[(len(stories) - 1) % 2], hosts[len(stories) % 2]
    goodbye, reply = lines.sign_off(last, other)
    segments += [_segment("outro", goodbye, PAUSE_AFTER_SENTENCE_MS, keep=keep, speaker=last.voice),
                 _segment("outro", reply, 0, keep=keep, speaker=other.voice)]
    return segments
