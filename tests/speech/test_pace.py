"""Pace: how fast the voices read, set inside each engine (hibari's speed, Piper's
length_scale), never by stretching audio; part of every segment's cache key."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefing.audio.synthesize import cache_key
from briefing.errors import BriefingError
from briefing.run.pipeline import BriefingRequest, build_briefing, cast_voices
from briefing.speech.hibari import FASTEST_SPEED, HibariEngine, HibariSettings
from briefing.speech.piper import PiperEngine, PiperSettings
from briefing.voices import find_voice, load_voice_file, with_pace

ROOT = Path(__file__).resolve().parents[2]


def test_a_pace_is_a_setting_of_the_voice_and_keys_its_cache(heart):
    faster = with_pace(heart, 1.2)
    assert faster.setting("pace") == 1.2
    assert cache_key(faster, "Hello.") != cache_key(heart, "Hello.")
    assert with_pace(faster, 1.0) == heart  # the natural pace keeps the cache it always had
    assert with_pace(heart, None) == heart


def test_each_engine_reads_the_pace_as_its_own_parameter(heart, joe):
    assert HibariSettings.from_voice(with_pace(heart, 1.0)).speed == 1.0
    assert HibariSettings.from_voice(with_pace(heart, 0.8)).speed == pytest.approx(0.8)
    assert HibariSettings.from_voice(with_pace(heart, 1.3)).speed == FASTEST_SPEED  # never past its model's limit
    base = PiperSettings.from_voice(joe).length_scale
    assert base == 1.1
    assert PiperSettings.from_voice(with_pace(joe, 1.2)).length_scale == pytest.approx(base * 0.716)
    assert PiperSettings.from_voice(with_pace(joe, 0.9)).length_scale > base


@pytest.mark.parametrize("pace", [0.5, 1.31, "fast", True])
def test_a_pace_out_of_range_is_one_line(heart, pace):
    with pytest.raises(BriefingError, match=r"give a number from 0.8 to 1.3"):
        with_pace(heart, pace)


def test_gtts_reads_at_one_speed_only():
    with pytest.raises(BriefingError, match=r"reads at one speed only"):
        with_pace(find_voice("gtts-us"), 1.2)


def test_a_profile_may_set_its_pace(tmp_path):
    profile = tmp_path / "quick.toml"
    profile.write_text('engine = "hibari"\n[settings]\nvoice = "heart"\npace = 1.1\n', encoding="utf-8")
    assert load_voice_file(profile).setting("pace") == 1.1
    profile.write_text('engine = "hibari"\n[settings]\npace = 3\n', encoding="utf-8")
    with pytest.raises(BriefingError, match=r"pace is 3; give a number from 0.8 to 1.3"):
        load_voice_file(profile)


def test_both_presenters_follow_the_pace(tmp_path, piper_engine):
    request = BriefingRequest(sources=(), output_dir=tmp_path, day=date(2026, 11, 24), voice="heart", co_host="joe",
                              pace=1.2)
    heart, joe = cast_voices(request)
    assert heart.setting("pace") == joe.setting("pace") == 1.2
    text = "The harbour bridge reopened to traffic on Monday after a two-year restoration."
    paced_engine = PiperEngine(voice=piper_engine.voice, settings=PiperSettings.from_voice(joe))  # the model, loaded once
    natural = sum(piper_engine.speak(text).duration_ms for _ in range(2))
    paced = sum(paced_engine.speak(text).duration_ms for _ in range(2))
    assert paced < 0.9 * natural


@pytest.fixture(scope="module")
def paced_episodes(tmp_path_factory, heart, hibari_engine):
    """The same one-article episode with heart at three paces: (length, speech time) by pace."""
    folder = tmp_path_factory.mktemp("paces")
    made = {}
    for pace in (0.9, 1.0, 1.2):
        request = BriefingRequest(sources=(str(ROOT / "examples/articles/02-chipmaker-earnings.txt"),),
                                  output_dir=folder / str(pace), day=date(2026, 11, 24), minutes=0.75, pace=pace,
                                  publish=False)
        engine = HibariEngine(tts=hibari_engine.tts, settings=HibariSettings.from_voice(with_pace(heart, pace)))
        episode = build_briefing(request, engine=engine).episode
        made[pace] = (episode.duration_s, sum(cue.end_s - cue.start_s for cue in episode.cues))
    return made


def test_an_episode_at_1_2_is_12_to_22_percent_of_its_speech_shorter_and_at_0_9_longer(paced_episodes):
    length, speech = paced_episodes[1.0]
    assert 0.12 <= (length - paced_episodes[1.2][0]) / speech <= 0.22
    assert paced_episodes[0.9][0] > length
