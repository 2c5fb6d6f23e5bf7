"""People in a story: who is named, and their full name as the article gives it.

A listener who hears "Mr Clarke" or "McEwan" before ever hearing "Charles
Clarke" does not know who is meant, so the first time a person is heard in an
episode the script gives the name in full, in the article's own words
("the Home Secretary Charles Clarke"), and says nothing the article does not.

A surname counts as a person's when the article gives a full name ending in it
("Ian McEwan") and also shows it is a person: a title (Mr, Ms, Dr), a speech
verb next to it ("McEwan said"), an age ("McEwan, 56,"), or he/she in the same
or the next sentence. A surname the article gives two different full names
for is left alone. Words inside quotation marks are someone's words and are
never changed. This module does not choose sentences.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .words import ENGLISH_STOP_WORDS

NAME = r"(?:[A-Z][a-z]?['’])?(?:Mc|Mac)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
"""One capitalized part of a name: Clarke, O'Sullivan, McEwan, Jean-Michel."""
SHORT_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor")
"""Titles that go with a surname alone ("Mr Clarke"); Sir, Dame and Lord go with a
given name or a peerage ("Sir Cameron", "Lord Ashcroft") and are full references."""
_SHORT_TITLE = rf"(?:{'|'.join(SHORT_TITLES)})\.?"
_OFFICES = frozenset(
    """secretary minister president chancellor spokesperson spokesman spokeswoman chairman chairwoman
    chair leader governor mayor commissioner ambassador director chief executive premier treasurer""".split()
)
"""Last words of a role that may stand before a name ("Home Secretary Charles Clarke")."""
_NOT_GIVEN = frozenset(
    """the a an and but or of in on at for to from by with as if so this that these those his her their its
    our my your mr mrs ms miss dr prof professor sir dame lord lady rev st saint king queen prince princess
    crown pope general captain chancellor president minister secretary premier spokesperson spokesman
    spokeswoman chairman chief leader mayor governor judge senator shadow deputy former ex new north south
    east west great united royal novelist author writer singer actor actress director producer musician
    coach manager champion boss star striker captain hurdler sprinter photographer artist meanwhile however
    also yet still then when after before while american british english scottish welsh irish french german
    italian spanish portuguese dutch belgian swiss austrian swedish norwegian danish finnish polish russian
    ukrainian greek turkish israeli palestinian iraqi iranian afghan pakistani indian chinese japanese
    korean australian canadian mexican brazilian argentine cuban jamaican kenyan ethiopian nigerian
    ugandan african european asian monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december""".split()
)
"""Capitalized words that start a run of names without being anyone's given name."""
_SPEECH = frozenset(
    """said says say told tells added adds stated wrote writes explained warned insisted argued claimed
    noted announced admitted replied urged stressed confirmed commented declared suggested
    mentioned emphasised emphasized indicated revealed remarked""".split()
)
_RUN = re.compile(rf"(?<![\w'’-])((?:{NAME}\s+)+?)({NAME})(?=['’]s\b|[^\w'’-]|$)(?!\s+{NAME})")
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]|[\"“][^\"“”]*$")


@dataclass(frozen=True)
class Person:
    surname: str
    full_name: str
    """Given names and surname: "Charles Clarke"."""
    introduction: str
    """How the article first names them in full, with a role just before the name if it
    gives one: "the Home Secretary Charles Clarke"; otherwise the full name."""


def find_people(sentences: Sequence[str]) -> dict[str, Person]:
    """Surname -> Person for everyone the text names in full and shows to be a person."""
    text = "\n".join(sentences)
    full_names: dict[str, list[str]] = {}
    introductions: dict[str, str] = {}
    for match in _RUN.finditer(text):
        run = match.group(1).split()
        given: list[str] = []
        while run and len(given) < 2 and run[-1].lower() not in _NOT_GIVEN:
            given.insert(0, run.pop())
        surname = match.group(2)
        if not given or surname.lower() in _NOT_GIVEN:
            continue
        full = " ".join([*given, surname])
        names = full_names.setdefault(surname, [])
        if full not in names and not any(full in n for n in names):
            names[:] = [n for n in names if n not in full] + [full]
        if surname not in introductions:
            start = match.group(0).rfind(" ".join(given)) + match.start()
            introductions[surname] = _with_role(text, start, full)
    people = {}
    for surname, names in full_names.items():
        if len(names) == 1 and _is_person(surname, names[0], sentences):
            full = names[0]
            introduction = introductions[surname]
            people[surname] = Person(surname, full, introduction if introduction.endswith(full) else full)
    return people


ROLE_CHARS = 120
"""The longest role looked for before a name ("the Trade and Industry Secretary")."""


def _with_role(text: str, start: int, full: str) -> str:
    """The full name with the capitalized role the text puts right before it, if any:
    "Trade and Industry Secretary Patricia Hewitt", with a "the" before it kept.
    Only the text just before the name is searched: a role is a few words, and a
    search anchored at the end of a long prefix costs time in the prefix's square."""
    before = text[max(0, start - ROLE_CHARS):start]
    honorific = re.search(r"\b(Sir|Dame|Lord|Lady)\s+$", before)
    if honorific:
        return f"{honorific.group(1)} {full}"
    role = re.search(rf"(?:\b[Tt]he\s+)?((?:{NAME}|and)\s+)*?({NAME})\s+$", before)
    if not role or role.group(2).lower() not in _OFFICES:
        return full
    words = role.group(0).split()
    while words and words[0] == "and":
        words.pop(0)
    if words and words[0] == "The":
        words[0] = "the"
    return " ".join([*words, full])


_AGENT = re.compile(r"\b([a-z]+(?:er|or|ist|ian|ic|ant|man|woman|person)|chief|boss|head|coach|champion|star|"
                    r"winner|MP|medallist)\s+$")
"""A lowercase word for a person's job right before a name: "critic Harold Bloom"."""


_WORD = re.compile(r"[\w'’.-]+")
_AGE = re.compile(r"(?:['’]s)?,\s+\d{1,3},")
_PLACE_WORDS = frozenset("the in at across throughout around near".split())


def _is_person(surname: str, full: str, sentences: Sequence[str]) -> bool:
    """A title, a job word before the name, an age, a speech verb next to it, or he/she
    near a mention; never a name the text puts after "the" or "in" ("the Dome", "in Britain")."""
    given_words = full.split()[:-1]
    evidence = False
    for i, sentence in enumerate(sentences):
        if surname not in sentence:
            continue
        words = [(m.group().rstrip(".,"), m.start(), m.end()) for m in _WORD.finditer(sentence)]
        for k, (word, _, end) in enumerate(words):
            if word.removesuffix("'s").removesuffix("’s") != surname:
                continue
            start_k = k - len(given_words) if [w for w, _, _ in words[max(0, k - len(given_words)):k]] == given_words else k
            before = words[start_k - 1][0] if start_k > 0 else ""
            if before.lower() in _PLACE_WORDS:
                return False  # "the Dome", "in Britain": a thing or a place
            after = [w.lower() for w, _, _ in words[k + 1:k + 3]]
            if (before.rstrip(".") in SHORT_TITLES or _AGE.match(sentence, end) or before.lower() in _SPEECH
                    or set(after) & _SPEECH or (before.lower() == before and _AGENT.search(before + " ")
                                                and before not in ENGLISH_STOP_WORDS)):
                evidence = True
        nearby = re.findall(r"[\w'’]+", " ".join(sentences[i:i + 2]).lower())
        evidence = evidence or bool(set(nearby) & {"he", "she", "his", "her", "him", "hers"})
    return evidence


def short_mentions(text: str, person: Person) -> list[re.Match]:
    """Where `text` names `person` by surname alone, after Mr/Ms or after a role
    ("Kremlin Spokesperson Peskov"), outside quotes."""
    given = person.full_name[: -len(person.surname)].strip()
    pattern = rf"(?<![\w'’-])(?:{_SHORT_TITLE}\s+)?{re.escape(person.surname)}(?![\w-])(?!\s+{NAME})"
    return [m for m in _outside_quotes(pattern, text)
            if not text[:m.start()].rstrip().endswith(given) and not re.search(r"\b[Tt]he\s+$", text[:m.start()])]


def _outside_quotes(pattern: str, text: str) -> list[re.Match]:
    """The matches of `pattern` in `text` that start outside quotation marks (someone's words)."""
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    return [m for m in re.finditer(pattern, text) if not any(a <= m.start() < b for a, b in quoted)]


def name_in_full(passages: Iterable[tuple[str, dict[str, Person]]]) -> list[str]:
    """Each passage with the first short mention of each person, across all the passages
    in order, given in full; a person already heard in full is left as written.

    A person's role and name said again in the same story ("Russian President Vladimir
    Putin", sentence after sentence) is said the second time as the surname: the
    listener knows who that is, and the same title twice sounds like a machine reading.

    `passages` pairs each text, in the order it is heard, with the people of its story
    (the passages of one story share one mapping).
    """
    heard: set[str] = set()
    titled: dict[str, int] = {}
    """Full name -> the story (the id of its people mapping) that last said the person's role."""
    result = []
    for text, people in passages:
        for person in sorted(people.values(), key=lambda p: p.surname):
            if person.full_name not in heard:
                text = _first_in_full(text, person, heard)
            if person.full_name in heard and person.introduction != person.full_name:
                text, says_role = _role_once(text, person, keep_first=titled.get(person.full_name) != id(people))
                if says_role:
                    titled[person.full_name] = id(people)
        result.append(text)
    return result


def _first_in_full(text: str, person: Person, heard: set[str]) -> str:
    """`text` with the person's first short mention given in full if it comes before any
    full one; `heard` gains the person once the text names them in full."""
    full_at = text.find(person.full_name)
    mentions = short_mentions(text, person)
    if mentions and (full_at < 0 or mentions[0].start() < full_at):
        first = mentions[0]
        after_role = re.search(rf"{NAME}\s+$", text[:first.start()]) and not first.group().startswith(SHORT_TITLES)
        introduction = person.full_name if after_role else person.introduction
        if first.start() == 0 or text[:first.start()].rstrip().endswith((".", "!", "?", ":")):
            introduction = introduction[0].upper() + introduction[1:]
        text = text[:first.start()] + introduction + text[first.end():]
        heard.add(person.full_name)
    elif full_at >= 0:
        heard.add(person.full_name)
    return text


def _role_once(text: str, person: Person, *, keep_first: bool) -> tuple[str, bool]:
    """`text` with the person's role and name cut to the surname (all but the first time
    if `keep_first`), and whether the text says them. Quotes stay as they are."""
    role_form = re.escape(person.introduction)
    if person.introduction.startswith("the "):
        role_form = "[Tt]" + role_form[1:]
    found = _outside_quotes(rf"(?<![\w'’-]){role_form}(?![\w-])", text)
    for match in reversed(found[1:] if keep_first else found):
        text = text[:match.start()] + person.surname + text[match.end():]
    return text, bool(found)
