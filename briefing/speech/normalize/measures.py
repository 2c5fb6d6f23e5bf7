"""Measures: percentages, units after a number, magnitudes ("1.1m people").

"m" after a number is read as metres ("60m hurdles", "the 400m mark") unless
the sentence is about money or the next word counts things ("1.1m people",
"5m viewers"): then it is million.
"""
from __future__ import annotations

import re

from .money import MAGNITUDES, NUMBER
from .spoken import cardinal, has_digit

_RANGE = rf"(?P<n>{NUMBER}|\.\d+)(?:\s?(?:-|to)\s?(?P<n2>{NUMBER}))?"

_PERCENT = re.compile(rf"(?<![\w.]){_RANGE}(?:\s?%|\s?per ?cent\b|pc\b)")


def percentages(text: str) -> str:
    """76% -> seventy-six percent; 6.4 per cent -> six point four percent; 50-60% -> fifty to sixty percent."""
    if not has_digit(text):
        return text

    def spoken(match: re.Match[str]) -> str:
        first, second = match.group("n"), match.group("n2")
        return f"{cardinal(first)} to {cardinal(second)} percent" if second else f"{cardinal(first)} percent"

    return _PERCENT.sub(spoken, text)


def _unit(singular: str, plural: str | None = None) -> tuple[str, str]:
    return singular, plural or singular + "s"


# Written unit -> (singular, plural). Units in _GLUED_ONLY are read only when written
# against the number ("5in", "9.58s"), since "5 in" is usually the preposition.
UNITS: dict[str, tuple[str, str]] = {
    "km": _unit("kilometre"), "kms": _unit("kilometre"), "m": _unit("metre"), "cm": _unit("centimetre"),
    "mm": _unit("millimetre"), "mi": _unit("mile"), "nm": _unit("nautical mile"),
    "kg": _unit("kilogram"), "kgs": _unit("kilogram"), "g": _unit("gram"), "mg": _unit("milligram"),
    "t": _unit("tonne"), "lb": _unit("pound"), "lbs": _unit("pound"), "oz": _unit("ounce"), "st": _unit("stone", "stone"),
    "ft": _unit("foot", "feet"), "in": _unit("inch", "inches"), "yd": _unit("yard"), "yds": _unit("yard"),
    "mph": _unit("mile per hour", "miles per hour"), "km/h": _unit("kilometre per hour", "kilometres per hour"),
    "kph": _unit("kilometre per hour", "kilometres per hour"), "kmh": _unit("kilometre per hour", "kilometres per hour"),
    "m/s": _unit("metre per second", "metres per second"), "mpg": _unit("mile per gallon", "miles per gallon"),
    "sq km": _unit("square kilometre"), "sq m": _unit("square metre"), "sq ft": _unit("square foot", "square feet"),
    "sq mi": _unit("square mile"), "sq miles": _unit("square mile"), "km²": _unit("square kilometre"),
    "m²": _unit("square metre"), "km2": _unit("square kilometre"), "m2": _unit("square metre"),
    "ha": _unit("hectare"), "acres": _unit("acre"), "l": _unit("litre"), "ml": _unit("millilitre"),
    "cl": _unit("centilitre"), "cc": _unit("cubic centimetre"), "m³": _unit("cubic metre"), "m3": _unit("cubic metre"),
    "secs": _unit("second"), "sec": _unit("second"), "s": _unit("second"), "ms": _unit("millisecond"),
    "mins": _unit("minute"), "min": _unit("minute"), "hrs": _unit("hour"), "hr": _unit("hour"), "h": _unit("hour"),
    "yrs": _unit("year"), "yr": _unit("year"),
    "pts": _unit("point"), "pt": _unit("point"),
    "KB": _unit("kilobyte"), "MB": _unit("megabyte"), "GB": _unit("gigabyte"), "TB": _unit("terabyte"),
    "Mbps": _unit("megabit per second", "megabits per second"), "Gbps": _unit("gigabit per second", "gigabits per second"),
    "kW": _unit("kilowatt"), "MW": _unit("megawatt"), "GW": _unit("gigawatt"), "kWh": _unit("kilowatt hour"),
    "MWh": _unit("megawatt hour"), "GWh": _unit("gigawatt hour"), "TWh": _unit("terawatt hour"),
    "Hz": _unit("hertz", "hertz"), "kHz": _unit("kilohertz", "kilohertz"), "MHz": _unit("megahertz", "megahertz"),
    "GHz": _unit("gigahertz", "gigahertz"), "mAh": _unit("milliamp hour"), "V": _unit("volt"), "kV": _unit("kilovolt"),
    "°C": _unit("degree Celsius", "degrees Celsius"), "ºC": _unit("degree Celsius", "degrees Celsius"),
    "°F": _unit("degree Fahrenheit", "degrees Fahrenheit"), "ºF": _unit("degree Fahrenheit", "degrees Fahrenheit"),
    "C": _unit("degree Celsius", "degrees Celsius"), "F": _unit("degree Fahrenheit", "degrees Fahrenheit"),
    "°": _unit("degree"), "º": _unit("degree"),
}
_GLUED_ONLY = frozenset({"m", "mi", "nm", "g", "t", "st", "in", "l", "s", "h", "C", "F", "V", "cc", "m2", "km2", "m3", "ms", "pt", "k"})
_UNIT_PATTERN = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_MEASURE = re.compile(
    rf"(?<![\w.,$£€¥₹]){_RANGE}(?P<space>\s?)(?P<unit>{_UNIT_PATTERN}|bn|tn|mn|k|thousand|million|billion|trillion)"
    r"(?![\w'/²³])"
)

METRE_CUES = frozenset("""
hurdles freestyle backstroke breaststroke butterfly medley individual relay relays sprint sprints dash race races
run runs runner runners final finals title titles mark record records event events champion champions championship
championships world gold silver bronze heat heats semi-final semi-finals semis tall high long wide deep away below
above under underground higher lower deeper longer shorter wall walls tower drop fall wave waves radius swim swimmer
personal best pb olympic olympics indoor indoors outdoor squad specialist man woman men's women's in
""".split())
MILLION_CUES = frozenset("""
people persons children adults users customers subscribers viewers listeners readers visitors voters votes homes
households jobs workers employees members fans tickets copies units shares barrels tonnes tons passengers downloads
streams views followers residents patients doses vaccines years plays sales cars vehicles phones devices accounts
cases deaths refugees migrants pupils students animals birds trees litres gallons miles kilometres euros dollars
pounds yen yuan rupees francs roubles times lives hectares acres square more
""".split())
_MONEY_CONTEXT = re.compile(
    r"[$£€¥₹]|\b(?:cost|costs|costing|worth|fund|funds|funding|funded|budget|budgets|deal|deals|profit|profits|revenue|"
    r"revenues|sales|pay|pays|paid|debt|debts|loan|loans|bid|bids|fine|fined|raise|raised|raising|spend|spent|spending|"
    r"invest|invested|investment|investments|bonus|salary|wages|tax|taxes|turnover|earnings|valued|valuation|price|"
    r"prices|priced|sold|buy|bought|compensation|contract|fee|fees|grant|grants|cash|bill|shortfall|deficit|surplus|"
    r"savings|income|losses|loss|euros|dollars|pounds|yen|yuan|rupees|francs|money|capital|bailout|subsidy|"
    r"subsidies|market|stake|assets|dividend|dividends|pension|donated|donation|donations|award|awarded)\b",
    re.I,
)
_K_CUES = frozenset("run runs race races runner runners road fun parkrun walk walks".split())
_NEXT_WORD = re.compile(r"[\s-]*([A-Za-z'’]+)")


def _next_word(text: str, end: int) -> str:
    match = _NEXT_WORD.match(text, end)
    return match.group(1).lower() if match else ""


_RACE_TIME = re.compile(r"\s+in\s+(?:\d+:)?\d+(?:\.\d+)?\s?(?:s|secs?|seconds?|mins?|minutes?|hrs?|hours?)?\b")
"""'400m in 52.1secs', '1500m in 3:49.78': a distance run in a time."""
MONEY_CONTEXT_CHARS = 60
"""How far around "5m" a money word or symbol makes it millions: its own clause, not the
whole sentence ("ran the 400m in 52.1secs ... for A$3m" has metres and millions)."""


def _metres_or_million(match: re.Match[str]) -> str:
    text = match.string
    word = _next_word(text, match.end())
    if (word in METRE_CUES and word != "in") or text[match.end():match.end() + 1] == "-":
        return "metres"
    if word == "in" and _RACE_TIME.match(text, match.end()):
        return "metres"
    around = text[max(0, match.start() - MONEY_CONTEXT_CHARS):match.end() + MONEY_CONTEXT_CHARS]
    if word in MILLION_CUES or _MONEY_CONTEXT.search(around):
        return "million"
    if len(word) > 3 and word.endswith("s"):
        return "million"
    return "metres"


def units(text: str) -> str:
    """60m hurdles -> sixty metres hurdles; 4km -> four kilometres; -5C -> minus five degrees
    Celsius; 1.45secs -> one point four five seconds; 25 pts -> twenty-five points;
    1.1m people -> one point one million people; 5-10km -> five to ten kilometres; a 5m-high
    wall -> a five metre-high wall."""
    if not has_digit(text):
        return text

    def spoken(match: re.Match[str]) -> str:
        unit, glued = match.group("unit"), not match.group("space")
        first, second = match.group("n"), match.group("n2")
        if unit in _GLUED_ONLY and not glued and not (unit == "m" and _next_word(text, match.end()) in METRE_CUES):
            return match.group(0)
        if unit == "s" and "." not in first:
            return match.group(0)
        numbers = f"{cardinal(first)} to {cardinal(second)}" if second else cardinal(first)
        if unit == "m":
            if _metres_or_million(match) == "million":
                return f"{numbers} million"
        elif unit == "k":
            return f"{numbers} K" if _next_word(text, match.end()) in _K_CUES else f"{numbers} thousand"
        elif unit in MAGNITUDES:
            return f"{numbers} {MAGNITUDES[unit]}"
        singular, plural = UNITS[unit]
        attributive = text[match.end():match.end() + 1] == "-"
        return f"{numbers} {singular if (first == '1' and not second) or attributive else plural}"

    if "x" in text:
        text = _BY.sub(r"\1 by ", text)
        text = _TIMES.sub(lambda m: f"{cardinal(m.group(1))} times", text)
    text = _MEASURE.sub(spoken, text)
    return text


_BY = re.compile(r"(?<![\w.])(\d+)\s?x\s?(?=\d)")
_TIMES = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)x\b")
