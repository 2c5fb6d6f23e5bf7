"""Sentence splitting: news abbreviations stay inside the sentence; real ends still split."""
import pytest

from briefing.plan.sentences import split_sentences


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("Downing Street said No. 10 had not been consulted. Then it changed.",
         ["Downing Street said No. 10 had not been consulted.", "Then it changed."]),
        ("He joined the Dept. of Health in 2001. Then he left.",
         ["He joined the Dept. of Health in 2001.", "Then he left."]),
        ("The trip costs approx. 300 pounds.", ["The trip costs approx. 300 pounds."]),
        ("Gen. Smith and Capt. Jones briefed reporters. He said little.",
         ["Gen. Smith and Capt. Jones briefed reporters.", "He said little."]),
        ("Apples, pears etc. were sold. Then prices rose.", ["Apples, pears etc. were sold.", "Then prices rose."]),
        ("It is No. 1 in the charts.", ["It is No. 1 in the charts."]),
    ],
)
def test_abbreviations_stay_inside_the_sentence(text, sentences):
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("She said no. Then she left.", ["She said no.", "Then she left."]),
        ("They said no. Mr Smith disagreed.", ["They said no.", "Mr Smith disagreed."]),
        ("The answer was no. Ten MPs rebelled.", ["The answer was no.", "Ten MPs rebelled."]),
        ("Fish, chips, etc. Everyone ate.", ["Fish, chips, etc.", "Everyone ate."]),
        ("Survive? No. 12 died.", ["Survive?", "No. 12 died."]),
        ("He wore No. 10. It was his.", ["He wore No. 10.", "It was his."]),
    ],
)
def test_real_sentence_ends_still_split(text, sentences):
    assert split_sentences(text) == sentences


def test_sentences_are_exact_substrings_and_lines_are_boundaries():
    text = "First line ends here\nSecond line: the Dept. of Work said no. Then it agreed."
    sentences = split_sentences(text)
    assert sentences == ["First line ends here", "Second line: the Dept. of Work said no.", "Then it agreed."]
    assert all(sentence in text for sentence in sentences)
