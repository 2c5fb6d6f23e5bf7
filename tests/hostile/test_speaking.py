"""What reaches a voice is always speakable and bounded: a run-on "sentence" of any length
costs bounded memory per engine call (Piper needs about 0.85 GB per 1,000 characters of one
sentence), and a NUL or escape character in an article never stops the run."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from briefing import BriefingRequest, build_briefing
from briefing.plan.rank import Ranker
from briefing.speech import MAX_CHARS_PER_CALL, Speech, speak_bounded, speech_pieces


class StrictEngine:
    """Fails as the real engines do on what they cannot take: a NUL ("embedded null
    character") or a text longer than one bounded call."""

    sample_rate_hz = 16000

    def __init__(self) -> None:
        self.longest = 0

    def speak(self, text: str) -> Speech:
        if "\x00" in text or "\x1b" in text:
            raise ValueError("embedded null character")
        assert len(text) <= MAX_CHARS_PER_CALL, f"{len(text)} characters in one call"
        self.longest = max(self.longest, len(text))
        return Speech(pcm=bytes(2 * 160 * max(1, len(text) // 10)), sample_rate_hz=self.sample_rate_hz)


def test_a_long_text_is_cut_at_pauses_into_bounded_pieces():
    clause = "the council voted to close the road for repairs until the spring"
    text = ", ".join([clause] * 200) + "."
    pieces = speech_pieces(text)
    assert max(map(len, pieces)) <= MAX_CHARS_PER_CALL
    assert " ".join(pieces) == text
    assert all(p.endswith(",") or p.endswith(".") for p in pieces)  # cut where a reader pauses
    assert speech_pieces("x" * 1000) == ["x" * 400, "x" * 400, "x" * 200]


def test_speaking_a_huge_text_never_gives_the_engine_more_than_one_bounded_call():
    engine = StrictEngine()
    speech = speak_bounded(engine, "word " * 4000)
    assert engine.longest <= MAX_CHARS_PER_CALL and speech.duration_ms > 0


def test_a_twenty_thousand_character_sentence_is_never_read(tmp_path):
    run_on = "The minister said that " + ", and that ".join(f"item {n} was approved" for n in range(1000)) + "."
    assert len(run_on) > 20_000
    ranked = Ranker().rank("Budget", [run_on, "The budget was approved on Monday by the council."])
    assert [r.position for r in ranked] == [1]


def test_nul_and_escape_characters_in_an_article_do_not_stop_the_run(tmp_path):
    article = tmp_path / "harbour.txt"
    article.write_text("Harbour bridge reopens\n\nThe harbour bridge\x00 reopened on Monday after repairs.\n"
                       "Traffic\x1b[2J was light on the first day, officials said.\n", encoding="utf-8")
    engine = StrictEngine()
    result = build_briefing(BriefingRequest(sources=(str(article),), output_dir=tmp_path / "out",
                                            day=date(2026, 11, 26), minutes=1), engine=engine)
    assert Path(result.episode.audio_path).is_file()
    assert "reopened on Monday" in (Path(result.episode.folder) / "transcript.txt").read_text()
