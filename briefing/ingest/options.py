"""What an ingest run may take and how far it may go: its options and safety caps."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .sources import MAX_SOURCE_BYTES

if TYPE_CHECKING:
    from .fetch import FetchSettings

DEFAULT_MAX_PER_FEED = 50
"""Entries taken from one feed unless --max-per-feed says otherwise: a busy news feed carries 20-60."""
MAX_FETCHES = 300
"""Linked pages and listed feeds fetched in one run: a day's news from ten feeds, each page ~1 s."""
MAX_ARTICLES = 1000
"""Articles read in one run; a five-minute briefing reads about ten stories."""
MAX_OPML_DEPTH = 3
"""OPML lists may name OPML lists this many levels deep."""

@dataclass(frozen=True)
class IngestOptions:
    """What ingest may take and how far it may go to get it."""

    stdin_text: str | None = None
    """The text behind the `-` source, read by the caller."""
    max_per_feed: int | None = None
    """Take at most this many of the newest entries from each feed; None takes up to
    DEFAULT_MAX_PER_FEED and says so when a feed has more."""
    since: timedelta | None = None
    """Skip feed and list entries published longer ago than this (undated ones are kept)."""
    now: datetime | None = None
    """The moment `since` counts back from; the current time when None."""
    cache_dir: Path | None = None
    """Keep downloads here and re-validate them with conditional requests; no cache when None."""
    timeout_s: float = 15.0
    max_bytes: int = MAX_SOURCE_BYTES
    fetch_workers: int = 8
    retries: int = 2
    backoff_s: float = 0.5
    max_redirects: int = 5
    max_fetches: int = MAX_FETCHES
    """Fetch at most this many linked pages and listed feeds in a run (URLs the user names are not counted)."""
    max_articles: int = MAX_ARTICLES
    """Read at most this many articles in a run, the first in source order."""
    allow_private: bool = False
    """Let feeds and pages lead to loopback and private addresses, not only those the user names."""
    english_only: bool = True
    """Leave out articles in another language or script: every voice reads English only."""

    def fetch_settings(self) -> FetchSettings:
        from .fetch import FetchSettings

        return FetchSettings(
            timeout_s=self.timeout_s,
            max_bytes=self.max_bytes,
            max_redirects=self.max_redirects,
            retries=self.retries,
            backoff_s=self.backoff_s,
            cache_dir=self.cache_dir,
            allow_private=self.allow_private,
        )


_SINCE_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|s)", re.IGNORECASE)
_SINCE_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def parse_since(text: str) -> timedelta:
    """"24h", "2d", "90m", "1w", "1d12h" -> timedelta; ValueError with a usable message otherwise."""
    compact = text.strip().replace(" ", "")
    parts = _SINCE_PART.findall(compact)
    if not compact or "".join(n + u for n, u in parts).lower() != compact.lower():
        raise ValueError(f"{text!r} is not a duration; write it like 24h, 90m, 2d or 1w")
    total = timedelta()
    for number, unit in parts:
        total += timedelta(**{_SINCE_UNITS[unit.lower()]: float(number)})
    if total <= timedelta(0):
        raise ValueError(f"{text!r} is not a positive duration; write it like 24h, 90m, 2d or 1w")
    return total


