"""Segment synthesis: the on-disk cache and its keys."""
from dataclasses import replace
from pathlib import Path
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


def test_processes_share_the_cores_as_threads():
    from briefing.synthesize import plan_workers

    assert plan_workers(None, 2) == (1, 2)
    assert plan_workers(None, 8) == (4, 2)
    assert plan_workers(2, 2) == (2, 1)
    assert plan_workers(None, 1) == (1, 1)
    # hibari scales by processes, not threads (bench/workers.py).
    assert plan_workers(None, 2, threads_per_process=1) == (2, 1)
    assert plan_workers(None, 8, threads_per_process=1) == (8, 1)


def test_worker_processes_speak_every_segment_with_the_real_voice(tmp_path, joe):
    from briefing.synthesize import wav_duration_ms

    script = make_script(["The bridge reopened on Monday.", "It cost $1.2bn.", "Cyclists welcomed it."])
    options = SynthesisOptions(cache_dir=tmp_path, workers=2, parallel_min_segments=1)
    clips = synthesize(script, joe, options)
    assert not any(c.cached for c in clips)
    for clip in clips:
        # Real speech: roughly 40-120 ms per character of normalized text.
        assert 40 * len(clip.segment.text) <= wav_duration_ms(Path(clip.path)) <= 120 * len(clip.segment.text) + 500
    assert all(c.cached for c in synthesize(script, joe, options))
