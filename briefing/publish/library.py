"""The episode library on disk: read episode manifests, retire old episodes, publish.

`output/episodes/<id>/episode.json` is written by `briefing generate`; this
module reads those manifests and (re)writes what is shared across episodes:
`feed.xml`, `index.html`, `cover.png`, `static/`, and each episode's
`chapters.json`. It never touches audio, transcripts or the manifests
themselves (except deleting whole episode folders for `--keep`).

Every file is written to a hidden temp name in the same folder and renamed, so
a podcast app or browser never sees half a feed.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

from briefing.errors import BriefingError
from briefing.models import InputFailure

LOCAL_BASE_URL = "http://127.0.0.1:8000/"
"""Where `briefing serve` listens by default; the feed's URLs use it when no base URL is given."""

EPISODES_FOLDER = "episodes"
MANIFEST = "episode.json"
CHAPTERS = "chapters.json"
COVER = "cover.png"
FEED = "feed.xml"
PAGE = "index.html"
STATIC_FOLDER = "static"

CHAPTERS_VERSION = "1.2.0"
"""Podcasting 2.0 JSON chapters format version (podcast-namespace/chapters/jsonChapters.md)."""


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


@dataclass(frozen=True)
class EpisodeStory:
    """One story of an episode, as its manifest records it; times are in the full MP3."""

    index: int
    headline: str
    source: str | None
    sources: tuple[str, ...]
    urls: tuple[str, ...]
    published: datetime | None
    sentences: tuple[str, ...]
    start_s: float
    end_s: float
    clip: str | None
    """Path of the story's own MP3, relative to the episode folder."""


@dataclass(frozen=True)
class PublishedEpisode:
    """An episode folder read back from its episode.json, ready to list in the feed and page."""

    id: str
    title: str
    date: date
    created: datetime
    duration_s: float
    voice: str
    folder: Path
    audio_file: str
    audio_bytes: int
    """Size of the MP3 on disk (not the manifest's figure), for the enclosure's length."""
    audio_type: str
    transcript_text: str | None
    transcript_vtt: str | None
    stories: tuple[EpisodeStory, ...]

    def path(self, relative: str) -> Path:
        return self.folder / relative


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


def episode_url(base_url: str, episode: PublishedEpisode, relative: str) -> str:
    """Absolute URL of a file in an episode folder, percent-encoded."""
    return base_url + quote(f"{EPISODES_FOLDER}/{episode.id}/{relative}")


def load_episodes(output_dir: Path) -> list[PublishedEpisode]:
    """Every publishable episode in the library, newest first (by date, then creation time).

    Folders without a readable manifest or without their MP3 are left out;
    publish_library reports them.
    """
    return _scan(Path(output_dir))[0]


def retire_episodes(output_dir: Path, keep: int) -> tuple[str, ...]:
    """Delete the oldest episode folders beyond the newest `keep`; return their ids.

    Only folders with a valid manifest count and are ever deleted, so a
    half-written episode of a running `generate` is left alone.
    """
    if keep < 1:
        raise BriefingError(f"--keep {keep} would delete every episode; give 1 or more.")
    episodes = load_episodes(output_dir)
    retired = []
    for episode in episodes[keep:]:
        if episode.folder.is_symlink():
            episode.folder.unlink()
        else:
            shutil.rmtree(episode.folder)
        retired.append(episode.id)
    return tuple(retired)


def publish_library(
    output_dir: Path,
    *,
    base_url: str | None = None,
    keep: int | None = None,
    channel: Channel = Channel(),
) -> PublishResult:
    """Retire old episodes, then rewrite cover (if absent), chapters, static assets, feed and page.

    `base_url` is where `output_dir` is served; the feed needs absolute URLs.
    Without it the feed points at http://127.0.0.1:8000/, which is what
    `briefing serve` serves by default. The page itself uses relative links
    and works from any address.
    """
    # Imported here because these modules build on this one's types.
    from briefing.publish.cover import render_cover
    from briefing.publish.feed import render_feed
    from briefing.publish.page import render_page

    output_dir = Path(output_dir)
    base = normalize_base_url(base_url)
    output_dir.mkdir(parents=True, exist_ok=True)
    retired = retire_episodes(output_dir, keep) if keep is not None else ()
    episodes, skipped = _scan(output_dir)

    cover_path = output_dir / COVER
    if not cover_path.exists():
        write_atomic(cover_path, render_cover(channel.title))

    for episode in episodes:
        write_atomic(episode.path(CHAPTERS), render_chapters(episode, channel))

    _copy_static(output_dir / STATIC_FOLDER)

    feed_path = output_dir / FEED
    page_path = output_dir / PAGE
    write_atomic(feed_path, render_feed(episodes, channel=channel, base_url=base))
    write_atomic(page_path, render_page(episodes, channel=channel, feed_url=base + FEED).encode("utf-8"))
    return PublishResult(
        base_url=base,
        feed_path=feed_path,
        page_path=page_path,
        cover_path=cover_path,
        episodes=tuple(e.id for e in episodes),
        retired=retired,
        skipped=tuple(skipped),
    )


def render_chapters(episode: PublishedEpisode, channel: Channel) -> bytes:
    """The episode's chapters in the Podcasting 2.0 JSON chapters format, one per story.

    These match the ID3 CHAP frames in the MP3, for apps that read the feed's
    podcast:chapters instead of the file's tags.
    """
    chapters = []
    for story in episode.stories:
        chapter: dict[str, object] = {
            "startTime": round(story.start_s, 3),
            "endTime": round(story.end_s, 3),
            "title": story.headline,
        }
        web_urls = [u for u in story.urls if u.startswith(("http://", "https://"))]
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a hidden temp file in the same folder, then rename over `path`.

    The temp name starts with a dot, which the server never serves.
    """
    path = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _copy_static(target: Path) -> None:
    target.mkdir(exist_ok=True)
    for asset in resources.files("briefing.publish").joinpath("static").iterdir():
        if asset.is_file() and not asset.name.startswith("."):
            data = asset.read_bytes()
            destination = target / asset.name
            if not destination.is_file() or destination.read_bytes() != data:
                write_atomic(destination, data)


def _scan(output_dir: Path) -> tuple[list[PublishedEpisode], list[InputFailure]]:
    episodes: list[PublishedEpisode] = []
    skipped: list[InputFailure] = []
    root = output_dir / EPISODES_FOLDER
    if not root.is_dir():
        return episodes, skipped
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        try:
            episodes.append(_read_episode(folder))
        except _BadEpisode as problem:
            skipped.append(InputFailure(str(folder), str(problem)))
    episodes.sort(key=lambda e: (e.date, e.created, e.id), reverse=True)
    return episodes, skipped


class _BadEpisode(Exception):
    pass


def _read_episode(folder: Path) -> PublishedEpisode:
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise _BadEpisode("it has no episode.json yet; finish or re-run briefing generate, or delete the folder")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        audio = manifest["audio"]
        transcript = manifest.get("transcript") or {}
        created = datetime.fromisoformat(manifest["created"])
        if created.tzinfo is None:
            created = created.replace(tzinfo=timezone.utc)
        stories = tuple(_read_story(s) for s in manifest.get("stories", []))
        episode_id = str(manifest["id"])
        audio_file = str(audio["file"])
        episode = PublishedEpisode(
            id=episode_id,
            title=str(manifest["title"]),
            date=date.fromisoformat(manifest["date"]),
            created=created,
            duration_s=float(manifest["duration_s"]),
            voice=str(manifest.get("voice") or ""),
            folder=folder,
            audio_file=audio_file,
            audio_bytes=0,
            audio_type=str(audio.get("type") or "audio/mpeg"),
            transcript_text=transcript.get("text"),
            transcript_vtt=transcript.get("vtt"),
            stories=stories,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise _BadEpisode(f"its episode.json is not a valid manifest ({error}); re-run briefing generate") from None
    if episode_id != folder.name:
        raise _BadEpisode(f"its episode.json names episode {episode_id!r}; the folder and the id must match")
    audio_path = _inside(folder, audio_file)
    if audio_path is None or not audio_path.is_file():
        raise _BadEpisode(f"its audio {audio_file!r} is missing; re-run briefing generate")
    # Files the manifest names but the folder lacks are left out, so every published URL resolves.
    return replace(
        episode,
        audio_bytes=audio_path.stat().st_size,
        transcript_text=_existing(folder, episode.transcript_text),
        transcript_vtt=_existing(folder, episode.transcript_vtt),
        stories=tuple(replace(s, clip=_existing(folder, s.clip)) for s in stories),
    )


def _existing(folder: Path, relative: str | None) -> str | None:
    if relative is None:
        return None
    path = _inside(folder, relative)
    return relative if path is not None and path.is_file() else None


def _inside(folder: Path, relative: str) -> Path | None:
    """`folder/relative` if it stays inside the folder, else None (a manifest must not point elsewhere)."""
    if not relative or Path(relative).is_absolute():
        return None
    candidate = (folder / relative).resolve()
    return candidate if candidate.is_relative_to(folder.resolve()) else None


def _read_story(raw: dict) -> EpisodeStory:
    published = raw.get("published")
    sources = tuple(str(s) for s in raw.get("sources") or ())
    source = raw.get("source")
    return EpisodeStory(
        index=int(raw["index"]),
        headline=str(raw["headline"]),
        source=str(source) if source is not None else None,
        sources=sources or ((str(source),) if source else ()),
        urls=tuple(str(u) for u in raw.get("urls") or ()),
        published=datetime.fromisoformat(published) if published else None,
        sentences=tuple(str(s) for s in raw.get("sentences") or ()),
        start_s=float(raw["start_s"]),
        end_s=float(raw["end_s"]),
        clip=raw.get("clip"),
    )
