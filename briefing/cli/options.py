"""Options several commands share, as typed Typer annotations, and their parsers.

Importing this module stays cheap: whatever a callback needs from the library
is imported when the callback runs, so `briefing --help` starts fast.
"""
from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar, get_type_hints

import typer

if TYPE_CHECKING:
    from ..audio.mix import AssemblyOptions
    from ..audio.music import Sound
    from ..ingest import IngestOptions


def since_option(value: Optional[str]) -> Optional[str]:
    """Typer callback: check "24h" parses, or a usage error (exit code 2) naming the fix."""
    if value is not None:
        parse_age(value)
    return value


def parse_age(value: str) -> timedelta:
    from ..ingest import parse_since

    try:
        return parse_since(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def parse_day(value: Optional[str]) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-24.") from None


# Source flags shared by `extract` and `generate`.
MaxPerFeedOption = Annotated[Optional[int], typer.Option(
    "--max-per-feed", min=1, metavar="N",
    help="Take at most the N newest entries of each feed (without it: 50, with a note when a feed has more).")]
MaxPagesOption = Annotated[int, typer.Option(
    "--max-pages", min=0, metavar="N",
    help="Fetch at most N pages and feeds that feeds and lists link to in one run (URLs you name are not counted).")]
MaxArticlesOption = Annotated[int, typer.Option(
    "--max-articles", min=1, metavar="N", help="Read at most N articles in one run, the first in source order.")]
AllowPrivateOption = Annotated[bool, typer.Option(
    "--allow-private",
    help="Let feeds and pages lead to loopback and private network addresses; without it only addresses "
    "you name on the command line (or in your own OPML/JSON list) may be private.")]
SinceOption = Annotated[Optional[str], typer.Option(
    "--since", metavar="AGE", callback=since_option,
    help="Skip feed and list entries older than AGE, e.g. 24h, 90m, 2d or 1w (undated entries are kept).")]
CacheDirOption = Annotated[Optional[Path], typer.Option(
    "--cache-dir", metavar="FOLDER",
    help="Keep downloads here and re-validate them with ETag/Last-Modified (default ~/.cache/briefing/http).")]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Download everything afresh and keep nothing.")]
TimeoutOption = Annotated[float, typer.Option(
    "--timeout", min=0.1, metavar="SECONDS", help="Longest wait for any one network step; a whole download may take four times this.")]
VoicesDirOption = Annotated[Optional[Path], typer.Option(
    "--voices-dir", help="Folder of voice profiles. [default: the voices shipped with briefing]")]
CoHostOption = Annotated[Optional[str], typer.Option(
    "--co-host", metavar="VOICE",
    help="A second presenter's voice: the two share the greeting and sign-off and take turns by story.")]
LexiconOption = Annotated[Optional[list[Path]], typer.Option(
    "--lexicon", metavar="FILE", help="Your own pronunciation lexicon (TOML, shaped like voices/lexicon.toml); "
    "its entries replace the shipped ones. Repeat for several files.")]
OutputOption = Annotated[Path, typer.Option(
    "--output", "-o", help="Library folder; episodes go in OUTPUT/episodes/.")]

# Episode-making flags shared by `generate` and `run`.
DateOption = Annotated[Optional[str], typer.Option(
    "--date", help="Date the briefing is for, YYYY-MM-DD. [default: today]")]
WorkersOption = Annotated[Optional[int], typer.Option(
    "--workers", min=1, help="Synthesis processes, sharing the cores as ONNX threads. "
    "[default: one per two cores for Piper voices, one per core for hibari]")]
StingOption = Annotated[bool, typer.Option(
    "--sting/--no-sting", help="Play a short generated chime at the start and end.")]
BitrateOption = Annotated[int, typer.Option("--bitrate", min=48, max=320, help="MP3 bitrate in kbps (mono, 44.1 kHz).")]

# The show's own sound and pace, shared by the commands that make an episode (`generate`, `run`).
# Unset (None) means "as the show file says" for `run`, the defaults for the others.
IntroOption = Annotated[Optional[Path], typer.Option(
    "--intro", metavar="FILE", help="Music that opens the episode in place of the chime (any format ffmpeg reads, "
    "up to 60 s); the greeting starts over its last --intro-overlap seconds.")]
OutroOption = Annotated[Optional[Path], typer.Option(
    "--outro", metavar="FILE", help="Music after the sign-off in place of the chime (up to 60 s), faded at its end.")]
BedOption = Annotated[Optional[Path], typer.Option(
    "--bed", metavar="FILE", help="Music looped under the whole programme: it dips under speech and comes up "
    "between stories.")]
TransitionOption = Annotated[Optional[Path], typer.Option(
    "--transition", metavar="FILE", help="A short sting (up to 10 s) between stories, in place of the pause.")]
IntroOverlapOption = Annotated[Optional[float], typer.Option(
    "--intro-overlap", min=0, max=10, metavar="SECONDS",
    help="How long the greeting overlaps the intro's fading tail; 0 starts it after the intro. [default: 2]")]
BedDuckOption = Annotated[Optional[float], typer.Option(
    "--bed-duck", min=0, max=40, metavar="DB", help="How far the bed dips under speech, in dB. [default: 12]")]
BedLevelOption = Annotated[Optional[float], typer.Option(
    "--bed-level", min=-40, max=0, metavar="DB",
    help="The bed's loudness between stories, in dB relative to the speech. [default: -10]")]
PaceOption = Annotated[Optional[float], typer.Option(
    "--pace", min=0.8, max=1.3, help="How fast the voices read, 0.8 to 1.3: at 1.2 the same script takes about "
    "a sixth less time (as far as each voice's model allows). [default: the voice profile's, normally 1]")]


@dataclass(frozen=True)
class SoundFlags:
    """The sound flags as given; None means not given."""

    intro: Path | None = None
    outro: Path | None = None
    bed: Path | None = None
    transition: Path | None = None
    intro_overlap_s: float | None = None
    bed_duck_db: float | None = None
    bed_level_db: float | None = None

    def files(self) -> list[Path]:
        return [path for path in (self.intro, self.outro, self.bed, self.transition) if path is not None]


def sound_options(flags: SoundFlags, base: Sound | None = None) -> Sound:
    """`base` (a show file's sound, or the defaults) with the flags given in place of its values."""
    from dataclasses import asdict, replace

    from ..audio.music import Sound

    given = {key: value for key, value in asdict(flags).items() if value is not None}
    for role in ("intro", "outro", "bed", "transition"):
        if role in given:
            given[role] = Path(given[role]).expanduser().resolve()
    return replace(base or Sound(), **given)


# Flags of `run` for many shows at once.
SegmentCacheOption = Annotated[Optional[str], typer.Option(
    "--cache", metavar="FOLDER|URL",
    help="Segment cache shared by all shows and workers: a folder (a shared one for a cluster) or an fsspec URL "
    "such as s3://bucket/briefing (needs briefing[ray] and the protocol's package). "
    "[default: ~/.cache/briefing/segments]")]
RayOption = Annotated[Optional[str], typer.Option(
    "--ray", metavar="ADDRESS",
    help="Run on a Ray cluster: its address (auto, HOST:6379, ray://HOST:10001), or `local` to start Ray on "
    "this machine. Needs `pip install 'briefing[ray]'`.")]


def topics_option(values: Optional[list[str]]) -> Optional[list[str]]:
    """Typer callback: every topic has a word to match, or a usage error (exit code 2)."""
    if not values:
        return values
    from ..plan.topics import TopicError, topic_pattern

    for value in values:
        try:
            topic_pattern(value)
        except TopicError as error:
            raise typer.BadParameter(str(error)) from None
    return values


# Topic and memory flags shared by `generate` and `run`.
IncludeOption = Annotated[Optional[list[str]], typer.Option(
    "--include", metavar="TOPIC", callback=topics_option,
    help="Put stories on this topic first, with twice the time (a word or phrase; repeat for more).")]
ExcludeOption = Annotated[Optional[list[str]], typer.Option(
    "--exclude", metavar="TOPIC", callback=topics_option,
    help="Leave out stories on this topic (a word or phrase, \"election\" also matches \"elections\"; repeat for more).")]
RetellOption = Annotated[bool, typer.Option(
    "--retell", help="Tell stories an earlier episode of the library already told (this episode is still remembered).")]


@dataclass(frozen=True)
class SourceFlags:
    """The shared source flags as given, before they become IngestOptions."""

    max_per_feed: int | None
    since: str | None
    cache_dir: Path | None
    no_cache: bool
    timeout_s: float
    max_pages: int
    max_articles: int
    allow_private: bool


def ingest_options(stdin_text: str | None, flags: SourceFlags) -> IngestOptions:
    """IngestOptions from the shared source flags."""
    from ..ingest import IngestOptions
    from ..ingest.fetch import default_cache_dir

    return IngestOptions(
        stdin_text=stdin_text,
        max_per_feed=flags.max_per_feed,
        since=parse_age(flags.since) if flags.since else None,
        cache_dir=None if flags.no_cache else (flags.cache_dir or default_cache_dir()),
        timeout_s=flags.timeout_s,
        max_fetches=flags.max_pages,
        max_articles=flags.max_articles,
        allow_private=flags.allow_private,
    )


# How an episode is assembled and published: shared by `generate` and `render` (see EpisodeFlags).
BaseUrlOption = Annotated[Optional[str], typer.Option(
    "--base-url", help="Public URL where OUTPUT is served, for the podcast feed's links.")]
KeepOption = Annotated[Optional[int], typer.Option(
    "--keep", min=1, help="Keep only the newest N episodes; older ones are retired.")]
JsonOption = Annotated[bool, typer.Option(
    "--json", help="Print the manifest's path and key figures as JSON on stdout.")]


@dataclass(frozen=True)
class EpisodeFlags:
    """The options of how an episode is assembled and published, as given. `generate`'s
    definitions, shared: a command decorated with `episode_flags` takes all of them, so an
    option added here (and to EPISODE_FLAGS) reaches every such command at once."""

    workers: int | None = None
    sting: bool = True
    bitrate: int = 96
    base_url: str | None = None
    keep: int | None = None
    json_output: bool = False
    pace: float | None = None
    intro: Path | None = None
    outro: Path | None = None
    bed: Path | None = None
    transition: Path | None = None
    intro_overlap: float | None = None
    bed_duck: float | None = None
    bed_level: float | None = None

    def sound(self) -> SoundFlags:
        return SoundFlags(self.intro, self.outro, self.bed, self.transition, self.intro_overlap, self.bed_duck,
                          self.bed_level)

    def assembly(self) -> AssemblyOptions:
        from ..audio.mix import AssemblyOptions

        return AssemblyOptions(sting=self.sting, bitrate_kbps=self.bitrate, sound=sound_options(self.sound()))


EPISODE_FLAGS: tuple[tuple[str, Any], ...] = (
    ("workers", WorkersOption), ("sting", StingOption), ("bitrate", BitrateOption),
    ("base_url", BaseUrlOption), ("keep", KeepOption), ("json_output", JsonOption), ("pace", PaceOption),
    ("intro", IntroOption), ("outro", OutroOption), ("bed", BedOption), ("transition", TransitionOption),
    ("intro_overlap", IntroOverlapOption), ("bed_duck", BedDuckOption), ("bed_level", BedLevelOption),
)
"""EpisodeFlags' fields with their Typer options, in the order --help lists them."""

Command = TypeVar("Command", bound=Callable[..., Any])


def episode_flags(command: Command) -> Command:
    """Give a Typer command every option of EpisodeFlags: its `flags: EpisodeFlags` parameter
    becomes those options in its --help, and the command receives them gathered."""
    signature = inspect.signature(command)
    defaults = EpisodeFlags()
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=getattr(defaults, name),
                               annotation=option) for name, option in EPISODE_FLAGS]
    hints = {name: hint for name, hint in get_type_hints(command, include_extras=True).items() if name != "flags"}
    kept = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints[p.name])
            for p in signature.parameters.values() if p.name != "flags"]

    @functools.wraps(command)
    def run(**options: Any) -> Any:
        flags = EpisodeFlags(**{name: options.pop(name) for name, _ in EPISODE_FLAGS})
        return command(**options, flags=flags)

    run.__signature__ = signature.replace(parameters=[*kept, *added])  # type: ignore[attr-defined]
    run.__annotations__ = {**hints, **dict(EPISODE_FLAGS)}
    del run.__wrapped__  # typer must see the new signature, not the command's
    return run  # type: ignore[return-value]
