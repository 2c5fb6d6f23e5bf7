"""Side-by-side benchmark of our sentence ranker against lead-k and sumy's summarizers.

    .venv/bin/python bench/ranker.py [CORPUS_DIR] [--articles N] [--repeats 5] [--bulk 1000] [--quick]

CORPUS_DIR (default tests/fixtures/bbc-dev) holds `article/<topic>/<id>.txt`
(headline on the first line, body after) and `summary/<topic>/<id>.txt` (one
reference sentence per line, verbatim from the article). Scoring follows that
corpus's README: ROUGE-1/2/L F1 (rouge-score, use_stemmer=True) when each
system picks as many sentences as the reference has, and P@3, the share of a
system's top 3 sentences that are in the reference. Every system gets the same
pre-split sentences (our Punkt splitter), so sumy needs no NLTK download.

The peers reproduce the corpus README's table within 0.2 points of ROUGE
(LexRank's P@3 within one pick); lead-k comes out 0.3 lower because Punkt
splits 7 of the 866 body lines, while the README's lead-k took whole lines.

Needs the `bench` extra (sumy, rouge-score); it is not a runtime dependency.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from _common import DEV_SET, BenchParser, dev_article_paths

from briefing.plan.rank import Ranker
from briefing.plan.sentences import split_sentences

EXTRA = "bench"

Picker = Callable[[str, Sequence[str], int], list[int]]
"""(title, sentences, count) -> indices of the chosen sentences, best first or in any order."""


@dataclass(frozen=True)
class EvalArticle:
    name: str
    title: str
    sentences: tuple[str, ...]
    reference: tuple[str, ...]


def load_corpus(root: Path, limit: int | None = None) -> list[EvalArticle]:
    """Every article (or the first `limit`) with its reference summary, sorted by path so runs repeat exactly."""
    articles = []
    for path in dev_article_paths(root)[:limit]:
        lines = path.read_text(encoding="utf-8").splitlines()
        title = lines[0].strip()
        body = "\n".join(lines[1:])
        summary = root / "summary" / path.relative_to(root / "article")
        reference = tuple(s.strip() for s in summary.read_text(encoding="utf-8").splitlines() if s.strip())
        name = str(path.relative_to(root / "article"))
        articles.append(EvalArticle(name, title, tuple(split_sentences(body)), reference))
    return articles


def ours(ranker: Ranker | None = None) -> Picker:
    """Our ranker as a Picker; a fresh Ranker (cold stem cache) unless one is given."""
    ranker = ranker or Ranker()

    def pick(title: str, sentences: Sequence[str], count: int) -> list[int]:
        return [r.position for r in ranker(title, sentences, count)]

    return pick


def lead(title: str, sentences: Sequence[str], count: int) -> list[int]:
    return list(range(min(count, len(sentences))))


class _SumyWords:
    """sumy's word filter over NLTK's Treebank-style word tokenizer, which needs no download.

    sumy's own Tokenizer("english") loads Punkt from nltk_data; we hand it our
    sentences instead, so only its word step is needed.
    """

    def __init__(self) -> None:
        from nltk.tokenize import NLTKWordTokenizer
        from sumy.nlp.tokenizers import Tokenizer

        self._tokenize = NLTKWordTokenizer().tokenize
        self._is_word = Tokenizer._is_word

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(w for w in self._tokenize(sentence) if self._is_word(w))


def sumy(name: str) -> Picker:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    classes = {
        "LexRank": LexRankSummarizer,
        "TextRank": TextRankSummarizer,
        "Luhn": LuhnSummarizer,
        "LSA": LsaSummarizer,
    }
    summarizer = classes[name](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    words = _SumyWords()

    def pick(title: str, sentences: Sequence[str], count: int) -> list[int]:
        document = ObjectDocumentModel([Paragraph([Sentence(s, words) for s in sentences])])
        chosen = {str(s) for s in summarizer(document, count)}
        return [i for i, s in enumerate(sentences) if s.strip() in chosen][:count]

    return pick


@dataclass(frozen=True)
class Scores:
    rouge1: float
    rouge2: float
    rougeL: float
    precision_at_3: float


def evaluate(pick: Picker, corpus: Sequence[EvalArticle]) -> Scores:
    """ROUGE F1 when picking as many sentences as the reference has, and P@3."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    r1, r2, rl, p3 = [], [], [], []
    for article in corpus:
        chosen = sorted(set(pick(article.title, article.sentences, len(article.reference))))
        summary = "\n".join(article.sentences[i] for i in chosen)
        score = scorer.score("\n".join(article.reference), summary)
        r1.append(score["rouge1"].fmeasure)
        r2.append(score["rouge2"].fmeasure)
        rl.append(score["rougeL"].fmeasure)
        reference = set(article.reference)
        top3 = pick(article.title, article.sentences, 3)
        p3.append(sum(article.sentences[i] in reference for i in top3) / 3)
    return Scores(100 * mean(r1), 100 * mean(r2), 100 * mean(rl), 100 * mean(p3))


def time_system(make: Callable[[], Picker], corpus: Sequence[EvalArticle], repeats: int = 5) -> float:
    """Seconds for the picks that `evaluate` makes (both counts, every article), best of
    `repeats` runs, each by a freshly made system so no run reuses an earlier one's caches."""
    best = float("inf")
    for _ in range(repeats):
        pick = make()
        start = time.perf_counter()
        for article in corpus:
            pick(article.title, article.sentences, len(article.reference))
            pick(article.title, article.sentences, 3)
        best = min(best, time.perf_counter() - start)
    return best


def time_bulk(corpus: Sequence[EvalArticle], articles: int = 1000) -> float:
    """Seconds for one fresh Ranker to rank `articles` articles (the corpus repeated) in full."""
    ranker = Ranker()
    start = time.perf_counter()
    for n in range(articles):
        article = corpus[n % len(corpus)]
        ranker.rank(article.title, article.sentences)
    return time.perf_counter() - start


def parser() -> BenchParser:
    parser = BenchParser(__doc__.splitlines()[0], quick=["--articles", "5", "--repeats", "1", "--bulk", "50"])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEV_SET, help="the dev set's folder")
    parser.add_argument("--articles", type=int, help="only the first N articles [default: all]")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each system; the best is shown")
    parser.add_argument("--bulk", type=int, default=1000, help="articles for the bulk ranking figure")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    root = args.corpus
    corpus = load_corpus(root, args.articles)
    systems: list[tuple[str, Callable[[], Picker]]] = [
        ("briefing", ours),
        ("lead-k", lambda: lead),
        ("sumy LexRank", lambda: sumy("LexRank")),
        ("sumy TextRank", lambda: sumy("TextRank")),
        ("sumy Luhn", lambda: sumy("Luhn")),
        ("sumy LSA", lambda: sumy("LSA")),
    ]
    print(f"corpus: {root} ({len(corpus)} articles, {sum(len(a.sentences) for a in corpus)} sentences)")
    print(f"time: picking both counts for every article, best of {args.repeats} runs, each from a fresh system")
    print(f"| {'system':<14}| {'R1':>6} | {'R2':>6} | {'RL':>6} | {'P@3':>5} | {'time s':>7} |")
    print(f"|{'-' * 15}|{'-' * 8}|{'-' * 8}|{'-' * 8}|{'-' * 7}|{'-' * 9}|")
    seconds: dict[str, float] = {}
    scores: dict[str, Scores] = {}
    for name, make in systems:
        s = scores[name] = evaluate(make(), corpus)
        seconds[name] = time_system(make, corpus, args.repeats)
        print(
            f"| {name:<14}| {s.rouge1:6.2f} | {s.rouge2:6.2f} | {s.rougeL:6.2f} | "
            f"{s.precision_at_3:5.1f} | {seconds[name]:7.3f} |"
        )
    ours_, peer = scores["briefing"], scores["sumy TextRank"]
    print(
        f"briefing vs sumy TextRank: R1 {ours_.rouge1 - peer.rouge1:+.2f}, R2 {ours_.rouge2 - peer.rouge2:+.2f} "
        f"(bar +2.0), P@3 {ours_.precision_at_3 - peer.precision_at_3:+.1f} (bar +4), "
        f"{seconds['sumy TextRank'] / seconds['briefing']:.0f}x faster (bar 10x)"
    )
    bulk = time_bulk(corpus, args.bulk)
    print(f"briefing ranks {args.bulk:,} articles in full (corpus repeated) in {bulk:.2f} s "
          f"({args.bulk / bulk:.0f} articles/s)")
    story = [s for article in corpus for s in article.sentences]
    ranker = Ranker()
    start = time.perf_counter()
    ranker.rank("one long story", story)
    print(f"briefing ranks one {len(story)}-sentence story (the corpus as one text) in "
          f"{1000 * (time.perf_counter() - start):.0f} ms, first {ranker.settings.max_sentences} sentences ranked")


if __name__ == "__main__":
    main()
