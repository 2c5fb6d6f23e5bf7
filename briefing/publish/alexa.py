"""alexa.json: the library as a flash briefing feed for smart speakers ("Alexa, what's my flash briefing?").

The Flash Briefing Skill API's JSON feed format (Amazon's "Flash Briefing Skill
API Feed Reference"): a list of at most 5 items, newest first, each with a
`uid`, an `updateDate` (ISO 8601, UTC), a `titleText`, an empty `mainText`
(audio items), a `streamUrl` and a `redirectionUrl`. Amazon asks for audio of 10
seconds to 10 minutes per item, at 256 kbps, about -14 LUFS and a true peak of
at most -2 dBFS: each episode's Alexa rendition (audio/rendition.py) and its
story clips are made to those rules. A show lists each episode whole, or each of
its stories (Channel.alexa); an episode longer than 10 minutes is listed story
by story. Uids are derived from episode ids, so they stay the same however often
the feed is rewritten, and the stories of one episode are dated a second apart
(first story newest), so a speaker plays them in the episode's order. Episodes
made before renditions existed are left out.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..episodes import PAGE
from ..models import Episode
from .feed import episode_url

MAX_ITEMS = 5
"""Amazon: "Provide between 1 and 5 unique feed items at a time"; Alexa ignores the rest."""
SHORTEST_S, LONGEST_S = 10.0, 600.0
"""Amazon: audio content "must be at least ten seconds long" and "should not exceed 10 minutes"."""
MODES = ("episode", "stories")
UID_NAMESPACE = uuid.UUID("8d1c8b8e-5f3e-4c53-9a41-0d6c1b7f2a24")
"""Our UUIDv5 namespace for item uids (Amazon prefers UUIDs): fixed, so uids never change."""


@dataclass(frozen=True)
class AlexaItem:
    uid: str
    updated: datetime
    title: str
    stream_url: str
    page_url: str
    duration_s: float

    def record(self) -> dict[str, str]:
        """The item as Amazon's JSON feed spells it (its own examples write dates like 2016-04-10T00:00:00.0Z)."""
        return {
            "uid": self.uid,
            "updateDate": self.updated.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.0Z"),
            "titleText": self.title,
            "mainText": "",
            "streamUrl": self.stream_url,
            "redirectionUrl": self.page_url,
        }


def item_uid(episode: Episode, story: int | None = None) -> str:
    name = episode.id if story is None else f"{episode.id}/story/{story}"
    return f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, name)}"


def fits(duration_s: float) -> bool:
    return SHORTEST_S <= duration_s <= LONGEST_S


def episode_items(episode: Episode, mode: str, base_url: str) -> list[AlexaItem]:
    """The episode whole, or its stories (in "stories" mode, or when it is too long for one item);
    none if it has no rendition. Each story item runs from its start to the end of its clip."""
    rendition, created = episode.alexa, episode.created or datetime(1970, 1, 1, tzinfo=timezone.utc)
    if rendition is None:
        return []
    page = f"{base_url}{PAGE}#episode-{episode.id}"
    if mode == "episode" and episode.duration_s <= LONGEST_S:
        url = episode_url(base_url, episode, rendition.file)
        return [AlexaItem(item_uid(episode), created, episode.title, url, page, episode.duration_s)] \
            if fits(episode.duration_s) else []
    items = []
    for number, (timing, clip) in enumerate(zip(episode.stories, rendition.clips), start=1):
        length = timing.end_s - timing.start_s
        if clip and fits(length):
            items.append(AlexaItem(item_uid(episode, number), created - timedelta(seconds=number - 1),
                                   timing.story.headline, episode_url(base_url, episode, clip), page, length))
    return items


def falls_back(episode: Episode, mode: str) -> bool:
    """Whether a show that lists whole episodes lists this one story by story: it is too long."""
    return mode == "episode" and episode.alexa is not None and episode.duration_s > LONGEST_S


def alexa_items(episodes: list[Episode], mode: str, base_url: str) -> list[AlexaItem]:
    """At most MAX_ITEMS items, newest first, from the library's episodes (newest first)."""
    items: list[AlexaItem] = []
    for episode in episodes:
        if len(items) >= MAX_ITEMS:
            break
        items += episode_items(episode, mode, base_url)
    return sorted(items, key=lambda item: item.updated, reverse=True)[:MAX_ITEMS]


def render_alexa(episodes: list[Episode], *, mode: str, base_url: str) -> bytes:
    """alexa.json's bytes: the items of `episodes` (newest first) with URLs under `base_url`."""
    records = [item.record() for item in alexa_items(episodes, mode, base_url)]
    return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
