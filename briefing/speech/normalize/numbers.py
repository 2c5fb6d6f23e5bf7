"""Numbers: minus signs, ordinals, fractions, scores and ranges, and every numeral left.

"2-0" is a score ("two-nil") when the sentence is about a match and a range
("two to zero") otherwise; "4-5" is "four to five".
"""
from __future__ import annotations

import re

from .spoken import PHONE_DIGIT_WORDS, cardinal, digits, fraction, has_digit, mixed_fraction, ordinal

_MINUS = re.compile(r"(?<![\w)\]%.])-(?=(?:[$£€]|US\$)?\.?\d)")


def minus_signs(text: str) -> str:
    """-5 degrees -> minus 5 degrees, -$3bn -> minus $3bn (a voice drops a bare hyphen)."""
    if "-" not in text or not has_digit(text):
        return text
    return _MINUS.sub("minus ", text)


_ORDINAL = re.compile(r"(?<![\w./])(\d{1,3}(?:,\d{3})+|\d+)(st|nd|rd|th|ST|ND|RD|TH)\b")


def _suffix(number: str) -> str:
    if number[-2:-1] == "1":
        return "th"
    return {"1": "st", "2": "nd", "3": "rd"}.get(number[-1], "th")


def ordinals(text: str) -> str:
    """23rd -> twenty-third; 19th-century -> nineteenth-century ("12st" is left for stone)."""
    if not has_digit(text):
        return text

    def spoken(match: re.Match[str]) -> str:
        number, suffix = match.groups()
        if _suffix(number.replace(",", "")) != suffix.lower():
            return match.group(0)
        return ordinal(number)

    return _ORDINAL.sub(spoken, text)


_SAID_AS_NUMBERS = {"24/7": "twenty-four seven", "9/11": "nine eleven", "7/7": "seven seven", "50/50": "fifty-fifty"}
_ARTICLE_AFTER = re.compile(r" an? ")
_MIXED_FRACTION = re.compile(r"(?<![\w.,/])(\d+)[ -](\d{1,2})/(\d{1,2})(?:st|nd|rd|th|s)?(?![\w/]|\.\d)")
_FRACTION = re.compile(r"(?<![\w.,/])(\d{1,3})/(\d{1,3})(st|nd|rd|th|s)?(?![\w/]|\.\d)")


def fractions(text: str) -> str:
    """1/2 -> one half; 3/4 -> three quarters; 2 1/2 -> two and a half; 1/4th -> one quarter;
    8/10 -> eight out of ten; 24/7 -> twenty-four seven; betting odds 5/4 -> five to four."""
    if "/" not in text or not has_digit(text):
        return text

    def mixed(match: re.Match[str]) -> str:
        whole, top, bottom = match.groups()
        if not 0 < int(top) < int(bottom):
            return match.group(0)
        return mixed_fraction(whole, top, bottom)

    def simple(match: re.Match[str]) -> str:
        top, bottom, suffix = match.groups()
        written = f"{top}/{bottom}"
        if written in _SAID_AS_NUMBERS and not suffix:
            return _SAID_AS_NUMBERS[written]
        if int(bottom) == 0:
            return match.group(0)
        if written == "1/2" and not suffix and _ARTICLE_AFTER.match(text, match.end()):
            return "half"
        if bottom in ("10", "100") and not suffix:
            return f"{cardinal(top)} out of {cardinal(bottom)}"
        if int(top) < int(bottom) <= 64 or suffix:
            return fraction(top, bottom)
        return f"{cardinal(top)} to {cardinal(bottom)}"

    text = _MIXED_FRACTION.sub(mixed, text)
    return _FRACTION.sub(simple, text)


_SCORE_CUES = re.compile(
    r"\b(?:win|wins|won|winning|winner|winners|beat|beats|beaten|beating|lead|leads|led|leading|draw|draws|drew|drawn|"
    r"victory|victories|defeat|defeats|defeated|lost|lose|loses|losing|loss|score|scored|scores|scoring|scoreline|"
    r"goal|goals|half-time|halftime|full-time|match|matches|game|games|final|semi-final|quarter-final|tie|thrashed|"
    r"thrashing|trail|trailed|trailing|triumph|rout|routed|clash|league|cup|set|sets|series|aggregate|penalties|"
    r"shootout|friendly|fixture|derby|edged|hammered|comeback|v|vs|versus|nil|innings|tries|points|win)\b",
    re.I,
)
_CRICKET = re.compile(r"\b(?:innings|wicket|wickets|declared|overs|batting|bowled|cricket|Test)\b")
_NOT_A_SCORE = frozenset("""
weeks week months month days day years year hours hour minutes minute seconds people times per percent metres
miles kilometres kg pounds dollars euros million billion degrees players seats members matches games goals
""".split())
_RANGE = re.compile(r"(?<![\w.,/:-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)-(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w/:-]|[.,]\d)")
_NEXT_WORD = re.compile(r"[\s-]*([A-Za-z]+)")
_NAME_BEFORE = re.compile(r"\b[A-Z][a-z]+ $")
_NAME_AFTER = re.compile(r" [A-Z][a-z]")
_RANGE_BEFORE = re.compile(r"\b(?:aged|ages|between|from|around|about|roughly|approximately|some|up|nearly|almost)\s*$", re.I)


def _score_number(number: str) -> str:
    return "nil" if number == "0" else cardinal(number)


def scores_and_ranges(text: str) -> str:
    """2-0 lead -> two-nil lead, 1-1 draw -> one-all, Chelsea 2-1 Arsenal -> Chelsea
    two-one Arsenal, 102-98 -> one hundred two to ninety-eight and, in cricket, 150-3 ->
    one hundred fifty for three, when the sentence is about a match; otherwise 4-5 -> four to five and 10-12 -> ten to twelve."""
    if "-" not in text or not has_digit(text):
        return text
    sporting = _SCORE_CUES.search(text) is not None
    cricket = sporting and _CRICKET.search(text) is not None

    def spoken(match: re.Match[str]) -> str:
        first, second = match.groups()
        following = _NEXT_WORD.match(text, match.end())
        next_word = following.group(1).lower() if following else ""
        between_names = (_NAME_AFTER.match(text, match.end()) is not None
                         and _NAME_BEFORE.search(text, max(0, match.start() - 30), match.start()) is not None)
        if (sporting or between_names) and (
                "." not in first + second and "," not in first + second and int(first) < 200 and int(second) < 200
                and next_word not in _NOT_A_SCORE
                and not _RANGE_BEFORE.search(text, max(0, match.start() - 16), match.start())):
            if cricket:
                return f"{cardinal(first)} for {cardinal(second)}"
            if first == second:
                return "nil-nil" if first == "0" else f"{cardinal(first)}-all"
            if int(first) < 20 and int(second) < 20:
                return f"{_score_number(first)}-{_score_number(second)}"
            return f"{_score_number(first)} to {_score_number(second)}"
        return f"{cardinal(first)} to {cardinal(second)}"

    return _RANGE.sub(spoken, text)


_VERSION = re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}(?![\d.]\d)")
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?<!\w)\.\d+)(?![\d])")


def cardinals(text: str) -> str:
    """Every numeral left: 464,000 -> four hundred sixty-four thousand; 2.5 -> two point
    five; .5 -> point five; 007 -> oh oh seven; BBC2 -> BBC two; version 2.0.1 -> two
    point zero point one."""
    if not has_digit(text):
        return text
    if "." in text:
        text = _VERSION.sub(lambda m: " point ".join(cardinal(part) for part in m.group(0).split(".")), text)

    def spoken(match: re.Match[str]) -> str:
        number = match.group(1)
        start, end = match.start(), match.end()
        if len(number) > 1 and number[0] == "0" and number[1].isdigit():
            words = digits(number, PHONE_DIGIT_WORDS) if "." not in number else cardinal(number)
        elif len(number.replace(",", "").split(".")[0]) > 15:
            words = digits(number)
        else:
            words = cardinal(number)
        if start and text[start - 1].isalpha():
            words = " " + words
        if end < len(text) and text[end].isalpha():
            words += " "
        return words

    return _NUMBER.sub(spoken, text)

