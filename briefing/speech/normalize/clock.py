"""Times: clock times, am/pm, 24-hour times with a zone, and race times."""
from __future__ import annotations

import re

from .spoken import DIGIT_WORDS, cardinal, has_digit

ZONES = r"GMT|BST|UTC|CET|CEST|EET|EEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|PT|CT|IST|JST|AEST|AEDT|hrs|hours|local time"


def _hour(hour: str) -> str:
    if len(hour) == 2 and hour[0] == "0":
        return "zero" if hour == "00" else f"oh {DIGIT_WORDS[int(hour[1])]}"
    return cardinal(hour)


def _minute(minute: str) -> str:
    return f"oh {DIGIT_WORDS[int(minute[1])]}" if minute[0] == "0" else cardinal(minute)


def clock_time(hour: str, minute: str, twenty_four_hour: bool = False) -> str:
    """ "9", "05" -> nine oh five; "14", "00" -> fourteen hundred; "10", "00" -> ten o'clock."""
    if minute == "00":
        if twenty_four_hour or int(hour) > 12 or hour.startswith("0"):
            return f"{_hour(hour)} hundred"
        return f"{_hour(hour)} o'clock"
    return f"{_hour(hour)} {_minute(minute)}"


def _plural(count: str, unit: str) -> str:
    return f"{cardinal(count)} {unit if count.lstrip('0') == '1' else unit + 's'}"


_HOURS_MINUTES_SECONDS = re.compile(r"(?<![\w.:])(\d{1,2}):([0-5]\d):([0-5]\d(?:\.\d+)?)(?![\d:]|\.\d)")
_MINUTES_SECONDS = re.compile(r"(?<![\w.:])(\d{1,2}):([0-5]\d\.\d+)(?![\d:]|\.\d)|(?<![\w.:])(2[4-9]|[3-5]\d):([0-5]\d)(?![\d:]|\.\d)")


def race_times(text: str) -> str:
    """3:49.78 -> three minutes forty-nine point seven eight seconds; 2:03:59 -> two hours
    three minutes fifty-nine seconds; 26:11 -> twenty-six minutes eleven seconds."""
    if ":" not in text:
        return text

    def hours(match: re.Match[str]) -> str:
        h, m, s = match.groups()
        return f"{_plural(h, 'hour')} {_plural(m, 'minute')} {_plural(s.lstrip('0') or '0', 'second')}"

    def minutes(match: re.Match[str]) -> str:
        m, s = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        seconds = _plural(s[1:] if s[0] == "0" and s[1] != "." else s, "second")
        return seconds if int(m) == 0 else f"{_plural(m, 'minute')} {seconds}"

    text = _HOURS_MINUTES_SECONDS.sub(hours, text)
    return _MINUTES_SECONDS.sub(minutes, text)


_AM_PM_RANGE = re.compile(r"([ap]\.m) ?- ?(?=[a-z0-9])")
_AM_PM = re.compile(r"(?<![\w.:])(\d{1,2})(?:[:.]([0-5]\d))?\s?([aApP])\.?\s?[mM]\b(\.)?")


def am_pm(text: str) -> str:
    """3pm -> three p.m; 11.30am -> eleven thirty a.m; 10:00 a.m. -> ten a.m; 9am-5pm -> nine
    a.m to five p.m.

    Written "a.m" with a point inside: both espeak-ng and misaki-style voices then say
    the letters, where "a m" would be read as the article "a".
    """
    if not has_digit(text):
        return text

    def spoken(match: re.Match[str]) -> str:
        hour, minute, letter, point = match.groups()
        time = cardinal(hour) if minute in (None, "00") else f"{cardinal(hour)} {_minute(minute)}"
        ends_text = point and not text[match.end():].strip(" \"')")
        return f"{time} {letter.lower()}.m" + ("." if ends_text else "")

    text = _AM_PM.sub(spoken, text)
    return _AM_PM_RANGE.sub(r"\1 to ", text) if ".m-" in text else text


_CLOCK = re.compile(rf"(?<![\w.:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:]|\.\d)(?P<zone>\s?(?:{ZONES})\b)?")
_ZONED = re.compile(rf"(?<![\w.,:])([01]\d|2[0-3])\.?([0-5]\d)(?=\s?(?:{ZONES})\b)|(?<![\w.,:])([01]?\d|2[0-3])\.([0-5]\d)(?=\s?(?:{ZONES})\b)")


def clock_times(text: str) -> str:
    """5:30 -> five thirty; 9:05 -> nine oh five; 10:00 -> ten o'clock; 14:30 GMT ->
    fourteen thirty GMT; 1200 GMT -> twelve hundred GMT."""
    if not has_digit(text):
        return text
    if ":" in text:
        text = _CLOCK.sub(lambda m: clock_time(m.group(1), m.group(2), bool(m.group("zone"))) + (m.group("zone") or ""), text)
    return _ZONED.sub(lambda m: clock_time(m.group(1) or m.group(3), m.group(2) or m.group(4), True), text)
