"""The hibari engine: real audio from the bundled voice, same text same samples,
and a voice that is not installed is one line, without touching the network."""
from __future__ import annotations

import re
import socket
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from briefing.errors import VoiceUnavailable
from briefing.speech import load_engine, voice_problem
from briefing.speech.hibari import HibariEngine, trim_silence


def samples(speech) -> np.ndarray:
    return np.frombuffer(speech.pcm, dtype="<i2")


def test_hibari_speaks_real_audio_at_24_khz(hibari_engine):
    speech = hibari_engine.speak("The bridge reopened on Monday.")
    audio = samples(speech)
    assert speech.sample_rate_hz == 24000
    # Real speech: about 1.5-2.5 s for these 30 characters, and far from silent.
    assert 1200 <= speech.duration_ms <= 2600
    assert np.abs(audio).max() > 3000
    assert np.sqrt(np.mean(audio.astype(float) ** 2)) > 300


def test_same_text_gives_identical_samples(hibari_engine):
    first = hibari_engine.speak("Prices rose by two percent.")
    second = hibari_engine.speak("Prices rose by two percent.")
    assert first.pcm == second.pcm


def test_sentences_are_trimmed_and_separated_by_a_short_pause(hibari_engine):
    one = hibari_engine.speak("The bridge reopened.")
    two = hibari_engine.speak("The bridge reopened. The bridge reopened.")
    gap_ms = two.duration_ms - 2 * one.duration_ms
    assert gap_ms == pytest.approx(hibari_engine.settings.sentence_silence_ms, abs=30)
    # hibari's own ~0.3 s lead-in is cut to LEAD_MS.
    lead = np.flatnonzero(np.abs(samples(one)) > 0.005 * 32767)[0]
    assert lead <= 0.06 * one.sample_rate_hz


def test_trim_silence_keeps_a_little_air_around_the_speech():
    rate = 1000
    audio = np.concatenate([np.zeros(500), np.full(100, 0.5), np.zeros(500)]).astype(np.float32)
    trimmed = trim_silence(audio, rate)
    assert len(trimmed) == 50 + 100 + 200
    assert len(trim_silence(np.zeros(10, np.float32), rate)) == 0


def test_threads_set_onnx_intra_op_threads(heart):
    engine = HibariEngine.load(heart, threads=2)
    assert engine.tts.sess.get_session_options().intra_op_num_threads == 2


@pytest.fixture
def no_network(monkeypatch, tmp_path):
    """Any connection attempt fails the test; hibari's voice cache is an empty folder."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"tried to connect: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setenv("HIBARI_HOME", str(tmp_path / "hibari-cache"))


def test_voice_not_installed_is_one_line_and_never_downloads(heart, no_network):
    emma = replace(heart, name="emma", settings=tuple(sorted({**dict(heart.settings), "voice": "emma"}.items())))
    with pytest.raises(VoiceUnavailable) as caught:
        load_engine(emma)
    message = str(caught.value)
    assert message.startswith("Voice 'emma': hibari voice 'emma' is not installed")
    assert message.endswith("briefing never downloads voices; use --voice heart, which ships with hibari.")
    assert "\n" not in message
    assert voice_problem(emma) == message


def test_unknown_hibari_voice_names_the_ones_it_has(heart, no_network):
    nobody = replace(heart, settings=tuple(sorted({**dict(heart.settings), "voice": "nobody"}.items())))
    assert voice_problem(nobody) == ("Voice 'heart' names hibari voice 'nobody', which hibari does not have; "
                                     "use one of: heart, emma, fenrir, fable, kore.")


def test_bundled_heart_loads_with_the_network_refused(heart, no_network):
    assert voice_problem(heart) is None
    assert len(load_engine(heart).speak("Hello.").pcm) > 0


def test_a_hibari_episode_is_the_usual_44_1_khz_mono_mp3(tmp_path, hibari_engine):
    import subprocess
    from datetime import date

    from briefing.audio.ffmpeg import ffmpeg_exe
    from briefing.run.pipeline import BriefingRequest, build_briefing

    article = Path(__file__).resolve().parents[2] / "examples" / "articles" / "04-space-telescope.txt"
    request = BriefingRequest(sources=(str(article),), output_dir=tmp_path,
                              day=date(2026, 11, 24), minutes=0.5, publish=False)
    result = build_briefing(request, engine=hibari_engine)
    assert result.episode.voice == "heart"
    mp3 = result.episode.audio_path
    info = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", mp3], capture_output=True, text=True).stderr
    assert re.search(r"Audio: mp3\b.*, 44100 Hz, mono, .*, 96 kb/s", info), info
    decoded = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", mp3, "-f", "s16le", "-ac", "1", "-ar", "44100", "-"],
                             capture_output=True, check=True)
    assert decoded.stderr == b""
    assert abs(len(decoded.stdout) / 2 / 44100 - result.episode.duration_s) < 0.1


def test_worker_processes_give_the_same_samples_as_this_process(tmp_path, heart, hibari_engine):
    from datetime import date

    from briefing.audio.synthesize import SynthesisOptions, synthesize
    from briefing.models import Story
    from briefing.plan.script import write_script

    story = Story(headline="Bridge reopens", sentences=("The bridge reopened on Monday.", "It cost $1.2bn."),
                  sources=("BBC",))
    script = write_script([story], date(2026, 11, 24))
    here = synthesize(script, heart, SynthesisOptions(cache_dir=tmp_path / "here"), engine=hibari_engine)
    pooled = synthesize(script, heart, SynthesisOptions(cache_dir=tmp_path / "pool", workers=2,
                                                        parallel_min_segments=1))
    assert not any(clip.cached for clip in pooled)
    assert [Path(c.path).read_bytes() for c in pooled] == [Path(c.path).read_bytes() for c in here]
