"""Memory across episodes: a daily show made from a feed that still lists yesterday's stories.

The feed is served on loopback (tests/conftest.py news_site, tests/fixtures/daily/news.toml);
the fake ToneEngine speaks, since what is said, not how it sounds, is the point here.
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from briefing import BriefingRequest, build_briefing
from briefing.errors import NothingToSay
from briefing.models import Article, Story
from briefing.plan.memory import MEMORY_DAYS, MEMORY_STORIES, Memory, load_memory, memory_path

DAY1, DAY2 = date(2026, 11, 25), date(2026, 11, 26)
RESTATED = "About 3,000 islanders rely on the ferry to reach work, school and hospital appointments on the mainland."
TOLD_ON_DAY1 = "About 3,000 islanders rely on the ferry to reach work, school and the hospital on the mainland."


def request(site, output: Path, day: date, **options) -> BriefingRequest:
    return BriefingRequest(sources=(site.feed_url,), output_dir=output, day=day, minutes=None, **options)


def manifest(result) -> dict:
    return json.loads(result.manifest_path.read_text(encoding="utf-8"))


def title(site, slug: str) -> str:
    return site.articles[slug]["title"]


@pytest.fixture(scope="module")
def two_days(module_news_site, tmp_path_factory, tone_engine_class):
    """Day 1, then day 2 of the site into one library; day 2 keeps only the newest episode.
    Yields both results, day 1's manifest (its folder is retired) and the library."""
    site = module_news_site
    output = tmp_path_factory.mktemp("daily") / "library"
    engine = tone_engine_class()
    first = build_briefing(request(site, output, DAY1), engine=engine)
    first_record = manifest(first)
    site.show_day(2)
    second = build_briefing(request(site, output, DAY2, keep=1), engine=engine)
    return first, first_record, second, output


def test_day_two_reads_the_new_stories_and_the_update_but_not_the_repeats(two_days, module_news_site):
    news_site = module_news_site
    first, day1, second, _ = two_days
    ferry = next(s for s in day1["stories"] if s["headline"] == title(news_site, "ferry-strike"))
    assert TOLD_ON_DAY1 in ferry["sentences"]

    day2 = manifest(second)
    assert sorted(s["headline"] for s in day2["stories"]) == sorted(
        title(news_site, slug) for slug in ("ferry-resumes", "library-hours", "pier-storm"))
    assert sorted(t["headline"] for t in day2["told_before"]) == sorted(
        title(news_site, slug) for slug in ("cycle-lanes", "childrens-wing"))
    assert {t["told_in"]["episode"] for t in day2["told_before"]} == {first.episode.id}
    assert day2["excluded"] == []
    told_on_day2 = " ".join(sentence for story in day2["stories"] for sentence in story["sentences"])
    for sentence in news_site.sentences("cycle-lanes") + news_site.sentences("childrens-wing"):
        assert sentence not in told_on_day2


def test_the_update_reads_only_its_new_facts_and_is_marked(two_days, module_news_site):
    news_site = module_news_site
    first, _, second, _ = two_days
    stories = manifest(second)["stories"]
    [update] = [s for s in stories if s["update"]]
    assert update["headline"] == title(news_site, "ferry-resumes")
    assert update["update_of"] == {"episode": first.episode.id, "date": "2026-11-25",
                                   "headline": title(news_site, "ferry-strike")}
    assert update["urls"] == [news_site.url("ferry-resumes")]
    new_facts = [s for s in news_site.sentences("ferry-resumes") if s != RESTATED]
    assert RESTATED not in update["sentences"]
    assert update["sentences"][0] == new_facts[0]  # the news: crossings resumed
    assert set(update["sentences"]) <= set(new_facts)
    assert [s["update"] for s in stories].count(True) == 1


def test_the_update_is_introduced_as_one_in_plain_words(two_days, module_news_site):
    news_site = module_news_site
    _, _, second, _ = two_days
    transcript = (Path(second.episode.folder) / "transcript.txt").read_text(encoding="utf-8")
    lead = news_site.sentences("ferry-resumes")[0]
    assert f", an update from Harbor Daily on our story of November 25th. {lead}" in transcript


def test_memory_survives_retired_episodes(two_days, module_news_site, tone_engine, tmp_path):
    news_site = module_news_site
    first, _, second, output = two_days
    assert not Path(first.episode.folder).exists()  # --keep 1 retired day 1
    assert {s.episode for s in load_memory(output).stories} == {first.episode.id, second.episode.id}
    with pytest.raises(NothingToSay, match="Nothing new to tell: 5 stories were told in an earlier episode") as caught:
        build_briefing(request(news_site, output, DAY2 + timedelta(days=1)), engine=tone_engine)
    assert sorted(f.source for f in caught.value.failures) == sorted(
        title(news_site, slug) for slug in ("cycle-lanes", "childrens-wing", "ferry-resumes", "library-hours",
                                            "pier-storm"))


def test_retell_tells_every_story_again(two_days, module_news_site, tone_engine):
    news_site = module_news_site
    _, _, _, output = two_days
    again = build_briefing(request(news_site, output, DAY2 + timedelta(days=1), retell=True), engine=tone_engine)
    record = manifest(again)
    assert len(record["stories"]) == 5 and record["told_before"] == []
    assert not any(s["update"] for s in record["stories"])


def test_a_rerun_of_the_same_day_makes_the_same_episode(news_site, tmp_path, tone_engine):
    output = tmp_path / "library"
    first = build_briefing(request(news_site, output, DAY1), engine=tone_engine)
    again = build_briefing(request(news_site, output, DAY1), engine=tone_engine)
    assert again.episode.id == first.episode.id and again.segments_synthesized == 0
    assert again.skipped == ()


def test_a_repeat_grouped_with_its_new_report_reads_only_the_new_report(news_site, tmp_path, tone_engine):
    output = tmp_path / "library"
    build_briefing(request(news_site, output, DAY1), engine=tone_engine)
    news_site.days["3"] = ["ferry-strike", "ferry-resumes"]
    news_site.show_day(3)
    result = build_briefing(request(news_site, output, DAY2), engine=tone_engine)
    [story] = manifest(result)["stories"]
    assert story["update"] and story["headline"] == title(news_site, "ferry-resumes")
    assert [a["url"] for a in story["articles"]] == [news_site.url("ferry-resumes")]
    assert RESTATED not in story["sentences"]
    assert set(story["sentences"]) <= set(news_site.sentences("ferry-resumes"))


def test_an_unreadable_memory_is_reported_and_rewritten(news_site, tmp_path, tone_engine):
    output = tmp_path / "library"
    output.mkdir()
    memory_path(output).write_text("{not json", encoding="utf-8")
    result = build_briefing(request(news_site, output, DAY1), engine=tone_engine)
    [failure] = result.failures
    assert failure.source == str(memory_path(output))
    assert failure.reason.startswith("cannot be read (")
    assert failure.reason.endswith("stories told before may be told again; the file is rewritten after this episode")
    assert len(load_memory(output).stories) == 4


def story(headline: str, text: str, url: str | None = None) -> Story:
    return Story(headline=headline, sentences=(text,), articles=(Article(headline, text, url=url),))


def test_memory_keeps_the_last_30_days_only():
    memory = Memory()
    start = date(2026, 1, 1)
    for n in range(40):
        memory = memory.remember(f"ep{n}", start + timedelta(days=n), [story(f"Story {n}", f"Fact number {n}.")])
    assert MEMORY_DAYS == 30
    assert [s.episode for s in memory.stories] == [f"ep{n}" for n in range(10, 40)]


def test_memory_holds_at_most_its_story_cap():
    many = [story(f"Story {n}", f"Fact number {n}.") for n in range(MEMORY_STORIES + 5)]
    memory = Memory().remember("ep", date(2026, 1, 1), many)
    assert len(memory.stories) == MEMORY_STORIES
    assert memory.stories[-1].headline == f"Story {MEMORY_STORIES + 4}"


def test_remembering_an_episode_again_replaces_its_record():
    memory = Memory().remember("ep", date(2026, 1, 1), [story("One", "First fact.")])
    memory = memory.remember("ep", date(2026, 1, 1), [story("Two", "Second fact.")])
    assert [s.headline for s in memory.stories] == ["Two"]
