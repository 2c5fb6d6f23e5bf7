"""How does a run's cost grow with the number of articles? Ingest, group, rank and script; no synthesis.

For each size N (default 100, 1,000 and 10,000), in a fresh process:

1. make N synthetic news items in RSS feed files of 100 items each, full text
   in content:encoded (as full-text feeds carry it). Each item is one of the
   50 BBC dev articles (tests/fixtures/bbc-dev) retold about other people,
   places and figures: its capitalised names and its numbers are swapped for
   made-up ones drawn per item, and half its longer words for other words of
   the dev set, so items share the sentence shapes and everyday words of news
   but not their events (a few still group, as reports of one event). One item in ten is instead a
   near-duplicate of an earlier item (a syndicated copy: new headline, last
   paragraph cut), which grouping must collapse;
2. ingest the feed files (the per-feed and per-run caps raised to N, so
   nothing is cut), group the articles, rank every story's sentences and
   write the script, as `briefing generate` does before it synthesizes
   (plan.draft.plan_script);
3. print seconds per stage, the total, peak memory (the process's maximum
   RSS) and how many stories the articles made.

Usage: python bench/stress.py [--sizes 100,1000,10000] [--repeat 1] [--quick]
Timings on a shared machine are noisy: with --repeat R the best of R runs is shown.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from _common import BenchParser, dev_article_paths

EXTRA = None
ITEMS_PER_FEED = 100
DUPLICATE_EVERY = 10
DAY = date(2026, 11, 24)
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{2,}(?: [A-Z][a-z]{2,})*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_WORD = re.compile(r"\b[a-z]{4,}\b")
SWAPPED_WORD_SHARE = 0.5
_SYLLABLES = ("ka", "lo", "ven", "mar", "ti", "sa", "bel", "dor", "ri", "na", "gal", "or", "mi", "ston", "ber", "lin")


def dev_articles() -> list[tuple[str, list[str]]]:
    """(headline, paragraphs) of the 50 BBC dev articles, in a fixed order."""
    articles = []
    for path in dev_article_paths():
        lines = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
        lines = [line for line in lines if line]
        articles.append((lines[0], lines[1:]))
    return articles


def _made_up_name(rng: random.Random, words: int) -> str:
    return " ".join("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
                    for _ in range(words))


def vocabulary(articles: list[tuple[str, list[str]]]) -> list[str]:
    """The lower-case words of four letters or more in the dev set, sorted."""
    words = {w for _, paragraphs in articles for p in paragraphs for w in re.findall(r"\b[a-z]{4,}\b", p)}
    return sorted(words)


def retold(headline: str, paragraphs: list[str], rng: random.Random, words: list[str]) -> tuple[str, list[str]]:
    """The article about made-up names and figures (the same name maps to the same made-up one),
    with half its longer lower-case words swapped for others from the dev set."""
    names: dict[str, str] = {}

    def word(match: re.Match) -> str:
        return rng.choice(words) if rng.random() < SWAPPED_WORD_SHARE else match.group(0)

    def name(match: re.Match) -> str:
        found = match.group(0)
        return names.setdefault(found, _made_up_name(rng, len(found.split())))

    def number(match: re.Match) -> str:
        return str(rng.randint(2, 999))

    def swap(text: str) -> str:
        return _WORD.sub(word, _NUMBER.sub(number, _NAME.sub(name, text)))

    return swap(headline), [swap(p) for p in paragraphs]


def synthetic_items(count: int, seed: int = 13) -> list[dict[str, str]]:
    """`count` items: retold dev articles, and every tenth a near-duplicate of an earlier item."""
    rng = random.Random(seed)
    base = dev_articles()
    words = vocabulary(base)
    items: list[dict[str, str]] = []
    for n in range(count):
        if n % DUPLICATE_EVERY == DUPLICATE_EVERY - 1:
            original = items[rng.randrange(len(items))]
            paragraphs = original["text"].split("\n")
            items.append({"title": "Update: " + original["title"],
                          "text": "\n".join(paragraphs[:-1] if len(paragraphs) > 3 else paragraphs)})
            continue
        headline, paragraphs = retold(*base[n % len(base)], rng, words)
        items.append({"title": headline, "text": "\n".join(paragraphs)})
    return items


def write_feeds(items: list[dict[str, str]], folder: Path) -> list[Path]:
    """RSS 2.0 files of ITEMS_PER_FEED items, newest first, full text in content:encoded."""
    start = datetime(2026, 11, 24, 6, 0, tzinfo=timezone.utc)
    paths = []
    for first in range(0, len(items), ITEMS_PER_FEED):
        entries = []
        for n, item in enumerate(items[first:first + ITEMS_PER_FEED], start=first):
            body = "".join(f"<p>{escape(p)}</p>" for p in item["text"].split("\n"))
            entries.append(
                f"<item><title>{escape(item['title'])}</title><link>https://wire{n % 7}.example/story/{n}</link>"
                f"<guid>story-{n}</guid><pubDate>{format_datetime(start - timedelta(minutes=n))}</pubDate>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
            )
        path = folder / f"feed-{first // ITEMS_PER_FEED:03d}.xml"
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Wire {first // ITEMS_PER_FEED}</title><link>https://wire.example/</link>"
            f"<description>Synthetic news</description>{''.join(entries)}</channel></rss>",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def measure(count: int) -> dict[str, float]:
    """One size, in this process: seconds per stage and peak RSS."""
    from briefing.ingest import IngestOptions, ingest
    from briefing.plan.draft import rank_stories
    from briefing.plan.group import group_articles
    from briefing.plan.rank import Ranker
    from briefing.plan.script import allocate, write_script

    with tempfile.TemporaryDirectory() as folder:
        feeds = write_feeds(synthetic_items(count), Path(folder))
        started = time.perf_counter()
        result = ingest([str(p) for p in feeds], IngestOptions(max_per_feed=ITEMS_PER_FEED, max_articles=count,
                                                               cache_dir=None))
    ingested = time.perf_counter()
    groups = group_articles(result.articles)
    grouped = time.perf_counter()
    stories = rank_stories(groups, Ranker())
    write_script(allocate(stories, 5 * 60_000, 15.0), DAY)
    scripted = time.perf_counter()
    return {
        "articles": len(result.articles),
        "stories": len(groups),
        "ingest_s": ingested - started,
        "group_s": grouped - ingested,
        "rank_script_s": scripted - grouped,
        "total_s": scripted - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_size(count: int, repeat: int) -> dict[str, float]:
    """The best of `repeat` fresh processes (fresh, so peak memory is this size's own)."""
    runs = []
    for _ in range(repeat):
        output = subprocess.run([sys.executable, __file__, "--one", str(count)], capture_output=True, text=True,
                                check=True)
        runs.append(json.loads(output.stdout))
    return min(runs, key=lambda r: r["total_s"])


def parser() -> BenchParser:
    parser = BenchParser(__doc__.split("\n", 1)[0], quick=["--sizes", "100", "--repeat", "1"])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated article counts")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the best is shown")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    print(f"{'articles':>8} {'stories':>7} {'ingest s':>9} {'group s':>8} {'rank+script s':>13} {'total s':>8} "
          f"{'peak RSS MB':>11}")
    for count in (int(size) for size in args.sizes.split(",")):
        r = run_size(count, args.repeat)
        print(f"{r['articles']:>8,} {r['stories']:>7,} {r['ingest_s']:>9.2f} {r['group_s']:>8.2f} "
              f"{r['rank_script_s']:>13.2f} {r['total_s']:>8.2f} {r['peak_rss_mb']:>11.0f}", flush=True)


if __name__ == "__main__":
    main()
