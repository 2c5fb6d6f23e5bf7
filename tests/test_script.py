"""The script stage: dates, lead-ins, allocation to a target length, reading order."""
from datetime import date

from briefing.models import RankedSentence, RankedStory
from briefing.script import (
    PAUSE_AFTER_SENTENCE_MS,
    allocate,
    estimate_ms,
    lead_in,
    spoken_date,
    write_script,
)


def story(headline: str, sentences: list[str], sources=("BBC",)) -> RankedStory:
    # Ranked best-first in reverse document order, so order restoration is visible.
    ranked = [RankedSentence(text, position, 1.0 / (rank + 1))
              for rank, (position, text) in enumerate(reversed(list(enumerate(sentences))))]
    return RankedStory(headline=headline, ranked=tuple(ranked), sources=tuple(sources))


SENTENCE = "This is a sentence of ordinary news length that says one thing about the event in question."


def test_spoken_date_matches_the_issue_example():
    assert spoken_date(date(2026, 11, 24)) == "Tuesday, November 24th"
    assert spoken_date(date(2026, 11, 1)) == "Sunday, November 1st"
    assert spoken_date(date(2026, 11, 12)) == "Thursday, November 12th"
    assert spoken_date(date(2026, 11, 22)) == "Sunday, November 22nd"


def test_lead_ins_carry_transition_outlets_and_headline():
    one = story("Bridge reopens", [SENTENCE], ("Wellport Herald",))
    many = story("Putin to visit India", [SENTENCE], ("NDTV", "Reuters"))
    assert lead_in(0, 3, one) == "First, from Wellport Herald: Bridge reopens."
    assert lead_in(1, 3, many) == "Next, with reports from NDTV and Reuters: Putin to visit India."
    assert lead_in(2, 3, story("Rain?", [SENTENCE], ())) == "And finally: Rain?"


def test_script_has_intro_with_date_stories_and_outro():
    stories = allocate([story("A", ["One.", "Two."]), story("B", ["Three."])], None, 18.0)
    script = write_script(stories, date(2026, 11, 24))
    kinds = [s.kind for s in script.segments]
    assert kinds == ["intro", "headline", "sentence", "sentence", "headline", "sentence", "outro"]
    assert script.segments[0].display == "Here is your briefing for Tuesday, November 24th. Today, two stories."
    assert script.segments[0].text == "Here is your briefing for Tuesday, November twenty-fourth. Today, two stories."
    assert [s.display for s in script.segments if s.story_index == 0][1:] == ["One.", "Two."]
    assert script.segments[-1].pause_after_ms == 0


def test_allocation_restores_document_order():
    (chosen,) = allocate([story("A", ["First.", "Second.", "Third.", "Fourth."])], None, 18.0, default_sentences=2)
    assert chosen.sentences == ("Third.", "Fourth.")


def test_allocation_fits_the_target_within_fifteen_percent():
    stories = [story(f"Story {i}", [SENTENCE] * 12) for i in range(5)]
    for minutes in (1, 2, 3):
        target_ms = minutes * 60_000
        chosen = allocate(stories, target_ms, 18.0)
        script = write_script(chosen, date(2026, 11, 24))
        planned = sum(estimate_ms(s.display, 18.0) + s.pause_after_ms for s in script.segments)
        assert abs(planned - target_ms) <= 0.15 * target_ms, (minutes, planned)


def test_allocation_spreads_sentences_across_stories_before_deepening():
    stories = [story(f"Story {i}", [SENTENCE] * 6) for i in range(3)]
    chosen = allocate(stories, 60_000, 18.0)
    counts = [len(s.sentences) for s in chosen]
    assert max(counts) - min(counts) <= 1


def test_short_target_drops_whole_stories_not_their_first_sentence():
    stories = [story(f"Story {i}", [SENTENCE] * 3) for i in range(20)]
    chosen = allocate(stories, 60_000, 18.0)
    assert 1 <= len(chosen) < 20
    assert [s.headline for s in chosen] == [f"Story {i}" for i in range(len(chosen))]


def test_script_is_deterministic():
    stories = [story("A", [SENTENCE, "Another one."]), story("B", ["Third thing."])]
    first = write_script(allocate(stories, 30_000, 18.0), date(2026, 11, 24))
    second = write_script(allocate(stories, 30_000, 18.0), date(2026, 11, 24))
    assert first == second
    assert PAUSE_AFTER_SENTENCE_MS > 0


def test_a_story_too_long_for_the_target_does_not_push_out_later_short_ones():
    long_sentence = " ".join([SENTENCE] * 8)
    stories = [story("Alpha", [SENTENCE]), story("Beta", [long_sentence]), story("Gamma", [SENTENCE])]
    chosen = allocate(stories, 30_000, 18.0)
    assert [s.headline for s in chosen] == ["Alpha", "Gamma"]
