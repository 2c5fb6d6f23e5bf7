"""The sentence ranker: each signal, redundancy, readability, and the summarize command."""
from __future__ import annotations

import json
import math
from collections import Counter

import pytest
import typer
from nltk.stem import PorterStemmer, SnowballStemmer
from nltk.tokenize import TreebankWordTokenizer
from typer.testing import CliRunner

from briefing.cli.summarize import summarize as summarize_command
from briefing.errors import SourceError
from briefing.models import Article
from briefing.plan.rank import (
    Ranker,
    RankerSettings,
    Readability,
    assess_readability,
    summarize,
)
from briefing.plan.words import WordTokenizer, default_stemmer

FLOOD = [
    "Mayor Jane Smith visited the flooded town of Ashby on Monday.",
    "She said the flood in Ashby was the worst the town had seen, and promised money to rebuild homes in the town.",
    "Volunteers in Ashby filled sandbags to protect homes from the flood.",
    "The river burst its banks after three days of heavy rain.",
    "Heavy rain is forecast again on Wednesday.",
]


def cosine(ranker: Ranker, a: str, b: str) -> float:
    x, y = Counter(ranker.terms(a)), Counter(ranker.terms(b))
    dot = sum(x[t] * y[t] for t in x)
    return dot / math.sqrt(sum(v * v for v in x.values()) * sum(v * v for v in y.values()))


# Terms: the NLP pieces are handed in, as in sumy.


def test_terms_are_stemmed_content_words_without_possessives():
    assert Ranker().terms("The Mayor's floods were flooding Ashby's streets.") == [
        "mayor", "flood", "flood", "ashbi", "street",
    ]


def test_handed_in_stemmer_tokenizer_and_stop_words_are_used():
    class KeepWord:
        def stem(self, word: str) -> str:
            return word

    ranker = Ranker(tokenizer=TreebankWordTokenizer(), stemmer=KeepWord(), stop_words={"the", "river"})
    assert ranker.terms("The river's toll-rising floods.") == ["toll-rising", "floods"]


def test_default_stemmer_is_snowball_english():
    words = ["flooding", "floods", "generously", "running", "agreed", "happiness"]
    snowball = SnowballStemmer("english")
    assert [default_stemmer().stem(w) for w in words] == [snowball.stem(w) for w in words]


# Signals.


def test_centrality_puts_the_sentence_sharing_most_words_first_and_off_topic_last():
    salience = Ranker(settings=RankerSettings(lead_bonus=0)).salience(FLOOD)
    assert int(salience.argmax()) == 1
    assert salience.max() == pytest.approx(1.0)
    assert list(salience.round(3)) == [0.918, 1.0, 0.808, 0.514, 0.514]


def test_a_sentence_sharing_no_words_has_no_centrality():
    salience = Ranker(settings=RankerSettings(lead_bonus=0)).salience(
        ["Flood waters rose in Ashby.", "Ashby flood waters fell.", "Parliament debated taxes."]
    )
    assert salience[2] == 0.0


def test_lead_bonus_lifts_only_the_first_sentence():
    plain = Ranker(settings=RankerSettings(lead_bonus=0)).salience(FLOOD)
    led = Ranker(settings=RankerSettings(lead_bonus=0.05)).salience(FLOOD)
    assert led[0] == pytest.approx(plain[0] + 0.05)
    assert list(led[1:]) == list(plain[1:])


def test_headline_is_never_chosen_even_when_repeated_in_the_body():
    title = "Floods hit the town of Ashby"
    ranked = Ranker().rank(title, ["Floods hit the town of Ashby.", *FLOOD])
    assert all(r.text != "Floods hit the town of Ashby." for r in ranked)
    assert [r.position for r in ranked] == [1, 2, 3, 4, 5]


# Readability when heard alone.


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The river rose by two metres overnight.", Readability(1.0)),
        ("He said the plan would fail.", Readability(0.8, factor_after_previous=1.0)),
        ("It was unclear how many homes were damaged.", Readability(0.8, factor_after_previous=1.0)),
        ('"We will rebuild every home," he said.', Readability(0.8, factor_after_previous=1.0)),
        ('Asked about the damage, she said: "We will rebuild every home."', Readability(0.8, factor_after_previous=1.0)),
        ('"This is a disaster for the town," said Mayor Jane Smith.', Readability(1.0)),
        ('"This is a disaster for the whole town."', Readability(0.6)),
        ("We are building the walls as fast as we can.", Readability(0.6)),
        ("and then the river rose again overnight.", Readability(0.3)),
        ("Council leaders met on Monday to discuss the flood", Readability(0.3)),
        ("Utter rubbish.", Readability(0.5)),
    ],
)
def test_readability_penalties(sentence, expected):
    assert assess_readability(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Read more: how to protect your home from floods",
        "Click here to sign up for flood alerts.",
        "Photo: Reuters",
        "Image caption: Firefighters at the scene",
        "Pictured: the flooded high street in Ashby",
        "Firefighters pump water from a shop on Tuesday. (Photo: AFP)",
        "Rescuers in Ashby on Monday. Getty Images",
        "?",
    ],
)
def test_prompts_and_captions_are_unusable(sentence):
    assert assess_readability(sentence).unusable


def test_prompts_and_captions_are_never_ranked():
    sentences = [*FLOOD, "Read more: flood defences in the valley town of Ashby",
                 "Click here to help the flooded town of Ashby.", "Photo: Ashby flood volunteers (Getty Images)"]
    assert [r.position for r in Ranker().rank("Floods hit Ashby", sentences)] == [0, 1, 2, 3, 4]


def test_he_said_waits_until_the_sentence_naming_her_is_chosen():
    ranked = Ranker().rank("Floods hit Ashby", FLOOD)
    assert [(r.position, r.score) for r in ranked] == [
        (0, 0.968342), (1, 1.0), (2, 0.808331), (3, 0.513835), (4, 0.513835)
    ]
    assert [r.position for r in Ranker()("Floods hit Ashby", FLOOD, 1)] == [0]
    unpenalized = Ranker(settings=RankerSettings(unresolved_penalty=1.0))
    assert [r.position for r in unpenalized("Floods hit Ashby", FLOOD, 1)] == [1]


def test_a_bare_quote_loses_to_a_plain_sentence_telling_the_same_fact():
    sentences = [
        "Ashby flood defences failed on Monday night after heavy rain.",
        '"The Ashby flood defences failed because the walls were never finished."',
        "Engineers will inspect the flood defences in Ashby on Tuesday.",
    ]
    assert [r.position for r in Ranker().rank("Floods hit Ashby", sentences)] == [0, 2]
    unpenalized = Ranker(settings=RankerSettings(unattributed_quote_penalty=1.0))
    assert [r.position for r in unpenalized.rank("Floods hit Ashby", sentences)] == [1, 2]


# Redundancy.

TWO_OUTLETS = [
    "Russian President Vladimir Putin will visit India on December 4 for the annual summit with Prime Minister Narendra Modi.",
    "The two leaders are expected to discuss defence deals, including more S-400 missile systems.",
    "Russia also hopes to sell India its Su-57 stealth fighter.",
    "Putin is scheduled to visit India on December 4 for the annual summit and talks with Modi.",
    "Defence deals, including S-400 missile systems, are expected to be discussed by the two leaders.",
    "A nuclear energy agreement could also be signed during the visit.",
]


def test_no_two_ranked_sentences_say_nearly_the_same_thing():
    ranker = Ranker()
    ranked = ranker.rank("Putin to visit India", TWO_OUTLETS)
    assert [r.position for r in ranked] == [1, 0, 5, 2]
    for i, a in enumerate(ranked):
        for b in ranked[i + 1:]:
            assert cosine(ranker, a.text, b.text) < ranker.settings.duplicate_similarity


def test_an_exact_repeat_is_dropped():
    ranked = Ranker().rank("Floods hit Ashby", [*FLOOD, FLOOD[2]])
    assert [r.position for r in ranked].count(2) + [r.position for r in ranked].count(5) == 1


# The call forms.


def test_call_returns_the_top_count_in_document_order():
    ranker = Ranker()
    best_two = {r.position for r in ranker.rank("Floods hit Ashby", FLOOD)[:2]}
    chosen = ranker("Floods hit Ashby", FLOOD, 2)
    assert [r.position for r in chosen] == sorted(best_two)
    assert [r.text for r in chosen] == [FLOOD[p] for p in sorted(best_two)]


def test_empty_input_and_zero_count_give_nothing():
    assert Ranker().rank("Title", []) == []
    assert Ranker()("Title", FLOOD, 0) == []
    assert Ranker().rank("Title", ["The.", "And so."]) == []


def test_only_the_first_max_sentences_are_ranked():
    ranker = Ranker(settings=RankerSettings(max_sentences=3))
    assert max(r.position for r in ranker.rank("Floods hit Ashby", FLOOD)) == 2


def test_ranking_is_deterministic_and_independent_of_earlier_calls():
    first = Ranker().rank("Putin to visit India", TWO_OUTLETS)
    warmed = Ranker()
    warmed.rank("Floods hit Ashby", FLOOD)
    assert warmed.rank("Putin to visit India", TWO_OUTLETS) == first
    assert Ranker().rank("Putin to visit India", TWO_OUTLETS) == first


def test_porter_stemmer_can_be_pinned():
    ranked = Ranker(stemmer=PorterStemmer(), tokenizer=WordTokenizer()).rank("Floods hit Ashby", FLOOD)
    assert [r.position for r in ranked] == [0, 1, 2, 3, 4]


def test_summarize_gives_verbatim_sentences_in_reading_order():
    text = "\n".join(FLOOD[:3]) + "\n\n" + " ".join(FLOOD[3:])
    article = Article(title="Floods hit Ashby", text=text)
    chosen = summarize(article, 3)
    assert [r.text for r in chosen] == FLOOD[:3]
    assert all(r.text in text for r in chosen)
    assert [r.position for r in chosen] == sorted(r.position for r in chosen)


# The command.


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    app.command("summarize")(summarize_command)

    @app.command("other")
    def other() -> None:
        """Keeps Typer from collapsing the app into the single command."""

    return app


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "ashby.txt"
    path.write_text("Floods hit Ashby\n\n" + "\n".join(FLOOD) + "\n", encoding="utf-8")
    return path


def test_command_prints_chosen_sentences_one_per_line(cli, article_file):
    result = CliRunner().invoke(cli, ["summarize", str(article_file), "-n", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [FLOOD[0], FLOOD[1]]


def test_command_json_from_stdin(cli, article_file):
    result = CliRunner().invoke(cli, ["summarize", "-", "--json", "--sentences", "3"],
                                input=article_file.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"title": "Floods hit Ashby", "sentences": FLOOD[:3]}


def test_command_raises_source_error_for_a_missing_file(cli, tmp_path):
    result = CliRunner().invoke(cli, ["summarize", str(tmp_path / "missing.txt")])
    assert isinstance(result.exception, SourceError)
    assert "no such file" in str(result.exception)


def test_each_outlets_lead_gets_the_lead_bonus_when_ranked_together():
    first = ["The council approved the new bridge budget on Monday.", "Work will start in spring."]
    second = ["Councillors voted to fund the bridge after a long debate.", "He said it was overdue."]
    ranker = Ranker()
    alone = {r.position: r.score for r in ranker.rank("Bridge budget", first + second)}
    together = {r.position: r.score for r in ranker.rank("Bridge budget", first + second, starts=(0, 2))}
    assert together[2] > alone[2]
    assert together[0] == alone[0]
