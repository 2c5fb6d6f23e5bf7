"""Regression guard: the ranker's P@3 on the bbc-dev set stays above the issue's bar.

P@3 is the share of the ranker's top 3 sentences that are in the human summary
(tests/fixtures/bbc-dev/README.md). The bar is sumy TextRank's 80.7 on this set
plus 4 points. The full comparison with ROUGE is bench/ranker.py.
"""
from __future__ import annotations

from pathlib import Path

from briefing.plan.rank import Ranker
from briefing.plan.sentences import split_sentences

DEV_SET = Path(__file__).parents[1] / "fixtures" / "bbc-dev"
SUMY_TEXTRANK_P_AT_3 = 80.7
BAR = SUMY_TEXTRANK_P_AT_3 + 4


def dev_articles() -> list[tuple[str, list[str], set[str]]]:
    articles = []
    for path in sorted((DEV_SET / "article").glob("*/*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        summary = DEV_SET / "summary" / path.relative_to(DEV_SET / "article")
        reference = {line.strip() for line in summary.read_text(encoding="utf-8").splitlines() if line.strip()}
        articles.append((title.strip(), split_sentences(body), reference))
    return articles


def test_dev_set_is_complete():
    articles = dev_articles()
    assert len(articles) == 50
    assert sum(len(sentences) for _, sentences, _ in articles) == 873


def test_precision_at_3_stays_above_the_bar():
    ranker = Ranker()
    hits = picks = 0
    for title, sentences, reference in dev_articles():
        top3 = ranker(title, sentences, 3)
        assert len(top3) == 3
        hits += sum(r.text in reference for r in top3)
        picks += 3
    precision_at_3 = 100 * hits / picks
    assert precision_at_3 >= BAR, f"P@3 fell to {precision_at_3:.1f}, below the bar of {BAR:.1f}"
