"""Electronic text and telephone numbers: read the part a listener needs, drop the rest.

A web address is read as its site ("bbc dot co dot uk"), never its path; an
address in brackets is dropped whole, so no hole is left in the sentence.
Hashtags and @handles are read as the words they join.
"""
from __future__ import annotations

import re

from .spoken import PHONE_DIGIT_WORDS, digits

_SAID_LABELS = frozenset("com org net gov co edu info news int mil biz".split())


def _letters(word: str) -> str:
    return ".".join(word.upper())


def _label(label: str) -> str:
    if label.isalpha() and len(label) <= 3 and label.lower() not in _SAID_LABELS:
        return _letters(label)
    return label.replace("-", " dash ").replace("_", " underscore ")


def spoken_host(host: str) -> str:
    """www.bbc.co.uk -> B.B.C dot co dot U.K."""
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    return " dot ".join(_label(label) for label in host.split(".") if label)


_TRAILING = ".,;:!?'\")"
_URL_HINTS = ("://", "www.", "WWW.", ".com", ".org", ".net", ".gov", ".edu", ".int", ".io", ".ai", ".uk", ".eu", ".tv",
              ".info", ".news", ".COM", ".ORG", ".UK")
_BRACKETED_URL = re.compile(r"\s*\((?:https?://|www\.)[^\s()]+\)")
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"]+"
    r"|\b(?:[A-Za-z0-9-]+\.)+(?:com|org|net|gov|edu|int|io|ai|uk|eu|tv|info|news)\b(?:/[^\s<>\"]*)?",
    re.I,
)


def urls(text: str) -> str:
    """https://www.bbc.co.uk/news/x -> B.B.C dot co dot U.K; (https://example.org/x) -> dropped."""
    if not any(hint in text for hint in _URL_HINTS):
        return text
    text = _BRACKETED_URL.sub("", text)

    def spoken(match: re.Match[str]) -> str:
        url = match.group(0)
        tail = ""
        while url and url[-1] in _TRAILING and not (url[-1] == ")" and "(" in url):
            tail = url[-1] + tail
            url = url[:-1]
        host = re.sub(r"^[a-z]+://", "", url, flags=re.I).split("/", 1)[0].split(":", 1)[0]
        return spoken_host(host) + tail

    return _URL.sub(spoken, text)


_EMAIL = re.compile(r"\b([\w.+-]+)@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})\b")


def emails(text: str) -> str:
    """news.desk@bbc.co.uk -> news dot desk at B.B.C dot co dot U.K."""
    if "@" not in text:
        return text

    def spoken(match: re.Match[str]) -> str:
        local = re.sub(r"\d+", lambda m: " " + digits(m.group(0)) + " ", match.group(1))
        local = local.replace(".", " dot ").replace("_", " underscore ").replace("-", " dash ")
        return f"{local} at {spoken_host(match.group(2))}"

    return _EMAIL.sub(spoken, text)


_RUNS = re.compile(r"[A-Z]+|[a-z]+|\d+")


def split_joined_words(joined: str, known: frozenset[str] = frozenset()) -> str:
    """BlackLivesMatter -> Black Lives Matter; BBCNews -> BBC News; NATOsummit -> NATO summit
    (a run of capitals is kept whole when it is a known acronym)."""
    runs = _RUNS.findall(joined.replace("_", " "))
    words: list[str] = []
    for run in runs:
        if run[0].islower() and words and words[-1].isupper():
            caps = words[-1]
            if len(caps) == 1 or caps not in known:
                words[-1] = caps[:-1]
                run = caps[-1] + run
                if not words[-1]:
                    words.pop()
        words.append(run)
    return " ".join(words)


_HASHTAG = re.compile(r"(?<![\w&#])#([A-Za-z][A-Za-z0-9_]*)")
_HANDLE = re.compile(r"(?<![\w.@])@([A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*)\b")


def hashtags_and_handles(text: str, known: frozenset[str] = frozenset()) -> str:
    """#NATOsummit -> NATO summit; @BBCBreaking -> BBC Breaking: the words, not the symbol."""
    if "#" in text:
        text = _HASHTAG.sub(lambda m: split_joined_words(m.group(1), known), text)
    if "@" in text:
        text = _HANDLE.sub(lambda m: split_joined_words(m.group(1), known), text)
    return text


_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"\+\d{1,3}(?:[ .-]?\(0\))?(?:[ .-]?\(?\d{1,5}\)?){2,5}"      # +44 20 7946 0958, +1 (202) 555-0143
    r"|(?:1-)?(?:\(\d{3}\) ?|\d{3}[-.])\d{3}[-.]\d{4}"            # (555) 123-4567, 555-123-4567, 1-800-...
    r"|0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}"                            # 020 7946 0958, 0800 123 456
    r")(?![\w-])"
)
_EMERGENCY = re.compile(r"(?i:\b(?:call|calls|called|calling|dial|dials|dialled|dialed|dialling|dialing|ring|rang)"
                        r"(?: the)? )(999|911|111|112|101|0800)\b")


def phone_numbers(text: str) -> str:
    """555-123-4567 -> five five five, one two three, four five six seven;
    +44 20 7946 0958 -> plus four four, two oh, ...; "dial 999" -> dial nine nine nine."""

    def spoken(match: re.Match[str]) -> str:
        number = match.group(0)
        total = sum(c.isdigit() for c in number)
        if not 7 <= total <= 15:
            return number
        groups = [g for g in re.split(r"[^\d+]+", number) if g.strip("+")]
        said = [("plus " if g.startswith("+") else "") + digits(g, PHONE_DIGIT_WORDS) for g in groups]
        return ", ".join(said)

    text = _PHONE.sub(spoken, text)
    return _EMERGENCY.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + digits(m.group(1)), text)
