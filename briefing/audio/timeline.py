"""Where things sit in the finished episode: the stories' spans and clips, and cues moved to
the encoded file's own timeline (a chunk encoded apart starts a little later, encode.py)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from ..episodes import CLIPS_FOLDER
from ..models import Cue, Script, StoryTiming


def story_ends(script: Script) -> set[int]:
    """The segments that end a story another story follows: the pauses after them are between stories."""
    stories = [segment.story_index for segment in script.segments]
    return {i for i, story in enumerate(stories[:-1])
            if story is not None and stories[i + 1] != story and any(s is not None for s in stories[i + 1:])}


def story_timings(script: Script, cues: Sequence[Cue]) -> list[StoryTiming]:
    """Where each story sits in the episode, its clip's name, and who read it."""
    readers = {s.story_index: s.speaker for s in script.segments if s.kind == "sentence"}
    first_host = script.hosts[0].voice if script.hosts else None
    timings = []
    for index, story in enumerate(script.stories):
        own = [cue for cue in cues if cue.story_index == index]
        clip = f"{CLIPS_FOLDER}/{index + 1:02d}-{slug(story.headline)}.mp3"
        timings.append(StoryTiming(story=story, start_s=own[0].start_s, end_s=own[-1].end_s, clip=clip,
                                   host=readers.get(index) or first_host))
    return timings


def slug(text: str, max_words: int = 6) -> str:
    """A file-name-safe slug: 'Putin aims to strengthen...' -> 'putin-aims-to-strengthen'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())[:max_words]
    return "-".join(words) or "story"


def shifted(cue: Cue, seconds: float) -> Cue:
    """The cue, and each of its words, `seconds` later."""
    if not seconds:
        return cue
    start, end = round(cue.start_s + seconds, 3), round(cue.end_s + seconds, 3)
    words = tuple(replace(w, start_s=min(max(round(w.start_s + seconds, 3), start), end),
                          end_s=min(max(round(w.end_s + seconds, 3), start), end)) for w in cue.words)
    return replace(cue, start_s=start, end_s=end, words=words)
