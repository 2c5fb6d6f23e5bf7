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
