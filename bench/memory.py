"""How much does memory cost a daily show, as its memory file fills up?

A month of episodes is remembered (STORIES_PER_DAY stories a day, each one
article from the BBC dev set in tests/fixtures/bbc-dev with its words shuffled,
so every story is different but reads like news), then today's 40 stories are
matched against it (`Memory.recall`: same URL or same event, then new facts
only). The table shows the memory's size on disk and the best of N recall times.

Usage: python bench/memory.py [--per-day 5,10,20,33] [--repeat 3] [--quick]
"""
from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from _common import BenchParser, dev_article_paths

from briefing.models import Article, RankedSentence, RankedStory, Story
from briefing.plan.memory import MEMORY_DAYS, Memory, memory_path, save_memory
from briefing.plan.sentences import split_sentences

EXTRA = None
TODAY_STORIES = 40


def articles(count: int, seed: int) -> list[Article]:
    """`count` different articles with the dev set's vocabulary."""
    sources = []
    for path in dev_article_paths():
        title, _, text = path.read_text(encoding="utf-8", errors="replace").partition("\n")
        sources.append((title.strip(), text.split()))
    rng = random.Random(seed)
    made = []
    for n in range(count):
        title, words = sources[n % len(sources)]
        words = list(words)
        rng.shuffle(words)
        text = " ".join(" ".join(words[i:i + 20]) + "." for i in range(0, min(len(words), 400), 20))
        made.append(Article(f"{title} ({seed}-{n})", text, url=f"https://news.example/{seed}/{n}"))
    return made


def parser() -> BenchParser:
    parser = BenchParser(__doc__.splitlines()[0], quick=["--per-day", "5", "--repeat", "1"])
    parser.add_argument("--per-day", default="5,10,20,33", help="Stories per day to remember, comma-separated.")
    parser.add_argument("--repeat", type=int, default=3, help="Recall runs; the best time is shown.")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    today = [
        RankedStory(a.title, tuple(RankedSentence(s, i, 1.0) for i, s in enumerate(split_sentences(a.text))),
                    articles=(a,))
        for a in articles(TODAY_STORIES, seed=999)
    ]
    print(f"{'stories/day':>11} {'remembered':>10} {'memory.json KB':>14} {'recall s (best)':>15}")
    for per_day in (int(n) for n in args.per_day.split(",")):
        memory = Memory()
        start = date(2026, 1, 1)
        for day in range(MEMORY_DAYS):
            told = [Story(a.title, tuple(split_sentences(a.text)[:3]), articles=(a,))
                    for a in articles(per_day, seed=day)]
            memory = memory.remember(f"episode-{day}", start + timedelta(days=day), told)
        with tempfile.TemporaryDirectory() as folder:
            save_memory(Path(folder), memory)
            size_kb = memory_path(Path(folder)).stat().st_size / 1024
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            memory.recall(today)
            times.append(time.perf_counter() - began)
        print(f"{per_day:>11} {len(memory.stories):>10} {size_kb:>14.0f} {min(times):>15.2f}")


if __name__ == "__main__":
    main()
