"""The script stage: dates, presenter lines, allocation to a target length, reading order,
and the listener's rules: news first, nothing leaning on an unread sentence, people in full."""
from datetime import date
from itertools import pairwise

from briefing.models import Article, Presenter, RankedSentence, RankedStory, Story
from briefing.plan.people import Person
from briefing.plan.script import (
    PAUSE_AFTER_SENTENCE_MS,
    Lines,
    allocate,
    estimate_ms,
    spoken_date,
    spoken_headline,
    write_script,
)

DAY = date(2026, 11, 24)
WORDS = """apple river engine garden violin harbour meadow copper lantern orchard falcon granite
pepper saddle tunnel velvet walnut candle ferry glacier hammer island jacket kettle ladder marble
needle oyster pillow quartz ribbon silver timber umbrella vessel wagon yeoman zephyr anchor basket
cellar dragon emblem fabric goblet helmet ivory jigsaw kernel lemon mirror nectar olive parcel
quiver rocket summit tablet uniform valley willow bramble cactus dolphin""".split()


def sentence(n: int) -> str:
    """A sentence of ordinary length whose three content words no other `sentence(m)`
    (m < 23) shares all of, so none retells another."""
    a, b, c = WORDS[(3 * n) % len(WORDS)], WORDS[(3 * n + 1) % len(WORDS)], WORDS[(3 * n + 2) % len(WORDS)]
    return f"{a.capitalize()} and {b} were with the {c}, and they were all there again before it was over."


def story(headline: str, sentences: list[str], sources=("BBC",), ranking: list[int] | None = None) -> RankedStory:
    """Ranked best-first in reverse document order unless `ranking` gives the order,
    so that order restoration is visible."""
    order = ranking if ranking is not None else list(reversed(range(len(sentences))))
    ranked = tuple(RankedSentence(sentences[p], p, 1.0 / (rank + 1)) for rank, p in enumerate(order))
    return RankedStory(headline=headline, ranked=ranked, sources=tuple(sources), sentences=tuple(sentences))


def test_spoken_date_matches_the_issue_example():
    assert spoken_date(date(2026, 11, 24)) == "Tuesday, November 24th"
    assert spoken_date(date(2026, 11, 1)) == "Sunday, November 1st"
    assert spoken_date(date(2026, 11, 12)) == "Thursday, November 12th"
    assert spoken_date(date(2026, 11, 22)) == "Sunday, November 22nd"


def test_transitions_carry_position_and_outlets():
    one = story("Bridge reopens", [sentence(0)], ("Wellport Herald",))
    many = story("Putin to visit India", [sentence(1)], ("NDTV", "Reuters"))
    lines = Lines(DAY)
    assert lines.transition(0, 3, one) == "Our first story, from Wellport Herald."
    assert lines.transition(1, 3, many) == "In other news, with reports from NDTV and Reuters."
    assert lines.transition(2, 3, story("Rain?", [sentence(2)], ())) == "And finally."
    assert Lines(DAY).transition(0, 1, one) == "Today's story, from Wellport Herald."


def test_transitions_vary_never_repeat_in_a_row_and_say_meanwhile_only_for_related_stories():
    stories = [story(f"Story {i}", [sentence(i)]) for i in range(10)]
    lines = Lines(DAY)
    said = [lines.transition(i, 10, s) for i, s in enumerate(stories)]
    openers = [line.split(",")[0] for line in said]
    assert all(a != b for a, b in pairwise(openers))
    assert len(set(openers[1:-1])) >= 4
    assert not any("Meanwhile" in line for line in said)
    related = Lines(DAY)
    related.transition(0, 3, stories[0])
    assert related.transition(1, 3, stories[1], related=True) in {
        "Staying with that subject, from the BBC.", "Also on that subject, from the BBC.", "Meanwhile, from the BBC."}


def test_lines_are_the_same_for_the_same_date_and_differ_across_dates():
    stories = [story(f"Story {i}", [sentence(i)]) for i in range(6)]

    def said(day):
        lines = Lines(day)
        return [lines.transition(i, 6, s) for i, s in enumerate(stories)]

    assert said(DAY) == said(DAY)
    assert said(DAY) != said(date(2026, 11, 25))


def test_spoken_headline_drops_quote_marks_and_ends_in_a_full_stop():
    campbell = {"Campbell": Person("Campbell", "Alastair Campbell", "Alastair Campbell")}
    assert spoken_headline("Campbell: E-mail row 'silly fuss'", campbell) == "Campbell says E-mail row silly fuss."
    assert spoken_headline("Hewitt decries 'career sexism'") == "Hewitt decries career sexism."
    assert spoken_headline("Blair's 'lies'") == "Blair's lies."
    assert spoken_headline("Putin Aims to Strengthen Cooperation with India: Upcoming Visit to Focus on Defense") == (
        "Putin Aims to Strengthen Cooperation with India.")


def test_script_opens_with_greeting_then_each_story_with_a_transition_then_signs_off():
    stories = allocate([story("A", [sentence(0), sentence(1)]), story("B", [sentence(2)])], None, 18.0)
    script = write_script(stories, DAY)
    kinds = [s.kind for s in script.segments]
    assert kinds == ["intro", "transition", "sentence", "sentence", "transition", "sentence", "outro"]
    assert script.segments[0].display == "Here is your briefing for Tuesday, November 24th. Today, two stories."
    assert script.segments[0].text == "Here is your briefing for Tuesday, November twenty-fourth. Today, two stories."
    assert [s.display for s in script.segments if s.story_index == 0][1:] == [sentence(0), sentence(1)]
    assert script.segments[-1].pause_after_ms == 0


def test_three_stories_or_more_get_a_rundown_of_the_first_three_after_the_greeting():
    headlines = ["Bridge reopens", "Rain warning 'lifted'", "Ferry sails", "Mayor resigns"]
    stories = [Story(h, (sentence(i),), ("BBC",)) for i, h in enumerate(headlines)]
    script = write_script(stories, DAY)
    assert [s.kind for s in script.segments[:3]] == ["intro", "rundown", "transition"]
    rundown = script.segments[1]
    assert rundown.story_index is None
    assert rundown.display.endswith("Bridge reopens. Rain warning lifted. And Ferry sails.")
    assert "Mayor" not in rundown.display
    assert [s.headline for s in script.stories] == headlines
    assert "rundown" not in [s.kind for s in write_script(stories[:2], DAY).segments]


def test_allocation_restores_document_order():
    sentences = [sentence(i) for i in range(4)]
    (chosen,) = allocate([story("A", sentences)], None, 18.0, default_sentences=2)
    assert chosen.sentences == (sentences[0], sentences[3])


def test_every_story_opens_on_its_lead_even_when_the_ranker_put_it_last():
    sentences = [sentence(i) for i in range(6)]
    (chosen,) = allocate([story("A", sentences, ranking=[3, 4, 5, 1, 2, 0])], 60_000, 18.0)
    assert chosen.sentences[0] == sentences[0]


def test_a_lead_that_only_restates_the_headline_still_opens_the_story():
    lead = "The harbour bridge reopened on Monday after two years of repairs costing the city millions."
    sentences = [lead, sentence(1), sentence(2)]
    # The ranker drops a sentence that restates the headline: it is not among the ranked.
    ranked = RankedStory("Harbour bridge reopens after repairs", tuple(
        RankedSentence(sentences[p], p, 1.0) for p in (1, 2)), ("BBC",), sentences=tuple(sentences))
    (chosen,) = allocate([ranked], None, 18.0)
    assert chosen.sentences[0] == lead


def test_a_sentence_opening_on_a_pronoun_or_connective_is_read_only_after_the_one_before_it():
    sentences = [sentence(0), sentence(1), "She said the " + sentence(2)[4:], sentence(3),
                 "However, the " + sentence(4)[4:]]
    (chosen,) = allocate([story("A", sentences, ranking=[2, 4, 3, 1, 0])], None, 18.0, default_sentences=3)
    assert chosen.sentences == (sentences[0], sentences[1], sentences[2])
    (longer,) = allocate([story("A", sentences, ranking=[2, 4, 3, 1, 0])], None, 18.0, default_sentences=5)
    assert longer.sentences == tuple(sentences)


def test_a_quote_over_several_sentences_is_read_whole_with_its_speaker_or_not_at_all():
    sentences = [
        sentence(0),
        '"We will rebuild the ' + sentence(1)[4:],
        'Every family will have a home by the ' + sentence(2)[4:-1] + '," Mayor Jane Smith said.',
        sentence(3),
        "The council's finance chief, Tom Reed, described the cost of the wall as manageable.",
        '"It is a lot of money.',
        'But the ' + sentence(4)[4:-1] + '," he said.',
    ]
    (chosen,) = allocate([story("A", sentences, ranking=[1, 5, 2, 6, 4, 3, 0])], None, 18.0, default_sentences=5)
    # The mayor is named only at the end of her two-sentence quote: it is never read.
    assert sentences[1] not in chosen.sentences and sentences[2] not in chosen.sentences
    # The finance chief introduces his quote, so it is read whole, after him.
    assert chosen.sentences == (sentences[0], sentences[3], sentences[4], sentences[5], sentences[6])


def test_a_sentence_that_retells_a_fact_already_read_is_passed_over_in_the_story_and_the_episode():
    lead = "Heavy rain flooded the town of Ashby on Monday, and the river burst its banks."
    retold = "The river burst its banks in Ashby after heavy rain on Monday, officials said."
    first = story("Flood", [lead, retold, sentence(1)], ranking=[1, 2, 0])
    (chosen,) = allocate([first], None, 18.0)
    assert chosen.sentences == (lead, sentence(1))
    other = story("Storm", [sentence(5), retold, sentence(6)], ranking=[1, 2, 0])
    chosen = allocate([first, other], None, 18.0)
    assert retold not in chosen[1].sentences


def test_people_are_named_in_full_the_first_time_they_are_heard():
    text = ("Home Secretary Charles Clarke has announced a review of prison sentences in England.\n"
            "Prisons in England are full, the Prison Reform Trust said on Monday.\n"
            "Mr Clarke said the review would report by the summer, and he thanked the staff.\n"
            "Mr Clarke also promised more money for probation officers next year.")
    article = Article("Clarke orders prison review", text, "BBC")
    chosen = Story("Clarke orders prison review", (
        "Prisons in England are full, the Prison Reform Trust said on Monday.",
        "Mr Clarke said the review would report by the summer, and he thanked the staff.",
        "Mr Clarke also promised more money for probation officers next year."), ("BBC",), articles=(article,))
    script = write_script([chosen], DAY)
    assert script.stories[0].sentences[1:] == (
        "Home Secretary Charles Clarke said the review would report by the summer, and he thanked the staff.",
        "Mr Clarke also promised more money for probation officers next year.")
    read = [s.display for s in script.segments if s.kind == "sentence"]
    assert read == list(script.stories[0].sentences)


def test_allocation_fits_the_target_within_fifteen_percent():
    stories = [story(f"Story {i}", [sentence(12 * i + k) for k in range(12)]) for i in range(5)]
    for minutes in (1, 2, 3):
        target_ms = minutes * 60_000
        chosen = allocate(stories, target_ms, 18.0)
        script = write_script(chosen, DAY)
        planned = sum(estimate_ms(s.display, 18.0) + s.pause_after_ms for s in script.segments)
        assert abs(planned - target_ms) <= 0.15 * target_ms, (minutes, planned)


def test_allocation_spreads_sentences_across_stories_before_deepening():
    stories = [story(f"Story {i}", [sentence(6 * i + k) for k in range(6)]) for i in range(3)]
    chosen = allocate(stories, 60_000, 18.0)
    counts = [len(s.sentences) for s in chosen]
    assert max(counts) - min(counts) <= 1


def test_short_target_drops_whole_stories_not_their_first_sentence():
    stories = [story(f"Story {i}", [sentence(3 * i + k) for k in range(3)]) for i in range(20)]
    chosen = allocate(stories, 60_000, 18.0)
    assert 1 <= len(chosen) < 20
    assert [s.headline for s in chosen] == [f"Story {i}" for i in range(len(chosen))]


def test_script_is_deterministic():
    stories = [story("A", [sentence(0), sentence(1)]), story("B", [sentence(2)]), story("C", [sentence(3)])]
    first = write_script(allocate(stories, 30_000, 18.0), DAY)
    second = write_script(allocate(stories, 30_000, 18.0), DAY)
    assert first == second
    assert PAUSE_AFTER_SENTENCE_MS > 0


def test_a_story_too_long_for_the_target_does_not_push_out_later_short_ones():
    long_sentence = "The harbour board said " + ", and ".join(sentence(i)[4:-1] for i in range(1, 9)) + "."
    stories = [story("Alpha", [sentence(20)]), story("Beta", [long_sentence]), story("Gamma", [sentence(21)])]
    chosen = allocate(stories, 30_000, 18.0)
    assert [s.headline for s in chosen] == ["Alpha", "Gamma"]


# Two presenters.

HOSTS = (Presenter("heart", "Hannah"), Presenter("joe", "Joe"))


def four_stories() -> list[Story]:
    return [Story(headline=f"Story {n}", sentences=(sentence(2 * n), sentence(2 * n + 1)), sources=("BBC",))
            for n in range(4)]


def test_two_presenters_take_turns_by_story_and_share_greeting_and_sign_off():
    script = write_script(four_stories(), DAY, hosts=HOSTS)
    assert script.hosts == HOSTS
    readers = {s.story_index: {x.speaker for x in script.segments if x.story_index == s.story_index}
               for s in script.segments if s.story_index is not None}
    assert readers == {0: {"heart"}, 1: {"joe"}, 2: {"heart"}, 3: {"joe"}}
    intro = [s for s in script.segments if s.kind == "intro"]
    assert [(s.speaker, s.display) for s in intro] == [
        ("heart", "Here is your briefing for Tuesday, November 24th. I'm Hannah."),
        ("joe", "And I'm Joe. Today, four stories."),
    ]
    outro = [s for s in script.segments if s.kind == "outro"]
    assert [(s.speaker, s.display) for s in outro] == [
        ("joe", "That's your briefing for Tuesday, November 24th. I'm Joe."),
        ("heart", "And I'm Hannah. Thanks for listening."),
    ]


def test_handovers_sit_between_stories_vary_and_add_no_facts():
    script = write_script(four_stories(), DAY, hosts=HOSTS)
    segments = list(script.segments)
    handovers = [i for i, s in enumerate(segments) if s.kind == "handover"]
    assert len(handovers) == 3  # one at each change of presenter
    lines = [segments[i].display for i in handovers]
    assert all(a != b for a, b in pairwise(lines))
    for i in handovers:
        line, before, after = segments[i], segments[i - 1], segments[i + 1]
        assert line.story_index is None  # in neither story's clip
        assert before.story_index != after.story_index
        # Said by the outgoing presenter, or as a thank-you by the incoming one, naming the other.
        said_by_outgoing = line.speaker == before.speaker
        other = "Joe" if line.speaker == "heart" else "Hannah"
        assert other in line.display
        assert said_by_outgoing != line.display.startswith("Thank")
        assert len(line.display.split()) <= 5


def test_a_solo_script_is_read_by_its_one_presenter_as_before():
    solo = write_script(four_stories(), DAY, hosts=HOSTS[:1])
    assert {s.speaker for s in solo.segments} == {"heart"}
    assert [s.display for s in solo.segments] == [s.display for s in write_script(four_stories(), DAY).segments]
    assert not any(s.kind == "handover" for s in solo.segments)
