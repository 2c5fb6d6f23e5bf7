"""briefing: turn news articles into a podcast-style spoken news briefing, offline.

The public API is `build_briefing(BriefingRequest(...))`, which runs every stage
and returns a BriefingResult; the stage modules can also be used on their own.
"""
from .errors import BriefingError, NothingToSay, SourceError, SynthesisError, VoiceUnavailable
from .models import Article, Episode, InputFailure, RankedSentence, Script, Segment, Story, Voice

__all__ = [
    "Article", "BriefingError", "BriefingRequest", "BriefingResult", "Episode", "InputFailure", "NothingToSay",
    "RankedSentence", "Script", "Segment", "SourceError", "Story", "SynthesisError", "Voice", "VoiceUnavailable",
    "build_briefing",
]


def __getattr__(name: str):
    # The pipeline imports every stage; load it only when asked for, so
    # `import briefing.models` stays cheap.
    if name in ("build_briefing", "BriefingRequest", "BriefingResult"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
