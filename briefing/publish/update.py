"""Publish the episode library: retire old episodes, then rewrite what all episodes share.

`output/episodes/<id>/` folders are made by assembly and read back through
briefing/episodes.py; this module (re)writes `feed.xml`, `alexa.json`, `index.html`,
`cover.png`, `static/` and each episode's `chapters.json`. It never touches
audio, transcripts or manifests (except deleting whole episode folders for
`--keep`). Every file is written atomically (files.py), so a podcast app or
browser never sees half a feed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree

from ..episodes import (
    ALEXA_FEED,
    CHAPTERS,
    COVER,
    FEED,
    PAGE,
    STATIC_FOLDER,
    delete_episode,
    library_lock,
    load_episodes,
    scan_library,
)
from ..errors import BriefingError
from ..files import write_atomic
from ..models import Channel, Episode, InputFailure
from .alexa import falls_back, render_alexa
from .cover import cover_file_name, drawn_title, render_cover
from .feed import render_feed
from .page import render_page

LOCAL_BASE_URL = "http://127.0.0.1:8000/"
"""Where `briefing serve` listens by default; the feed's URLs use it when no base URL is given."""

CHAPTERS_VERSION = "1.2.0"
"""Podcasting 2.0 JSON chapters format version (podcast-namespace/chapters/jsonChapters.md)."""


@dataclass(frozen=True)
class PublishResult:
    """What publish_library wrote, for the CLI to report."""

    base_url: str
    feed_path: Path
    page_path: Path
    cover_path: Path
    episodes: tuple[str, ...]
    """Ids of the published episodes, newest first."""
    retired: tuple[str, ...] = ()
    """Ids of episodes deleted because of --keep."""
    skipped: tuple[InputFailure, ...] = ()
    """Episode folders left out of the feed, and why."""
    alexa_by_story: tuple[str, ...] = ()
    """Ids of episodes alexa.json lists story by story although the show lists whole episodes:
    they are longer than the 10 minutes Alexa plays of one item."""

    @property
    def feed_url(self) -> str:
        return self.base_url + FEED

    @property
    def page_url(self) -> str:
        return self.base_url + PAGE


def normalize_base_url(base_url: str | None) -> str:
    """The absolute URL that `output/` is served at, ending in a slash.

    Without one, the local server's address (http://127.0.0.1:8000/) is used,
    so the feed works with `briefing serve` as it comes.
    """
    url = (base_url or LOCAL_BASE_URL).strip()
    if not url.startswith(("http://", "https://")):
        raise BriefingError(
            f"The base URL {url!r} is not an http(s) URL; give the address output/ is served at, "
            "like https://example.com/briefing/."
        )
    return url if url.endswith("/") else url + "/"


def read_feed_base_url(output_dir: Path) -> str | None:
    """The base URL an existing feed.xml was published for (from its atom:link rel="self"), if any."""
    try:
        tree = ElementTree.parse(Path(output_dir) / FEED)
    except (OSError, ElementTree.ParseError):
        return None
    for link in tree.iter("{http://www.w3.org/2005/Atom}link"):
        href = link.get("href") or ""
        if link.get("rel") == "self" and href.endswith(FEED):
            return href[: -len(FEED)]
    return None


def retire_episodes(output_dir: Path, keep: int) -> tuple[str, ...]:
    """Delete the oldest episode folders beyond the newest `keep`; return their ids.

    Only folders with a valid manifest count and are ever deleted, so a
    half-written episode of a running `generate` is left alone.
    """
    if keep < 1:
        raise BriefingError(f"--keep {keep} would delete every episode; give 1 or more.")
    retired = []
    for episode in load_episodes(output_dir)[keep:]:
        delete_episode(episode)
        retired.append(episode.id)
    return tuple(retired)


def publish_library(
    output_dir: Path,
    *,
    base_url: str | None = None,
    keep: int | None = None,
    channel: Channel = Channel(),
    cover: Path | None = None,
) -> PublishResult:
    """Retire old episodes, then rewrite cover, chapters, static assets, feed and page.

    `base_url` is where `output_dir` is served; the feed needs absolute URLs.
    Without it the feed points at http://127.0.0.1:8000/, which is what
    `briefing serve` serves by default. The page itself uses relative links
    and works from any address. `cover`, a square PNG or JPEG, is copied in as
    the show's cover; without it one is drawn from the channel's title.
    """
    output_dir = Path(output_dir)
    base = normalize_base_url(base_url)
    output_dir.mkdir(parents=True, exist_ok=True)
    with library_lock(output_dir):
        return _publish(output_dir, base, keep, channel, cover)


def _publish(output_dir: Path, base: str, keep: int | None, channel: Channel, cover: Path | None) -> PublishResult:
    retired = retire_episodes(output_dir, keep) if keep is not None else ()
    episodes, skipped = scan_library(output_dir)

    cover_path = publish_cover(output_dir, channel.title, cover)

    for episode in episodes:
        write_atomic(episode.path(CHAPTERS), render_chapters(episode, channel))

    _copy_static(output_dir / STATIC_FOLDER)

    feed_path = output_dir / FEED
    page_path = output_dir / PAGE
    write_atomic(feed_path, render_feed(episodes, channel=channel, base_url=base, cover=cover_path.name))
    write_atomic(output_dir / ALEXA_FEED, render_alexa(episodes, mode=channel.alexa, base_url=base))
    page = render_page(episodes, channel=channel, feed_url=base + FEED, cover=cover_path.name)
    write_atomic(page_path, page.encode("utf-8"))
    return PublishResult(
        base_url=base,
        feed_path=feed_path,
        page_path=page_path,
        cover_path=cover_path,
        episodes=tuple(e.id for e in episodes),
        retired=retired,
        skipped=tuple(skipped),
        alexa_by_story=tuple(e.id for e in episodes if falls_back(e, channel.alexa)),
    )


def publish_cover(output_dir: Path, title: str, cover: Path | None = None) -> Path:
    """The library's cover: `cover` copied in (checked: see cover_file_name), or one drawn from
    `title`. A drawn cover is redrawn when the title changes; a cover.png that briefing did
    not draw (put there by hand) is left as it is."""
    if cover is not None:
        target = output_dir / cover_file_name(cover)
        data = Path(cover).read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            write_atomic(target, data)
        return target
    target = output_dir / COVER
    if not target.exists() or drawn_title(target) not in (None, title):
        write_atomic(target, render_cover(title))
    return target


def render_chapters(episode: Episode, channel: Channel) -> bytes:
    """The episode's chapters in the Podcasting 2.0 JSON chapters format, one per story.

    These match the ID3 CHAP frames in the MP3, for apps that read the feed's
    podcast:chapters instead of the file's tags.
    """
    chapters = []
    for timing in episode.stories:
        chapter: dict[str, object] = {
            "startTime": round(timing.start_s, 3),
            "endTime": round(timing.end_s, 3),
            "title": timing.story.headline,
        }
        web_urls = [u for u in timing.story.urls if u.startswith(("http://", "https://"))]
        if web_urls:
            chapter["url"] = web_urls[0]
        chapters.append(chapter)
    document = {
        "version": CHAPTERS_VERSION,
        "title": episode.title,
        "podcastName": channel.title,
        "author": channel.author,
        "chapters": chapters,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _copy_static(target: Path) -> None:
    target.mkdir(exist_ok=True)
    for asset in resources.files("briefing.publish").joinpath("static").iterdir():
        if asset.is_file() and not asset.name.startswith((".", "studio")):  # the studio's own are not the library's
            data = asset.read_bytes()
            destination = target / asset.name
            if not destination.is_file() or destination.read_bytes() != data:
                write_atomic(destination, data)
