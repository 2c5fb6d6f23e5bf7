"""Word timing: the engines' phoneme durations become the times of the words as written.

Fast tests pin the mapping on hand-made phonemes; the real voices (loaded once per
session) show that every word they speak gets a time inside its audio, in order,
from the duration outputs added to their ONNX graphs.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from briefing.models import TimedWord
from briefing.speech import Speech, speak_bounded
from briefing.speech.durations import timed_model
from briefing.speech.lexicon import PHONEME_MARKUP
from briefing.speech.timing import align, estimated_words, phoneme_words, spoken_words, written_words

RATE = 1000


def test_phoneme_words_span_their_sounds_not_the_spaces_or_pauses_between():
    # ^ h i , _ t h e r e . $  with one sample unit per phoneme, 10 samples each
    phonemes = ["^", "h", "ˈ", "i", ",", " ", "ð", "ɛ", "ɹ", ".", "$"]
    words = phoneme_words(phonemes, [10] * len(phonemes))
    assert [(w.phonemes, w.start, w.end) for w in words] == [("hˈi", 10, 40), ("ðɛɹ", 60, 90)]


def test_phoneme_words_are_moved_and_kept_inside_a_trimmed_sentence():
    words = phoneme_words(["^", "a", " ", "b", "$"], [30, 10, 10, 10, 30], shift=-25, length=40)
    assert [(w.start, w.end) for w in words] == [(5, 15), (25, 35)]


def test_words_espeak_joins_share_one_phoneme_word_by_their_letters():
    # Piper reads "in the" as one word: ɪnðə
    phonemes = ["^", *"wʌz", " ", *"spˈɛnt", " ", *"ɪnðə", " ", *"sˈɪti", "$"]
    words = phoneme_words(phonemes, [10] * len(phonemes))
    timed = spoken_words("was spent in the city", words, RATE)
    assert [w.text for w in timed] == ["was", "spent", "in", "the", "city"]
    inside, the = timed[2], timed[3]
    assert inside.start_s == words[2].start / RATE and the.end_s == words[2].end / RATE
    assert inside.end_s == the.start_s == pytest.approx((words[2].start + (words[2].end - words[2].start) * 2 / 5) / RATE)


def test_alignment_pairs_words_one_to_one_around_a_join_and_a_split():
    # letters: "in the" joined, then one long word spoken as two phoneme words
    assert align([2, 3, 5, 10], [4, 5, 5, 5]) == [(0, 2, 0, 1), (2, 3, 1, 2), (3, 4, 2, 4)]


def test_a_lexicon_phoneme_block_is_one_word():
    words = phoneme_words(["^", *"sɛd", " ", *"pˈutɪn", " ", *"tədˈA", "$"], [10] * 18)
    for markup in PHONEME_MARKUP.values():
        block = markup.format(word="Putin", phonemes="pˈutɪn")
        timed = spoken_words(f"said {block} today", words, RATE)
        assert [w.text for w in timed] == ["said", block, "today"]
        assert (timed[1].start_s, timed[1].end_s) == (words[1].start / RATE, words[1].end / RATE)


def test_a_written_word_spans_every_word_its_reading_takes():
    spoken = [TimedWord(w, i * 0.5, i * 0.5 + 0.4) for i, w in
              enumerate("Sales reached one point two billion dollars on Monday".split())]
    timed = written_words("Sales reached $1.2bn on Monday.", spoken, 10.0, offset_s=100.0)
    assert [(w.text, w.start_s, w.end_s) for w in timed] == [
        ("Sales", 100.0, 100.4), ("reached", 100.5, 100.9), ("$1.2bn", 101.0, 103.4),
        ("on", 103.5, 103.9), ("Monday.", 104.0, 104.4)]


def test_written_words_between_anchors_share_the_spoken_words_by_their_reading():
    spoken = [TimedWord(w, i, i + 0.9) for i, w in enumerate("up by two point five percent to three".split())]
    timed = written_words("up by 2.5% to 3", spoken, 10.0)
    assert [(w.text, w.start_s, w.end_s) for w in timed] == [
        ("up", 0, 0.9), ("by", 1, 1.9), ("2.5%", 2, 5.9), ("to", 6, 6.9), ("3", 7, 7.9)]
    several = written_words("Mr Smith's 25th", [TimedWord(w, i, i + 0.9) for i, w in
                                                 enumerate("Mister Smith's twenty fifth".split())], 9.0)
    assert [(w.text, w.start_s) for w in several] == [("Mr", 0), ("Smith's", 1), ("25th", 2)]
    assert several[-1].end_s == 3.9


def test_a_written_word_nobody_says_takes_no_time_and_every_word_is_kept():
    spoken = [TimedWord("yes", 0.0, 0.3), TimedWord("no", 0.5, 0.8)]
    timed = written_words("yes — no", spoken, 1.0)
    assert [(w.text, w.start_s, w.end_s) for w in timed] == [("yes", 0.0, 0.3), ("—", 0.3, 0.3), ("no", 0.5, 0.8)]


def test_without_engine_times_the_words_share_the_audio_by_length():
    timed = estimated_words("a bb ccc", 6.0)
    assert [(w.start_s, w.end_s) for w in timed] == [(0.0, 1.0), (1.0, 3.0), (3.0, 6.0)]
    assert written_words("a bb ccc", (), 6.0, offset_s=1.0)[2] == TimedWord("ccc", 4.0, 7.0)


def test_long_text_spoken_in_pieces_keeps_each_words_time(tone_engine_class):
    class Timed(tone_engine_class):
        def speak(self, text):
            speech = super().speak(text)
            return Speech(speech.pcm, speech.sample_rate_hz, estimated_words(text, speech.duration_ms / 1000))

    text = " ".join(["Word number one is here."] * 40)  # over MAX_CHARS_PER_CALL: spoken in pieces
    speech = speak_bounded(Timed(), text)
    starts = [w.start_s for w in speech.words]
    assert len(speech.words) == len(text.split())
    assert starts == sorted(starts) and speech.words[-1].end_s == pytest.approx(speech.duration_ms / 1000, abs=0.002)


def tiny_model(op: str) -> onnx.ModelProto:
    node = helper.make_node(op, ["x"], ["/Op_output_0"])
    out = helper.make_node("Identity", ["/Op_output_0"], ["y"])
    graph = helper.make_graph([node, out], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
    return helper.make_model(graph)


def test_the_duration_output_is_added_once_and_cached(tmp_path):
    model = tmp_path / "voice.onnx"
    onnx.save(tiny_model("Ceil"), model)
    first = timed_model(model, "piper", cache=tmp_path / "cache")
    assert isinstance(first, str) and first.startswith(str(tmp_path / "cache"))
    assert [o.name for o in onnx.load(first).graph.output] == ["y", "/Op_output_0"]
    assert timed_model(model, "piper", cache=tmp_path / "cache") == first
    onnx.save(tiny_model("Floor"), model)  # another model under the same name: made again
    assert timed_model(model, "piper", cache=tmp_path / "cache") == str(model.resolve())
    # A new version of the voice: its copy replaces the old one.
    onnx.save(helper.make_model(tiny_model("Ceil").graph, producer_name="v2"), model)
    second = timed_model(model, "piper", cache=tmp_path / "cache")
    assert second != first and [p.name for p in (tmp_path / "cache").glob("*.onnx")] == [Path(second).name]


def test_the_real_voices_time_every_word_in_order_inside_their_audio(hibari_engine, piper_engine):
    text = "The council voted on Tuesday to reopen the old bridge in the spring."
    for engine in (hibari_engine, piper_engine):
        speech = engine.speak(text)
        seconds = len(speech.pcm) / 2 / speech.sample_rate_hz
        assert [w.text for w in speech.words] == text.split()
        starts = np.array([w.start_s for w in speech.words])
        assert np.all(np.diff(starts) > 0) and all(w.end_s > w.start_s for w in speech.words)
        # The first word begins within the lead-in, the last ends before the audio does.
        assert 0.0 <= starts[0] < 0.4 and seconds - 0.6 < speech.words[-1].end_s <= seconds + 0.001
