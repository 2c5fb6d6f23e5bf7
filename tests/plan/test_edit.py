"""Story editing for the ear: what each sentence leans on, quotes and their speakers,
retold facts, and the sentence that states the news."""
from briefing.plan.edit import attribution, closure, leans_on, news_sentence, quote_spans, read_sentences, retells

ARTICLE = [
    "The city council has approved a new flood wall for the river town of Ashby.",  # 0 lead
    "The wall will cost four million pounds and take two years to build.",  # 1 "The wall": leans on 0
    "However, residents say the money should have come sooner.",  # 2 connective
    "Mayor Jane Smith said the decision was welcome.",  # 3
    '"We have waited a long time for this.',  # 4 quote, introduced by 3
    'Every family here will sleep better," she said.',  # 5 rest of the quote
    '"It is too little, too late," said local builder Tom Reed.',  # 6 named within
    "In 2007 the river flooded 300 homes.",  # 7 stands alone
    '"Nobody listened to us then."',  # 8 quote with no speaker, after a sentence that introduces none
]


def test_openers_lean_on_the_sentence_they_refer_back_to():
    assert leans_on(ARTICLE, 0, 0) is None
    assert leans_on(ARTICLE, 1, 0) == 0  # "The wall" was named in sentence 0
    assert leans_on(ARTICLE, 2, 0) == 1  # "However"
    assert leans_on(["A report was published.", "He said it was late."], 1, 0) == 0
    assert leans_on(["A report was published.", "Speaking on Monday, she said it was late."], 1, 0) == 0
    assert leans_on(["A report was published.", "The initial attempt to sell failed."], 1, 0) is None
    assert leans_on(ARTICLE, 7, 0) is None


def test_a_new_article_starts_fresh():
    assert leans_on(["One story here.", "However, another article starts."], 1, 1) is None


def test_quote_spans_follow_news_style_paragraphs():
    sentences = ['The bishop said: "Conspiracy theories are fun.', '"But this one is laughable."',
                 "He has written books.", '"We have a hundred manuscripts.', '"They present a picture."']
    assert quote_spans(sentences, [0]) == [(0, 1), (3, 4)]
    assert quote_spans(ARTICLE, [0]) == [(4, 5)]


def test_attribution_names_the_speaker_or_leans_on_a_pronoun():
    assert attribution(ARTICLE[6]) == "named"
    assert attribution(ARTICLE[5]) == "pronoun"
    assert attribution(ARTICLE[4]) is None
    assert attribution('"I said no," he told us, adding nothing.') == "pronoun"


def test_readings_tie_each_sentence_to_what_it_needs():
    readings = read_sentences(ARTICLE)
    assert closure(0, readings) == (0,)
    assert closure(2, readings) == (0, 1, 2)
    # The quote is introduced by sentence 3 and read whole.
    assert closure(4, readings) == (3, 4, 5)
    assert closure(5, readings) == (3, 4, 5)
    assert closure(6, readings) == (6,)
    # A quote whose speaker the listener could never know is not read at all.
    assert closure(8, readings) is None


def test_news_is_the_lead_unless_the_lead_cannot_stand_alone():
    readings = read_sentences(ARTICLE)
    assert news_sentence(ARTICLE, [0], readings) == 0
    teaser = ['"Where will we sleep?"', "Crazy weather.", *ARTICLE]
    assert news_sentence(teaser, [0], read_sentences(teaser)) == 2


def test_retelling_needs_half_the_shorter_sentence_and_three_shared_words():
    paraphrase = "Putin said he wants to elevate cooperation with India and China to a new level."
    quote = '"We aim to elevate cooperation with China and India to a qualitatively new level," Putin said.'
    assert retells(quote, paraphrase)
    assert not retells("Putin will meet Modi in Delhi for the annual summit.", paraphrase)


def test_a_question_is_not_the_news_but_a_short_statement_is():
    """Issue 25: pages that open on a question (CNN's "Are you in the grips of the storm?") or
    on a five-word lead ("T1 are your Worlds 2023 champions!")."""
    asked = ["Are you in the grips of the wintry storm sweeping the country?",
             "Airports reported few delays and no breakdowns, officials said on Wednesday."]
    assert news_sentence(asked, [0], read_sentences(asked)) == 1
    short = ["T1 are your Worlds 2023 champions!", "It is the team's fourth world title."]
    assert news_sentence(short, [0], read_sentences(short)) == 0


def test_a_quote_that_names_its_speaker_may_state_the_news():
    lead = ['President Obama told the UN he would seek "real breakthroughs on these two issues".',
            "The election keeps in place a prime minister who opposes him."]
    assert news_sentence(lead, [0], read_sentences(lead)) == 0


def test_more_phrases_lean_on_the_sentence_before():
    for opener in ("In other words", "For example", "For instance", "That said"):
        assert leans_on(["The attack needs no password.", f"{opener}, anyone nearby can join."], 1, 0) == 0


def test_a_definite_noun_phrase_ends_at_its_verb():
    """"The early game saw ..." refers back to the game, not to "saw"."""
    sentences = ["T1 locked in a strong mid-game team.", "WBG chose a scaling bot lane.",
                 "The early game saw both teams trading kills."]
    assert leans_on(sentences, 2, 0) == 0
    assert leans_on(["A report was published.", "The early signs pointed to a win."], 1, 0) is None
