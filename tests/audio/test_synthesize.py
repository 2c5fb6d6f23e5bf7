"""Segment synthesis: the on-disk cache and its keys."""
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from briefing.audio.synthesize import SynthesisOptions, cache_key, synthesize
from briefing.models import Story
from briefing.plan.script import write_script


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
    assert clips
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
    from briefing.audio.synthesize import plan_workers

    assert plan_workers(None, 2) == (1, 2)
    assert plan_workers(None, 8) == (4, 2)
    assert plan_workers(2, 2) == (2, 1)
    assert plan_workers(None, 1) == (1, 1)
    # hibari scales by processes, not threads (bench/workers.py).
    assert plan_workers(None, 2, threads_per_process=1) == (2, 1)
    assert plan_workers(None, 8, threads_per_process=1) == (8, 1)


def test_worker_processes_speak_every_segment_with_the_real_voice(tmp_path, joe):
    from briefing.audio.synthesize import wav_duration_ms

    script = make_script(["The bridge reopened on Monday.", "It cost $1.2bn.", "Cyclists welcomed it."])
    options = SynthesisOptions(cache_dir=tmp_path, workers=2, parallel_min_segments=1)
    clips = synthesize(script, joe, options)
    assert len(clips) == len(script.segments) and not any(c.cached for c in clips)
    for clip in clips:
        # Real speech: roughly 40-120 ms per character of normalized text.
        assert 40 * len(clip.segment.text) <= wav_duration_ms(Path(clip.path)) <= 120 * len(clip.segment.text) + 500
    assert all(c.cached for c in synthesize(script, joe, options))


def test_a_cached_segment_carries_its_loudness_levels(tmp_path, joe, tone_engine):
    import numpy as np

    from briefing.audio.dynamics import SEGMENT_LUFS, block_power, integrated_lufs
    from briefing.audio.synthesize import read_wav

    (clip, *_) = synthesize(make_script(["The bridge reopened on Monday."]), joe,
                            SynthesisOptions(cache_dir=tmp_path), engine=tone_engine)
    speech, levels = read_wav(Path(clip.path))
    audio = np.frombuffer(speech.pcm, dtype="<i2").astype(np.float32) / 32768
    assert np.allclose(levels.block_power, block_power(audio, speech.sample_rate_hz), rtol=1e-3)
    assert integrated_lufs(levels.block_power) == pytest.approx(SEGMENT_LUFS, abs=0.05)
    assert levels.peak == pytest.approx(np.max(np.abs(audio)), abs=1e-4)


def test_piper_in_this_process_speaks_with_two_threads_in_script_order(tmp_path, joe, monkeypatch):
    """On two cores Piper speaks in this process, two segments at once over one model."""
    import threading

    import briefing.audio.synthesize as synthesize_module

    monkeypatch.setattr(synthesize_module.os, "cpu_count", lambda: 2)
    speakers: set[str] = set()
    speak = synthesize_module.speak_to_cache

    def spy(engine, text, path):
        speakers.add(threading.current_thread().name)
        speak(engine, text, path)

    monkeypatch.setattr(synthesize_module, "speak_to_cache", spy)
    script = make_script(["The bridge reopened on Monday.", "It cost $1.2bn.", "Cyclists welcomed it."])
    done = []
    options = SynthesisOptions(cache_dir=tmp_path, workers=1)
    synthesize_module.speak_jobs(synthesize_module.speech_jobs(script, joe, tmp_path), options,
                                 on_done=lambda job: done.append(job.path))
    assert len(speakers) == 2 and all(name.startswith("briefing-speak") for name in speakers)
    assert sorted(done) == sorted(synthesize_module.cache_path(tmp_path, joe, s.text) for s in script.segments)


def test_a_cached_segment_carries_its_words_and_plain_wav_readers_still_read_it(tmp_path):
    import wave

    import numpy as np

    from briefing.audio.dynamics import level_pcm
    from briefing.audio.synthesize import read_wav, write_wav
    from briefing.models import TimedWord
    from briefing.speech import Speech

    words = (TimedWord("Prices", 0.05, 0.41), TimedWord("rose", 0.45, 0.8), TimedWord("£2", 0.8, 1.2))
    pcm = (np.sin(np.arange(24000) / 7) * 8000).astype("<i2").tobytes()
    _, levels = level_pcm(pcm, 24000)
    write_wav(tmp_path / "a.wav", Speech(pcm, 24000, words), levels)
    speech, _ = read_wav(tmp_path / "a.wav")
    assert speech.words == words and speech.pcm == pcm
    with wave.open(str(tmp_path / "a.wav"), "rb") as wav:
        assert wav.getnframes() == 24000
    write_wav(tmp_path / "b.wav", Speech(pcm, 24000))
    assert read_wav(tmp_path / "b.wav")[0].words == ()
