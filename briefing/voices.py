"""Load voice profiles from voices/*.toml into Voice values.

A profile names an engine (piper or gtts) and that engine's settings. This
module only reads profiles; speaking is the engines' job (briefing/speech/).
"""
from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from .errors import BriefingError
from .models import Voice

DEFAULT_VOICE = "joe"
ENGINES = ("piper", "gtts")


def default_voices_dir() -> Path:
    """The shipped profiles: the project's voices/ folder, which a wheel installs as
    briefing/profiles/ (pyproject.toml maps it); in a checkout or an editable
    install, voices/ itself."""
    package = Path(__file__).resolve().parent
    installed = package / "profiles"
    return installed if installed.is_dir() else package.parent / "voices"


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
    return Voice(
        name=str(data.get("name", path.stem)),
        engine=engine,
        description=str(data.get("description", "")),
        settings=tuple(sorted(settings.items())),
    )


def list_voices(voices_dir: Path | None = None) -> list[Voice]:
    """Every readable profile; see `broken_profiles` for the others."""
    folder = voices_dir or default_voices_dir()
    voices = []
    for path in sorted(folder.glob("*.toml")):
        try:
            voices.append(load_voice_file(path))
        except BriefingError:
            continue
    return voices


def broken_profiles(voices_dir: Path | None = None) -> list[BriefingError]:
    """Why each unreadable profile in the folder cannot be used."""
    folder = voices_dir or default_voices_dir()
    problems = []
    for path in sorted(folder.glob("*.toml")):
        try:
            load_voice_file(path)
        except BriefingError as error:
            problems.append(error)
    return problems


def find_voice(name: str, voices_dir: Path | None = None) -> Voice:
    """The profile called `name`, or a path to a .toml profile. Another profile
    that is broken does not stop this one from loading."""
    if name.endswith(".toml") and Path(name).is_file():
        return load_voice_file(Path(name))
    folder = voices_dir or default_voices_dir()
    named = folder / f"{name}.toml"
    if named.is_file():
        voice = load_voice_file(named)
        if voice.name == name:
            return voice
    voices = list_voices(folder)
    for voice in voices:
        if voice.name == name:
            return voice
    known = ", ".join(v.name for v in voices) or "none"
    raise BriefingError(f"No voice called {name!r}; known voices: {known}. See `briefing voices`.")
