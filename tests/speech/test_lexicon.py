"""The pronunciation lexicon: what text reaches each engine, and what users can change."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from briefing.audio.synthesize import SynthesisOptions, cache_key, engine_text, synthesize
from briefing.errors import BriefingError
from briefing.models import Story
from briefing.plan.script import write_script
from briefing.run.pipeline import BriefingRequest, build_briefing
from briefing.speech.lexicon import Lexicon, Pronunciation, load_lexicon, possessive_phonemes, voice_lexicon
from briefing.voices import default_lexicon_path, find_voice

LINE = "Vladimir Putin's aide met Xi and the IAAF; the FTSE fell."


def test_shipped_lexicon_has_the_words_listeners_mishear():
    words = load_lexicon([default_lexicon_path()]).words
    assert {"Putin", "Xi", "Peskov", "Idowu", "IAAF", "FTSE", "AADC"} <= words


def test_every_voice_carries_the_shipped_lexicon(joe, heart):
    shipped = load_lexicon([default_lexicon_path()])
    assert voice_lexicon(joe) == shipped == voice_lexicon(heart)


def test_piper_gets_raw_phoneme_blocks(joe):
    assert engine_text(joe, LINE) == (
        "Vladimir [[ pˈuːtɪnz ]] aide met [[ ʃˈiː ]] and the I double A F; the Footsie fell.")


def test_hibari_gets_misaki_phoneme_links(heart):
    assert engine_text(heart, LINE) == (
        "Vladimir [Putin's](/pˈutɪnz/) aide met [Xi](/ʃˈi/) and the [IAAF](/ˈI ˈA ˈA ˈɛf/); the Footsie fell.")


def test_engines_without_phonemes_read_the_respelling():
    lexicon = Lexicon((Pronunciation("Xi", say="Shee", phonemes=(("hibari", "ʃˈi"),)),))
    assert lexicon.apply("Xi spoke.", "gtts") == "Shee spoke."
    assert Lexicon((Pronunciation("Xi", phonemes=(("hibari", "ʃˈi"),)),)).apply("Xi spoke.", "gtts") == "Xi spoke."


def test_only_whole_words_in_the_same_case_are_replaced():
    lexicon = Lexicon((Pronunciation("Xi", say="Shee"), Pronunciation("Putin", say="Pootin")))
    text = "Xi, xi, XI, Xian, Putinism, anti-Putin, Putin's, Putin’s."
    assert lexicon.apply(text, "piper") == "Shee, xi, XI, Xian, Putinism, anti-Pootin, Pootin's, Pootin’s."


def test_possessive_follows_the_last_sound():
    assert possessive_phonemes("pˈutɪn") == "pˈutɪnz"
    assert possessive_phonemes("pɹˈæt") == "pɹˈæts"
    assert possessive_phonemes("ʤˈOnz") == "ʤˈOnzɪz"


def test_the_real_engines_read_the_lexicon_phonemes(joe, heart, piper_engine, hibari_engine):
    # Without the lexicon both say "PEW-tin" (a j before the u); with it, "POO-tin".
    assert "pjˈutɪn" in hibari_engine.tts.phonemize("Putin spoke.")[0]
    assert hibari_engine.tts.phonemize(engine_text(heart, "Putin spoke."))[0] == "pˈutɪn spˈOk."
    plain = "".join(piper_engine.voice.phonemize("Putin spoke.")[0])
    assert plain.startswith("pjˈuːtɪn")
    assert "".join(piper_engine.voice.phonemize(engine_text(joe, "Putin spoke."))[0]).startswith("pˈuːtɪn ")


def test_user_lexicon_adds_and_replaces_entries(tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text('[words]\nPutin = "Pooh tin"\nSiobhan = { say = "Shiv awn", hibari = "ʃɪvˈɔn" }\n', encoding="utf-8")
    heart = find_voice("heart", lexicons=[mine])
    assert engine_text(heart, "Putin met Siobhan and Xi.") == "Pooh tin met [Siobhan](/ʃɪvˈɔn/) and [Xi](/ʃˈi/)."
    joe = find_voice("joe", lexicons=[mine])
    assert engine_text(joe, "Siobhan") == "Shiv awn"


@pytest.mark.parametrize("content, complaint", [
    ('[words]\nPutin = { hibar = "x" }\n', "'Putin' has hibar; use say or piper or hibari"),
    ('Putin = "Pootin"\n', "put every entry in a [words] table"),
    ('[words]\nPutin = 3\n', "'Putin' must be a respelling or a table"),
    ('[words\n', "cannot be read"),
])
def test_a_broken_lexicon_is_one_line_naming_the_file(tmp_path, content, complaint):
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(BriefingError) as caught:
        find_voice("heart", lexicons=[bad])
    assert str(bad) in str(caught.value) and complaint in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_changed_entry_respeaks_only_the_segments_with_that_word(tmp_path, heart, tone_engine):
    story = Story(headline="Talks in Moscow", sentences=("Putin spoke first.", "The talks ended."), sources=("BBC",))
    script = write_script([story], date(2026, 11, 24))
    options = SynthesisOptions(cache_dir=tmp_path)
    synthesize(script, heart, options, engine=tone_engine)
    assert "[Putin](/pˈutɪn/) spoke first." in tone_engine.spoken
    tone_engine.spoken.clear()
    mine = tmp_path / "mine.toml"
    mine.write_text('[words]\nPutin = { hibari = "pˈutɪn" }\n', encoding="utf-8")
    assert cache_key(heart, "The talks ended.") == cache_key(find_voice("heart", lexicons=[mine]), "The talks ended.")
    mine.write_text('[words]\nPutin = { hibari = "pˈuːtɪn" }\n', encoding="utf-8")
    synthesize(script, find_voice("heart", lexicons=[mine]), options, engine=tone_engine)
    assert tone_engine.spoken == ["[Putin](/pˈuːtɪn/) spoke first."]


def test_lexicon_words_are_kept_from_the_normalizer(tmp_path, tone_engine):
    # The normalizer alone reads BBC as letters (B.B.C); kept, it reaches the lexicon whole.
    mine = tmp_path / "mine.toml"
    mine.write_text('[words]\nBBC = "British Broadcasting Corporation"\n', encoding="utf-8")
    article = tmp_path / "markets.txt"
    article.write_text("Shares rise in London\n\nThe FTSE rose as BBC staff watched.\n", encoding="utf-8")
    request = BriefingRequest(sources=(str(article),), output_dir=tmp_path / "out", day=date(2026, 11, 24),
                              voice="joe", minutes=None, publish=False, lexicons=(mine,))
    build_briefing(request, engine=tone_engine)
    assert "The Footsie rose as British Broadcasting Corporation staff watched." in tone_engine.spoken


def test_voices_made_by_hand_have_an_empty_lexicon(joe):
    bare = replace(joe, settings=tuple(pair for pair in joe.settings if pair[0] != "lexicon"))
    assert voice_lexicon(bare) == Lexicon()
    assert engine_text(bare, "Putin spoke.") == "Putin spoke."
