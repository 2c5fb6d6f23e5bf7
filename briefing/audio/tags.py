"""ID3 tags for the episode's MP3 (with a chapter per story) and for each story's clip, written by mutagen."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..episodes import AUDIO
from ..models import Script, StoryTiming


def _tag(path: Path, *, title: str, album: str, day: str, comment: str, chapters: Sequence[StoryTiming] = (),
         duration_s: float = 0.0, artists: Sequence[str] = ("briefing",)) -> None:
    from mutagen.id3 import CHAP, COMM, CTOC, ID3, TALB, TCON, TDRC, TIT2, TPE1, CTOCFlags

    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TPE1(encoding=3, text=list(artists)))
    tags.add(TALB(encoding=3, text=album))
    tags.add(TDRC(encoding=3, text=day))
    tags.add(TCON(encoding=3, text="Podcast"))
    tags.add(COMM(encoding=3, lang="eng", desc="", text=comment))
    if chapters:
        ids = [f"chp{i}" for i in range(len(chapters))]
        tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                      sub_frames=[TIT2(encoding=3, text="Stories")]))
        for i, (element, timing) in enumerate(zip(ids, chapters)):
            end = chapters[i + 1].start_s if i + 1 < len(chapters) else duration_s
            tags.add(CHAP(element_id=element, start_time=int(timing.start_s * 1000), end_time=int(end * 1000),
                          sub_frames=[TIT2(encoding=3, text=timing.story.headline)]))
    tags.save(str(path), v2_version=4)


def tag_episode(folder: Path, script: Script, timings: Sequence[StoryTiming], duration_s: float) -> None:
    """ID3 tags for the full MP3 (with chapters) and for each story's clip. Two presenters
    are both credited as artists (ID3v2.4 keeps several values in one TPE1 frame)."""
    story_list = "; ".join(f"{i + 1}. {t.story.headline}" for i, t in enumerate(timings))
    names = {host.voice: host.name for host in script.hosts}
    artists = tuple(names.values()) if len(names) > 1 else ("briefing",)
    _tag(folder / AUDIO, title=script.title, album="News Briefing", day=script.date.isoformat(),
         comment=story_list, chapters=timings, duration_s=duration_s, artists=artists)
    for i, timing in enumerate(timings):
        if timing.clip:
            reader = (names[timing.host],) if len(names) > 1 and timing.host in names else artists
            _tag(folder / timing.clip, title=timing.story.headline, album=script.title, day=script.date.isoformat(),
                 comment=f"Story {i + 1} of {script.title}", artists=reader)
