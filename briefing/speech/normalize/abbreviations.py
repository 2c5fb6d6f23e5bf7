"""Abbreviations and titles: "Ms Deans" -> Miz Deans, "St Paul's" -> Saint Paul's,
"Oxford St" -> Oxford Street, "No. 10" -> number 10, "Dept." -> Department."""
from __future__ import annotations

import re

from .spoken import has_digit, paired

TITLES = {
    "Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Mx": "Mix", "Dr": "Doctor", "Prof": "Professor",
    "Rev": "Reverend", "Revd": "Reverend", "Fr": "Father", "Sr": "Sister", "Gen": "General", "Lt": "Lieutenant",
    "Col": "Colonel", "Capt": "Captain", "Cpt": "Captain", "Sgt": "Sergeant", "Cpl": "Corporal", "Pte": "Private",
    "Maj": "Major", "Adm": "Admiral", "Brig": "Brigadier", "Cmdr": "Commander", "Cdr": "Commander",
    "Gov": "Governor", "Sen": "Senator", "Rep": "Representative", "Pres": "President", "Supt": "Superintendent",
    "Insp": "Inspector", "Det": "Detective", "Ch": "Chief", "Cllr": "Councillor", "Hon": "Honourable",
    "Rt": "Right", "Amb": "Ambassador", "Mt": "Mount", "Ft": "Fort", "St": "Saint", "Sec": "Secretary",
    "Maj-Gen": "Major General", "Lt-Gen": "Lieutenant General", "Lt-Col": "Lieutenant Colonel",
    "Brig-Gen": "Brigadier General", "Mme": "Madame", "Mlle": "Mademoiselle",
}
_TITLE = re.compile(
    r"(" + "|".join(sorted(map(re.escape, TITLES), key=len, reverse=True)) + r")\.?"
    r"(?=\s+(?:[A-Z][a-z]|[A-Z]\.|[A-Z]['’]|[\ue000-\uf8ff]|[A-Z]\s+[A-Z][a-z]))"
)
_TITLE_HINT = re.compile(r"(?:" + "|".join(sorted(map(re.escape, TITLES), key=len, reverse=True)) + r"|PM)\b")
_STREET_WORDS = {"St": "Street", "Dr": "Drive", "Rd": "Road", "Ave": "Avenue", "Blvd": "Boulevard", "Ln": "Lane",
                 "Sq": "Square", "Cres": "Crescent", "Pl": "Place"}
_STREET_HINT = re.compile(r" (?:St|Dr|Rd|Ave|Blvd|Ln|Sq|Cres|Pl)\b")
_STREET = re.compile(r"\b([A-Z][a-z]+(?:['’]s)?) (St|Dr|Rd|Ave|Blvd|Ln|Sq|Cres|Pl)\b(\.?)(?!\s+[A-Z][a-z])")
_AFTER_NAME = re.compile(r"(?<=[A-Za-z]),? (Jr|Sr|Snr|Jnr)\b\.?")
_NUMBER_SIGN = re.compile(r"(?<![\w.])(No|no|Nos|nos)(\.?)\s?(?=\d)")
_WORDS = {
    "Dept": "Department", "dept": "department", "approx": "approximately", "vs": "versus", "Vs": "versus",
    "etc": "et cetera", "e.g": "for example", "eg": "for example", "i.e": "that is", "ie": "that is",
    "cf": "compare", "est": "estimated", "a.k.a": "also known as", "aka": "also known as",
    "Govt": "Government", "govt": "government", "Intl": "International", "Int'l": "International",
    "Natl": "National", "Univ": "University", "Assoc": "Association", "Bros": "Brothers", "Ltd": "Limited",
    "Inc": "Incorporated", "Corp": "Corporation", "Co": "Company", "plc": "P.L.C", "PLC": "P.L.C",
    "yrs": "years", "hrs": "hours", "mins": "minutes", "secs": "seconds", "w/": "with",
}
_WORD = re.compile(
    r"\b(?:(Dept|dept|approx|vs|Vs|etc|cf|est|Govt|govt|Intl|Natl|Univ|Assoc|Bros|Ltd|Inc|Corp|plc|PLC|yrs|hrs|mins|secs)\b\.?"
    r"|(e\.g|i\.e|a\.k\.a)\.?|\b(eg|ie|aka)\b(?=,|\s)|(Int'l)\b|(Co)\.(?=\s|$)|(w/)(?=\s))"
)
_ABBREVIATION_WORDS = frozenset(_WORDS) | {f"{word}." for word in _WORDS} | {"e.g.", "i.e.", "a.k.a.", "v", "v."}
_SEPARATORS = str.maketrans(dict.fromkeys(",;:!?()\"'", " "))
_VERSUS = re.compile(r"(?<=[A-Za-z]) v\.? (?=[A-Z])")
_PRIME_MINISTER = re.compile(r"\bPM\b(?=\s+[A-Z][a-z])")
_CIRCA = re.compile(r"(?<![\w.])c\. ?(?=\d)")


def _title(match: re.Match[str]) -> str:
    start = match.start()
    if start and (match.string[start - 1].isalnum() or match.string[start - 1] in "._-'’"):
        return match.group(0)
    return TITLES[match.group(1)]


def titles(text: str) -> str:
    """Mr Greenspan -> Mister Greenspan; Ms Deans -> Miz Deans; Gen. Smith -> General Smith;
    St Paul's -> Saint Paul's; Lt Col Jones -> Lieutenant Colonel Jones; PM Modi -> Prime
    Minister Modi. Only before a name, so "Gen Z" and "sec" stay as written."""
    if not _TITLE_HINT.search(text):
        return text
    text = _TITLE.sub(_title, text)
    if "PM" in text:
        text = _PRIME_MINISTER.sub("Prime Minister", text)
    return text


_HOUSE_NUMBER = re.compile(
    r"(?<![\w.,$£€])(\d{3,4})(?= (?:[A-Z][a-z]+ ){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Drive|Way)\b)"
)


def house_numbers(text: str) -> str:
    """1600 Pennsylvania Avenue -> sixteen hundred Pennsylvania Avenue; 350 Fifth Avenue ->
    three fifty Fifth Avenue (street numbers are read in pairs)."""
    if not has_digit(text):
        return text
    return _HOUSE_NUMBER.sub(lambda m: paired(m.group(1)), text)


def street_words(text: str) -> str:
    """Oxford St -> Oxford Street; Mulholland Dr. -> Mulholland Drive; Martin Luther King Jr. ->
    Martin Luther King Junior."""

    def street(match: re.Match[str]) -> str:
        name, word, point = match.groups()
        keeps_point = point and not text[match.end():].strip(" \"')")
        return f"{name} {_STREET_WORDS[word]}" + ("." if keeps_point else "")

    if _STREET_HINT.search(text):
        text = _STREET.sub(street, text)
    if not any(word in text for word in ("Jr", "Sr", "Snr", "Jnr")):
        return text
    return _AFTER_NAME.sub(lambda m: " " + {"Jr": "Junior", "Jnr": "Junior", "Sr": "Senior", "Snr": "Senior"}[m.group(1)], text)


def number_signs(text: str) -> str:
    """No. 10 -> number 10; Nos 3 and 4 -> numbers 3 and 4; c. 1850 -> circa 1850.
    "Survive? No. 12 died." keeps its "No." (an answer, then a new sentence)."""
    if not has_digit(text):
        return text

    def spoken(match: re.Match[str]) -> str:
        word, point = match.groups()
        before = text[:match.start()].rstrip()
        if point and word == "No" and before and before[-1] in "?!":
            return match.group(0)
        said = "numbers " if word.lower() == "nos" else "number "
        return said.capitalize() if not before else said

    text = _NUMBER_SIGN.sub(spoken, text)
    if "c." in text:
        text = _CIRCA.sub("circa ", text)
    return text


def abbreviations(text: str) -> str:
    """Dept. -> Department; approx. -> approximately; vs -> versus; Chelsea v Arsenal ->
    Chelsea versus Arsenal; e.g. -> for example; Ltd -> Limited."""

    if _ABBREVIATION_WORDS.isdisjoint(text.translate(_SEPARATORS).split()):
        return text

    def spoken(match: re.Match[str]) -> str:
        start = match.start()
        if start and text[start - 1] in "._'’":
            return match.group(0)
        word = next(group for group in match.groups() if group)
        long = _WORDS[word]
        written = match.group(0)
        rest = text[match.end():]
        if written.endswith(".") and (not rest.strip(" \"')") or (word == "etc" and re.match(r"\s+[A-Z]", rest))):
            long += "."
        return long

    text = _WORD.sub(spoken, text)
    if " v" in text:
        text = _VERSUS.sub(" versus ", text)
    return text
