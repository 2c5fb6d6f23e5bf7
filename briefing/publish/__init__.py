"""Publishing the episode library: podcast feed, web page, flash briefing feed, cover art,
the local server and the studio's server.

`publish_library` (update.py) is what `briefing generate` calls after making an episode;
`serve` backs `briefing serve`. Episodes are read through briefing.episodes. Names are
loaded when first used, so importing one module here loads no other.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_HOMES = {"PublishResult": "update", "publish_library": "update", "retire_episodes": "update",
          "make_server": "serve", "serve": "serve"}

__all__ = ["PublishResult", "make_server", "publish_library", "retire_episodes", "serve"]

if TYPE_CHECKING:
    from .serve import make_server, serve
    from .update import PublishResult, publish_library, retire_episodes


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'briefing.publish' has no attribute {name!r}")
    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
