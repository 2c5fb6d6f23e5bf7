"""Rewrite written news text into words a voice reads correctly.

Like gTTS's pre-processors: a list of small named rewrites, each doing one job,
applied in the order of `REWRITES`. Speech engines read "$1.13bn" as "dollar
one point one three b n" and "Su-57" as "sue minus fifty-seven"; after this
stage they read "one point one three billion dollars" and "S U fifty-seven".
This stage changes only how things sound, never what is said.
"""
from __future__ import annotations

import re
from typing import Callable

from num2words import num2words

_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_MONTH_ABBREVIATIONS = {m[:3]: m for m in _MONTHS} | {"Sept": "September"}
_MONTH = r"(?:" + "|".join(_MONTHS) + r")"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def _words(number: str) -> str:
    """Cardinal words in American style ("four hundred sixty-four thousand"); decimals
    digit by digit from the written string, so 3.10 stays "three point one zero"."""
    whole, _, fraction = number.replace(",", "").partition(".")
    words = num2words(int(whole)).replace(" and ", " ").replace(",", "")
    if fraction:
        words += " point " + " ".join(num2words(int(digit)) for digit in fraction)
    return words


def _ordinal(number: str) -> str:
    return num2words(int(number), to="ordinal").replace(" and ", " ").replace(",", "")


def _year(number: str) -> str:
    return num2words(int(number), to="year").replace(" and ", " ")


def tidy_characters(text: str) -> str:
    """Typographic quotes, dashes and spaces to plain ones the rules below expect."""
    table = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
             "\u2014": " - ", "\u00a0": " ", "\u2009": " ", "\u2026": "..."}
    for old, new in table.items():
        text = text.replace(old, new)
    return text


def drop_urls(text: str) -> str:
    """Nobody wants a URL read aloud."""
    return re.sub(r"\s*\(?https?://\S+\)?", "", text)


_CURRENCY_PREFIX = {"$": "dollars", "US$": "dollars", "£": "pounds", "€": "euros", "¥": "yen",
                    "₹": "rupees", "Rs.": "rupees", "Rs": "rupees", "GBP": "pounds",
                    "USD": "dollars", "EUR": "euros", "INR": "rupees"}
_MAGNITUDE = {"k": "thousand", "thousand": "thousand", "m": "million", "mn": "million",
              "million": "million", "bn": "billion", "b": "billion", "billion": "billion",
              "tn": "trillion", "trillion": "trillion", "crore": "crore", "lakh": "lakh"}
_MINOR_UNIT = {"dollars": "cents", "euros": "cents", "pounds": "pence"}
_CURRENCY = re.compile(
    r"(?P<unit>US\$|\$|£|€|¥|₹|Rs\.?|\b(?:GBP|USD|EUR|INR)\b)\s?(?P<amount>" + _NUMBER + r")"
    r"(?:\s?(?P<magnitude>bn|mn|tn|k|m|b|thousand|million|billion|trillion|crore|lakh)\b)?"
)


def currency(text: str) -> str:
    """$1.13bn -> one point one three billion dollars; GBP 600m -> six hundred million pounds."""

    def spoken(match: re.Match[str]) -> str:
        unit = _CURRENCY_PREFIX[match.group("unit")]
        amount = match.group("amount")
        magnitude = match.group("magnitude")
        if magnitude:
            return f"{_words(amount)} {_MAGNITUDE[magnitude]} {unit}"
        if "." in amount and unit in _MINOR_UNIT and len(amount.split(".")[1]) == 2:
            whole, minor = amount.replace(",", "").split(".")
            major = f"{_words(whole)} {unit.rstrip('s') if whole == '1' else unit}"
            minor_words = f"{_words(str(int(minor)))} {_MINOR_UNIT[unit]}"
            if whole == "0":
                return minor_words
            return major if minor == "00" else f"{major} and {minor_words}"
        if amount.replace(",", "") == "1":
            unit = unit.rstrip("s")
        return f"{_words(amount)} {unit}"

    return _CURRENCY.sub(spoken, text)


def percentages(text: str) -> str:
    """76% -> seventy-six percent; 6.4 per cent -> six point four percent; 50-60% -> fifty to sixty percent."""
    text = re.sub(r"\b(" + _NUMBER + r")\s?-\s?(" + _NUMBER + r")\s?(?:%|per ?cent\b)",
                  lambda m: f"{_words(m.group(1))} to {_words(m.group(2))} percent", text)
    return re.sub(r"(" + _NUMBER + r")\s?(?:%|per ?cent\b)", lambda m: f"{_words(m.group(1))} percent", text)


def month_abbreviations(text: str) -> str:
    """Dec. 4 -> December 4, so the date rule sees a full month."""
    names = "|".join(_MONTH_ABBREVIATIONS)
    return re.sub(
        r"\b(" + names + r")\.?(?=\s+\d)",
        lambda m: _MONTH_ABBREVIATIONS[m.group(1)],
        text,
    )


def dates(text: str) -> str:
    """December 4-5 -> December fourth to fifth; 4 December -> the fourth of December."""

    def month_day_range(match: re.Match[str]) -> str:
        month, first, last = match.group(1), match.group(2), match.group(3)
        spoken = f"{month} {_ordinal(first)}"
        return spoken + (f" to {_ordinal(last)}" if last else "")

    text = re.sub(r"\b(" + _MONTH + r") (\d{1,2})(?:st|nd|rd|th)?(?:\s?-\s?(\d{1,2})(?:st|nd|rd|th)?)?\b(?!,\d)",
                  month_day_range, text)

    def day_month(match: re.Match[str]) -> str:
        first, last, month = match.group(1), match.group(2), match.group(3)
        spoken = f"the {_ordinal(first)}"
        return spoken + (f" to {_ordinal(last)}" if last else "") + f" of {month}"

    return re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s?-\s?(\d{1,2})(?:st|nd|rd|th)?)? (" + _MONTH + r")\b",
                  day_month, text)


def number_ranges(text: str) -> str:
    """2004-05 or 10-12 read as "to", never as "minus"."""
    return re.sub(r"(?<![\d-])\b(\d+)-(\d+)\b(?![-\d])", r"\1 to \2", text)


def minus_signs(text: str) -> str:
    """-5 degrees -> minus 5 degrees (a voice drops a bare hyphen)."""
    return re.sub(r"(?<![\w)])-(?=[$£€]?\d)", "minus ", text)


def magnitudes(text: str) -> str:
    """1.8bn euros -> 1.8 billion euros; 2.4km -> 2.4 km (letters glued to a number are spelled out)."""
    text = re.sub(r"\b(" + _NUMBER + r")\s?(bn|mn|tn)\b", lambda m: f"{m.group(1)} {_MAGNITUDE[m.group(2)]}", text)
    text = re.sub(r"\b(" + _NUMBER + r")(m|k)\b(?=\s+[a-z])", lambda m: f"{m.group(1)} {_MAGNITUDE[m.group(2)]}", text)
    return re.sub(r"(?<![\w.])(" + _NUMBER + r")(?=(?!s\b)[A-Za-z]{1,3}\b)", r"\1 ", text)


def phone_numbers(text: str) -> str:
    """555-123-4567 -> five five five, one two three, four five six seven."""

    def spoken(match: re.Match[str]) -> str:
        return ", ".join(" ".join(num2words(int(d)) for d in group) for group in match.group(0).split("-"))

    return re.sub(r"(?<![\d-])\b\d{3}-\d{3}-\d{4}\b(?![-\d])", spoken, text)


def model_names(text: str) -> str:
    """S-400 -> S four hundred; Su-57 and SU57 -> S U fifty-seven; G20 -> G twenty."""

    def spoken(match: re.Match[str]) -> str:
        letters = " ".join(match.group(1).upper())
        return f"{letters} {_words(match.group(2))}"

    return re.sub(r"\b([A-Z][A-Za-z]?[A-Z]?)-?(\d{2,4})\b(?![.,]\d)", spoken, text)


def ordinals(text: str) -> str:
    """23rd -> twenty-third."""
    return re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", lambda m: _ordinal(m.group(1)), text)


_YEAR_CUES = {"in", "since", "by", "from", "until", "till", "of", "the", "to", "and", "between", "before",
              "after", "during", "early", "late", "mid", "year", "season", "for", "or", "than", "around", "circa",
              *(m.lower() for m in _MONTHS)}


def years(text: str) -> str:
    """2003 -> two thousand three; 1999 -> nineteen ninety-nine; 2000s -> two thousands.

    Only where a year is meant: after a word like "in", "since" or a month, as a
    plural ("1990s"), or before punctuation; "employs 2050 people" stays a number.
    """

    def spoken(match: re.Match[str]) -> str:
        year, plural = match.group(1), match.group(2)
        before = re.findall(r"[A-Za-z]+", match.string[max(0, match.start() - 12):match.start()])
        after = match.string[match.end():match.end() + 1]
        cued = bool(before) and before[-1].lower() in _YEAR_CUES
        if not (plural or cued or after in ("", ",", ".", ";", ":", ")", "?", "!")):
            return match.group(0)
        words = _year(year)
        if plural:
            words = words[:-1] + "ies" if words.endswith("y") else words + "s"
        return words

    return re.sub(r"(?<![\d,.$£€])\b(1[1-9]\d\d|20\d\d)(s)?\b(?![.,]\d|\s?%)", spoken, text)


_TITLES = {
    "Dr.": "Doctor", "Mr.": "Mister", "Mrs.": "Missus", "Ms.": "Miz", "Prof.": "Professor",
    "Gen.": "General", "Gov.": "Governor", "Sen.": "Senator", "Rep.": "Representative",
    "Lt.": "Lieutenant", "Col.": "Colonel", "Capt.": "Captain", "Sgt.": "Sergeant",
    "Pres.": "President", "Supt.": "Superintendent",
}
_ABBREVIATIONS = {
    "e.g.": "for example", "i.e.": "that is", "etc.": "et cetera", "vs.": "versus", "approx.": "about",
    "U.S.": "U S", "U.K.": "U K", "U.N.": "U N", "E.U.": "E U",
}


def _clock_suffix(match: re.Match[str]) -> str:
    """3 p.m. -> 3 p m, keeping the full stop only where it also ends the sentence."""
    rest = match.string[match.end():]
    ends_sentence = match.group(3) and (not rest.strip() or re.match(r"\s+[A-Z]", rest))
    return f"{match.group(1)} {match.group(2).lower()} m" + ("." if ends_sentence else "")


def clock_times(text: str) -> str:
    """5:30 -> five thirty; 9:05 -> nine oh five; 10:00 -> ten o'clock."""

    def spoken(match: re.Match[str]) -> str:
        hour, minute = int(match.group(1)), int(match.group(2))
        if minute == 0:
            return f"{_words(str(hour))} o'clock"
        minutes = _words(str(minute)) if minute >= 10 else f"oh {_words(str(minute))}"
        return f"{_words(str(hour))} {minutes}"

    text = re.sub(r"\b(1[0-2]|0?[1-9])[.:](00)(?=\s?[ap] m\b)", lambda m: _words(m.group(1)), text)
    text = re.sub(r"\b(1[0-2]|0?[1-9])\.([0-5]\d)(?=\s?[ap] m\b)", spoken, text)
    return re.sub(r"\b([01]?\d|2[0-3]):([0-5]\d)\b(?!:)", spoken, text)


def abbreviations(text: str) -> str:
    """Dr. Jones -> Doctor Jones, St. Paul's -> Saint Paul's, Main St. -> Main Street, PM Modi -> Prime Minister Modi."""
    for short, long in _TITLES.items():
        text = re.sub(r"(?<!\w)" + re.escape(short) + r"(?=\s)", long, text)
    text = re.sub(r"\bSt\.(?=\s+[A-Z])", "Saint", text)
    text = re.sub(r"\b([A-Z][a-z]+) St\.", r"\1 Street", text)
    text = re.sub(r"\b(\d{1,2}(?::\d\d)?)\s?([ap])\.?m\b(\.?)", _clock_suffix, text, flags=re.I)
    text = re.sub(r"\bPM\b(?=\s+[A-Z])", "Prime Minister", text)
    text = re.sub(r"\bPM\b", "P M", text)
    text = re.sub(r"(?<=[a-z] )No\.\s?(?=\d)", "number ", text)
    for short, long in _ABBREVIATIONS.items():
        text = re.sub(r"(?<!\w)" + re.escape(short) + r"(?!\w)", long, text)
    if not text.isupper():
        text = re.sub(r"\bUS\b(?!\$)", "U S", text)
    return text


def numbers(text: str) -> str:
    """Remaining numerals to words: 464,000 -> four hundred sixty-four thousand; 2.5 -> two point five."""
    return re.sub(r"(?<![\w.])(" + _NUMBER + r")(?![\d])(?!\.\d)", lambda m: _words(m.group(1)), text)


def symbols(text: str) -> str:
    """& -> and, and drop characters a voice would spell out."""
    text = text.replace("&", " and ").replace("+", " plus ").replace("#", " number ")
    return re.sub(r"[*_~^|<>\[\]{}\\]", " ", text)


def spacing(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s+([,.;:!?])", r"\1", text).strip()


REWRITES: tuple[Callable[[str], str], ...] = (
    tidy_characters,
    drop_urls,
    minus_signs,
    phone_numbers,
    currency,
    percentages,
    month_abbreviations,
    dates,
    ordinals,
    model_names,
    number_ranges,
    magnitudes,
    years,
    abbreviations,
    clock_times,
    numbers,
    symbols,
    spacing,
)


def normalize_for_speech(text: str) -> str:
    """Text as it should sound, after every rewrite in REWRITES."""
    for rewrite in REWRITES:
        text = rewrite(text)
    return text
