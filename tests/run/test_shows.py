"""Many shows on this machine (runner.run_shows) and the shared segment cache (cache.py), with a fake engine.

Runs on Ray are in tests/cluster/; the command line in tests/cli/test_run.py."""
from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from briefing import BriefingRequest, build_briefing
from briefing.audio.cache import SegmentCache, segment_cache
from briefing.audio.mix import AssemblyOptions
from briefing.errors import VoiceUnavailable
from briefing.run.shows import run_shows

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
BRIDGE, CHIPS, FLOOD, TELESCOPE = sorted(str(p) for p in EXAMPLES.iterdir())
DAY = date(2026, 11, 26)
SHORT = AssemblyOptions(sting=False)


def requests(root: Path, **shows: tuple[str, ...]) -> list[BriefingRequest]:
    return [BriefingRequest(sources=sources, output_dir=root / name, day=DAY, minutes=1, assembly=SHORT)
            for name, sources in shows.items()]


def three_shows(root: Path) -> list[BriefingRequest]:
    """Two shows share the chipmaker story (wire copy); all three share the day's sign-off."""
    return requests(root, alpha=(BRIDGE, CHIPS), bravo=(CHIPS, FLOOD), charlie=(TELESCOPE,))


def episode_files(result) -> dict[str, bytes]:
    folder = Path(result.episode.folder)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "episode.json"}


def test_shows_share_one_cache_and_each_distinct_segment_is_spoken_once(tmp_path, tone_engine):
    cache = segment_cache(tmp_path / "segments")
    outcomes, stats = run_shows(three_shows(tmp_path), cache, engine=tone_engine)

    results = [o.result for o in outcomes]
    assert all(r is not None for r in results) and [o.failure for o in outcomes] == [None] * 3
    assert len(tone_engine.spoken) == len(set(tone_engine.spoken)) == stats.distinct == stats.synthesized
    assert stats.segments == sum(r.segments_total for r in results)
    assert stats.cache_hits == stats.segments - stats.distinct > 0
    assert len(list((tmp_path / "segments").rglob("*.wav"))) == stats.distinct
    transcripts = [Path(r.episode.folder, "transcript.txt").read_text() for r in results]
    sign_off = transcripts[0].strip().splitlines()[-1]
    assert sign_off == "That's your briefing for Thursday, November 26th. Thanks for listening."
    assert all(t.strip().endswith(sign_off) for t in transcripts)
    assert "Norvex" in transcripts[0] and "Norvex" in transcripts[1]
    # Each show counts the segments spoken for it, though assembly found them cached.
    assert [r.segments_synthesized for r in results] == [r.segments_total for r in results]

    # The same episode, byte for byte, as the show makes on its own.
    alone = build_briefing(three_shows(tmp_path / "alone")[1], engine=tone_engine)
    assert alone.episode.id == results[1].episode.id
    assert episode_files(alone) == episode_files(results[1])

    # Run again: every episode is there already, so nothing is spoken or made.
    spoken = len(tone_engine.spoken)
    again, stats = run_shows(three_shows(tmp_path), cache, engine=tone_engine)
    assert [o.result.episode.id for o in again] == [r.episode.id for r in results]
    assert (stats.segments, stats.synthesized) == (0, 0) and len(tone_engine.spoken) == spoken


def test_a_show_that_fails_never_stops_the_others(tmp_path, tone_engine):
    shows = requests(tmp_path, empty=(str(tmp_path / "missing.txt"),), charlie=(TELESCOPE,))
    shows.append(replace(shows[1], output_dir=tmp_path / "duo", voice="joe", co_host="joe"))
    seen: list[int] = []
    outcomes, _ = run_shows(shows, segment_cache(tmp_path / "segments"), engine=tone_engine,
                            on_show=lambda index, outcome: seen.append(index))

    assert [o.failure is None for o in outcomes] == [False, True, False]
    empty, duo = outcomes[0].failure, outcomes[2].failure
    assert (empty.exit_code, duo.exit_code) == (1, 1) and empty.trace is None
    assert empty.message == "No usable article remained, so no episode was made; fix the inputs named above."
    assert [f.source for f in empty.failures] == [str(tmp_path / "missing.txt")]
    assert duo.message.startswith("The co-host 'joe' is the same voice as the presenter")
    assert sorted(seen) == [0, 1, 2]
    assert Path(outcomes[1].result.episode.audio_path).is_file()


def test_a_voice_that_cannot_speak_fails_only_the_shows_it_presents(tmp_path, tone_engine, monkeypatch):
    import briefing.run.shows as runner

    def speak_jobs(jobs, options, **kwargs):
        if jobs[0].voice.name == "joe":
            raise VoiceUnavailable("The voice 'joe' cannot speak here.")
        return real(jobs, options, **kwargs)

    real = runner.speak_jobs
    monkeypatch.setattr(runner, "speak_jobs", speak_jobs)
    shows = requests(tmp_path, alpha=(BRIDGE,), charlie=(TELESCOPE,))
    shows[1] = replace(shows[1], voice="joe")
    outcomes, _ = run_shows(shows, segment_cache(tmp_path / "segments"), engine=tone_engine)
    assert outcomes[0].failure is None
    assert outcomes[1].failure.message == "The voice 'joe' cannot speak here."


def test_a_url_cache_is_filled_and_then_serves_another_run(tmp_path, tone_engine):
    cache = SegmentCache((tmp_path / "bucket").as_uri())  # file://, through fsspec like s3://
    first, stats = run_shows(three_shows(tmp_path / "first")[1:2], cache, engine=tone_engine)
    entries = sorted(p.relative_to(tmp_path / "bucket") for p in (tmp_path / "bucket").rglob("*"))
    assert len([e for e in entries if e.suffix == ".wav"]) == stats.distinct == len(entries) / 2  # and their folders
    spoken = len(tone_engine.spoken)

    second, again = run_shows(three_shows(tmp_path / "second")[1:2], cache, engine=tone_engine)
    assert again.synthesized == 0 and len(tone_engine.spoken) == spoken
    assert episode_files(first[0].result) == episode_files(second[0].result)


def test_url_cache_entries_move_whole_and_once(tmp_path):
    pytest.importorskip("fsspec")
    cache = SegmentCache("memory://briefing-test/segments")
    wav = tmp_path / "one.wav"
    wav.write_bytes(b"RIFF" + bytes(1000))
    assert not cache.has("ab/abc.wav")
    assert cache.upload(wav, "ab/abc.wav") is True
    assert cache.upload(wav, "ab/abc.wav") is False  # content-addressed: already there
    assert cache.has("ab/abc.wav")
    assert cache.fetch(["ab/abc.wav", "cd/missing.wav"], tmp_path / "local") == 1
    assert (tmp_path / "local" / "ab" / "abc.wav").read_bytes() == wav.read_bytes()
    assert not (tmp_path / "local" / "cd").exists() or not any((tmp_path / "local" / "cd").iterdir())


def test_concurrent_uploads_of_one_segment_leave_one_whole_entry(tmp_path):
    pytest.importorskip("fsspec")
    cache = SegmentCache((tmp_path / "shared").as_uri())
    sources = []
    for worker in range(8):
        path = tmp_path / f"worker{worker}.wav"
        path.write_bytes(b"RIFF" + bytes(200_000))  # the same segment, made by eight workers
        sources.append(path)
    threads = [threading.Thread(target=cache.upload, args=(path, "ab/abc.wav")) for path in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [p.name for p in (tmp_path / "shared").rglob("*") if p.is_file()] == ["abc.wav"]
    assert (tmp_path / "shared" / "ab" / "abc.wav").read_bytes() == sources[0].read_bytes()


def test_a_folder_cache_is_absolute_and_a_url_is_kept(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert segment_cache("segments") == SegmentCache(str(tmp_path / "segments"))
    assert segment_cache("s3://bucket/briefing").is_url
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert segment_cache(None).folder == tmp_path / "xdg" / "briefing" / "segments"
