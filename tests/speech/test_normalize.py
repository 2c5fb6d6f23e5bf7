"""Each rewrite in the speech normalizer, on the kinds of text news articles hold."""
import pytest

from briefing.speech.normalize import (
    abbreviations,
    clock_times,
    currency,
    dates,
    model_names,
    normalize_for_speech,
    percentages,
    years,
)


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("$1.13bn", "one point one three billion dollars"),
        ("£600m", "six hundred million pounds"),
        ("GBP 600m", "six hundred million pounds"),
        ("$639m", "six hundred thirty-nine million dollars"),
        ("$3.50", "three dollars and fifty cents"),
        ("€2.4bn", "two point four billion euros"),
        ("$1", "one dollar"),
    ],
)
def test_currency_is_read_with_its_magnitude_and_unit(written, spoken):
    assert currency(written) == spoken


def test_percentages():
    assert percentages("jumped 76% and 6.4 per cent") == "jumped seventy-six percent and six point four percent"


def test_date_ranges_are_read_as_ordinals():
    assert dates("from December 4-5 for") == "from December fourth to fifth for"
    assert dates("on 4 December") == "on the fourth of December"


def test_years_are_read_as_years():
    assert years("in 2003 and 1999, the 1990s") == "in two thousand three and nineteen ninety-nine, the nineteen nineties"


def test_years_leave_other_numbers_alone():
    assert years("464,000 and 2003.5") == "464,000 and 2003.5"


@pytest.mark.parametrize(
    "written, spoken",
    [("S-400", "S four hundred"), ("Su-57", "S U fifty-seven"), ("SU57", "S U fifty-seven"), ("G20", "G twenty")],
)
def test_model_names_spell_letters_and_read_numbers(written, spoken):
    assert model_names(written) == spoken


def test_abbreviations():
    assert abbreviations("PM Modi met Dr. Jones at St. Paul's on Main St. at 3 p.m.") == (
        "Prime Minister Modi met Doctor Jones at Saint Paul's on Main Street at 3 p m."
    )


def test_clock_times():
    assert clock_times("at 5:30 and 9:05 and 10:00") == "at five thirty and nine oh five and ten o'clock"


def test_sample_sentence_reads_naturally():
    sentence = ("These remarks precede Putin's scheduled visit to India from December 4-5 for the 23rd "
                "India-Russia Annual Summit, following an invitation from Prime Minister Narendra Modi.")
    assert normalize_for_speech(sentence) == (
        "These remarks precede Putin's scheduled visit to India from December fourth to fifth for the "
        "twenty-third India-Russia Annual Summit, following an invitation from Prime Minister Narendra Modi."
    )


def test_business_sentence_reads_naturally():
    sentence = "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the three months."
    assert normalize_for_speech(sentence) == (
        "Quarterly profits at U S media giant TimeWarner jumped seventy-six percent to one point one three "
        "billion dollars (six hundred million pounds) for the three months."
    )


def test_no_digits_or_symbols_survive():
    text = "Revenue rose 34% to $8.7bn, 1,150 metres, 4,800 tonnes & 2.5 times; see https://example.org/x"
    spoken = normalize_for_speech(text)
    assert not any(ch.isdigit() for ch in spoken)
    assert "&" not in spoken and "http" not in spoken



@pytest.mark.parametrize(
    "written, spoken",
    [
        ("-5 degrees, -0.5 percent and -$3bn", "minus five degrees, minus zero point five percent and minus three billion dollars"),
        ("1.8bn euros for 1.1m people", "one point eight billion euros for one point one million people"),
        ("Python 3.10", "Python three point one zero"),
        ("£4.50, €2.99 and $0.99", "four pounds and fifty pence, two euros and ninety-nine cents and ninety-nine cents"),
        ("Survive? No. 12 died. He wore No. 10.", "Survive? No. twelve died. He wore number ten."),
        ("employs 2050 people in 2024.", "employs two thousand fifty people in twenty twenty-four."),
        ("at 11.30am and 10:00 a.m. today", "at eleven thirty a m and ten a m today"),
        ("call 555-123-4567", "call five five five, one two three, four five six seven"),
        ("up 50-60% in 2004-05", "up fifty to sixty percent in two thousand four to five"),
        ("Mount St. Helens", "Mount Saint Helens"),
    ],
)
def test_rewrites_found_in_review(written, spoken):
    assert normalize_for_speech(written) == spoken
