"""The public API, as a Python user calls it: build_briefing(BriefingRequest(...))."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import briefing
from briefing import BriefingError, BriefingRequest, build_briefing

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


def test_build_briefing_makes_and_publishes_an_episode(tmp_path, tone_engine):
    request = BriefingRequest(sources=(str(EXAMPLES),), output_dir=tmp_path, day=date(2026, 11, 26), minutes=2)
    result = build_briefing(request, engine=tone_engine)

    episode = result.episode
    assert episode.id.startswith("2026-11-26-")
    assert sorted(t.story.headline for t in episode.stories) == [
        "Chipmaker Norvex Posts Record Quarter as AI Server Demand Surges",
        "Flood Warnings Issued Along the River Tane as Heavy Rain Continues",
        "Harbour Bridge Reopens to Traffic After Two-Year, $1.2bn Restoration",
        "New Space Telescope Returns First Images of a Distant Planet-Forming Disc",
    ]
    assert Path(episode.audio_path).is_file() and result.manifest_path.is_file()
    assert (tmp_path / "feed.xml").is_file() and (tmp_path / "index.html").is_file()
    assert result.failures == ()
    assert result.segments_synthesized == len(set(tone_engine.spoken)) > 0


def test_the_same_request_again_reuses_the_episode(tmp_path, tone_engine):
    request = BriefingRequest(sources=(str(EXAMPLES),), output_dir=tmp_path, day=date(2026, 11, 26), minutes=2)
    first = build_briefing(request, engine=tone_engine)
    spoken = len(tone_engine.spoken)
    second = build_briefing(request, engine=tone_engine)
    assert second.episode.id == first.episode.id
    assert second.segments_synthesized == 0 and len(tone_engine.spoken) == spoken


def test_package_names_load_lazily():
    assert briefing.build_briefing is build_briefing
    assert briefing.Article.__name__ == "Article"


def test_a_co_host_reads_every_other_story(tmp_path, tone_engine):
    request = BriefingRequest(sources=(str(EXAMPLES),), output_dir=tmp_path, day=date(2026, 11, 26), minutes=2,
                              voice="heart", co_host="joe")
    episode = build_briefing(request, engine=tone_engine).episode
    assert [h.voice for h in episode.hosts] == ["heart", "joe"]
    assert [t.host for t in episode.stories] == ["heart", "joe", "heart", "joe"]


def test_a_co_host_that_is_the_presenter_is_one_clear_line(tmp_path, tone_engine):
    request = BriefingRequest(sources=(str(EXAMPLES),), output_dir=tmp_path, day=date(2026, 11, 26),
                              voice="joe", co_host="joe")
    with pytest.raises(BriefingError, match=r"^The co-host 'joe' is the same voice as the presenter; choose another"):
        build_briefing(request, engine=tone_engine)
    assert not (tmp_path / "episodes").exists()
