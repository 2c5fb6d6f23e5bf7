"""Summarize: rank an article's sentences by what a listener most needs to hear.

The signals:

- centrality: each sentence's summed cosine similarity to every other sentence
  over stemmed content words: degree centrality in LexRank's sentence similarity
  graph (Erkan and Radev, 2004), which is also similarity to the article's
  centroid (MEAD). It finds the facts the rest of the article keeps returning
  to. On such an undirected graph TextRank's PageRank scores tend to weighted
  degree as damping nears 1, so this is their ranking without the iteration.
- lead position: news is written as an inverted pyramid, so the opening
  sentence gets a small bonus.
- readability when heard alone: a sentence opening on a pronoun ("He said ...")
  is penalized until the sentence before it has been chosen; quotes with no
  speaker, fragments left by a bad split and very short lines are penalized;
  photo captions and web prompts ("Read more", "Click here") are never chosen.
- redundancy: sentences are chosen greedily by maximal marginal relevance
  (Carbonell and Goldstein, 1998), and one nearly the same as a sentence
  already chosen, or as the headline, is dropped.

The headline is used only to drop sentences that restate it: as a salience
signal it lowered agreement with human summaries on the dev set
(bench/ranker.py), as headlines are often puns or teasers.

This stage does not split text into sentences (see sentences.py), group
articles, or decide how many sentences a story gets (see script.py).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise

import numpy as np

from ..models import Article, RankedSentence
from .sentences import split_sentences
from .words import ENGLISH_STOP_WORDS, WORD, Stemmer, Tokenizer, WordTokenizer, default_stemmer


@dataclass(frozen=True)
class RankerSettings:
    """How much each signal counts: round values set by the signal's purpose."""

    lead_bonus: float = 0.05
    """Added to the first sentence's salience, which is scaled to a maximum of 1."""
    mmr_lambda: float = 0.9
    """Maximal marginal relevance: weight of salience against similarity to what was chosen."""
    duplicate_similarity: float = 0.55
    """Cosine similarity of content words at or above which a sentence repeats another:
    pairs above it read as the same fact retold, pairs below as related facts."""
    unresolved_penalty: float = 0.8
    """Factor for a sentence opening on a pronoun or quoting a bare "he said", until the
    sentence before it is chosen, so the listener knows who is meant."""
    unattributed_quote_penalty: float = 0.6
    """Factor for a quote with no speaker in it."""
    fragment_penalty: float = 0.3
    """Factor for a piece of a sentence: starts in lower case or lacks a final stop."""
    short_words: int = 6
    """Sentences with fewer words than this are too thin to stand alone."""
    short_penalty: float = 0.5
    max_sentences: int = 400
    """Only the first this many sentences are ranked, which caps work on very long inputs."""
    max_sentence_chars: int = 600
    """Longer "sentences" (about 40 s of speech) are never read: they are run-ons, lists or
    tables a scraper joined, not news prose (the 873 BBC dev sentences are at most 318)."""


DEFAULT_SETTINGS = RankerSettings()

_DOUBLE_QUOTES = "\"“”„«»"
PRONOUNS = frozenset("he she they him her his hers their theirs them it its this these those".split())
PERSONAL_PRONOUNS = frozenset(("he", "she", "they"))
_FIRST_PERSON = frozenset("i i'm i've i'd i'll we we're we've we'd we'll my our us me".split())
SPEECH_VERBS = frozenset(
    """said says say told tells added adds according asked explained warned insisted argued claimed
    stated wrote writes noted announced admitted replied urged stressed acknowledged confirmed
    commented declared continued suggested elaborated mentioned emphasised emphasized indicated
    revealed remarked reiterated observed responded recalled conceded cautioned promised vowed""".split()
)
_PROMPT = re.compile(
    r"\W*(?:read more|read the full|click here|tap here|subscribe|sign up|follow us|share this|"
    r"share on|also read|see also|related\s*:|more on this|watch\s*:|listen\s*:|advertisement|"
    r"sponsored|download (?:the|our) app|get the latest|(?:please )?share your (?:videos|photos|pictures|stories))\b"
)
_CAPTION_START = re.compile(
    r"\W*(?:(?:image|photo|photograph|picture|video|graphic)\s*(?:caption|credit|copyright|source)?"
    r"\s*[:|–-]|pictured\s*[:,]|file photo\b)"
)
_CAPTION_END = re.compile(
    r"(?:\((?:photo|image|picture|pictured|file)\b[^)]*\)|getty images|[|/]\s*(?:reuters|afp|ap|epa|pa)"
    r"|photo(?:graph)?\s*:\s*[\w .'-]+|©[^.]*)\W*$"
)
_CLOSERS = "'’\"”)]"


@dataclass(frozen=True)
class Readability:
    """How well a sentence stands alone when heard: a factor on its salience."""

    factor: float
    factor_after_previous: float | None = None
    """The factor once the sentence just before this one has been chosen, when that
    makes it clear (who "he" is); None if it makes no difference."""
    unusable: bool = False


def assess_readability(
    sentence: str, settings: RankerSettings = DEFAULT_SETTINGS, words: list[str] | None = None
) -> Readability:
    """Penalties for a sentence heard alone; web prompts and photo captions are unusable.

    `words` are the sentence's lower-case words as WordTokenizer finds them, if known.
    """
    text = sentence.strip()
    if len(text) > settings.max_sentence_chars:
        return Readability(0.0, unusable=True)
    lower = text.lower()
    if words is None:
        words = WORD.findall(lower)
    if not words or _PROMPT.match(lower) or _CAPTION_START.match(lower) or _CAPTION_END.search(lower[-80:]):
        return Readability(0.0, unusable=True)
    factor = 1.0
    if text[0].islower() or text.rstrip(_CLOSERS)[-1:] not in (".", "!", "?", "…"):
        factor *= settings.fragment_penalty
    if len(words) < settings.short_words:
        factor *= settings.short_penalty
    marks = text.count('"') + text.count("“") + text.count("”")
    spoken = not SPEECH_VERBS.isdisjoint(words)
    # A sentence that opens a quote, or ends one begun earlier, or speaks in the first
    # person, is someone's words: it needs a speaker, and its own pronouns are the speaker's.
    quoted = text[0] in _DOUBLE_QUOTES or marks % 2 == 1 or words[0] in _FIRST_PERSON
    if quoted and not spoken:
        return Readability(factor * settings.unattributed_quote_penalty)
    if (not quoted and words[0] in PRONOUNS) or (spoken and (marks or quoted) and _pronoun_speaker(words)):
        return Readability(factor * settings.unresolved_penalty, factor_after_previous=factor)
    return Readability(factor)


def _pronoun_speaker(words: list[str]) -> bool:
    """A quote whose speaker is only "he", "she" or "they" ("..., he said")."""
    return any(
        (a in PERSONAL_PRONOUNS and b in SPEECH_VERBS) or (a in SPEECH_VERBS and b in PERSONAL_PRONOUNS)
        for a, b in pairwise(words)
    )


class Ranker:
    """Ranks sentences for reading aloud: central, readable alone, not repetitive.

    The tokenizer (`.tokenize(text)`), stemmer (`.stem(word)`) and stop words are
    handed in, as in sumy, so tests can pin them; the defaults need no NLTK data.
    A Ranker memoizes stems, so reuse one across articles.
    """

    def __init__(
        self,
        tokenizer: Tokenizer | None = None,
        stemmer: Stemmer | None = None,
        stop_words: Iterable[str] | None = None,
        settings: RankerSettings = DEFAULT_SETTINGS,
    ):
        self.tokenizer = tokenizer or WordTokenizer()
        self.stemmer = stemmer or default_stemmer()
        self.stop_words = frozenset(w.lower() for w in (ENGLISH_STOP_WORDS if stop_words is None else stop_words))
        self.settings = settings
        self._stems: dict[str, str] = {}

    def terms(self, text: str) -> list[str]:
        """Stemmed content words: lower case, possessive 's and stop words removed."""
        return self._terms(self.tokenizer.tokenize(text.lower()))

    def rank(self, title: str, sentences: Sequence[str], *, starts: Sequence[int] = (0,)) -> list[RankedSentence]:
        """All sentences worth reading, best first; `position` indexes `sentences`.

        Near-duplicates of a better sentence or of the headline, captions, web
        prompts and sentences without content words are left out; sentences that
        read badly alone come late. `starts` are the positions where an article
        begins, when several outlets' articles are ranked together: each one's
        lead gets the lead bonus, and no sentence leans on another article's.
        """
        return self._select(title, sentences, len(sentences), starts=starts)

    def __call__(self, title: str, sentences: Sequence[str], count: int) -> list[RankedSentence]:
        """The best `count` sentences, in document order."""
        return sorted(self._select(title, sentences, count), key=lambda r: r.position)

    def salience(self, sentences: Sequence[str]) -> np.ndarray:
        """Each sentence's centrality, scaled to a maximum of 1, plus the lead bonus."""
        return self._salience(_similarity(_unit_rows([self.terms(s) for s in sentences])))

    def _salience(self, similarity: np.ndarray, starts: Sequence[int] = (0,)) -> np.ndarray:
        salience = similarity.sum(axis=1)
        top = salience.max() if len(salience) else 0.0
        if top > 0:
            salience /= top
        for start in starts:
            if 0 <= start < len(salience):
                salience[start] += self.settings.lead_bonus
        return salience

    def _terms(self, words: list[str]) -> list[str]:
        stems = self._stems
        try:
            return [term for term in map(stems.__getitem__, words) if term]
        except KeyError:
            if len(stems) >= 200_000:
                stems.clear()
            for word in words:
                if word not in stems:
                    stems[word] = self._stem(word)
            return [term for term in map(stems.__getitem__, words) if term]

    def _stem(self, word: str) -> str:
        """A word's stem, or "" for a stop word; memoized by `_terms`, as stemming
        is the costliest step."""
        bare = word[:-2] if word.endswith(("'s", "’s")) else word
        return "" if len(bare) < 2 or bare in self.stop_words else self.stemmer.stem(bare)

    def _select(
        self, title: str, sentences: Sequence[str], limit: int, starts: Sequence[int] = (0,)
    ) -> list[RankedSentence]:
        settings = self.settings
        sentences = list(sentences[: settings.max_sentences])
        n = len(sentences)
        if n == 0 or limit <= 0:
            return []
        tokens = [self.tokenizer.tokenize(s.lower()) for s in sentences]
        terms = [self._terms(w) for w in tokens]
        title_terms = self.terms(title)
        unit = _unit_rows([*terms, title_terms])
        vectors, title_vector = unit[:-1], unit[-1]

        similarity = _similarity(vectors)
        salience = self._salience(similarity, starts)
        first_of_article = set(starts)

        distinct = np.array([len(set(t)) for t in terms])
        restates_headline = (vectors @ title_vector >= settings.duplicate_similarity) & (
            distinct <= len(set(title_terms)) + 2
        )
        available = (distinct > 0) & ~restates_headline
        # assess_readability needs WordTokenizer's words; others it finds itself.
        words: list[list[str] | None] = list(tokens) if type(self.tokenizer) is WordTokenizer else [None] * n

        # Greedy MMR. Readability factors are at most 1, so salience bounds a sentence's
        # value and a sentence is assessed only when it could be the next pick.
        value = salience.copy()
        assessed = np.zeros(n, dtype=bool)
        is_chosen = np.zeros(n, dtype=bool)
        after_previous: dict[int, float] = {}
        lam = settings.mmr_lambda
        chosen: list[RankedSentence] = []
        redundancy = np.zeros(n)
        while len(chosen) < limit and available.any():
            best = int(np.where(available, lam * value - (1 - lam) * redundancy, -np.inf).argmax())
            if not assessed[best]:
                assessed[best] = True
                readability = assess_readability(sentences[best], settings, words[best])
                if readability.unusable:
                    available[best] = False
                    continue
                value[best] *= readability.factor
                if readability.factor_after_previous is not None and best > 0 and best not in first_of_article:
                    if is_chosen[best - 1]:
                        value[best] = salience[best] * readability.factor_after_previous
                    else:
                        after_previous[best] = readability.factor_after_previous
                continue
            chosen.append(RankedSentence(sentences[best], best, round(float(value[best]), 6)))
            available[best] = False
            is_chosen[best] = True
            available &= similarity[best] < settings.duplicate_similarity
            np.maximum(redundancy, similarity[best], out=redundancy)
            if best + 1 in after_previous:
                value[best + 1] = salience[best + 1] * after_previous[best + 1]
        return chosen


def _similarity(vectors: np.ndarray) -> np.ndarray:
    """Cosine similarity between every two rows, with no self-similarity."""
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    return similarity


def _unit_rows(terms: Sequence[list[str]]) -> np.ndarray:
    """One length-normalized term-frequency row per list of terms (zero rows stay zero)."""
    every = list(chain.from_iterable(terms))
    vocabulary = {term: column for column, term in enumerate(dict.fromkeys(every))}
    width = max(1, len(vocabulary))
    columns = np.fromiter(map(vocabulary.__getitem__, every), dtype=np.int64, count=len(every))
    rows = np.repeat(np.arange(len(terms), dtype=np.int64), [len(t) for t in terms])
    counts = np.bincount(rows * width + columns, minlength=len(terms) * width)
    counts = counts.reshape(len(terms), width).astype(float)
    norms = np.sqrt(np.einsum("ij,ij->i", counts, counts))
    norms[norms == 0] = 1.0
    return counts / norms[:, None]


def summarize(article: Article, count: int, ranker: Ranker | None = None) -> list[RankedSentence]:
    """The article's best `count` sentences in reading order, verbatim from its text."""
    ranker = ranker or Ranker()
    return ranker(article.title, split_sentences(article.text), count)
