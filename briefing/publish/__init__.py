"""Publishing the episode library: podcast feed, web page, cover art, and a local server.

`publish_library` is what `briefing generate` calls after making an episode;
`serve` backs `briefing serve`. Episodes are read through briefing.episodes.
"""
from ..episodes import load_episodes
from ..models import Channel
from .serve import make_server, serve
from .update import PublishResult, publish_library, retire_episodes

__all__ = [
    "Channel",
    "PublishResult",
    "load_episodes",
    "make_server",
    "publish_library",
    "retire_episodes",
    "serve",
]
