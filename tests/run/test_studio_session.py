"""A studio session without the browser: changes against a version, words added to the library's
lexicon, and a line heard through the segment cache render uses."""
from __future__ import annotations

import hashlib
import sys

import pytest

from briefing.audio.synthesize import cache_path, engine_text
from briefing.run.render import RenderRequest
from briefing.run.studio import StaleVersion, StudioSession
from briefing.voices import find_voice

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

SCRIPT = """\
title: Test briefing
date: 2026-11-26
presenters: Hannah (heart)

# Opening
Hello.

# Stories

## Kremlin speaks
Dmitry Peskov spoke on Monday.

## Rates rise
Rates rose again.

# Sign-off
Goodbye.
"""


@pytest.fixture
def session(tmp_path, tone_engine):
    script = tmp_path / "script.md"
    script.write_text(SCRIPT, encoding="utf-8")
    studio = StudioSession(script, RenderRequest(output_dir=tmp_path / "output"), frozenset({"heart", "joe"}))
    studio._engines["heart"] = tone_engine  # a loaded engine, as warm_up leaves it
    return studio


def version(session) -> str:
    return hashlib.sha256(session.script_path.read_bytes()).hexdigest()[:16]


def test_a_change_against_an_older_version_is_refused_and_nothing_is_written(session):
    first = version(session)
    view = session.change(first, {"op": "move", "story": 1, "to": 0})
    assert [s["headline"] for s in view["script"]["stories"]] == ["Rates rise", "Kremlin speaks"]
    written = session.script_path.read_bytes()
    with pytest.raises(StaleVersion, match="changed elsewhere"):
        session.change(first, {"op": "drop", "story": 0})
    assert session.script_path.read_bytes() == written


def test_a_line_without_words_is_refused(session):
    with pytest.raises(Exception, match="no words to say"):
        session.change(version(session), {"op": "edit", "line": "s0.0", "text": "..."})
    assert session.script_path.read_text(encoding="utf-8") == SCRIPT


def test_a_word_added_to_the_lexicon_is_heard_and_kept_in_the_library(session, tone_engine):
    session.add_word("Peskov", "Peskoff")
    lexicon = tomllib.loads((session.request.output_dir / "lexicon.toml").read_text(encoding="utf-8"))
    assert lexicon == {"words": {"Peskov": "Peskoff"}}
    wav = session.speak("s0.0")
    assert tone_engine.spoken == ["Dmitry Peskoff spoke on Monday."]
    heart = find_voice("heart", lexicons=(session.request.output_dir / "lexicon.toml",))
    assert wav == cache_path(session.cache_dir, heart, engine_text(heart, "Dmitry Peskov spoke on Monday."))
    assert session.speak("s0.0") == wav and len(tone_engine.spoken) == 1  # cached: not spoken twice


def test_a_word_that_is_not_one_is_refused(session):
    with pytest.raises(Exception, match="Give one word"):
        session.add_word("two words", "x")
    assert not (session.request.output_dir / "lexicon.toml").exists()
