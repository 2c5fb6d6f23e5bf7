"""Topics: a listener's "no football, more on climate", on headline and text."""
from __future__ import annotations

import json
from datetime import date

import pytest

from briefing import BriefingRequest, build_briefing
from briefing.models import Article, RankedSentence, RankedStory
from briefing.plan.script import allocate
from briefing.plan.topics import INCLUDED_SHARE, TopicError, Topics, apply_topics, article_on_topic, topic_pattern


@pytest.mark.parametrize(("topic", "text"), [
    ("election", "Elections loom"),
    ("election", "after the election's result"),
    ("Election", "the ELECTION"),
    ("policy", "two new policies"),
    ("church", "the churches"),
    ("climate change", "climate-change talks"),
    ("climate change", "Climate  changes"),
    ("O'Neill", "O’Neill said"),
])
def test_a_topic_matches_whole_words_and_plurals(topic, text):
    assert topic_pattern(topic).search(text)


@pytest.mark.parametrize(("topic", "text"), [
    ("election", "electioneering"),
    ("football", "footballer"),
    ("art", "a party"),
    ("news", "new"),
    ("climate change", "climate, and change"),
])
def test_a_topic_does_not_match_parts_of_words_or_other_words(topic, text):
    assert not topic_pattern(topic).search(text)


def test_a_topic_without_words_is_refused():
    with pytest.raises(TopicError, match="The topic '!!' has no words to match"):
        Topics(exclude=("!!",))


def article(title: str, text: str) -> Article:
    return Article(title=title, text=text)


FILLER = " ".join(f"Sentence {n} says nothing in particular." for n in range(20))


def test_an_article_is_on_a_topic_named_in_its_headline_or_lead_or_twice():
    assert article_on_topic(article("Football club signs striker", FILLER), "football")
    assert article_on_topic(article("Club signs striker", "The football club paid a record fee. " + FILLER), "football")
    assert article_on_topic(article("Flood", FILLER + " A football match. Another football match."), "football")
    assert not article_on_topic(article("Flood", FILLER + " The football ground was used as a shelter."), "football")


FACTS = (
    "Officials counted forty damaged houses near the harbour wall.", "Ferries stayed in port until Monday morning.",
    "Insurers expect claims worth several million dollars.", "Schools reopened after engineers checked each roof.",
    "Volunteers handed out blankets at the town hall.", "The railway line south of the bridge remains closed.",
    "Farmers reported flooded fields across the valley.", "Power returned to most homes by Sunday evening.",
    "Delegates from ninety countries arrived in Geneva.", "Negotiators hope to agree emission targets by Friday.",
    "Several island nations asked for a separate fund.", "Oil exporters resisted any firm deadline for coal.",
    "Protesters gathered peacefully outside the venue.", "Scientists presented new satellite data on sea ice.",
    "The host minister promised a draft text overnight.", "Banks pledged loans for solar projects in Africa.",
)


def story(headline: str, text: str = FILLER, sentences: int = 4, facts: int = 0) -> RankedStory:
    ranked = tuple(RankedSentence(FACTS[facts + n], n, 1.0 - n / 10) for n in range(sentences))
    return RankedStory(headline=headline, ranked=ranked, articles=(article(headline, text),))


def test_excluded_stories_are_left_out_and_included_ones_go_first_with_a_larger_share():
    stories = [story("Storm hits coast"), story("Football cup final tonight"), story("Climate talks open")]
    kept, skipped = apply_topics(stories, Topics(include=("climate",), exclude=("football",)))
    assert [s.headline for s in kept] == ["Climate talks open", "Storm hits coast"]
    assert [s.share for s in kept] == [INCLUDED_SHARE, 1]
    assert [(s.headline, s.topic) for s in skipped] == [("Football cup final tonight", "football")]


def test_exclusion_wins_over_inclusion():
    kept, skipped = apply_topics([story("Climate protest at football final")],
                                 Topics(include=("climate",), exclude=("football",)))
    assert kept == [] and skipped[0].topic == "football"


def test_an_included_story_gets_twice_the_sentences_when_time_is_short():
    stories = [story("Storm hits coast", sentences=8), story("Climate talks open", sentences=8, facts=8)]

    def counts(kept):
        return {s.headline: len(s.sentences) for s in allocate(kept, target_ms=40_000, chars_per_second=15.0)}

    assert counts(stories) == {"Storm hits coast": 3, "Climate talks open": 3}
    kept, _ = apply_topics(stories, Topics(include=("climate",)))
    # One sentence each to open, then two a round for the included story against one.
    assert counts(kept) == {"Climate talks open": 4, "Storm hits coast": 2}


def test_a_show_without_football_leaves_the_football_story_out_and_says_so(news_site, tmp_path, tone_engine):
    request = BriefingRequest(sources=(news_site.feed_url,), output_dir=tmp_path, day=date(2026, 11, 25),
                              minutes=1, topics=Topics(exclude=("football",)))
    result = build_briefing(request, engine=tone_engine)
    striker = news_site.articles["striker"]["title"]
    assert striker not in [t.story.headline for t in result.episode.stories]
    assert [(s.headline, s.topic) for s in result.skipped] == [(striker, "football")]
    record = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert record["excluded"] == [{"headline": striker, "topic": "football"}]
    assert striker not in record["left_out"]
