"""Do the stories make sense when heard once, in order? Measured on planned scripts.

    .venv/bin/python bench/coherence.py [CORPUS_DIR] [--sample PATH] [--show] [--flags] [--no-ranker] [--quick]

The dev articles (CORPUS_DIR, default tests/fixtures/bbc-dev) are read as five
5-minute briefings of 10 articles each, one per topic folder, planned by
briefing.plan.draft.plan_script with the `joe` voice's chars_per_second (no
audio). The shared sample is planned alone, as a 5-minute briefing. For each
script the detectors below walk what a listener hears, in order, and count:

- news stated: the story's first read sentence is an article's lead (on these
  BBC articles every lead states the news: checked by hand for all 50);
- surname-only: a person heard first as "Mr Clarke" or "McEwan" before their
  full name was heard anywhere in the episode;
- dangling: a sentence opening on a pronoun, a connective ("However", "But",
  "Also") or an anaphoric "The committee" whose sentence before it in the
  article was not the sentence heard just before it;
- speakerless: quoted speech heard before its speaker is known (named in the
  sentence, or in the sentence heard just before that introduces the quote),
  and a quote running over several sentences heard only in part (split);
- repeated: a sentence that retells a fact heard earlier in the episode (half or
  more of the shorter sentence's content words, at least three, shared with one
  earlier sentence).

Flaws are per 100 read sentences. The detectors are this file's own rules
(Porter stems and sumy's stop words, not the pipeline's), so the pipeline is
not graded by its own code; `--flags` lists every flag for checking by hand.
Needs the `bench` extra (sumy, rouge-score) for the stop words and ranker figures.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

from _common import DEV_SET, SAMPLE, BenchParser, dev_article_paths

from briefing.ingest import IngestOptions, ingest
from briefing.models import Article, Script
from briefing.plan.draft import plan_script
from briefing.plan.sentences import split_sentences
from briefing.voices import find_voice

EXTRA = "bench"
DAY = date(2005, 3, 1)
MINUTES = 5.0

TOKEN = re.compile(r"[A-Za-z0-9][\w'’-]*")
NAME_TOKEN = r"[A-Z][a-z]*(?:['’][A-Z])?[a-z]+(?:-[A-Z][a-z]+)?"
"""A capitalized word shaped like a name part: Clarke, O'Sullivan, Jean-Michel."""
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor")
DETERMINERS = frozenset({"The", "A", "An", "This", "That"})
"""Before a name-shaped word they make it a thing, not a person: "The Israeli election"."""
TITLED = re.compile(rf"\b(?:{'|'.join(TITLES)})\.?\s+({NAME_TOKEN})")
NOT_GIVEN = frozenset(
    """the a an in on at of for and but or to from by with as this that these those his her their its
    mr mrs ms miss dr prof professor sir dame lord lady president minister secretary chancellor prime
    chief chairman spokesman spokesperson novelist author prince princess king queen crown pope
    new north south east west united great saint st""".split()
)
PRONOUN_OPENERS = frozenset("he she they it his her their its this these those that such him them".split())
CONNECTIVES = (
    "however", "but", "and", "also", "yet", "still", "meanwhile", "instead", "nevertheless", "nonetheless",
    "moreover", "furthermore", "additionally", "besides", "otherwise", "indeed", "thus", "therefore", "hence",
    "so", "then", "likewise", "similarly", "accordingly", "consequently", "even so", "in addition",
    "as well", "at the same time", "despite this", "despite that", "in contrast", "by contrast",
    "on the other hand", "in fact", "after that", "as a result", "another", "both", "neither", "the other",
    "the same", "other", "others", "elsewhere", "too", "in other words", "for example", "for instance", "that said",
    "even then", "in turn",
)
CONNECTIVE = re.compile(rf"^(?:{'|'.join(re.escape(c) for c in CONNECTIVES)})\b", re.IGNORECASE)
FRONTED_PRONOUN = re.compile(r"^[^,\"“”]{1,60},\s+(?:he|she|they|it)\b")
DEFINITE = re.compile(r"^(?:The|This|That|These|Those)\s+((?:[a-z][a-z-]*\s*){1,3})")
SPEECH = frozenset(
    """said says say told tells added adds stated states wrote writes explained warned insisted argued
    claimed noted announced admitted replied urged stressed acknowledged confirmed commented declared
    continued suggested elaborated mentioned emphasised emphasized indicated revealed remarked reiterated
    observed responded recalled conceded cautioned promised vowed according asked described expressed""".split()
)
OPEN_QUOTES = "“"
CLOSE_QUOTES = "”"


def _stop_words() -> frozenset[str]:
    from sumy.utils import get_stop_words

    return frozenset(get_stop_words("english"))


def _stemmer():
    from nltk.stem import PorterStemmer

    return PorterStemmer()


@dataclass
class StorySource:
    """The story's article sentences (document order) and where each article starts."""

    sentences: list[str]
    starts: list[int]
    text: str
    leads: set[int] = field(default_factory=set)
    """The sentences that count as an article's lead: its first, or those marked by hand."""

    def article_of(self, position: int) -> int:
        return max(i for i, start in enumerate(self.starts) if start <= position)

    def same_article_predecessor(self, position: int) -> int | None:
        return None if position in self.starts else position - 1


@dataclass
class Flag:
    kind: str
    story: int
    sentence: str
    note: str = ""


@dataclass
class Tally:
    stories: int = 0
    news_stated: int = 0
    lead_read: int = 0
    sentences: int = 0
    quoted: int = 0
    flags: list[Flag] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.stories += other.stories
        self.news_stated += other.news_stated
        self.lead_read += other.lead_read
        self.sentences += other.sentences
        self.quoted += other.quoted
        self.flags.extend(other.flags)

    def per_100(self, kind: str) -> float:
        return 100 * sum(f.kind == kind for f in self.flags) / max(1, self.sentences)


class Listener:
    """Walks one script as heard and flags what a listener could not follow."""

    def __init__(self, broad: bool = False, leads: dict[str, tuple[str, ...]] | None = None) -> None:
        self.broad = broad
        self.leads = leads or {}
        """Words in the lead of an article (by origin) whose first sentence is not its lead."""
        """Count every "Given Surname" whose surname is also heard alone, person or not."""
        self.stop = _stop_words()
        self.stem = _stemmer().stem

    # --- words -------------------------------------------------------------------------
    def content(self, text: str) -> set[str]:
        words = (w.lower().strip("'’") for w in TOKEN.findall(text))
        return {self.stem(w[:-2] if w.endswith("'s") else w) for w in words if w not in self.stop and len(w) > 1}

    def repeats(self, later: str, earlier: str) -> bool:
        a, b = self.content(later), self.content(earlier)
        shared = len(a & b)
        return shared >= 3 and shared >= 0.5 * min(len(a), len(b))

    # --- people --------------------------------------------------------------------------
    def people(self, source: StorySource) -> dict[str, set[str]]:
        """Surname -> the given names it is heard with in the story's text, for every
        surname that the text also uses alone or after Mr/Ms and that names a person
        (a title, or he/she within the sentence or the next; or, when broad, any)."""
        text = source.text
        full: dict[str, set[str]] = {}
        for match in re.finditer(rf"(?<![\w'’])((?:{NAME_TOKEN}\s+){{1,2}})({NAME_TOKEN})(?=['’]s\b|[^\w'’-]|$)(?!\s+[A-Z])", text):
            given = match.group(1).split()
            while given and given[0].lower() in NOT_GIVEN:
                given.pop(0)
            if given:
                full.setdefault(match.group(2), set()).add(" ".join(given))
        people: dict[str, set[str]] = {}
        titled = set(TITLED.findall(text))
        for surname, given in full.items():
            if surname in titled or (self.broad and any(self._bare(surname, s) for s in source.sentences)):
                people[surname] = given
                continue
            for i, sentence in enumerate(source.sentences):
                if not self._bare(surname, sentence):
                    continue
                window = " ".join(source.sentences[i:i + 2]).lower()
                if re.search(r"\b(?:he|she|his|her|him)\b", window):
                    people[surname] = given
                    break
        for surname in titled - set(people):
            people[surname] = set()
        return people

    @staticmethod
    def _bare(surname: str, text: str, given: set[str] = frozenset()) -> list[re.Match]:
        """Mentions of `surname` with none of its `given` names before it (alone, after a
        title, or after a role: "Kremlin Spokesperson Peskov")."""
        pattern = rf"(?<![\w'’-])(?<!the )(?<!The )({NAME_TOKEN}\s+)?{re.escape(surname)}(?![\w-])(?!\s+[A-Z][a-z])"
        return [m for m in re.finditer(pattern, text)
                if (m.group(1) or "").strip() not in DETERMINERS
                and (m.group(1) is None or m.group(1).strip() in TITLES
                     or (given and not any(text[:m.end(1)].rstrip().endswith(g.split()[-1]) for g in given)))]

    # --- quotes --------------------------------------------------------------------------
    @staticmethod
    def quote_groups(sentences: Sequence[str], starts: Sequence[int]) -> list[tuple[int, int]]:
        """(first, last) spans of double-quoted speech running over several sentences.

        A sentence that opens with a quote mark while a quote is still open continues it:
        news style opens each paragraph of a long quote again and closes only the last."""
        groups = []
        open_at = None
        ends = [*starts[1:], len(sentences)]
        for start, end in zip(starts, ends):
            open_at = None
            for i in range(start, end):
                sentence = sentences[i]
                marks = sentence.count('"') + sum(sentence.count(c) for c in OPEN_QUOTES + CLOSE_QUOTES)
                if open_at is not None and sentence.lstrip()[:1] in '"' + OPEN_QUOTES:
                    marks -= 1
                if marks % 2 == 1:
                    if open_at is None:
                        open_at = i
                    else:
                        if i > open_at:
                            groups.append((open_at, i))
                        open_at = None
            if open_at is not None and end - 1 > open_at:
                groups.append((open_at, end - 1))
        return groups

    @staticmethod
    def is_speech(sentence: str) -> bool:
        quoted = re.findall(r"[\"“]([^\"”]*)[\"”]", sentence)
        return sentence.lstrip()[:1] in "\"“" or any(len(q.split()) >= 4 for q in quoted)

    @staticmethod
    def attributed(sentence: str) -> str | None:
        """"named" if the sentence names its speaker, "pronoun" for "he said", else None."""
        outside = re.sub(r"[\"“][^\"”]*[\"”]", " ", sentence)
        outside = re.sub(r"[\"“][^\"”]*$|^[^\"“]*[\"”]", " ", outside) if outside.count('"') % 2 else outside
        words = TOKEN.findall(outside)
        lower = [w.lower() for w in words]
        for i, word in enumerate(lower):
            if word in SPEECH:
                near = lower[max(0, i - 2):i + 3]
                if any(w in ("he", "she", "they") for w in near):
                    return "pronoun"
                return "named"
        return None

    # --- the walk -----------------------------------------------------------------------
    def listen(self, script: Script) -> Tally:
        tally = Tally(stories=len(script.stories))
        sources = [story_source(story.articles, self.leads) for story in script.stories]
        heard: list[str] = []
        heard_sentences: list[str] = []
        read: dict[int, list[tuple[int, str]]] = {i: [] for i in range(len(script.stories))}
        for segment in script.segments:
            index = segment.story_index
            text = segment.display
            if segment.kind != "sentence":
                self._check_names(text, heard, index, sources, tally, count=False)
                heard.append(text)
                if segment.kind == "headline" and index is not None:
                    heard_sentences.append(script.stories[index].headline)
                continue
            source = sources[index]
            position = locate(text, source.sentences)
            story_read = read[index]
            tally.sentences += 1
            if not story_read:
                tally.news_stated += position in source.leads
            previous = story_read[-1][0] if story_read else None
            self._check_names(text, heard, index, sources, tally, count=True)
            self._check_opener(text, position, previous, source, story_read, index, tally)
            self._check_quote(text, position, previous, source, story_read, index, tally)
            for earlier in heard_sentences:
                if self.repeats(text, earlier):
                    tally.flags.append(Flag("repeated", index, text, f"retells: {earlier[:90]}"))
                    break
            story_read.append((position, text))
            heard.append(text)
            heard_sentences.append(text)
        for index, source in enumerate(sources):
            positions = {p for p, _ in read[index]}
            tally.lead_read += bool(positions & source.leads)
            for first, last in self.quote_groups(source.sentences, source.starts):
                span = set(range(first, last + 1))
                if positions & span and not span <= positions:
                    tally.flags.append(Flag("split quote", index, source.sentences[first],
                                            f"read {sorted(positions & span)} of {first}-{last}"))
        return tally

    def _check_names(self, text, heard, index, sources, tally, count) -> None:
        candidates = range(len(sources)) if index is None else [index]
        earlier = " ".join(heard)
        for i in candidates:
            for surname, given in self.people(sources[i]).items():
                for match in self._bare(surname, text, given):
                    before = earlier + " " + text[:match.start()]
                    # Heard in full: a given name right before the surname ("American Justin" is given as
                    # "Justin": the run of capitalized words before a name may hold a nationality).
                    firsts = {g.split()[-1] for g in given}
                    if any(re.search(rf"\b{re.escape(g)}\s+{re.escape(surname)}\b", before) for g in firsts):
                        continue
                    if firsts and any(re.search(rf"\b{re.escape(g)}\s+{re.escape(surname)}\b", text) for g in firsts):
                        continue
                    if re.search(rf"\b{re.escape(surname)}\b", earlier) and not given:
                        continue
                    note = f"{match.group(0).strip()} (full: {', '.join(sorted(given)) or 'none in article'})"
                    tally.flags.append(Flag("surname-only", i, text, note))
                    break

    def _check_opener(self, text, position, previous, source, story_read, index, tally) -> None:
        if position in source.starts:
            return
        body = text.lstrip("\"“'‘ ")
        if body != text.lstrip():
            return  # a quote: judged by _check_quote
        first = TOKEN.findall(body)[:1]
        opener = None
        if first and first[0].lower() in PRONOUN_OPENERS:
            opener = first[0]
        elif CONNECTIVE.match(body):
            opener = CONNECTIVE.match(body).group(0)
        elif FRONTED_PRONOUN.match(body):
            opener = FRONTED_PRONOUN.match(body).group(0)
        elif DEFINITE.match(body):
            words = []
            for word in DEFINITE.match(body).group(1).split():
                if word in self.stop or word in SPEECH:
                    break
                words.append(word)
            rest = body[DEFINITE.match(body).end():]
            described = re.match(r"(?:of|between|in|for|on|at|that|which|who|behind|from)\b", rest)
            if words and not described:
                head = self.stem(words[-1])
                before = source.sentences[source.starts[source.article_of(position)]:position]
                if any(head in self.content(s) for s in before) and not any(
                    head in self.content(t) for _, t in story_read
                ):
                    opener = f"The {' '.join(words)}"
        if opener and previous != source.same_article_predecessor(position):
            tally.flags.append(Flag("dangling", index, text, f"opens on {opener!r}"))

    def _check_quote(self, text, position, previous, source, story_read, index, tally) -> None:
        group = next(((a, b) for a, b in self.quote_groups(source.sentences, source.starts) if a <= position <= b), None)
        if group or self.is_speech(text):
            tally.quoted += 1
        predecessor_read = previous is not None and previous == source.same_article_predecessor(position)
        if group is None:
            if not self.is_speech(text):
                return
            who = self.attributed(text)
            if who == "named" or (who == "pronoun" and predecessor_read):
                return
            if who is None and predecessor_read and self.attributed(source.sentences[position - 1]):
                return
            tally.flags.append(Flag("speakerless", index, text, "quote with no speaker" if who is None
                                    else "quote by 'he/she' with the sentence naming them not read"))
            return
        first, _ = group
        # Known before: the sentence heard just before the quote is its lead-in and speaks of someone.
        lead_in = source.sentences[first - 1] if first > 0 and first not in source.starts else ""
        lead_in_heard = any(p == first - 1 for p, _ in story_read[-(position - first + 1):])
        # A lead-in that says "he said" is known when the sentence naming him was heard just before it.
        lead_in_said = self.attributed(lead_in)
        chain_heard = any(p == first - 2 for p, _ in story_read[-(position - first + 2):]) and first - 1 not in source.starts
        known_before = lead_in_heard and (lead_in.rstrip().endswith(":") or lead_in_said == "named" or (
            lead_in_said == "pronoun" and chain_heard and self.attributed(source.sentences[first - 2]) is not None))
        so_far = source.sentences[first:position + 1]
        named_within = any(self.attributed(s) == "named" for s in so_far)
        pronoun_within = any(self.attributed(s) == "pronoun" for s in so_far) and lead_in_heard
        if not (known_before or named_within or pronoun_within):
            who_at_end = self.attributed(source.sentences[group[1]])
            tally.flags.append(Flag("speakerless", index, text,
                                    f"sentence {position - first + 1} of a {group[1] - first + 1}-sentence quote; "
                                    f"speaker {'named at its end' if who_at_end else 'never named'}"))


def locate(text: str, sentences: Sequence[str]) -> int:
    """The article sentence a read sentence came from (read text may give a fuller name)."""
    if text in sentences:
        return sentences.index(text)
    return max(range(len(sentences)), key=lambda i: SequenceMatcher(None, text, sentences[i]).ratio())


def story_source(articles: Sequence[Article], marked: dict[str, tuple[str, ...]] | None = None) -> StorySource:
    """`marked`: for an article (by origin) whose lead is not its first sentence, words the lead holds."""
    sentences: list[str] = []
    starts: list[int] = []
    leads: set[int] = set()
    for article in articles:
        starts.append(len(sentences))
        own = split_sentences(article.text)
        labels = (marked or {}).get(article.origin)
        found = {len(sentences) + i for i, s in enumerate(own) if labels and any(label in s for label in labels)}
        leads |= found if labels else {len(sentences)}
        sentences.extend(own)
    return StorySource(sentences, starts, "\n".join(a.text for a in articles), leads)


TUNE_IDS = frozenset(f"{n:03d}" for n in range(1, 6))
"""The dev articles the rules may be tuned on (001-005 of each topic); 006-010 are only measured."""
MINUTES_PER_ARTICLE = MINUTES / 10
"""A split's briefings are as dense as the dev set's: 10 articles to 5 minutes."""
OUTLET_BATCH = 7
"""At most this many outlet articles to a briefing, the pages dealt out in turn."""


@dataclass
class Batch:
    label: str
    articles: list[Article]
    minutes: float = MINUTES


def dev_batches(root: Path, per_topic: int | None = None, half: str | None = None) -> list[Batch]:
    """One batch per topic folder: its articles (or the first `per_topic`; or, for a `half`
    of the split, its tune or unseen ids), in path order."""
    batches: dict[str, list[Article]] = {}
    for path in dev_article_paths(root):
        articles = batches.setdefault(path.parent.name, [])
        if half is not None and (path.stem in TUNE_IDS) != (half == "tune"):
            continue
        if per_topic is None or len(articles) < per_topic:
            title, _, body = path.read_text(encoding="utf-8").partition("\n")
            articles.append(Article(title=title.strip(), text=body.strip(), source="BBC", origin=str(path)))
    minutes = MINUTES if half is None else None
    return [Batch(label, articles, minutes or MINUTES_PER_ARTICLE * len(articles)) for label, articles in batches.items()]


def outlet_batches(half: str, limit: int | None = None) -> list[Batch]:
    """The news pages of other outlets (bench/_pages.py), read by briefing's own ingest; every
    other one in NEWS_LEADS's order is in the tune half, the rest are only measured."""
    from _pages import NEWS_LEADS, pages

    from briefing.ingest.html import decode_html, parse_html_article

    wanted = list(NEWS_LEADS)[half != "tune"::2][:limit]
    found = {p.id: p for p in pages()}
    articles = [parse_html_article(decode_html(found[i].html), i, found[i].url) for i in wanted]
    count = -(-len(articles) // OUTLET_BATCH)
    chunks = [articles[i::count] for i in range(count)]
    return [Batch(f"outlets {n + 1}", chunk, MINUTES_PER_ARTICLE * len(chunk)) for n, chunk in enumerate(chunks)]


def plan(articles: Sequence[Article], minutes: float = MINUTES) -> Script:
    chars_per_second = float(find_voice("joe").setting("chars_per_second", 15.0))
    script, _, _ = plan_script(articles, DAY, minutes, chars_per_second)
    return script


def show(script: Script, label: str) -> None:
    print(f"\n### {label}")
    for segment in script.segments:
        marker = "" if segment.story_index is None else f"{segment.story_index}"
        print(f"[{segment.kind} {marker}] {segment.display}")


def ranker_figures(root: Path) -> str:
    from ranker import evaluate, load_corpus, ours, sumy

    corpus = load_corpus(root)
    mine, peer = evaluate(ours(), corpus), evaluate(sumy("TextRank"), corpus)
    return (f"ranker on {root.name}: R2 {mine.rouge2:.2f} vs sumy TextRank {peer.rouge2:.2f} "
            f"({mine.rouge2 - peer.rouge2:+.2f}, bar +2.0); P@3 {mine.precision_at_3:.1f} vs "
            f"{peer.precision_at_3:.1f} ({mine.precision_at_3 - peer.precision_at_3:+.1f}, bar +4)")


KINDS = ("surname-only", "dangling", "speakerless", "split quote", "repeated")


def row(label: str, tally: Tally) -> str:
    rates = [tally.per_100(k) for k in KINDS]
    core = sum(rates[:3])
    return (f"| {label:<13}| {tally.stories:>3} | {tally.sentences:>4} | {100 * tally.news_stated / max(1, tally.stories):5.1f} | "
            f"{100 * tally.lead_read / max(1, tally.stories):5.1f} | "
            + " | ".join(f"{r:{len(k) if len(k) > 5 else 5}.1f}" for k, r in zip(("surname", "dangl", "spkless", "split", "repeat"), rates))
            + f" | {core:8.1f} | {100 * tally.quoted / max(1, tally.sentences):6.1f} |")


def parser() -> BenchParser:
    parser = BenchParser(__doc__.splitlines()[0], quick=["--per-topic", "2", "--no-ranker", "--outlets", "2"])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEV_SET, help="the dev set's folder")
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="a real article, planned alone (skipped if absent)")
    parser.add_argument("--per-topic", type=int, help="only the first N articles of each topic [default: all]")
    parser.add_argument("--show", action="store_true", help="print every planned script")
    parser.add_argument("--flags", action="store_true", help="list every flag, for checking by hand")
    parser.add_argument("--broad", action="store_true",
                        help="count any short name whose full form was not heard, not only people's")
    parser.add_argument("--no-ranker", action="store_true", help="skip the ROUGE/P@3 figures")
    parser.add_argument("--split", choices=("dev", "tune", "unseen"), default="dev",
                        help="dev: all 50 dev articles and the sample; tune: the half of the dev articles and of "
                             "the other outlets' pages the rules may be tuned on; unseen: the halves never tuned on "
                             "[default: dev]")
    parser.add_argument("--outlets", type=int, help="only the first N other outlets' pages of the split")
    return parser


def batches_for(args) -> list[Batch]:
    if args.split == "dev":
        batches = dev_batches(args.corpus, args.per_topic)
        if args.sample.exists():
            batches.append(Batch("sample", list(ingest([str(args.sample)], IngestOptions()).articles)))
        return batches
    return [*dev_batches(args.corpus, args.per_topic, half=args.split), *outlet_batches(args.split, args.outlets)]


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    from _pages import NEWS_LEADS

    listener = Listener(broad=args.broad, leads=NEWS_LEADS)
    batches = batches_for(args)
    density = "5-minute scripts" if args.split == "dev" else "scripts of 30 s an article (5 minutes for 10)"
    print(f"{args.split} split: {density} for {DAY}, joe's chars_per_second; flaws per 100 read sentences")
    print("| set          | st. | sent | news% | lead% | surname | dangl | spkless | split | repeat | sum of 3 | quoted |")
    print("|--------------|-----|------|-------|-------|---------|-------|---------|-------|--------|----------|--------|")
    total = Tally()
    flags: list[tuple[str, Flag]] = []
    for batch in batches:
        script = plan(batch.articles, batch.minutes)
        tally = listener.listen(script)
        if batch.label != "sample":
            total.add(tally)
        print(row(batch.label, tally))
        flags += [(batch.label, f) for f in tally.flags]
        if args.show:
            show(script, batch.label)
    print(row(f"{args.split} total", total))
    if args.flags:
        for label, flag in flags:
            print(f"{label} story {flag.story} [{flag.kind}] {flag.note}\n    {flag.sentence}")
    if not args.no_ranker:
        print(ranker_figures(args.corpus))


if __name__ == "__main__":
    main()
