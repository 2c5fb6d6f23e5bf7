"""Show files: read, checked key by key, resolved against their folder, turned into a request."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image

from briefing.audio.music import Sound
from briefing.cli.options import SoundFlags, sound_options
from briefing.ingest import IngestOptions
from briefing.models import Channel
from briefing.plan.topics import Topics
from briefing.run.show_file import ShowFileError, example_show, load_show


def write(folder: Path, text: str, name: str = "morning.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = 'sources = ["news"]\n'


def test_a_minimal_show_takes_the_defaults(tmp_path):
    show = load_show(write(tmp_path, MINIMAL))
    assert show.channel == Channel(update_frequency="daily")  # a show is daily unless it says otherwise
    assert show.sources == (str(tmp_path / "news"),)
    assert show.output == tmp_path / "morning"  # named after the file, so two shows never share a library
    assert (show.minutes, show.voice, show.cover, show.topics) == (5.0, None, None, Topics())


def test_every_key_is_read_and_relative_paths_resolve_against_the_file(tmp_path):
    (tmp_path / "art").mkdir()
    Image.new("RGB", (1400, 1400), (200, 30, 30)).save(tmp_path / "art" / "cover.jpg", format="JPEG")
    show = load_show(write(tmp_path, """
title = "Morning Brief"
description = "The morning's news."
author = "Newsdesk"
email = "desk@example.org"
language = "en-GB"
category = "Daily News"
explicit = true
cover = "art/cover.jpg"
sources = ["feeds/local.opml", "https://news.example.org/rss.xml", "-"]
output = "../public/briefings"
minutes = 8
voice = "voices/mine.toml"
co_host = "joe"
since = "24h"
max_per_feed = 5
base_url = "https://me.example/briefings/"
keep = 14
update_frequency = "weekdays"
alexa = "stories"

[topics]
include = ["climate", "local election"]
exclude = ["football"]
"""))
    assert show.channel == Channel(title="Morning Brief", description="The morning's news.", language="en-GB",
                                   author="Newsdesk", email="desk@example.org", explicit=True, category="Daily News",
                                   update_frequency="weekdays", alexa="stories")
    assert show.cover == tmp_path / "art" / "cover.jpg"
    assert show.sources == (str(tmp_path / "feeds" / "local.opml"), "https://news.example.org/rss.xml", "-")
    assert show.output == tmp_path.parent / "public" / "briefings"
    assert show.voice == str(tmp_path / "voices" / "mine.toml")
    assert (show.minutes, show.co_host, show.since, show.max_per_feed, show.keep) == (8.0, "joe", "24h", 5, 14)
    assert show.base_url == "https://me.example/briefings/"
    assert show.topics == Topics(include=("climate", "local election"), exclude=("football",))


def test_the_show_becomes_a_request_with_its_settings(tmp_path):
    show = load_show(write(tmp_path, MINIMAL + 'title = "T"\nsince = "2d"\nmax_per_feed = 3\nvoice = "joe"\n'
                                               'keep = 2\n[topics]\nexclude = ["football"]\n'))
    request = show.request(date(2026, 11, 26), ingest=IngestOptions(timeout_s=3.0), retell=True)
    assert request.sources == show.sources and request.output_dir == show.output
    assert request.day == date(2026, 11, 26) and request.voice == "joe" and request.minutes == 5.0
    assert request.ingest.since == timedelta(days=2) and request.ingest.max_per_feed == 3
    assert request.ingest.timeout_s == 3.0
    assert request.channel.title == "T" and request.keep == 2 and request.retell
    assert request.topics.exclude == ("football",)


def test_command_line_values_override_the_file(tmp_path):
    show = load_show(write(tmp_path, MINIMAL + "minutes = 8\n"))
    changed = show.overridden(minutes=2.0, voice=None, keep=3)
    assert (changed.minutes, changed.voice, changed.keep) == (2.0, None, 3)


def test_the_example_show_file_is_a_valid_show(tmp_path):
    path = tmp_path / "show.toml"
    path.write_text(example_show(path), encoding="utf-8")
    show = load_show(path)
    assert show.channel.title == "Morning Brief" and show.output == tmp_path / "briefings"
    assert f"cd {tmp_path} && briefing run show.toml" in path.read_text()
    assert (show.sound, show.pace) == (None, None)


def test_the_example_shows_sound_table_works_once_uncommented(tmp_path):
    """`briefing init` writes the [sound] table commented out; taking out the #s makes it work."""
    path = tmp_path / "show.toml"
    text = example_show(path)
    assert "\n# [sound]\n" in text
    (tmp_path / "music").mkdir()
    for name in ("intro.mp3", "bed.mp3", "sting.wav", "outro.m4a"):
        (tmp_path / "music" / name).write_bytes(b"music")
    lines = [line[2:] if line.startswith(("# [sound]", "# intro", "# bed", "# transition", "# outro", "# pace"))
             else line for line in text.splitlines()]
    path.write_text("\n".join(lines), encoding="utf-8")
    show = load_show(path)
    assert show.sound == Sound(intro=tmp_path / "music" / "intro.mp3", outro=tmp_path / "music" / "outro.m4a",
                               bed=tmp_path / "music" / "bed.mp3", transition=tmp_path / "music" / "sting.wav",
                               intro_overlap_s=2.0, bed_duck_db=12.0, bed_level_db=-10.0)
    assert show.pace == 1.1
    request = show.request(date(2026, 11, 24), ingest=IngestOptions())
    assert request.pace == 1.1


def test_the_command_lines_sound_flags_override_the_shows(tmp_path):
    (tmp_path / "bed.ogg").write_bytes(b"music")
    show = load_show(write(tmp_path, MINIMAL + "[sound]\nbed = 'bed.ogg'\nbed_duck = 15\n"))
    mine = tmp_path / "other.ogg"
    merged = sound_options(SoundFlags(bed=mine, bed_level_db=-6.0), show.sound)
    assert (merged.bed, merged.bed_duck_db, merged.bed_level_db) == (mine, 15.0, -6.0)
    assert sound_options(SoundFlags(), show.sound) == show.sound
    assert sound_options(SoundFlags()) == Sound()


@pytest.mark.parametrize(("text", "message"), [
    (MINIMAL + "titel = 'x'\n", "unknown key 'titel'; the keys a show file takes are alexa, author, base_url,"),
    (MINIMAL + "alexa = 'story'\n", "key 'alexa' is 'story'; give \"episode\" (each episode whole) or \"stories\""),
    (MINIMAL + "update_frequency = 'often'\n", "key 'update_frequency' is 'often'; give one of daily, weekdays, weekly"),
    (MINIMAL + "minutes = 'ten'\n", "key 'minutes' must be a number, not 'ten'."),
    (MINIMAL + "minutes = true\n", "key 'minutes' must be a number, not True."),
    (MINIMAL + "minutes = 500\n", "key 'minutes' is 500; give a length from 0.5 to 120 minutes."),
    (MINIMAL + "explicit = 'no'\n", "key 'explicit' must be true or false, not 'no'."),
    (MINIMAL + "keep = 0\n", "key 'keep' is 0; give 1 or more."),
    (MINIMAL + "since = 'yesterday'\n", "key 'since': 'yesterday' is not a duration; write it like 24h, 90m, 2d or 1w."),
    (MINIMAL + "base_url = 'me.example'\n", "key 'base_url' is 'me.example'; give the http(s) address"),
    (MINIMAL + "email = 'desk'\n", "key 'email' is 'desk', not an e-mail address."),
    (MINIMAL + "title = ' '\n", "key 'title' is empty; give it a value or leave the key out."),
    ("title = 'x'\n", "key 'sources' is missing or empty; list the show's feeds, files or folders."),
    ("sources = ['']\n", "every item of 'sources' must be a non-empty string, not ''."),
    (MINIMAL + "[topics]\nexclude = 'football'\n", "key 'topics.exclude' must be a list like [\"climate\"]"),
    (MINIMAL + "[topics]\nignore = ['x']\n", "unknown key 'topics.ignore'; [topics] takes include and exclude."),
    (MINIMAL + "[topics]\ninclude = ['!!']\n", "key 'topics.include': The topic '!!' has no words to match"),
    (MINIMAL + "cover = 'missing.png'\n", "key 'cover': The cover "),
    (MINIMAL + "pace = 2\n", "key 'pace' is 2; give a number from 0.8 to 1.3"),
    (MINIMAL + "[sound]\nintro = 'missing.mp3'\n", "key 'sound.intro': no such file "),
    (MINIMAL + "[sound]\nbed_duck = 'loud'\n", "key 'sound.bed_duck' is 'loud'; give a number of dB from 0 to 40."),
    (MINIMAL + "[sound]\nbed_level = 3\n", "key 'sound.bed_level' is 3; give a number of dB from -40 to 0."),
    (MINIMAL + "[sound]\njingle = 'x.mp3'\n", "unknown key 'sound.jingle'; [sound] takes intro, outro, bed,"),
    ("sources = [\n", "not valid TOML ("),
])
def test_a_bad_show_file_is_one_line_naming_the_key_and_exits_2(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ShowFileError) as caught:
        load_show(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.exit_code == 2


def test_a_missing_show_file_says_how_to_make_one(tmp_path):
    with pytest.raises(ShowFileError, match=r"no such show file; make one with `briefing init nowhere.toml`"):
        load_show(tmp_path / "nowhere.toml")


@pytest.mark.parametrize(("size", "kind", "message"), [
    ((1400, 1000), "PNG", "is 1400x1000 px; a podcast cover must be square."),
    ((1000, 1000), "PNG", "is 1000x1000 px; Apple Podcasts takes 1400x1400 to 3000x3000 px, so resize it."),
    ((3200, 3200), "JPEG", "is 3200x3200 px; Apple Podcasts takes 1400x1400 to 3000x3000 px, so resize it."),
    ((1400, 1400), "GIF", "is a GIF image; podcast apps take PNG or JPEG, so convert it."),
])
def test_a_cover_podcast_apps_would_refuse_is_refused(tmp_path, size, kind, message):
    Image.new("RGB", size).save(tmp_path / "cover.img", format=kind)
    path = write(tmp_path, MINIMAL + "cover = 'cover.img'\n")
    with pytest.raises(ShowFileError, match="key 'cover'") as caught:
        load_show(path)
    assert str(caught.value).endswith(message)


def test_a_file_that_is_no_image_is_refused_as_a_cover(tmp_path):
    (tmp_path / "cover.png").write_text("not an image")
    with pytest.raises(ShowFileError, match=r"is not an image Pillow can read; give a square PNG or JPEG file\.$"):
        load_show(write(tmp_path, MINIMAL + "cover = 'cover.png'\n"))
