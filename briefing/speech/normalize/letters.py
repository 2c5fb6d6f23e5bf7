"""Letters: acronyms, Roman numerals, and product and model names.

An acronym is either said as a word ("NATO" -> Nato) or spelled. A spelled one is
written with points between the letters and none after ("FBI" -> F.B.I): both
espeak-ng (Piper) and misaki-style voices (Kokoro, hibari) then read letters,
where "F B I" would make them read a lone "A" as the article and "UAE" or "ANC"
as a word. With a plural or possessive ending ("MPs", "FBI's") the acronym is
left joined, which both read as letters; points there make espeak say "dot".
"""
from __future__ import annotations

import re

from .spoken import cardinal, has_digit, ordinal, paired

WORD_ACRONYMS = frozenset("""
NATO NASA PAC OPEC UNESCO UNICEF FIFA UEFA AIDS COVID NAFTA ASEAN SARS MERS OFSTED OFCOM OFGEM OFWAT UKIP NICE NEET
BAFTA ISIS ISIL SWAT DEFRA NIMBY GIF JPEG PIN SIM RAM ROM LASER RADAR SONAR SCUBA TASER ACAS BUPA CAFOD FEMA
IKEA LEGO CERN DARPA IMAX SAGE ASOS WASP ZANU POTUS SCOTUS FLOTUS ACORN CAMRA WADA USADA UKAD RUSADA MAGA COP ICE
ULEZ UNISON ASLEF EFTA CENTCOM AUKUS QUAD BRICS HAMAS FRONTEX INTERPOL EUROPOL MENSA NASDAQ DAX CAC OFQUAL OFSTED
UNRWA FARC ETA SEAT FIAT ANZAC TEFL GATT INTELSAT MIRV START SALT NORAD MODEM WYSIWYG YOLO EGOT EMEA APAC
""".split())
"""Acronyms said as words; they are written in title case ("Nato") so every voice says a word."""

CAPITALISED_WORDS = frozenset("""
MAX PRO PLUS ULTRA MINI AIR NEW NOW LIVE ONE GO FREE HOME NEWS SPORT WORLD STAR BIG BEST TOP LITE NEO EVO CLASSIC
EDGE PRIME SELECT EXTRA FAN GOLD SILVER BLACK WHITE RED BLUE GREEN OPEN PLAY STORE LIGHT POWER SMART SUPER TURBO
""".split())
"""English words that brands write in capitals ("737 MAX", "iPhone 16 Pro MAX")."""

SPELLED_ACRONYMS = frozenset("""
BBC FBI CIA NHS EU UK US USA UN IMF WHO ITV CEO GDP AI SNP DUP MP MEP PM GMT BST UTC NFL NBA MLB NHL PGA ATP WTA
ICC ECB BP HSBC RBS IBM HP BMW VW CNN CBS NBC ABC ESPN IOC IAAF OECD WTO ILO IEA IPCC UNHCR NSPCC RSPCA RSPB DVLA
HMRC CPS PSNI SAS RAF USAF IDF ANC PLO PKK IRA KGB FSB SBU GCHQ NSA DHS DOJ SEC FTC FCC FDA CDC EPA IRS TUC CBI FSA
FCA PRA ONS OBR IFS NAO CQC DWP ITN LBC STV RTE NPR PBS AP AFP UPI GCSE NASUWT RMT GMB NEU NUJ AOL TBWA MPC BNP
AAA AAAS UAE DRC CAR KFC HBO AT NYPD LAPD MI DVD CD TV PC SUV ATM VAT CCTV DNA HIV IVF ICU GP A&E EV UFO IT ID
FA EFL PFA SPL WRU RFU ECB BBFC OPCW OSCE IAEA NGO NGOs LGBT LGBTQ CSU SPD CDU AfD PSG LVMH WPP ITV BT EE O2
""".split())
"""Acronyms known to be spelled, kept whole when a hashtag is split ("#BBCNews")."""

KNOWN_ACRONYMS = WORD_ACRONYMS | SPELLED_ACRONYMS | CAPITALISED_WORDS
_SAID_DIFFERENTLY = {"FTSE": "Footsie", "OK": "okay", "NASDAQ": "Nasdaq"}
_MIXED_CASE = {"PhD": "P.H.D", "PhDs": "PhDs", "MoD": "M.O.D", "DfE": "D.F.E", "TfL": "T.F.L", "BSc": "B.S.C",
               "MSc": "M.S.C", "iOS": "I.O.S", "FoI": "F.O.I", "PoW": "P.O.W", "DoJ": "D.O.J", "DoD": "D.O.D",
               "AfD": "A.F.D", "DfT": "D.F.T", "HoC": "H.O.C", "MiG": "Mig"}


def spell(letters: str) -> str:
    """FBI -> F.B.I."""
    return ".".join(letters.upper())


def say_acronym(word: str) -> str:
    """How one all-capital word is read: NATO -> Nato, FBI -> F.B.I, MPs -> MPs."""
    stem, suffix = (word[:-2], word[-2:]) if word.endswith(("'s", "’s")) else (
        (word[:-1], "s") if word.endswith("s") and word[:-1].isupper() and len(word) > 2 else (word, ""))
    if stem in _SAID_DIFFERENTLY:
        return _SAID_DIFFERENTLY[stem] + suffix
    if stem in WORD_ACRONYMS or stem in CAPITALISED_WORDS:
        return stem[0] + stem[1:].lower() + suffix
    if stem not in SPELLED_ACRONYMS and len(stem) >= 6 and any(v in stem for v in "AEIOU"):
        return stem[0] + stem[1:].lower() + suffix
    if suffix:
        return word
    return spell(stem)


def _said_letters(letters: str) -> str:
    """Letters in a model name: F -> F, Su -> S.U, MiG -> Mig, PAC -> Pac, COVID -> Covid."""
    if letters in _MIXED_CASE:
        return _MIXED_CASE[letters]
    if len(letters) == 1:
        return letters if letters.isupper() else letters.upper()
    if letters.isupper():
        return say_acronym(letters)
    if len(letters) <= 2:
        return spell(letters)
    return letters[0].upper() + letters[1:].lower()


def _model_number(number: str) -> str:
    return paired(number) if len(number) >= 3 else cardinal(number)


def _join(letters: str, number_words: str) -> str:
    """A lone "A" is joined with a hyphen ("A-ten"), or voices read it as the article."""
    return f"{letters}-{number_words}" if letters == "A" else f"{letters} {number_words}"


_BRANDS = r"Boeing|Airbus|Xbox|Porsche|Peugeot|Cessna|Embraer|Tupolev|Ilyushin|Antonov|Lockheed|Sukhoi|Saab|Learjet"
_BRAND_NUMBER = re.compile(rf"\b({_BRANDS}) (\d{{3,4}})(s?)\b(?![.,]\d)")
_NUMBER_MODEL = re.compile(r"(?<![\w.,])(\d{3})(s?) (?=(?:MAX|Max|Dreamliner|neo|NG|ER|LR|XWB)\b)")
_HYPHENED = re.compile(r"(?<![\w.-])([A-Z][A-Za-z]{0,5}|[a-z][A-Z]{1,3})-(\d{1,4})(s?)(?![\w/-]|[.,]\d)")
_GLUED = re.compile(r"(?<![\w.-])([A-Z]{1,4}|[A-Z][a-z]|[a-z][A-Z]|mp|[a-z](?=\d[a-z]?\b))(\d{1,4})(s?)(?![\w/-]|[.,]\d)")
_VIRUS = re.compile(r"\b([A-Z])(\d{1,2})([A-Z])(\d{1,2})\b")
_NUMBER_LETTERS = re.compile(r"(?<![\w.,-])(\d{1,2})([A-Z]{1,2})\b(?!['’-])")


def model_names(text: str) -> str:
    """S-400 -> S four hundred; Su-57 -> S.U fifty-seven; F-35 -> F thirty-five; 737 MAX ->
    seven thirty-seven Max; A380 -> A-three eighty; G7 -> G seven; COVID-19 -> Covid
    nineteen; H1N1 -> H one N one; 5G -> five G."""
    if not has_digit(text):
        return text

    def brand(match: re.Match[str]) -> str:
        name, number, s = match.groups()
        return f"{name} {paired(number)}{s}" if not s else f"{name} {paired(number)}s"

    def lettered(match: re.Match[str]) -> str:
        letters, number, s = match.groups()
        words = _model_number(number)
        return _join(_said_letters(letters), words + ("s" if s else ""))

    text = _BRAND_NUMBER.sub(brand, text)
    text = _NUMBER_MODEL.sub(lambda m: f"{paired(m.group(1))}{m.group(2)} ", text)
    text = _VIRUS.sub(lambda m: f"{m.group(1)} {cardinal(m.group(2))} {m.group(3)} {cardinal(m.group(4))}", text)
    text = _HYPHENED.sub(lettered, text)
    text = _GLUED.sub(lettered, text)
    return _NUMBER_LETTERS.sub(lambda m: f"{cardinal(m.group(1))} {m.group(2)}", text)


_ROMAN = r"(?=[MDCLXVI]+\b)M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_REGNAL_NAMES = frozenset("""
Charles Elizabeth Henry George Edward William James Richard Louis John Paul Benedict Pius Leo Gregory Felipe Carlos
Frederick Frederik Philip Mary Victoria Anne Alexander Nicholas Peter Ivan Napoleon Ramesses Rama Abdullah Hussein
Mohammed Harald Carl Gustaf Albert Baudouin Constantine Olav Haakon Christian Margrethe Mswati Urban Innocent Clement
Boniface Alfonso Ferdinand Isabella Catherine Wilhelm Friedrich Otto Rudolf Franz Joseph Karl Stephen Michael David
Robert Malcolm Kenneth Alfred Harold Ethelred Edmund Sixtus Julius Adrian Celestine Martin Francis Ptolemy Hirohito
Farouk Fuad Faisal Tamim Hamad Salman Khalid Mohammad Rainier Willem Hans Adam Juan Pedro Manuel Sancho Bhumibol
Norodom Sihamoni Tupou Letsie Jigme Kamehameha Selassie Tewodros Menelik Idris Zog Michael Simeon Boris Carol Mihai
""".split())
_TITLES_BEFORE_NAME = frozenset("King Queen Pope Emperor Empress Tsar Tsarina Prince Princess Pharaoh Sultan Shah Emir Duke Kaiser".split())
_CARDINAL_CUES = frozenset("""
War Bowl Vatican Title Chapter Article Part Volume Vol Act Book Phase Stage Episode Apollo Gemini Mark Mk Series
Section Class Category Type Level Tier Grade Schedule Annex Appendix Round Division Rocky Gladiator Frozen Wars
Trek Godfather Dune Avatar Sequel Season Symphony Psalm Canto Movement Op Fantasy Civilization Doom Halo
""".split())
_ROMAN_AFTER_NAME = re.compile(rf"\b([A-Z][a-z]+)((?:\s+[A-Z][a-z]+)?)\s+({_ROMAN})(?=['’]s\b|\b)(?![-'’][a-z]{{2,}})")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def roman_value(numeral: str) -> int:
    total = 0
    for i, letter in enumerate(numeral):
        value = _ROMAN_VALUES[letter]
        if i + 1 < len(numeral) and _ROMAN_VALUES[numeral[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


_ROMAN_LETTERS = re.compile(r"[IVXLCDM]+\b")


def _may_hold_roman_numeral(text: str) -> bool:
    """A quick look before the full rule: a word of Roman letters other than the pronoun "I"."""
    for match in _ROMAN_LETTERS.finditer(text):
        start = match.start()
        if start and text[start - 1].isalnum():
            continue
        if match.group() != "I":
            return True
        before = text[max(0, start - 12):start].split()
        if before and (before[-1] in _REGNAL_NAMES or before[-1] == "War"):
            return True
    return False


def roman_numerals(text: str) -> str:
    """Charles III -> Charles the Third; World War II -> World War Two; Super Bowl LVIII ->
    Super Bowl fifty-eight; John Smith III -> John Smith the Third. Only after a name or
    a word such as "War", "Chapter" or "Title", so "MIX", "CD" and "I" stay letters."""
    if not _may_hold_roman_numeral(text):
        return text

    def spoken(match: re.Match[str]) -> str:
        name, second_name, numeral = match.groups()
        last = second_name.strip() or name
        value = roman_value(numeral)
        before = text[max(0, match.start() - 12):match.start()].split()
        titled = bool(before) and before[-1] in _TITLES_BEFORE_NAME
        if last in _CARDINAL_CUES:
            if len(numeral) == 1 and numeral not in "IVX":
                return match.group(0)
            return f"{name}{second_name} {cardinal(str(value)).title()}"
        if (name in _REGNAL_NAMES and not second_name) or titled or last in _REGNAL_NAMES:
            return f"{name}{second_name} the {ordinal(str(value)).capitalize()}"
        if len(numeral) >= 2 and set(numeral) <= set("IVX") and numeral not in ("IV", "VI", "XI", "IX"):
            if second_name:
                return f"{name}{second_name} the {ordinal(str(value)).capitalize()}"
            return f"{name} {cardinal(str(value)).title()}"
        return match.group(0)

    return _ROMAN_AFTER_NAME.sub(spoken, text)


_DOTTED = re.compile(r"((?:[A-Za-z]\.){2,})(?=\W|$)")
_CAPITALS = re.compile(r"([A-Z][A-Z&]*[A-Z])(s|['’]s)?(?![\w'’]|\.\w)")
_TWO_CAPITALS = re.compile(r"[A-Z][a-z&]?[A-Z]")
_MIXED = re.compile(r"\b(" + "|".join(_MIXED_CASE) + r")\b")
_DOTTED_HINT = re.compile(r"\.[A-Za-z]\.")
_WITHOUT_CAPITALS = str.maketrans("", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_WITHOUT_SMALL_LETTERS = str.maketrans("", "", "abcdefghijklmnopqrstuvwxyz")


def _dotted(match: re.Match[str]) -> str:
    """U.S. -> U.S (a point after the last letter would end the sentence for espeak)."""
    start = match.start()
    if start and (match.string[start - 1].isalnum() or match.string[start - 1] == "."):
        return match.group(0)
    ends_text = not match.string[match.end():].strip(" \"')")
    return match.group(1)[:-1] + ("." if ends_text else "")


def _capitals(match: re.Match[str]) -> str:
    word, suffix = match.group(1), match.group(2) or ""
    start = match.start()
    if start and (match.string[start - 1].isalnum() or match.string[start - 1] in "_.'’&"):
        return match.group(0)
    if "&" in word:
        return "-and-".join(spell(part) for part in word.split("&") if part) + suffix
    return say_acronym(word + suffix)


def acronyms(text: str) -> str:
    """FBI -> F.B.I; NATO -> Nato; U.S. -> U.S; A&E -> A-and-E; PhD -> P.H.D; MPs and
    FBI's stay joined.

    Words in capitals are left alone when most of the text is capitals (a shouted
    headline is not a row of acronyms).
    """
    if "." in text and _DOTTED_HINT.search(text):
        text = _DOTTED.sub(_dotted, text)
    if not _TWO_CAPITALS.search(text):
        return text
    capitals = len(text) - len(text.translate(_WITHOUT_CAPITALS))
    if capitals > 12 and capitals > len(text) - len(text.translate(_WITHOUT_SMALL_LETTERS)):
        return text
    text = _CAPITALS.sub(_capitals, text)
    return _MIXED.sub(lambda m: _MIXED_CASE[m.group(1)], text)
