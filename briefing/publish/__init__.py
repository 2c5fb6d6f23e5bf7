"""Publishing the episode library: podcast feed, web page, cover art, and a local server.

`publish_library` is what `briefing generate` calls after making an episode;
`serve` / `serve_command` back `briefing serve`.
"""
from briefing.publish.library import (
    Channel,
    PublishedEpisode,
    PublishResult,
    load_episodes,
    publish_library,
    retire_episodes,
)
from briefing.publish.serve import make_server, serve

__all__ = [
    "Channel",
    "PublishResult",
    "PublishedEpisode",
    "load_episodes",
    "make_server",
    "publish_library",
    "retire_episodes",
    "serve",
]
