"""The episode folder's one writer and one reader agree: what is written is read back."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from briefing.episodes import BadEpisode, read_episode, record_inputs, stored_audio_key, write_manifest
from briefing.models import Article, Episode, InputFailure, Presenter, Story, StoryTiming


def make_episode(folder) -> Episode:
    (folder / "clips").mkdir(parents=True)
    for name in ("briefing.mp3", "transcript.txt", "transcript.vtt", "clips/01-storm.mp3"):
        (folder / name).write_bytes(b"x" * 10)
    article = Article(title="Storm hits coast", text="", source="Ledger", url="https://ledger.example/storm",
                      origin="https://ledger.example/rss", published=datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc))
    story = Story(headline="Storm hits coast", sentences=("A storm hit the coast.", "Roads closed."),
                  sources=("Ledger", "Wire"), urls=("https://ledger.example/storm",),
                  published=article.published, articles=(article,))
    return Episode(
        id=folder.name, title="News briefing for Thursday, November 26th, 2026", date=date(2026, 11, 26),
        folder=str(folder), audio_path=str(folder / "briefing.mp3"), duration_s=61.5, voice="joe",
        stories=(StoryTiming(story, 1.25, 20.5, "clips/01-storm.mp3", host="joe"),),
        loudness_lufs=-16.0, true_peak_dbtp=-1.6, failures=(InputFailure("bad.txt", "the file is empty"),),
        created=datetime(2026, 11, 26, 6, 0, tzinfo=timezone.utc), audio_bytes=10,
        transcript_text="transcript.txt", transcript_vtt="transcript.vtt", left_out=("Cat rescued",),
        hosts=(Presenter("heart", "Hannah"), Presenter("joe", "Joe")),
    )


def test_manifest_round_trip(tmp_path):
    episode = make_episode(tmp_path / "2026-11-26-abc123")
    write_manifest(episode, tmp_path / "2026-11-26-abc123", bitrate_kbps=96, sample_rate_hz=44100, audio_key="k1")
    assert read_episode(tmp_path / "2026-11-26-abc123") == episode
    assert stored_audio_key(tmp_path / "2026-11-26-abc123") == "k1"


def test_reused_episode_records_this_runs_inputs(tmp_path):
    folder = tmp_path / "2026-11-26-abc123"
    write_manifest(make_episode(folder), folder, bitrate_kbps=96, sample_rate_hz=44100)
    record_inputs(folder, [InputFailure("gone.html", "404")], ["Other story"])
    again = read_episode(folder)
    assert again.failures == (InputFailure("gone.html", "404"),)
    assert again.left_out == ("Other story",)


def test_a_missing_clip_reads_as_none_and_the_audio_key_as_unusable(tmp_path):
    folder = tmp_path / "2026-11-26-abc123"
    write_manifest(make_episode(folder), folder, bitrate_kbps=96, sample_rate_hz=44100, audio_key="k1")
    (folder / "clips" / "01-storm.mp3").unlink()
    assert read_episode(folder).stories[0].clip is None
    assert stored_audio_key(folder) is None


def test_a_manifest_naming_another_episode_is_refused(tmp_path):
    folder = tmp_path / "2026-11-26-abc123"
    episode = make_episode(folder)
    write_manifest(replace(episode, id="2026-11-26-zzzzzz"), folder, bitrate_kbps=96, sample_rate_hz=44100)
    with pytest.raises(BadEpisode, match="names episode '2026-11-26-zzzzzz'"):
        read_episode(folder)


def test_manifest_keys_are_the_documented_ones(tmp_path):
    folder = tmp_path / "2026-11-26-abc123"
    write_manifest(make_episode(folder), folder, bitrate_kbps=96, sample_rate_hz=44100)
    record = json.loads((folder / "episode.json").read_text())
    assert set(record) == {"id", "audio_key", "title", "date", "created", "duration_s", "voice", "audio",
                           "transcript", "stories", "left_out", "excluded", "told_before", "failures", "hosts",
                           "presenters", "alexa"}
    assert set(record["stories"][0]) == {"index", "headline", "source", "sources", "urls", "published",
                                         "sentences", "start_s", "end_s", "clip", "host", "update", "update_of",
                                         "articles"}
