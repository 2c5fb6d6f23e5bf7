"""Words: the tokenizer, stemmer and stop words that ranking and grouping share.

Both compare sentences and articles by their stemmed content words, so both
must split and stem words the same way. No NLTK data download is needed: the
stop words are shipped here and the stemmer is Snowball's, built in.
"""
from __future__ import annotations

import re
from typing import Protocol

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
"""A word or number, keeping inner apostrophes ("Warner's"), split at hyphens."""


class Tokenizer(Protocol):
    def tokenize(self, text: str) -> list[str]: ...


class Stemmer(Protocol):
    def stem(self, word: str) -> str: ...


class WordTokenizer:
    """Words and numbers, keeping inner apostrophes ("Warner's"), split at hyphens.

    Uses the standard library's `re`: several times faster than NLTK's
    RegexpTokenizer, which runs the same kind of pattern on the `regex` package.
    """

    def tokenize(self, text: str) -> list[str]:
        return WORD.findall(text)


def default_stemmer() -> Stemmer:
    """The Snowball English (Porter2) stemmer, PyStemmer's C build: some 25 times faster
    than NLTK's pure-Python one, with the same stems."""
    import Stemmer as pystemmer

    return _PyStemmer(pystemmer.Stemmer("english", 0))


class _PyStemmer:
    def __init__(self, stemmer) -> None:
        self.stem = stemmer.stemWord


# English stop words, shipped in code so no NLTK corpus download is needed:
# function words (articles, pronouns, auxiliaries, prepositions, conjunctions,
# common adverbs) plus the reporting verbs of news prose ("said", "told"), which
# appear in most sentences of an article and so say nothing about its topic.
ENGLISH_STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above across after afterwards again against ago all almost alone along already also
    although always am among amongst an and another any anybody anyhow anyone anything anyway
    anywhere are aren't around as at away

    be became because become becomes becoming been before beforehand behind being below beside
    besides between beyond both but by

    can can't cannot could couldn't

    did didn't do does doesn't doing don't done down during

    each either else elsewhere enough etc even ever every everyone everything everywhere except

    few for former formerly from further furthermore

    get gets getting got

    had hadn't has hasn't have haven't having he he'd he'll he's hence her here here's hers
    herself him himself his how how's however

    i i'd i'll i'm i've ie if in indeed instead into is isn't it it's its itself

    just

    least less let let's like likely

    many may maybe me meanwhile might mine more moreover most mostly much must mustn't my myself

    namely neither never nevertheless no nobody none noone nor not nothing now nowhere

    of off often on once one ones only onto or other others otherwise ought our ours ourselves
    out over own

    per perhaps please

    quite

    rather really

    same several shall shan't she she'd she'll she's should shouldn't since so some somebody
    somehow someone something sometime sometimes somewhat somewhere still such

    than that that's the their theirs them themselves then thence there there's thereafter
    thereby therefore therein these they they'd they'll they're they've this those though
    through throughout thus to together too toward towards

    under until unto up upon us

    very via

    was wasn't we we'd we'll we're we've were weren't what what's whatever when whence whenever
    where where's whereas whereby wherein whether which while whither who who's whoever whole
    whom whose why will with within without won't would wouldn't

    yet you you'd you'll you're you've your yours yourself yourselves

    said say saying says told tells according added adding

    mr mrs ms dr
    """.split()
)


LEAD_WORDS = 60
"""The lead: the first ~60 words, about two news sentences, where the event is named."""


def lead(text: str) -> str:
    """The text's lead: its first LEAD_WORDS words."""
    return " ".join(text.split()[:LEAD_WORDS])
