"""Load voice profiles from voices/*.toml into Voice values.

A profile names an engine (hibari, piper or gtts) and that engine's settings. This
module only reads profiles; speaking is the engines' job (briefing/speech/).
`find_voice` also attaches the pronunciation lexicon (voices/lexicon.toml plus
the user's files) as the "lexicon" setting: it travels with the voice into the
synthesis workers and into the episode's key.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from typing import TYPE_CHECKING

from .errors import BriefingError

if TYPE_CHECKING:
    from .models import Voice

# The command line imports DEFAULT_VOICE at start-up, so this module loads the
# dataclasses and the lexicon reader only when a profile is read.

DEFAULT_VOICE = "heart"
"""The voice the machine listener understands best (bench/listener.py)."""
LEXICON_FILE = "lexicon.toml"
"""The shipped pronunciation lexicon, beside the profiles (and not itself a profile)."""
ENGINES = ("hibari", "piper", "gtts")
PACE_RANGE = (0.8, 1.3)
"""How much faster than its natural speed a voice may read (a profile's `pace`, --pace):
hibari's `speed` and Piper's `length_scale` stay within what their models were trained
to say clearly; bench/listener.py gives the listener's WER at 0.9, 1.0 and 1.2."""
PACED_ENGINES = ("hibari", "piper")
"""Engines that set their own pace; gTTS reads at Google's one speed."""


def default_voices_dir() -> Path:
    """The shipped profiles: the project's voices/ folder, which a wheel installs as
    briefing/profiles/ (pyproject.toml maps it); in a checkout or an editable
    install, voices/ itself."""
    package = Path(__file__).resolve().parent
    installed = package / "profiles"
    return installed if installed.is_dir() else package.parent / "voices"


def default_lexicon_path() -> Path:
    return default_voices_dir() / LEXICON_FILE


def _profiles(folder: Path) -> list[Path]:
    return [path for path in sorted(folder.glob("*.toml")) if path.name != LEXICON_FILE]


def load_voice_file(path: Path) -> Voice:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BriefingError(f"Voice profile {path} cannot be read ({error}); fix or remove it.") from None
    engine = data.get("engine")
    if engine not in ENGINES:
        raise BriefingError(f"Voice profile {path} names engine {engine!r}; use one of: {', '.join(ENGINES)}.")
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise BriefingError(f"Voice profile {path}: [settings] must be a table of engine settings.")
    rate = settings.get("chars_per_second", 15.0)
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate <= 0:
        raise BriefingError(f"Voice profile {path}: chars_per_second must be a positive number, not {rate!r}.")
    if "pace" in settings and check_pace(settings["pace"], f"Voice profile {path}: pace") != 1.0 \
            and engine not in PACED_ENGINES:
        raise BriefingError(f"Voice profile {path}: {engine} reads at one speed only; remove its pace.")
    presenter = data.get("presenter", "")
    if not isinstance(presenter, str):
        raise BriefingError(f"Voice profile {path}: presenter must be a name in quotes, like \"Joe\".")
    from .models import Voice

    return Voice(
        name=str(data.get("name", path.stem)),
        engine=engine,
        description=str(data.get("description", "")),
        settings=tuple(sorted(settings.items())),
        presenter=" ".join(presenter.split()),
    )


def check_pace(pace: object, what: str) -> float:
    """`pace` as a number within PACE_RANGE, or BriefingError naming `what`."""
    low, high = PACE_RANGE
    if isinstance(pace, bool) or not isinstance(pace, (int, float)) or not low <= pace <= high:
        raise BriefingError(f"{what} is {pace!r}; give a number from {low} to {high} (1.2 reads a fifth faster).")
    return float(pace)


def with_pace(voice: Voice, pace: float | None) -> Voice:
    """`voice` reading at `pace` (None: as its profile says). The pace is one of the voice's
    settings, so it is part of every segment's cache key; 1.0 is left out, so that a voice
    at its natural pace keeps the cache it had before paces existed."""
    if pace is None:
        return voice
    pace = check_pace(pace, "The pace")
    if pace != 1.0 and voice.engine not in PACED_ENGINES:
        raise BriefingError(f"Voice {voice.name!r} ({voice.engine}) reads at one speed only; leave out the pace "
                            "or choose an offline voice such as heart or joe.")
    settings = {key: value for key, value in voice.settings if key != "pace"}
    if pace != 1.0:
        settings["pace"] = pace
    return replace(voice, settings=tuple(sorted(settings.items())))


def list_voices(voices_dir: Path | None = None) -> list[Voice]:
    """Every readable profile; see `broken_profiles` for the others."""
    folder = voices_dir or default_voices_dir()
    voices = []
    for path in _profiles(folder):
        try:
            voices.append(load_voice_file(path))
        except BriefingError:
            continue
    return voices


def broken_profiles(voices_dir: Path | None = None) -> list[BriefingError]:
    """Why each unreadable profile in the folder cannot be used."""
    folder = voices_dir or default_voices_dir()
    problems = []
    for path in _profiles(folder):
        try:
            load_voice_file(path)
        except BriefingError as error:
            problems.append(error)
    return problems


def with_lexicon(voice: Voice, lexicons: Sequence[Path] = ()) -> Voice:
    """`voice` with the shipped lexicon and then `lexicons` (later files win) attached."""
    from .speech.lexicon import load_lexicon

    lexicon = load_lexicon([default_lexicon_path(), *lexicons])
    return replace(voice, settings=tuple(sorted({**dict(voice.settings), "lexicon": lexicon}.items())))


def find_voice(name: str, voices_dir: Path | None = None, *, lexicons: Sequence[Path] = ()) -> Voice:
    """The profile called `name`, or a path to a .toml profile, with its lexicon
    attached (see with_lexicon). Another profile that is broken does not stop
    this one from loading."""
    if name.endswith(".toml") and Path(name).is_file():
        return with_lexicon(load_voice_file(Path(name)), lexicons)
    folder = voices_dir or default_voices_dir()
    named = folder / f"{name}.toml"
    if named.is_file() and named.name != LEXICON_FILE:
        voice = load_voice_file(named)
        if voice.name == name:
            return with_lexicon(voice, lexicons)
    voices = list_voices(folder)
    for voice in voices:
        if voice.name == name:
            return with_lexicon(voice, lexicons)
    known = ", ".join(v.name for v in voices) or "none"
    raise BriefingError(f"No voice called {name!r}; known voices: {known}. See `briefing voices`.")
