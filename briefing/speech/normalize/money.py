"""Money: "$1.13bn" -> one point one three billion dollars, "A$3m" -> three million
Australian dollars, "60p" -> sixty pence, "$5-10m" -> five to ten million dollars."""
from __future__ import annotations

import re

from .spoken import cardinal, has_digit

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

CURRENCY_NAMES = {
    "$": "dollars", "US$": "US dollars", "USD": "US dollars", "A$": "Australian dollars",
    "AU$": "Australian dollars", "AUD": "Australian dollars", "C$": "Canadian dollars",
    "CA$": "Canadian dollars", "CAD": "Canadian dollars", "HK$": "Hong Kong dollars", "HKD": "Hong Kong dollars",
    "NZ$": "New Zealand dollars", "NZD": "New Zealand dollars", "S$": "Singapore dollars", "R$": "reais",
    "£": "pounds", "GBP": "pounds", "€": "euros", "EUR": "euros", "¥": "yen", "JPY": "yen",
    "CNY": "yuan", "RMB": "yuan", "₹": "rupees", "Rs": "rupees", "Rs.": "rupees", "INR": "rupees",
    "₩": "won", "KRW": "won", "₽": "roubles", "RUB": "roubles", "₺": "lira", "₪": "shekels",
    "CHF": "Swiss francs", "₦": "naira", "NGN": "naira", "ZAR": "rand",
}
SINGULAR = {"dollars": "dollar", "pounds": "pound", "euros": "euro", "rupees": "rupee", "roubles": "rouble",
            "shekels": "shekel", "francs": "franc", "reais": "real"}
MINOR_UNITS = {"dollars": ("cent", "cents"), "euros": ("cent", "cents"), "pounds": ("penny", "pence")}
MAGNITUDES = {"k": "thousand", "K": "thousand", "thousand": "thousand", "m": "million", "mn": "million",
              "M": "million", "million": "million", "bn": "billion", "b": "billion", "B": "billion",
              "billion": "billion", "tn": "trillion", "trillion": "trillion", "crore": "crore", "lakh": "lakh"}

_SYMBOL = r"(?:US|AU?|CA?|HK|NZ|S|R)?\$|£|€|¥|₹|₩|₽|₺|₪|₦|\bRs\.?|\b(?:USD|GBP|EUR|JPY|CNY|RMB|INR|KRW|RUB|CHF|AUD|CAD|HKD|NZD|NGN|ZAR)\b"
_MAGNITUDE = r"(?:\s?(?:bn|mn|tn|[kmbKMB])\b|\s(?:thousand|million|billion|trillion|crore|lakh)\b)"
_CURRENCY = re.compile(
    rf"(?<![\w$])(?P<unit>{_SYMBOL})\s?(?P<amount>{NUMBER})(?P<magnitude>{_MAGNITUDE})?"
    rf"(?:\s?(?:-|to)\s?(?P<unit2>{_SYMBOL})?\s?(?P<amount2>{NUMBER})(?P<magnitude2>{_MAGNITUDE})?)?"
)


def _singular(unit: str) -> str:
    last = unit.rsplit(" ", 1)[-1]
    return unit[: len(unit) - len(last)] + SINGULAR.get(last, last)


def _amount(amount: str, unit: str, magnitude: str | None, with_unit: bool = True) -> str:
    """One amount: "1.13", "dollars", "bn" -> one point one three billion dollars."""
    if magnitude:
        words = f"{cardinal(amount)} {MAGNITUDES[magnitude.strip()]}"
        return f"{words} {unit}" if with_unit else words
    plain = amount.replace(",", "")
    last = unit.rsplit(" ", 1)[-1]
    whole, _, minor = plain.partition(".")
    if len(minor) == 2 and last in MINOR_UNITS:
        one_minor, many_minor = MINOR_UNITS[last]
        minor_words = f"{cardinal(str(int(minor)))} {one_minor if minor == '01' else many_minor}"
        major = f"{cardinal(whole)} {_singular(unit) if whole == '1' else unit}"
        if whole == "0":
            return minor_words
        return major if minor == "00" else f"{major} and {minor_words}"
    if not with_unit:
        return cardinal(amount)
    return f"{cardinal(amount)} {_singular(unit) if plain == '1' else unit}"


def currency(text: str) -> str:
    """$1.13bn -> one point one three billion dollars; GBP 600m -> six hundred million pounds;
    $20.50 -> twenty dollars and fifty cents; $5-10m -> five to ten million dollars (the
    magnitude and unit are shared); £2m-£3m -> two million pounds to three million pounds."""
    if not has_digit(text):
        return text

    def spoken(match: re.Match[str]) -> str:
        unit = CURRENCY_NAMES[match.group("unit").strip()]
        amount, magnitude = match.group("amount"), match.group("magnitude")
        second, magnitude2 = match.group("amount2"), match.group("magnitude2")
        if second is None:
            return _amount(amount, unit, magnitude)
        if match.group("unit2") is None and magnitude is None and "." not in amount:
            return f"{cardinal(amount)} to {_amount(second, unit, magnitude2)}"
        return f"{_amount(amount, unit, magnitude)} to {_amount(second, unit, magnitude2)}"

    return _CURRENCY.sub(spoken, text)


_PENCE = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)(p|c)\b(?!\.\d)")
_VIDEO_LINES = frozenset({"360", "480", "720", "1080", "1440", "2160"})


def pence_and_cents(text: str) -> str:
    """60p -> sixty pence, 1p -> one penny, 50c -> fifty cents (1080p stays a video format)."""
    if not has_digit(text):
        return text

    def spoken(match: re.Match[str]) -> str:
        amount, unit = match.group(1), match.group(2)
        if unit == "p" and amount in _VIDEO_LINES:
            return f"{cardinal(amount)} P"
        if unit == "p":
            return f"{cardinal(amount)} {'penny' if amount == '1' else 'pence'}"
        return f"{cardinal(amount)} {'cent' if amount == '1' else 'cents'}"

    return _PENCE.sub(spoken, text)
