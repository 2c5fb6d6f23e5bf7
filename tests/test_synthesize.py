"""Segment synthesis: the on-disk cache and its keys."""
from dataclasses import replace
from datetime import date

from briefing.models import Story
from briefing.script import write_script
from briefing.synthesize import SynthesisOptions, cache_key, synthesize


def make_script(sentences):
    return write_script([Story(headline="Bridge reopens", sentences=tuple(sentences), sources=("BBC",))],
                        date(2026, 11, 24))


def test_second_run_reuses_every_cached_segment(tmp_path, joe, tone_engine):
    options = SynthesisOptions(cache_dir=tmp_path)
    script = make_script(["The bridge reopened on Monday.", "It cost $1.2bn."])
    first = synthesize(script, joe, options, engine=tone_engine)
    assert [c.cached for c in first] == [False] * len(script.segments)
    assert len(tone_engine.spoken) == len(script.segments)

    second = synthesize(script, joe, options, engine=tone_engine)
    assert all(c.cached for c in second)
    assert len(tone_engine.spoken) == len(script.segments)
    assert [c.path for c in first] == [c.path for c in second]


def test_only_changed_segments_are_synthesized_again(tmp_path, joe, tone_engine):
    options = SynthesisOptions(cache_dir=tmp_path)
    synthesize(make_script(["The bridge reopened on Monday.", "It cost $1.2bn."]), joe, options, engine=tone_engine)
    tone_engine.spoken.clear()
    synthesize(make_script(["The bridge reopened on Monday.", "It cost $1.5bn."]), joe, options, engine=tone_engine)
    assert tone_engine.spoken == ["It cost one point five billion dollars."]


def test_clip_duration_is_the_audio_length(tmp_path, joe, tone_engine):
    clips = synthesize(make_script(["Short."]), joe, SynthesisOptions(cache_dir=tmp_path), engine=tone_engine)
    for clip in clips:
        assert abs(clip.duration_ms - len(clip.segment.text) * 60) <= 1


def test_cache_key_depends_on_text_and_voice_settings(joe):
    slower = replace(joe, settings=tuple(sorted({**dict(joe.settings), "length_scale": 1.2}.items())))
    assert cache_key(joe, "Hello.") == cache_key(joe, "Hello.")
    assert cache_key(joe, "Hello.") != cache_key(joe, "Hello!")
    assert cache_key(joe, "Hello.") != cache_key(slower, "Hello.")


def test_progress_reports_every_segment(tmp_path, joe, tone_engine):
    seen = []
    script = make_script(["One.", "Two."])
    synthesize(script, joe, SynthesisOptions(cache_dir=tmp_path), engine=tone_engine,
               on_progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, len(script.segments)) and seen[-1] == (len(script.segments),) * 2
