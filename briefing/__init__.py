"""briefing: turn news articles into a podcast-style spoken news briefing, offline.

The public API is `build_briefing(BriefingRequest(...))`, which runs every stage
and returns a BriefingResult; the stage modules can also be used on their own.
Names are loaded when first used, so importing the package (as the command
line does at start-up) costs nothing.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_HOMES = {
    "BriefingError": "errors", "NothingToSay": "errors", "SourceError": "errors", "SynthesisError": "errors",
    "VoiceUnavailable": "errors",
    "Article": "models", "Episode": "models", "InputFailure": "models", "RankedSentence": "models",
    "Script": "models", "Segment": "models", "Story": "models", "Voice": "models",
    "BriefingRequest": "run.pipeline", "BriefingResult": "run.pipeline", "build_briefing": "run.pipeline",
    "plan_episode": "run.pipeline", "RenderRequest": "run.render", "render_script": "run.render",
    "read_script_file": "plan.script_file", "write_script_file": "plan.script_file",
}

__all__ = [
    "Article", "BriefingError", "BriefingRequest", "BriefingResult", "Episode", "InputFailure", "NothingToSay",
    "RankedSentence", "RenderRequest", "Script", "Segment", "SourceError", "Story", "SynthesisError", "Voice",
    "VoiceUnavailable", "build_briefing", "plan_episode", "read_script_file", "render_script", "write_script_file",
]

if TYPE_CHECKING:
    from .errors import BriefingError, NothingToSay, SourceError, SynthesisError, VoiceUnavailable
    from .models import Article, Episode, InputFailure, RankedSentence, Script, Segment, Story, Voice
    from .plan.script_file import read_script_file, write_script_file
    from .run.pipeline import BriefingRequest, BriefingResult, build_briefing, plan_episode
    from .run.render import RenderRequest, render_script


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'briefing' has no attribute {name!r}")
    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
