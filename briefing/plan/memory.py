"""Memory: what earlier episodes of a library told, so a daily show does not tell it again.

The library keeps a small file, `memory.json`, beside its feed: for each story
an episode told, the episode, its date and headline, its articles' URLs,
headlines and leads, the sentences it read, and a short hash of every
sentence of its articles. Episode folders may be retired (`--keep`); the
memory is not. It holds the last MEMORY_DAYS days and at most MEMORY_STORIES
stories, and is written atomically (files.py).

A story of today's run was told before when it shares an article URL with a
remembered story, or reports the same event: group.py's test, the average
TF-IDF cosine of headline and lead above SAME_EVENT_SIMILARITY. Of such a
story only new facts are read: sentences that appeared in none of the
remembered story's articles and repeat none of the sentences it read (cosine
of content words at the ranker's `duplicate_similarity`, the project's "same
fact", unless the sentence brings NEW_WORDS content words the earlier telling
never used). With none left it is skipped; otherwise it becomes an update of
the latest remembered telling, made of its new articles only; sentences told
before stay in it as unavailable, so nothing that leans on them is read.

Only episodes dated before today's count, so a re-run of the same day makes the
same episode. This module does not rank, group or allocate.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from ..errors import BriefingError
from ..files import write_json_atomic
from ..models import Article, EarlierStory, RankedStory, SkippedStory, Story
from .group import SAME_EVENT_SIMILARITY, event_similarities
from .rank import DEFAULT_SETTINGS, Ranker
from .sentences import split_sentences
from .words import lead

MEMORY_FILE = "memory.json"
MEMORY_VERSION = 1
MEMORY_DAYS = 30
"""A story older than this is forgotten: feeds rarely list anything that old."""
MEMORY_STORIES = 1000
"""A hard cap, for libraries that publish many episodes a day. Matching 40 stories against
a full memory takes 2-3 s on two cores (all pairs of headline+lead, group.py), against a
month of a 10-story show (300 stories, about 0.4 MB) under 1 s: bench/memory.py."""
NEW_WORDS = 2
"""A sentence close to one told before (the ranker's "same fact", cosine 0.55) is still news
if it brings this many content words the earlier telling never used: "crossings resumed on
Wednesday" after "crossings were cancelled on Tuesday" (cosine 0.78) is news; "hospital
appointments" after "the hospital" (cosine 0.95) is not."""
HASH_CHARS = 12
"""48 bits of SHA-1 per sentence: a chance collision in a month of news is negligible."""


class MemoryFileError(BriefingError):
    """The memory file cannot be read; the run goes on as if nothing had been told."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class RememberedArticle:
    title: str
    lead: str
    """The article's first LEAD_WORDS words, which name its event (group.py)."""
    url: str | None = None


@dataclass(frozen=True)
class RememberedStory:
    """One story as an episode told it."""

    episode: str
    date: date
    headline: str
    articles: tuple[RememberedArticle, ...]
    told: tuple[str, ...]
    """The sentences the episode read."""
    seen: frozenset[str]
    """Hashes of every sentence of its articles, read or not (one string in the file)."""

    @property
    def earlier(self) -> EarlierStory:
        return EarlierStory(self.episode, self.date, self.headline)

    @property
    def urls(self) -> set[str]:
        return {a.url for a in self.articles if a.url}


def sentence_hash(sentence: str) -> str:
    """A sentence's identity whatever its spacing and case."""
    return hashlib.sha1(" ".join(sentence.lower().split()).encode()).hexdigest()[:HASH_CHARS]


@dataclass(frozen=True)
class Memory:
    """The stories a library's episodes told, oldest first."""

    stories: tuple[RememberedStory, ...] = ()

    def before(self, day: date) -> Memory:
        """Only what episodes dated before `day` told."""
        return Memory(tuple(s for s in self.stories if s.date < day))

    def remember(self, episode: str, day: date, told: Iterable[Story]) -> Memory:
        """This memory plus what `episode` told (replacing an earlier record of the same episode),
        trimmed to the last MEMORY_DAYS days and MEMORY_STORIES stories."""
        added = tuple(
            RememberedStory(
                episode=episode,
                date=day,
                headline=story.headline,
                articles=tuple(RememberedArticle(a.title, lead(a.text), a.url) for a in story.articles),
                told=story.sentences,
                seen=frozenset(sentence_hash(s) for a in story.articles if a.text for s in split_sentences(a.text))
                | {sentence_hash(s) for s in story.sentences},  # a story read from a script has no articles
            )
            for story in told
        )
        stories = [s for s in self.stories if s.episode != episode] + list(added)
        newest = max((s.date for s in stories), default=day)
        stories = [s for s in stories if s.date > newest - timedelta(days=MEMORY_DAYS)]
        stories.sort(key=lambda s: s.date)
        return Memory(tuple(stories[-MEMORY_STORIES:]))

    def recall(
        self, stories: Sequence[RankedStory], ranker: Ranker | None = None
    ) -> tuple[list[RankedStory], list[SkippedStory]]:
        """Today's stories less what was told before: new stories as they are, updates with
        only their new facts, and the stories with nothing new, skipped."""
        if not self.stories or not stories:
            return list(stories), []
        ranker = ranker or Ranker()
        matches = self._matches(stories)
        kept: list[RankedStory] = []
        skipped: list[SkippedStory] = []
        for story, earlier in zip(stories, matches):
            if not earlier:
                kept.append(story)
                continue
            update = _update(story, earlier, ranker)
            if update is None:
                skipped.append(SkippedStory(story.headline, told_in=earlier[-1].earlier))
            else:
                kept.append(update)
        return kept, skipped

    def _matches(self, stories: Sequence[RankedStory]) -> list[list[RememberedStory]]:
        """For each story, the remembered stories it retells (same URL or same event), oldest first."""
        today = [list(s.articles) or [Article(s.headline, " ".join(r.text for r in s.ranked))] for s in stories]
        remembered = [[Article(a.title, a.lead) for a in r.articles] or [Article(r.headline, " ".join(r.told))]
                      for r in self.stories]
        everything = [a for group in (*today, *remembered) for a in group]
        owner = [i for i, group in enumerate((*today, *remembered)) for _ in group]
        links: dict[tuple[int, int], float] = {}
        for (a, b), similarity in event_similarities(everything).items():
            links[(owner[a], owner[b])] = links.get((owner[a], owner[b]), 0.0) + similarity
        sizes = [len(group) for group in (*today, *remembered)]
        matches = []
        for i, story in enumerate(stories):
            urls = {a.url for a in story.articles if a.url}
            found = []
            for j, old in enumerate(self.stories, start=len(today)):
                average = links.get((i, j), 0.0) / (sizes[i] * sizes[j])
                if urls & old.urls or average > SAME_EVENT_SIMILARITY:
                    found.append(old)
            matches.append(found)
        return matches


def _update(story: RankedStory, earlier: Sequence[RememberedStory], ranker: Ranker) -> RankedStory | None:
    """`story` as an update of `earlier`: only its articles with sentences not seen before, and
    of those only the sentences that tell something new; None if nothing is new.

    Sentences already told stay in the story as unavailable (None, see edit.py), so a new
    sentence that cannot be understood without one of them is not read either."""
    seen = frozenset().union(*(r.seen for r in earlier))
    told = [_vector(ranker, s) for r in earlier for s in r.told]
    heard = set().union(*told, *(ranker.terms(r.headline) for r in earlier))
    threshold = DEFAULT_SETTINGS.duplicate_similarity

    def is_new(sentence: str) -> bool:
        if sentence_hash(sentence) in seen:
            return False
        vector = _vector(ranker, sentence)
        if not any(_cosine(vector, old) >= threshold for old in told):
            return True
        return len(set(vector) - heard) >= NEW_WORDS

    if not story.sentences and not story.articles:
        ranked = tuple(r for r in story.ranked if is_new(r.text))
        return replace(story, ranked=ranked, update_of=earlier[-1].earlier) if ranked else None
    per_article = _article_sentences(story)
    old_starts = [sum(len(x) for x in per_article[:k]) for k in range(len(per_article))]
    fresh = [k for k, sentences in enumerate(per_article) if any(sentence_hash(s) not in seen for s in sentences)]
    sentences: list[str | None] = []
    starts: list[int] = []
    moved: dict[int, int] = {}
    for k in fresh:
        starts.append(len(sentences))
        for offset, sentence in enumerate(per_article[k]):
            moved[old_starts[k] + offset] = len(sentences)
            sentences.append(sentence if is_new(sentence) else None)
    ranked = tuple(replace(r, position=moved[r.position]) for r in story.ranked
                   if r.position in moved and sentences[moved[r.position]] is not None)
    if not ranked:
        return None
    articles = tuple(story.articles[k] for k in fresh if k < len(story.articles))
    if not articles:  # sentences known without their articles: keep the story's credits
        return replace(story, ranked=ranked, sentences=tuple(sentences), starts=tuple(starts),
                       update_of=earlier[-1].earlier)
    dated = [a.published for a in articles if a.published]
    return replace(
        story,
        headline=articles[0].title,
        ranked=ranked,
        sources=tuple(dict.fromkeys(a.source for a in articles if a.source)),
        urls=tuple(dict.fromkeys(a.url for a in articles if a.url)),
        published=max(dated) if dated else story.published,
        articles=articles,
        sentences=tuple(sentences),
        starts=tuple(starts),
        update_of=earlier[-1].earlier,
    )


def _article_sentences(story: RankedStory) -> list[list[str]]:
    """Each article's sentences, as ranking split them (what RankedSentence.position indexes)."""
    if story.sentences:
        bounds = [*story.starts, len(story.sentences)]
        return [[s or "" for s in story.sentences[a:b]] for a, b in pairwise(bounds)]
    return [split_sentences(a.text) for a in story.articles]


def _vector(ranker: Ranker, text: str) -> Counter[str]:
    return Counter(ranker.terms(text))


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b[term] for term, count in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


# The file.

def memory_path(output_dir: Path) -> Path:
    return Path(output_dir) / MEMORY_FILE


def load_memory(output_dir: Path) -> Memory:
    """The library's memory; empty if it has none. MemoryFileError says why a file cannot be read."""
    path = memory_path(output_dir)
    consequence = "stories told before may be told again; the file is rewritten after this episode"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Memory()
    except (OSError, ValueError) as error:
        raise MemoryFileError(path, f"cannot be read ({error}); {consequence}") from None
    try:
        if record.get("version") != MEMORY_VERSION:
            raise ValueError(f"version {record.get('version')!r}, expected {MEMORY_VERSION}")
        return Memory(tuple(_remembered(raw) for raw in record["stories"]))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise MemoryFileError(path, f"is not a memory file briefing can read ({error}); {consequence}") from None


def save_memory(output_dir: Path, memory: Memory) -> None:
    write_json_atomic(memory_path(output_dir), {
        "version": MEMORY_VERSION,
        "stories": [
            {
                "episode": s.episode,
                "date": s.date.isoformat(),
                "headline": s.headline,
                "articles": [{"title": a.title, "lead": a.lead, "url": a.url} for a in s.articles],
                "told": list(s.told),
                "seen": " ".join(sorted(s.seen)),
            }
            for s in memory.stories
        ],
    })


def _remembered(raw: dict) -> RememberedStory:
    return RememberedStory(
        episode=str(raw["episode"]),
        date=date.fromisoformat(raw["date"]),
        headline=str(raw["headline"]),
        articles=tuple(RememberedArticle(str(a["title"]), str(a["lead"]), a.get("url")) for a in raw["articles"]),
        told=tuple(str(s) for s in raw["told"]),
        seen=frozenset(str(raw["seen"]).split()),
    )
