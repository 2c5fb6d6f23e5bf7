"""Dates: numeric dates, month names with days, decades, year ranges and years in context.

"July 25" -> July twenty-fifth; "25 July 2024" -> the twenty-fifth of July twenty
twenty-four; "2024-07-25" -> July twenty-fifth, twenty twenty-four; "the 1980s" ->
the nineteen eighties; "2023-24" -> twenty twenty-three to twenty-four. A four-digit
number is read as a year only where the words around it say it is one.
"""
from __future__ import annotations

import re

from .spoken import cardinal, has_digit, ordinal, plural, year

MONTHS = "January February March April May June July August September October November December".split()
_MONTH_ABBREVIATIONS = {m[:3]: m for m in MONTHS if m != "May"} | {"Sept": "September", "Sep": "September"}
MONTH = r"(?:" + "|".join(MONTHS) + r")"
_ORDINAL_SUFFIX = r"(?:st|nd|rd|th)?"

_MONTH_ABBREVIATION = re.compile(
    r"\b(" + "|".join(sorted(_MONTH_ABBREVIATIONS, key=len, reverse=True)) + r")\b(\.?)(?=\s+(?:\d|of\b)|\s*$|,)"
)


def month_abbreviations(text: str) -> str:
    """Dec. 4 -> December 4, Sept 11 -> September 11, so the date rules see a full month."""
    if not has_digit(text):
        return text
    def spoken(match: re.Match[str]) -> str:
        ends_text = match.group(2) and not text[match.end():].strip()
        return _MONTH_ABBREVIATIONS[match.group(1)] + ("." if ends_text else "")

    return _MONTH_ABBREVIATION.sub(spoken, text)


def _full_year(written: str) -> str:
    if len(written) == 2:
        return str(2000 + int(written) if int(written) < 50 else 1900 + int(written))
    return written


def _month_first(month: int, day: int, year_written: str | None) -> str:
    spoken = f"{MONTHS[month - 1]} {ordinal(str(day))}"
    return spoken + (f", {year(_full_year(year_written))}" if year_written else "")


def _day_first(day: int, month: int, year_written: str | None) -> str:
    spoken = f"the {ordinal(str(day))} of {MONTHS[month - 1]}"
    return spoken + (f" {year(_full_year(year_written))}" if year_written else "")


_ISO_DATE = re.compile(r"(?<![\w./-])((?:1[89]|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\w/-])")
_NUMERIC_DATE = re.compile(r"(?<![\w./-])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\w/]|\.\d)")


def numeric_dates(text: str) -> str:
    """2024-03-15 -> March fifteenth, twenty twenty-four; 15/03/2024 -> the fifteenth of March
    twenty twenty-four; 3/15/2024 -> March fifteenth, twenty twenty-four.

    When both orders are possible, slashes are read month first (US) and points day
    first (European): 03/04/2024 is March fourth, 03.04.2024 the third of April.
    """
    if not has_digit(text):
        return text
    text = _ISO_DATE.sub(lambda m: _month_first(int(m.group(2)), int(m.group(3)), m.group(1)), text)

    def spoken(match: re.Match[str]) -> str:
        first, separator, second, year_written = match.groups()
        a, b = int(first), int(second)
        if not (1 <= a <= 31 and 1 <= b <= 31) or (a > 12 and b > 12):
            return match.group(0)
        if a > 12 or (b <= 12 and separator == "."):
            return _day_first(a, b, year_written)
        if b > 12 or separator == "/":
            return _month_first(a, b, year_written)
        return match.group(0)

    return _NUMERIC_DATE.sub(spoken, text)


_JOINERS = {"-": "to", "to": "to", "and": "and"}
_DAY = rf"(\d{{1,2}}){_ORDINAL_SUFFIX}"
_MONTH_DAY = re.compile(
    rf"\b({MONTH})\.? (?:the )?{_DAY}(?:\s?(-|to|and)\s?{_DAY})?\b(?!,\d|\.\d|:|\s?(?:%|per cent|[ap]\.?m\b))(?:,? ((?:1[1-9]|20)\d\d)\b)?"
)
_DAY_MONTH = re.compile(
    rf"(?<![\w.,$£€-]){_DAY}(?:\s?(-|to|and)\s?{_DAY})? (?:of )?({MONTH})\b(?:,? ((?:1[1-9]|20)\d\d)\b)?"
)


def month_dates(text: str) -> str:
    """July 25 -> July twenty-fifth; December 4-5 -> December fourth to fifth; 4 December ->
    the fourth of December; 5-6 March 2005 -> the fifth to sixth of March two thousand five."""
    if not has_digit(text):
        return text

    def month_day(match: re.Match[str]) -> str:
        month, first, joiner, last, year_written = match.groups()
        if int(first) > 31 or (last and int(last) > 31):
            return match.group(0)
        spoken = f"{month} {ordinal(first)}" + (f" {_JOINERS[joiner]} {ordinal(last)}" if last else "")
        return spoken + (f", {year(year_written)}" if year_written else "")

    def day_month(match: re.Match[str]) -> str:
        first, joiner, last, month, year_written = match.groups()
        if int(first) > 31 or (last and int(last) > 31):
            return match.group(0)
        the = "" if text[max(0, match.start() - 4):match.start()].lower() == "the " else "the "
        spoken = f"{the}{ordinal(first)}" + (f" {_JOINERS[joiner]} {ordinal(last)}" if last else "") + f" of {month}"
        return spoken + (f" {year(year_written)}" if year_written else "")

    text = _MONTH_DAY.sub(month_day, text)
    return _DAY_MONTH.sub(day_month, text)


_DECADE = re.compile(r"(?<![\w.,$£€])(?:(1[1-9]\d0|20[0-9]0)|['’]?([1-9]0|00))['’]?s\b")


def decades(text: str) -> str:
    """1980s -> nineteen eighties; '80s -> eighties; 2000s -> two thousands; in her 70s -> in her seventies."""
    if not has_digit(text):
        return text

    def spoken(match: re.Match[str]) -> str:
        full, short = match.groups()
        if full:
            return plural(year(full))
        return "noughties" if short == "00" else plural(cardinal(short))

    return _DECADE.sub(spoken, text)


_YEAR_RANGE = re.compile(r"(?<![\w.,$£€/-])((?:1[1-9]|20)\d\d)\s?[-/]\s?(\d\d|(?:1[1-9]|20)\d\d)(?![\w/-]|\.\d|\s?%)")


def year_ranges(text: str) -> str:
    """2023-24 -> twenty twenty-three to twenty-four; 1939-45 -> nineteen thirty-nine to
    forty-five; 2004-05 -> two thousand four to five; 1990-2000 -> nineteen ninety to two thousand."""
    if not has_digit(text):
        return text

    def spoken(match: re.Match[str]) -> str:
        first, second = match.groups()
        if len(second) == 2:
            if int(second) <= int(first[2:]) and not (first[2:] == "99" and second == "00"):
                return match.group(0)
            return f"{year(first)} to {cardinal(second)}"
        if int(second) <= int(first):
            return match.group(0)
        return f"{year(first)} to {year(second)}"

    return _YEAR_RANGE.sub(spoken, text)


_YEAR_CUES = frozenset("""
in since by from until till of the to and between before after during early late mid year years season
for or than around circa c spring summer autumn winter fall class vintage election elections budget census
""".split()) | {m.lower() for m in MONTHS}
_YEAR_FOLLOWERS = frozenset("""
election elections season seasons campaign census budget olympics games world cup euros final finals tournament
championship championships general presidential midterm midterms vote referendum model edition film album attacks
invasion war crash crisis riots revolution uprising report survey figures results accounts levels festival awards
ceremony summit agreement accord act treaty deal law games' event race contest merger takeover coup protests
""".split())
_QUANTIFIERS = frozenset("""
i a some about nearly almost over under only just another roughly approximately more fewer less exactly all
at least most up these those its their his her our your my
""".split())
_STRONG_YEAR_CUES = frozenset("in since until till by during before after".split()) | {m.lower() for m in MONTHS}
COUNT_NOUNS = frozenset("""
people children adults users customers subscribers viewers visitors voters votes homes households jobs workers
employees members fans tickets copies units shares barrels tonnes passengers troops soldiers staff officers police
students pupils patients cases deaths refugees migrants residents words metres miles feet yards kilometres cars
vehicles games matches goals runs points times pounds dollars euros years days hours minutes seconds
""".split())
_YEAR = re.compile(r"(?<![\w.,$£€#/:])(?<!\d-)((?:1\d|20)\d\d)\b(?![.,]\d|\s?%|:\d|/\d|-\d)")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)(['’]s?)?([-\s]*)$")
_WORD_AFTER = re.compile(r"\s*([A-Za-z]+)")


def years(text: str) -> str:
    """2003 -> two thousand three; 1999 -> nineteen ninety-nine; the Soviets' 1945 victory ->
    nineteen forty-five; "employs 2050 people" stays a number.

    A year only where one is meant: after words like "in", "since" or a month, after
    a possessive or a capitalised name ("Euro 2024"), before words like "election",
    at the start of a sentence, or before punctuation.
    """
    if not has_digit(text):
        return text

    def spoken(match: re.Match[str]) -> str:
        before = _WORD_BEFORE.search(text, max(0, match.start() - 30), match.start())
        after = text[match.end():match.end() + 1]
        following = _WORD_AFTER.match(text, match.end())
        cued = (
            not text[:match.start()].strip(" \"'(")
            or after in ("", ",", ".", ";", ":", ")", "?", "!", "'", '"')
            or (following is not None and following.group(1).lower() in _YEAR_FOLLOWERS)
        )
        if before and not cued:
            word, possessive, gap = before.groups()
            cued = (
                word.lower() in _YEAR_CUES
                or bool(possessive)
                or "-" in gap
                or (word[0].isupper() and word.lower() not in _QUANTIFIERS)
            )
        if cued and following is not None and following.group(1) in COUNT_NOUNS:
            cued = before is not None and before.group(1).lower() in _STRONG_YEAR_CUES
        return year(match.group(1)) if cued else match.group(0)

    return _YEAR.sub(spoken, text)
