"""English stop words for the ranker, shipped in code so no NLTK corpus download is needed.

Function words (articles, pronouns, auxiliaries, prepositions, conjunctions,
common adverbs) plus the reporting verbs of news prose ("said", "told"), which
appear in most sentences of an article and so say nothing about its topic.
"""
from __future__ import annotations

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
