"""A show file: one TOML file with everything a daily briefing needs, so cron runs one command.

`briefing run show.toml` reads it here into a `Show`; command-line options
override its values, and relative paths resolve against the file's folder.
A bad file is reported as one line naming the key and what is wrong. This
module only reads and checks the file; running the show is the pipeline's job.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BriefingError
from ..models import Channel
from ..plan.topics import TopicError, Topics, topic_pattern

if TYPE_CHECKING:
    from ..audio.mix import AssemblyOptions
    from ..audio.music import Sound
    from ..ingest import IngestOptions
    from .pipeline import BriefingRequest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


class ShowFileError(BriefingError):
    """A show file that cannot be used; the CLI exits with the usage code (2)."""

    exit_code = 2


@dataclass(frozen=True)
class Show:
    """A show as its file describes it; paths are absolute."""

    path: Path
    channel: Channel
    sources: tuple[str, ...]
    output: Path
    cover: Path | None = None
    minutes: float = 5.0
    voice: str | None = None
    co_host: str | None = None
    since: str | None = None
    max_per_feed: int | None = None
    base_url: str | None = None
    keep: int | None = None
    topics: Topics = field(default_factory=Topics)
    pace: float | None = None
    sound: Sound | None = None
    """The [sound] table: the show's music and its levels (None: no table)."""

    @property
    def name(self) -> str:
        return self.path.stem

    def overridden(self, **values: Any) -> Show:
        """This show with the values given on the command line (None means "as the file says")."""
        return replace(self, **{key: value for key, value in values.items() if value is not None})

    def request(
        self,
        day: date,
        *,
        ingest: IngestOptions,
        assembly: AssemblyOptions | None = None,
        workers: int | None = None,
        voices_dir: Path | None = None,
        retell: bool = False,
    ) -> BriefingRequest:
        """The pipeline request for this show's episode of `day`. `ingest` comes from the command
        line (cache, timeout); the show's `since` and `max_per_feed` are set on it here. `assembly`
        comes from the command line too, its sound already merged with the show's."""
        from ..audio.mix import AssemblyOptions
        from ..ingest import parse_since
        from .pipeline import BriefingRequest

        ingest = replace(
            ingest,
            since=parse_since(self.since) if self.since else ingest.since,
            max_per_feed=self.max_per_feed if self.max_per_feed is not None else ingest.max_per_feed,
        )
        request = BriefingRequest(
            sources=self.sources,
            output_dir=self.output,
            day=day,
            minutes=self.minutes,
            ingest=ingest,
            assembly=assembly or AssemblyOptions(),
            workers=workers,
            voices_dir=voices_dir,
            base_url=self.base_url,
            keep=self.keep,
            channel=self.channel,
            cover=self.cover,
            co_host=self.co_host,
            topics=self.topics,
            retell=retell,
            pace=self.pace,
        )
        return replace(request, voice=self.voice) if self.voice else request


_CHANNEL_KEYS = ("title", "description", "author", "email", "language", "category", "explicit", "alexa")
_KEYS: dict[str, type | tuple[type, ...]] = {
    "title": str, "description": str, "author": str, "email": str, "language": str, "category": str,
    "explicit": bool, "cover": str, "sources": list, "output": str, "minutes": (int, float), "voice": str,
    "co_host": str, "since": str, "max_per_feed": int, "base_url": str, "keep": int, "topics": dict,
    "alexa": str, "update_frequency": str, "pace": (int, float), "sound": dict,
}
UPDATE_FREQUENCIES = ("daily", "weekdays", "weekly")
"""The words `update_frequency` takes (besides an RFC 5545 rule, "FREQ=...")."""
_TYPE_WORDS: dict[type | tuple[type, ...], str] = {str: "a string in quotes", bool: "true or false", list: "a list like [\"a\", \"b\"]",
               int: "a whole number", dict: "a table", (int, float): "a number"}


def load_show(path: Path) -> Show:
    """The show in `path`; ShowFileError names the key at fault and how to fix it."""
    path = Path(path).expanduser().resolve()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ShowFileError(f"{path}: no such show file; make one with `briefing init {path.name}`.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ShowFileError(f"{path}: cannot be read ({error}).") from None
    except tomllib.TOMLDecodeError as error:
        raise ShowFileError(f"{path}: not valid TOML ({error}); fix the line it names.") from None
    return show_from_table(data, path)


def show_from_table(data: dict[str, Any], path: Path) -> Show:
    """A Show from a parsed show file; relative paths resolve against `path`'s folder."""
    for key, value in data.items():
        _check_type(path, key, value)
    folder = path.parent
    topics = _topics(path, data.get("topics", {}))
    sources = tuple(_resolve_source(folder, _text(path, "sources", s)) for s in data.get("sources", []))
    if not sources:
        raise ShowFileError(f"{path}: key 'sources' is missing or empty; list the show's feeds, files or folders.")
    minutes = float(data.get("minutes", 5.0))
    if not 0.5 <= minutes <= 120:
        raise ShowFileError(f"{path}: key 'minutes' is {minutes:g}; give a length from 0.5 to 120 minutes.")
    for key in ("keep", "max_per_feed"):
        if key in data and data[key] < 1:
            raise ShowFileError(f"{path}: key {key!r} is {data[key]}; give 1 or more.")
    if "since" in data:
        _check_since(path, data["since"])
    if "pace" in data:
        _check_pace(path, data["pace"])
    base_url = data.get("base_url")
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise ShowFileError(f"{path}: key 'base_url' is {base_url!r}; give the http(s) address the output is served at.")
    _check_publishing(path, data)
    defaults = Channel()
    channel = Channel(**{key: data.get(key, getattr(defaults, key)) for key in _CHANNEL_KEYS},
                      update_frequency=data.get("update_frequency", "daily"))
    cover = (folder / Path(data["cover"]).expanduser()).resolve() if "cover" in data else None
    if cover is not None:
        _check_cover(path, cover)
    for key in ("title", "author", "language", "category"):
        if key in data and not data[key].strip():
            raise ShowFileError(f"{path}: key {key!r} is empty; give it a value or leave the key out.")
    if "email" in data and "@" not in data["email"]:
        raise ShowFileError(f"{path}: key 'email' is {data['email']!r}, not an e-mail address.")
    return Show(
        path=path,
        channel=channel,
        sources=sources,
        output=(folder / Path(data.get("output", path.stem)).expanduser()).resolve(),
        cover=cover,
        minutes=minutes,
        voice=_voice(folder, data.get("voice")),
        co_host=data.get("co_host"),
        since=data.get("since"),
        max_per_feed=data.get("max_per_feed"),
        base_url=base_url,
        keep=data.get("keep"),
        topics=topics,
        pace=data.get("pace"),
        sound=_sound(path, data["sound"]) if "sound" in data else None,
    )


def _voice(folder: Path, voice: str | None) -> str | None:
    """A voice name as it is; a profile's .toml path resolved against the show file's folder."""
    if voice is None or not voice.endswith(".toml"):
        return voice
    return str((folder / Path(voice).expanduser()).resolve())


def _check_type(path: Path, key: str, value: object) -> None:
    if key not in _KEYS:
        known = ", ".join(sorted(_KEYS))
        raise ShowFileError(f"{path}: unknown key {key!r}; the keys a show file takes are {known}.")
    expected = _KEYS[key]
    # bool is an int in Python; a number key must not take true/false.
    if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
        raise ShowFileError(f"{path}: key {key!r} must be {_TYPE_WORDS[expected]}, not {value!r}.")


def _text(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ShowFileError(f"{path}: every item of {key!r} must be a non-empty string, not {value!r}.")
    return value.strip()


def _resolve_source(folder: Path, source: str) -> str:
    """URLs and `-` stay as they are; file and folder paths resolve against the show file's folder."""
    if source == "-" or source.lower().startswith(("http://", "https://")):
        return source
    return str((folder / Path(source).expanduser()).resolve())


def _topics(path: Path, table: dict[str, Any]) -> Topics:
    unknown = set(table) - {"include", "exclude"}
    if unknown:
        raise ShowFileError(f"{path}: unknown key 'topics.{sorted(unknown)[0]}'; [topics] takes include and exclude.")
    lists = {}
    for key in ("include", "exclude"):
        value = table.get(key, [])
        if not isinstance(value, list):
            raise ShowFileError(f"{path}: key 'topics.{key}' must be a list like [\"climate\"], not {value!r}.")
        lists[key] = tuple(_text(path, f"topics.{key}", v) for v in value)
        for topic in lists[key]:
            try:
                topic_pattern(topic)
            except TopicError as error:
                raise ShowFileError(f"{path}: key 'topics.{key}': {error}") from None
    return Topics(**lists)


_SOUND_FILES = ("intro", "outro", "bed", "transition")
_SOUND_LEVELS = {"intro_overlap": ("intro_overlap_s", 0.0, 10.0, "seconds"), "bed_duck": ("bed_duck_db", 0.0, 40.0, "dB"),
                 "bed_level": ("bed_level_db", -40.0, 0.0, "dB")}


def _sound(path: Path, table: dict[str, Any]) -> Sound:
    """The [sound] table: music files resolved against the show file's folder (each must exist;
    what is in them is checked before the episode's speech is made), levels within range."""
    from ..audio.music import Sound

    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in _SOUND_FILES:
            file = (path.parent / Path(_text(path, f"sound.{key}", value)).expanduser()).resolve()
            if not file.is_file():
                raise ShowFileError(f"{path}: key 'sound.{key}': no such file {file}; check the path.")
            values[key] = file
        elif key in _SOUND_LEVELS:
            name, low, high, unit = _SOUND_LEVELS[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                raise ShowFileError(f"{path}: key 'sound.{key}' is {value!r}; give a number of {unit} "
                                    f"from {low:g} to {high:g}.")
            values[name] = float(value)
        else:
            known = ", ".join((*_SOUND_FILES, *_SOUND_LEVELS))
            raise ShowFileError(f"{path}: unknown key 'sound.{key}'; [sound] takes {known}.")
    return Sound(**values)


def _check_pace(path: Path, value: object) -> None:
    from ..voices import check_pace

    try:
        check_pace(value, f"{path}: key 'pace'")
    except BriefingError as error:
        raise ShowFileError(str(error)) from None


def _check_cover(path: Path, cover: Path) -> None:
    from ..publish.cover import CoverError, cover_file_name

    try:
        cover_file_name(cover)
    except CoverError as error:
        raise ShowFileError(f"{path}: key 'cover': {error}") from None


def _check_publishing(path: Path, data: dict[str, Any]) -> None:
    """`alexa` and `update_frequency` take one of a few values."""
    from ..publish.alexa import MODES

    if data.get("alexa", MODES[0]) not in MODES:
        raise ShowFileError(f"{path}: key 'alexa' is {data['alexa']!r}; give \"episode\" (each episode whole) "
                            "or \"stories\" (each story on its own).")
    frequency = data.get("update_frequency", "daily")
    if frequency not in UPDATE_FREQUENCIES and not frequency.upper().startswith("FREQ="):
        raise ShowFileError(f"{path}: key 'update_frequency' is {frequency!r}; give one of "
                            f"{', '.join(UPDATE_FREQUENCIES)}, or an RFC 5545 rule like \"FREQ=WEEKLY;BYDAY=MO\".")


def _check_since(path: Path, value: str) -> None:
    from ..ingest import parse_since

    try:
        parse_since(value)
    except ValueError as error:
        raise ShowFileError(f"{path}: key 'since': {error}.") from None


EXAMPLE = '''\
# A briefing show: `briefing run {name}` makes today's episode and publishes it.
# Run it from cron each morning, e.g.:
#   30 6 * * *  cd {folder} && briefing run {name} >> briefing.log 2>&1
# Relative paths below are relative to this file's folder. Command-line options
# (see `briefing run --help`) override what is set here.

# The podcast's channel: shown by podcast apps, on the web page and on the cover.
title = "Morning Brief"
description = "The morning's news, read aloud."
author = "Newsdesk"
# email = "desk@example.org"        # optional: itunes:owner, which Apple asks for before listing a show
language = "en"
category = "News"                   # an Apple Podcasts category
explicit = false
# cover = "cover.jpg"               # optional: a square PNG or JPEG, 1400-3000 px; drawn from the title if absent

# Where the news comes from: feed URLs, OPML lists, files or folders of articles.
sources = ["https://feeds.bbci.co.uk/news/rss.xml"]
since = "24h"                       # skip entries older than this
max_per_feed = 5                    # the newest N entries of each feed

# The episode.
minutes = 8
voice = "heart"                     # see `briefing voices`
# co_host = "joe"                   # optional: a second presenter; the two take turns by story
# pace = 1.1                        # optional: how fast the voices read, 0.8 to 1.3 (1 is their own pace)

# Publishing.
output = "briefings"                # the library folder (default: one named after this file)
# base_url = "https://me.example/briefings/"   # where that folder is served, for the feed's links
keep = 14                           # keep the newest 14 episodes
# update_frequency = "daily"        # what the feed tells apps: daily, weekdays, weekly or "FREQ=..."
# alexa = "episode"                 # alexa.json, for smart speakers: "episode" (each whole; one over
                                    # 10 minutes story by story) or "stories" (each story on its own)
# Stories an earlier episode told are not told again, and new facts on them come as an
# update (the library remembers a month in memory.json); `briefing run --retell` tells all.

# Topics: words or phrases, matched as whole words in headlines and text; "election"
# also matches "elections". A story is on a topic when a headline or lead names it,
# or its text names it twice.
[topics]
include = []                        # e.g. ["climate", "election"]: these go first and get twice the time
exclude = []                        # e.g. ["football"]: these are left out

# The show's own sound (optional): music files in any format ffmpeg reads (MP3, M4A, Ogg,
# FLAC, WAV). Without an intro or outro, a short generated chime opens and closes each
# episode. Remove the # before [sound] and the lines you use.
# [sound]
# intro = "music/intro.mp3"         # opens the episode (up to 60 s)
# intro_overlap = 2                 # seconds of the intro's fading tail under the greeting; 0: after it
# bed = "music/bed.mp3"             # looped under the programme: down under speech, up between stories
# bed_level = -10                   # the bed between stories, in dB relative to the speech
# bed_duck = 12                     # how far the bed dips under speech, in dB
# transition = "music/sting.wav"    # a short sting between stories (up to 10 s)
# outro = "music/outro.m4a"         # after the sign-off (up to 60 s), faded at its end
'''


def example_show(path: Path) -> str:
    """A commented example show file for `briefing init`."""
    return EXAMPLE.format(name=path.name, folder=path.resolve().parent)
