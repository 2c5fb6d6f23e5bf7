"""Each rewrite in the speech normalizer on its own, `keep`, and whole sentences.

The case table (test_normalize_cases.py) checks whole phrases class by class; these
tests pin what each named rewrite does, so a failing row can be traced to one rule.
"""
import pytest

from briefing.speech.normalize import (
    REWRITES,
    abbreviations,
    acronyms,
    am_pm,
    cardinals,
    clock_times,
    currency,
    decades,
    emails,
    fractions,
    hashtags,
    house_numbers,
    minus_signs,
    model_names,
    month_abbreviations,
    month_dates,
    normalize_for_speech,
    number_signs,
    numeric_dates,
    ordinals,
    pence_and_cents,
    percentages,
    phone_numbers,
    race_times,
    roman_numerals,
    scores_and_ranges,
    spacing,
    street_words,
    symbols,
    tidy_characters,
    titles,
    units,
    urls,
    year_ranges,
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
        ("A$3m", "three million Australian dollars"),
        ("$5-10m", "five to ten million dollars"),
    ],
)
def test_currency_is_read_with_its_magnitude_and_unit(written, spoken):
    assert currency(written) == spoken


def test_pence_and_cents_but_not_video_lines():
    assert pence_and_cents("60p, 1p, 50c and 1080p") == "sixty pence, one penny, fifty cents and one thousand eighty P"


def test_percentages():
    assert percentages("jumped 76% and 6.4 per cent") == "jumped seventy-six percent and six point four percent"


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("over 60m hurdles", "over sixty metres hurdles"),
        ("the 400m mark", "the four hundred metres mark"),
        ("1.1m people", "one point one million people"),
        ("a £5m deal worth 3m", "a £5m deal worth three million"),
        ("a 5m-high wall", "a five metre-high wall"),
        ("-5C", "-five degrees Celsius"),
        ("1.45secs", "one point four five seconds"),
        ("in the 1980s", "in the 1980s"),
        ("4x100m", "4 by one hundred metres"),
        ("5 in 10", "5 in 10"),
    ],
)
def test_units_read_m_as_metres_unless_money_or_a_count(written, spoken):
    assert units(written) == spoken


def test_month_dates_are_read_as_ordinals():
    assert month_dates("from December 4-5 for") == "from December fourth to fifth for"
    assert month_dates("on 4 December") == "on the fourth of December"
    assert month_dates("on the 4 December") == "on the fourth of December"


def test_month_abbreviations_keep_a_sentence_end():
    assert month_abbreviations("on Dec. 4 and Sept 11") == "on December 4 and September 11"
    assert month_abbreviations("sales in Dec. 2024 and Jan.") == "sales in December 2024 and January."
    assert month_abbreviations("in May.") == "in May."


def test_numeric_dates_in_each_order():
    assert numeric_dates("2024-03-15") == "March fifteenth, twenty twenty-four"
    assert numeric_dates("15/03/2024") == "the fifteenth of March twenty twenty-four"
    assert numeric_dates("03/04/2024 and 03.04.2024") == (
        "March fourth, twenty twenty-four and the third of April twenty twenty-four")


def test_years_are_read_as_years():
    assert years("in 2003 and 1999, the Soviets' 1945 victory") == (
        "in two thousand three and nineteen ninety-nine, the Soviets' nineteen forty-five victory")


def test_years_leave_other_numbers_alone():
    assert years("464,000 and 2003.5, employs 2050 people, some 1500 troops") == (
        "464,000 and 2003.5, employs 2050 people, some 1500 troops")


def test_decades_and_year_ranges():
    assert decades("the 1990s, the '80s and her 70s") == "the nineteen nineties, the eighties and her seventies"
    assert year_ranges("2023-24, 2010-12 and 2004-05") == (
        "twenty twenty-three to twenty-four, twenty ten to twelve and two thousand four to five")
    assert year_ranges("2024-2020") == "2024-2020"


def test_times():
    assert clock_times("at 5:30 and 9:05 and 10:00") == "at five thirty and nine oh five and ten o'clock"
    assert clock_times("at 14:30 GMT and 1200 GMT") == "at fourteen thirty GMT and twelve hundred GMT"
    assert am_pm("at 11.30am and 3 p.m.") == "at eleven thirty a.m and three p.m."
    assert race_times("in 3:49.78 and 2:03:59") == (
        "in three minutes forty-nine point seven eight seconds and two hours three minutes fifty-nine seconds")


def test_ordinals_leave_stone_alone():
    assert ordinals("the 23rd, 19th-century, 12st") == "the twenty-third, nineteenth-century, 12st"


def test_fractions():
    assert fractions("2 1/2 hours, 3/4 of voters, 1/4th, 24/7, 8/10") == (
        "two and a half hours, three quarters of voters, one quarter, twenty-four seven, eight out of ten")


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("They took a 2-0 lead", "They took a two-nil lead"),
        ("The sides drew 1-1", "The sides drew one-all"),
        ("The rooms hold 10-12 people", "The rooms hold ten to twelve people"),
        ("The panel voted 2-0", "The panel voted two to zero"),
        ("He is out for 4-6 weeks after the defeat", "He is out for four to six weeks after the defeat"),
    ],
)
def test_scores_and_ranges(written, spoken):
    assert scores_and_ranges(written) == spoken


def test_minus_signs():
    assert minus_signs("-5 and -$3bn but 2-0 and Su-57") == "minus 5 and minus $3bn but 2-0 and Su-57"


def test_cardinals():
    assert cardinals("464,000 and .5 and 007 and BBC2") == "four hundred sixty-four thousand and point five and oh oh seven and BBC two"


@pytest.mark.parametrize(
    "written, spoken",
    [("S-400", "S four hundred"), ("Su-57", "S.U fifty-seven"), ("SU57", "S.U fifty-seven"), ("G20", "G twenty"),
     ("737 MAX", "seven thirty-seven MAX"), ("A380", "A-three eighty"), ("COVID-19", "Covid nineteen"),
     ("5G", "five G"), ("H1N1", "H one N one")],
)
def test_model_names_spell_letters_and_read_numbers(written, spoken):
    assert model_names(written) == spoken


def test_roman_numerals_only_after_names_and_titles():
    assert roman_numerals("Charles III met Pope Leo XIV after World War II") == (
        "Charles the Third met Pope Leo the Fourteenth after World War Two")
    assert roman_numerals("I said CD sales fell in Washington DC") == "I said CD sales fell in Washington DC"


@pytest.mark.parametrize(
    "written, spoken",
    [("the FBI", "the F.B.I"), ("NATO", "Nato"), ("MPs and the FBI's", "MPs and the FBI's"), ("U.S. troops", "U.S troops"),
     ("A&E", "A-and-E"), ("a PhD", "a P.H.D"), ("BREAKING NEWS FROM THE COURT", "BREAKING NEWS FROM THE COURT")],
)
def test_acronyms_are_spelled_with_points_or_said_as_words(written, spoken):
    assert acronyms(written) == spoken


def test_titles_and_abbreviations():
    assert titles("PM Modi met Dr. Jones and Ms Deans at St. Paul's; Gen Z") == (
        "Prime Minister Modi met Doctor Jones and Miz Deans at Saint Paul's; Gen Z")
    assert street_words("on Main St. and Oxford St today") == "on Main Street and Oxford Street today"
    assert abbreviations("the Dept. of Health, approx. 300, Chelsea v Arsenal") == (
        "the Department of Health, approximately 300, Chelsea versus Arsenal")
    assert number_signs("He wore No. 10; Survive? No. 12 died; c. 1850") == (
        "He wore number 10; Survive? No. 12 died; circa 1850")
    assert house_numbers("1600 Pennsylvania Avenue") == "sixteen hundred Pennsylvania Avenue"


def test_electronic_text_is_read_without_holes():
    assert urls("available at https://www.example.org/a/b?c=1 and more") == "available at example dot org and more"
    assert urls("the statement (https://t.co/x) was deleted") == "the statement was deleted"
    assert emails("write to news@bbc.co.uk") == "write to news at B.B.C dot co dot U.K"
    assert hashtags("#NATOsummit and @BBCBreaking") == "NATO summit and BBC Breaking"


def test_phone_numbers():
    assert phone_numbers("call 555-123-4567") == "call five five five, one two three, four five six seven"
    assert phone_numbers("dial 999 or +44 20 7946 0958") == (
        "dial nine nine nine or plus four four, two oh, seven nine four six, oh nine five eight")
    assert phone_numbers("in 2020 7,000 people") == "in 2020 7,000 people"


def test_characters_symbols_and_spacing():
    assert tidy_characters("“2½” – fine") == '"2 1/2" - fine'
    assert symbols("M&S, Disney+, he/she, and/or") == "M and S, Disney plus , he or she, and or"
    assert spacing("  a ,  b ( c ) ,, d  ") == "a, b (c), d"


def test_every_rewrite_is_named_and_listed_once():
    names = [rewrite.__name__ for rewrite in REWRITES]
    assert len(names) == len(set(names))
    assert names[0] == "tidy_characters" and names[-1] == "spacing"


def test_keep_leaves_listed_words_exactly_as_written():
    text = "The FTSE 100 and the IAAF met Xi and NATO; FTSEs stay."
    assert normalize_for_speech(text) == (
        "The Footsie one hundred and the I.A.A.F met Xi and Nato; Footsies stay.")
    assert normalize_for_speech(text, keep={"FTSE", "IAAF", "Xi"}) == (
        "The FTSE one hundred and the IAAF met Xi and Nato; Footsies stay.")


def test_keep_is_case_sensitive_and_whole_words_only():
    assert normalize_for_speech("NATO and Nato and NATOs", keep=["NATO"]) == "NATO and Nato and Natos"
    assert normalize_for_speech("Mr Xi met Mr Li", keep=("Xi",)) == "Mister Xi met Mister Li"


def test_keep_takes_words_with_points_and_any_collection():
    assert normalize_for_speech("The U.S. and the FBI", keep=frozenset({"U.S.", "FBI"})) == "The U.S. and the FBI"
    assert normalize_for_speech("The U.S. and the FBI", keep=["FBI"]) == "The U.S and the FBI"


def test_keep_survives_private_use_characters_in_the_input():
    assert normalize_for_speech("a\ue000b FBI", keep=["FBI"]) == "ab FBI"


def test_normalizing_twice_changes_nothing_more():
    for text in ("Profits jumped 76% to $1.13bn (£600m) on 5 May.", "Charles III met the FBI at 3pm."):
        once = normalize_for_speech(text)
        assert normalize_for_speech(once) == once


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
        "Quarterly profits at U.S media giant TimeWarner jumped seventy-six percent to one point one three "
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
        ("at 11.30am and 10:00 a.m. today", "at eleven thirty a.m and ten a.m today"),
        ("call 555-123-4567", "call five five five, one two three, four five six seven"),
        ("up 50-60% in 2004-05", "up fifty to sixty percent in two thousand four to five"),
        ("Mount St. Helens", "Mount Saint Helens"),
    ],
)
def test_rewrites_found_in_review(written, spoken):
    assert normalize_for_speech(written) == spoken


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("The 400m mark and 60m hurdles", "The four hundred metres mark and sixty metres hurdles"),
        ("1.45secs, 3:49.78 and 2 1/2 hours",
         "one point four five seconds, three minutes forty-nine point seven eight seconds and two and a half hours"),
        ("Charles III and the Soviets' 1945 victory", "Charles the Third and the Soviets' nineteen forty-five victory"),
        ("60p, -5C, 4km and 25 pts", "sixty pence, minus five degrees Celsius, four kilometres and twenty-five points"),
        ("the 737 MAX cost A$3m", "the seven thirty-seven Max cost three million Australian dollars"),
        ("a 2-0 lead at the #NATOsummit", "a two-nil lead at the Nato summit"),
        ("It is available at https://example.org/x and free.", "It is available at example dot org and free."),
        ("Ms Deans said", "Miz Deans said"),
    ],
)
def test_misreadings_from_the_issue(written, spoken):
    assert normalize_for_speech(written) == spoken
