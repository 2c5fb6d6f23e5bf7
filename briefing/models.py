"""The small frozen dataclasses passed between pipeline stages.

Each stage takes these in and gives these out; nothing else crosses a module
border. JSON appears only at the edges (manifest, --json, feed).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path


@dataclass(frozen=True)
class Article:
    """One news article as ingest found it, cleaned of page and aggregator noise."""

    title: str
    text: str
    source: str | None = None
    """The outlet's name, for attribution ("NDTV")."""
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    origin: str = ""
    """The input this came from (path, URL or feed), for messages."""

    @property
    def published_utc(self) -> datetime | None:
        """The publication time with a zone: a date without one (text files, some feeds) is taken as UTC,
        so that every date compares."""
        if self.published is None or self.published.tzinfo is not None:
            return self.published
        return self.published.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class InputFailure:
    """An input that could not be used, and why, in words a user can act on."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class CapNote(InputFailure):
    """A safety cap cut something (a feed's older entries, a run's extra pages): said in
    one line, but not a failure of any input, so it does not change the exit code."""


@dataclass(frozen=True)
class IngestResult:
    articles: tuple[Article, ...]
    failures: tuple[InputFailure, ...] = ()
    notes: tuple[CapNote, ...] = ()


@dataclass(frozen=True)
class EarlierStory:
    """A story as an earlier episode of the same library told it (plan/memory.py)."""

    episode: str
    """The earlier episode's id."""
    date: date
    headline: str


@dataclass(frozen=True)
class SkippedStory:
    """A story left out on purpose: on an excluded topic, or told in an earlier episode."""

    headline: str
    topic: str | None = None
    """The excluded topic it matched."""
    told_in: EarlierStory | None = None
    """The earlier episode that told it, with nothing new since."""


@dataclass(frozen=True)
class RankedSentence:
    """A sentence of an article with its rank score; `position` keeps reading order."""

    text: str
    position: int
    score: float


@dataclass(frozen=True)
class RankedStory:
    """A story before the script trims it: every readable sentence, best first."""

    headline: str
    ranked: tuple[RankedSentence, ...]
    sources: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    published: datetime | None = None
    articles: tuple[Article, ...] = ()
    sentences: tuple[str | None, ...] = ()
    """Every sentence of the story's articles in reading order (what `position` indexes),
    so the script can read a sentence with the one it leans on; empty if not known.
    None stands for a sentence not to be read (told in an earlier episode, memory.py)."""
    starts: tuple[int, ...] = (0,)
    """Where each article begins in `sentences`."""
    update_of: EarlierStory | None = None
    """The earlier episode's story this one brings new facts to (plan/memory.py); None if new."""
    share: int = 1
    """Sentences the story takes per round of allocation: 2 for an included topic (plan/topics.py)."""


@dataclass(frozen=True)
class Alternate:
    """A sentence the ranker rated but the script does not read, for an editor to swap in."""

    rank: int
    """Its place in the ranker's order for its story: 1 is the best sentence."""
    text: str


@dataclass(frozen=True)
class Story:
    """What the briefing says about one event: headline, chosen sentences, credits."""

    headline: str
    sentences: tuple[str, ...]
    sources: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    published: datetime | None = None
    articles: tuple[Article, ...] = ()
    """Every article grouped into this story (several outlets, or one)."""
    update_of: EarlierStory | None = None
    """The earlier episode's story this one brings new facts to; None if it is new."""
    alternates: tuple[Alternate, ...] = ()
    """The ranker's next-best sentences not read, best first (shown to an editor; never read)."""


@dataclass(frozen=True)
class LeftOutStory:
    """A story the script does not read, kept whole so an editor can bring it back."""

    story: Story
    """Its sentences as they would be read on their own."""
    reason: str = "time"
    """time (it did not fit), topic (an excluded topic), told (told before, nothing new) or editor."""
    topic: str | None = None
    told_in: EarlierStory | None = None


@dataclass(frozen=True)
class Segment:
    """One piece of the spoken script, synthesized as one audio clip.

    `text` is what the voice reads (normalized for the ear); `display` is what
    the transcript shows.
    """

    kind: str
    """intro, rundown, transition, sentence, handover or outro (a headline is not read:
    stories open on their lead)."""
    text: str
    display: str
    pause_after_ms: int
    story_index: int | None = None
    speaker: str = ""
    """The voice profile that reads it; "" for the episode's first presenter."""


@dataclass(frozen=True)
class Presenter:
    """Who reads: a voice profile, and the name the presenters call each other by."""

    voice: str
    name: str


@dataclass(frozen=True)
class Script:
    title: str
    date: date
    segments: tuple[Segment, ...]
    stories: tuple[Story, ...]
    hosts: tuple[Presenter, ...] = ()
    """The presenters, in order; one for a solo briefing. Stories take turns by story."""
    left_out: tuple[LeftOutStory, ...] = ()
    """Stories not read (for time, by topic, told before, or cut by an editor), for the editor."""
    target_minutes: float | None = None
    """The length the script was planned for; an edited script is as long as it is."""


@dataclass(frozen=True)
class Voice:
    """A voice profile from voices/*.toml."""

    name: str
    engine: str
    """piper or gtts."""
    description: str = ""
    settings: tuple[tuple[str, object], ...] = ()
    """Engine settings as sorted pairs, so a Voice is hashable and cache keys are stable."""
    presenter: str = ""
    """The name this voice goes by as a presenter ("Joe"); the profile name, capitalized, if unset."""

    def setting(self, key: str, default: object = None) -> object:
        return dict(self.settings).get(key, default)

    @property
    def presenter_name(self) -> str:
        return self.presenter or self.name.replace("-", " ").title()


@dataclass(frozen=True)
class Clip:
    """Synthesized audio for one segment: a cached WAV file and its length."""

    segment: Segment
    path: str
    duration_ms: int
    cached: bool = False


@dataclass(frozen=True)
class TimedWord:
    """A word and when it is spoken: within its segment's audio as an engine reports it,
    or within the episode once assembled (speech/timing.py)."""

    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Cue:
    """A transcript cue: one spoken segment's text and its time in the final MP3."""

    start_s: float
    end_s: float
    text: str
    story_index: int | None = None
    speaker: str | None = None
    """The presenter's name, in a briefing with two (WebVTT voice spans)."""
    words: tuple[TimedWord, ...] = ()
    """Each word of `text` as written, timed in the episode (transcript.json, the page)."""


@dataclass(frozen=True)
class StoryTiming:
    story: Story
    start_s: float
    end_s: float
    clip: str | None = None
    host: str | None = None
    """The voice that read the story."""


@dataclass(frozen=True)
class Rendition:
    """The episode encoded again for listeners with other rules: Amazon's Alexa (audio/rendition.py).
    File names are relative to the episode's folder; `clips` has one per story, None where missing."""

    file: str
    bytes: int
    bitrate_kbps: int
    loudness_lufs: float
    true_peak_dbtp: float
    clips: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class Episode:
    """A finished episode on disk, as its manifest (episode.json) describes it.

    File names (`transcript_text`, `transcript_vtt`, each story's `clip`) are
    relative to `folder`; None where the folder lacks the file.
    """

    id: str
    title: str
    date: date
    folder: str
    audio_path: str
    duration_s: float
    voice: str
    stories: tuple[StoryTiming, ...]
    cues: tuple[Cue, ...] = ()
    """Transcript cues; only known right after assembly (publishing reads the VTT)."""
    loudness_lufs: float | None = None
    true_peak_dbtp: float | None = None
    failures: tuple[InputFailure, ...] = ()
    created: datetime | None = None
    audio_bytes: int = 0
    """Size of the MP3 on disk, for the feed's enclosure length."""
    transcript_text: str | None = None
    transcript_vtt: str | None = None
    transcript_json: str | None = None
    """The Podcasting 2.0 JSON transcript, timed word by word."""
    left_out: tuple[str, ...] = ()
    """Headlines of stories left out for time."""
    hosts: tuple[Presenter, ...] = ()
    """The presenters, in order (one for a solo briefing)."""
    skipped: tuple[SkippedStory, ...] = ()
    """Stories left out on purpose: excluded topics, and stories told in an earlier episode."""
    alexa: Rendition | None = None
    """The rendition for smart speakers (Alexa's flash briefing), if the episode has one."""

    @property
    def audio_file(self) -> str:
        return Path(self.audio_path).name

    def path(self, relative: str) -> Path:
        return Path(self.folder) / relative

    def with_files(self, *, audio_bytes: int, transcript_text: str | None, transcript_vtt: str | None,
                   clips: Sequence[str | None], transcript_json: str | None = None) -> Episode:
        return replace(
            self, audio_bytes=audio_bytes, transcript_text=transcript_text, transcript_vtt=transcript_vtt,
            transcript_json=transcript_json,
            stories=tuple(replace(t, clip=clip) for t, clip in zip(self.stories, clips)),
        )


@dataclass(frozen=True)
class Channel:
    """The podcast as a whole: what a podcast app shows on the show's page."""

    title: str = "News Briefing"
    description: str = "A short spoken briefing of the day's news, made from articles on your own machine."
    language: str = "en"
    author: str = "briefing"
    email: str | None = None
    """Owner contact (itunes:owner). Apple asks for it before listing a show; optional for private feeds."""
    explicit: bool = False
    category: str = "News"
    """An Apple Podcasts category name (https://podcasters.apple.com/support/1691-apple-podcasts-categories)."""
    link: str | None = None
    """The show's web page; defaults to the published index.html."""
    alexa: str = "episode"
    """What alexa.json (a smart speaker's flash briefing) lists: each episode whole ("episode"; one
    longer than the 10 minutes Alexa plays is listed story by story) or each story ("stories")."""
    update_frequency: str | None = None
    """How often a new episode comes (podcast:updateFrequency): "daily", "weekdays", "weekly" or an
    RFC 5545 rule ("FREQ=..."); None says nothing (a library made by hand)."""
