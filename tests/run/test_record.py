"""The rerun key and the library's stamp: a run is answered from the last one only
when nothing it depends on has changed (rerun.py)."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from briefing import episodes
from briefing.cli.replay import output_folder
from briefing.episodes import library_lock
from briefing.run.record import (
    LIBRARY_FOLDERS,
    RECORD,
    RunInputs,
    library_state,
    plain_options,
    record_run,
    recorded_result,
    replayed_result,
)

OPTIONS = {"minutes": 5.0, "voice": "heart", "day": "2026-11-24"}


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Council approves library\nThe council approved a new library.\n")
    (folder / "b.html").write_text("<html><body><h1>Bridge</h1><p>The bridge opened today.</p></body></html>")
    return folder


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "voice.toml"
    path.write_text('name = "v"\nengine = "hibari"\n')
    return path


def inputs(sources: list[str], options: dict[str, object] = OPTIONS, settings: list[Path] = (),
           folders: list[Path] = ()) -> RunInputs:
    return RunInputs("generate", plain_options(options), tuple(sources), tuple(map(str, settings)),
                     tuple(map(str, folders)))


def key(sources: list[str], options: dict[str, object] = OPTIONS, settings: list[Path] = (),
        folders: list[Path] = ()) -> str | None:
    return inputs(sources, options, settings, folders).key()


def test_the_same_run_has_the_same_key(articles, profile):
    assert key([str(articles)], settings=[profile]) == key([str(articles)], settings=[profile]) is not None


def test_a_changed_source_option_or_profile_changes_the_key(articles, profile):
    before = key([str(articles)], settings=[profile])
    (articles / "a.txt").write_text("Council approves library\nThe council approved a new pool.\n")
    edited = key([str(articles)], settings=[profile])
    (articles / "c.md").write_text("Another story\nIt happened.\n")
    added = key([str(articles)], settings=[profile])
    longer = key([str(articles)], {**OPTIONS, "minutes": 6.0}, settings=[profile])
    profile.write_text('name = "v"\nengine = "hibari"\n[settings]\nspeed = 1.1\n')
    retuned = key([str(articles)], settings=[profile])
    assert len({before, edited, added, longer, retuned}) == 5


def test_a_profile_added_to_the_voices_folder_changes_the_key(articles, profile):
    before = key([str(articles)], folders=[profile.parent])
    (profile.parent / "another.toml").write_text('name = "w"\nengine = "piper"\n')
    assert key([str(articles)], folders=[profile.parent]) != before


def test_paths_in_options_are_keyed_where_they_lead(articles, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    relative = key([str(articles)], {**OPTIONS, "output": Path("out")})
    assert relative == key([str(articles)], {**OPTIONS, "output": tmp_path / "out"})
    assert relative != key([str(articles)], {**OPTIONS, "output": tmp_path / "elsewhere"})


@pytest.mark.parametrize("name, text", [
    ("feed.xml", "<rss><channel><item><link>https://example.com/a</link></item></channel></rss>"),
    ("list.json", '[{"url": "https://example.com/a"}]'),
    ("feeds.opml", "<opml><body><outline xmlUrl='https://example.com/f'/></body></opml>"),
])
def test_sources_that_may_lead_elsewhere_have_no_key(articles, name, text):
    (articles / name).write_text(text)
    assert key([str(articles / "a.txt"), str(articles / name)]) is None
    assert key([str(articles)]) is None  # the folder now holds it too


@pytest.mark.parametrize("source", ["-", "https://example.com/news", "missing.txt"])
def test_stdin_urls_and_missing_files_have_no_key(articles, source):
    assert key([str(articles / "a.txt"), source]) is None


def test_a_missing_setting_file_has_no_key(articles, tmp_path):
    assert key([str(articles)], settings=[tmp_path / "gone.toml"]) is None


def library(tmp_path: Path) -> Path:
    output = tmp_path / "out"
    folder = output / "episodes" / "2026-11-24-abcdef"
    (folder / "clips").mkdir(parents=True)
    (folder / "briefing.mp3").write_bytes(b"mp3")
    (folder / "clips" / "01.mp3").write_bytes(b"clip")
    (output / "feed.xml").write_text("<rss/>")
    (output / "memory.json").write_text("{}")
    (output / ".cache").mkdir()
    return output


def test_the_stamp_sees_every_change_to_the_library_but_not_to_its_caches(tmp_path):
    output = library(tmp_path)
    stamp = library_state(output)
    (output / ".cache" / "segment.wav").write_bytes(b"x")
    assert library_state(output) == stamp
    clip = output / "episodes" / "2026-11-24-abcdef" / "clips" / "01.mp3"
    os.utime(clip, ns=(1, 1))
    assert library_state(output) != stamp
    stamp = library_state(output)
    clip.unlink()
    assert library_state(output) != stamp
    stamp = library_state(output)
    (output / "memory.json").write_text('{"stories": []}')
    assert library_state(output) != stamp


RESULT = {"episode": "2026-11-24-abcdef", "exit_code": 0}


def test_a_recorded_run_answers_only_its_own_key_in_the_library_it_left(tmp_path):
    output = library(tmp_path)
    record_run(output, "k1", inputs([]), library_state(output), RESULT)
    assert recorded_result(output, "k1") == RESULT
    assert recorded_result(output, "k2") is None
    (output / "feed.xml").write_text("<rss>edited</rss>")
    assert recorded_result(output, "k1") is None


def test_a_command_line_is_replayed_only_if_it_is_the_same_here_and_its_inputs_hold(tmp_path, articles, monkeypatch):
    monkeypatch.chdir(tmp_path)
    output = library(tmp_path)
    run = inputs([str(articles)])
    argv = ["generate", str(articles), "-o", str(output), "--json"]
    record_run(output, run.key(), run, library_state(output), RESULT, argv=argv, json_output=True)
    assert replayed_result(output, argv) == (RESULT, True)
    assert replayed_result(output, [*argv, "--minutes", "3"]) is None
    monkeypatch.chdir(articles)
    assert replayed_result(output, argv) is None  # relative paths would lead elsewhere
    monkeypatch.chdir(tmp_path)
    (articles / "a.txt").write_text("Council rejects library\nThe council said no.\n")
    assert replayed_result(output, argv) is None


def test_a_run_called_without_a_command_line_is_never_replayed(tmp_path, articles):
    output = library(tmp_path)
    run = inputs([str(articles)])
    record_run(output, run.key(), run, library_state(output), RESULT)  # argv None: CliRunner, the API
    assert replayed_result(output, ["generate", str(articles), "-o", str(output)]) is None
    assert recorded_result(output, run.key()) == RESULT


@pytest.mark.parametrize("args, folder", [
    (["a.txt"], "output"),
    (["a.txt", "-o", "lib"], "lib"),
    (["a.txt", "--output=lib", "-o", "last"], "last"),
    (["a.txt", "-olib"], "lib"),
    (["--", "-o", "x"], "output"),
])
def test_the_record_is_looked_for_where_the_command_line_puts_the_output(args, folder):
    assert output_folder(args) == Path(folder)


def test_a_broken_record_means_a_full_run(tmp_path):
    output = library(tmp_path)
    (output / RECORD).write_text("{not json")
    assert recorded_result(output, "k1") is None
    assert recorded_result(tmp_path / "never-made", "k1") is None


def test_the_stamp_covers_the_folders_the_library_writes():
    assert set(LIBRARY_FOLDERS) == {episodes.EPISODES_FOLDER, episodes.STATIC_FOLDER}


def test_the_library_lock_can_be_taken_again_by_the_thread_that_holds_it(tmp_path):
    entered = threading.Event()

    def other() -> None:
        with library_lock(tmp_path):
            entered.set()

    with library_lock(tmp_path), library_lock(tmp_path):
        thread = threading.Thread(target=other)
        thread.start()
        assert not entered.wait(0.2)  # another thread still waits for it
    thread.join(5)
    assert entered.is_set()
