"""A show's music files: read in any format, trimmed, faded, levelled beside the speech,
looped without a seam, prepared once and cached by their bytes; the bed's gain."""
from __future__ import annotations

import numpy as np
import pytest

import briefing.audio.music as music_module
from briefing.audio.bed import FADE_IN_MS, Bed
from briefing.audio.dynamics import SEGMENT_LUFS, block_power, integrated_lufs, true_peak
from briefing.audio.music import MusicError, Sound, looped, prepare_music, short_term_max_lufs
from tests.conftest import sweep, write_audio

RATE = 24000


def test_every_format_is_read_at_the_mixs_rate_and_set_just_under_the_speech(tmp_path, show_music):
    """MP3 (44.1 kHz stereo), Ogg Vorbis (48 kHz), WAV (22.05 kHz), M4A/AAC, and FLAC."""
    flac = write_audio(tmp_path / "x.flac", sweep(2.0, 32000, 400, 800), 32000)
    sound = Sound(intro=show_music.intro, bed=show_music.bed, outro=show_music.outro,
                  transition=show_music.transition)
    prepared = prepare_music(sound, RATE, tmp_path / "cache")
    lengths = {role: len(m.audio) / RATE for role, m in prepared.tracks.items()}
    assert lengths["intro"] == pytest.approx(4.0, abs=0.01) and lengths["outro"] == pytest.approx(3.0, abs=0.01)
    assert lengths["transition"] == pytest.approx(0.8, abs=0.11)  # whole 100 ms blocks
    for role in ("intro", "outro"):
        assert short_term_max_lufs(block_power(prepared.tracks[role].audio, RATE)) == \
            pytest.approx(SEGMENT_LUFS - 1.0, abs=0.1)  # never louder than the voice
    assert integrated_lufs(block_power(prepared.tracks["bed"].audio, RATE)) == pytest.approx(SEGMENT_LUFS, abs=0.2)
    for track in prepared.tracks.values():
        assert true_peak(track.audio) <= track.levels.peak + 1e-3 <= 10 ** ((SEGMENT_LUFS + 11.0) / 20) * 1.01
    sting = prepare_music(Sound(transition=flac), RATE, tmp_path / "cache").tracks["transition"]
    assert len(sting.audio) / RATE == pytest.approx(2.0, abs=0.11)


def test_the_intro_fades_under_the_greeting(tmp_path, show_music):
    intro = prepare_music(Sound(intro=show_music.intro, intro_overlap_s=2.0), RATE, tmp_path).tracks["intro"].audio
    level = [float(np.sqrt(np.mean(intro[i:i + RATE // 10] ** 2))) for i in range(0, len(intro), RATE // 10)]
    assert level[-1] < 0.1 * level[15]  # the last 2 s fade out
    flat = prepare_music(Sound(intro=show_music.intro, intro_overlap_s=0.0), RATE, tmp_path).tracks["intro"].audio
    assert np.sqrt(np.mean(flat[-RATE // 5:-RATE // 10] ** 2)) > 0.5 * level[15]  # 0: played to its end


def test_silent_ends_are_trimmed(tmp_path):
    padded = np.concatenate((np.zeros(RATE), sweep(2.0, RATE, 300, 600), np.zeros(RATE)))
    path = write_audio(tmp_path / "padded.wav", padded, RATE)
    intro = prepare_music(Sound(intro=path, intro_overlap_s=0), RATE, tmp_path / "cache").tracks["intro"].audio
    assert len(intro) / RATE == pytest.approx(2.0, abs=0.11)
    assert np.abs(intro[: RATE // 50]).max() > 0  # the music starts at once


def test_each_file_is_prepared_once_and_again_when_its_bytes_change(tmp_path, show_music, monkeypatch):
    bed = tmp_path / "bed.ogg"
    bed.write_bytes(show_music.bed.read_bytes())
    first = prepare_music(Sound(bed=bed), RATE, tmp_path / "cache")
    monkeypatch.setattr(music_module, "_read", lambda role, path: pytest.fail("read again"))
    again = prepare_music(Sound(bed=bed), RATE, tmp_path / "cache")
    assert np.array_equal(first.tracks["bed"].audio, again.tracks["bed"].audio)
    monkeypatch.undo()
    bed.write_bytes(show_music.bed.read_bytes() + b"\0")
    prepare_music(Sound(bed=bed), RATE, tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("bed-*.wav"))) == 2


def test_a_bad_file_among_good_ones_writes_nothing(tmp_path, show_music):
    (tmp_path / "notes.mp3").write_text("not music", encoding="utf-8")
    with pytest.raises(MusicError, match=r"^outro file .*notes.mp3 cannot be read as audio"):
        prepare_music(Sound(intro=show_music.intro, outro=tmp_path / "notes.mp3"), RATE, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_an_over_long_transition_and_a_short_bed_are_refused(tmp_path):
    long = write_audio(tmp_path / "long.wav", sweep(12.0, 8000, 300, 600), 8000)
    with pytest.raises(MusicError, match=r"lasts over 10 s; a transition may last 10 s at most: trim it.$"):
        prepare_music(Sound(transition=long), RATE, tmp_path / "cache")
    short = write_audio(tmp_path / "short.wav", sweep(2.0, 8000, 300, 600), 8000)
    with pytest.raises(MusicError, match=r"lasts 2.0 s, too short to loop; give at least 3 s of music.$"):
        prepare_music(Sound(bed=short), RATE, tmp_path / "cache")


def test_the_loop_point_matches_its_end_to_its_start():
    """A steady tone whose length is no whole number of cycles: cut blindly, its crossfade
    would cancel itself; cut where it matches, it plays on at one level, sample by sample."""
    tone = 0.3 * np.sin(2 * np.pi * 1010 * np.arange(int(4.123 * RATE)) / RATE).astype(np.float32)
    loop = looped(tone, RATE)
    twice = np.concatenate((loop, loop))
    level = [float(np.sqrt(np.mean(twice[i:i + 480] ** 2))) for i in range(0, len(twice) - 480, 480)]
    assert max(level) / min(level) < 10 ** (0.2 / 20)
    steps = np.abs(np.diff(twice))
    assert steps[len(loop) - 3: len(loop) + 3].max() <= steps.max() * 1.01  # no jump where it turns


def test_the_bed_is_down_under_speech_up_in_a_long_pause_and_never_jumps():
    loop = np.full(RATE, 0.1, dtype=np.float32)
    levels = music_module.Levels(block_power(loop, RATE), 0.1)
    bed = Bed(music_module.Music(loop, levels), RATE, level_db=-10.0, duck_db=12.0)
    gains = [bed.under(RATE * 2, "speech")[0], bed.under(RATE * 13 // 10, "pause")[0],
             bed.under(RATE // 2, "pause")[0], bed.under(RATE, "speech")[0]]
    curve = np.concatenate(gains) / 0.1
    down, up = 10 ** (-22 / 20), 10 ** (-10 / 20)
    assert curve[RATE * FADE_IN_MS // 1000: RATE * 2] == pytest.approx(down, rel=1e-4)  # faded in, then steady
    rise = gains[1] / 0.1
    assert rise.max() == pytest.approx(up, rel=1e-3)  # up between stories
    assert rise[-1] == pytest.approx(down, rel=0.01)  # down again by the next word
    assert gains[2] / 0.1 == pytest.approx(down, rel=1e-4)  # a sentence's pause: no pumping
    assert np.abs(np.diff(20 * np.log10(curve[RATE:]))).max() < 0.01  # no step: smooth in dB


def test_the_beds_computed_loudness_is_what_it_plays():
    loop = (0.2 * np.sin(2 * np.pi * 440 * np.arange(RATE * 3) / RATE)).astype(np.float32)
    levels = music_module.Levels(block_power(loop, RATE), 0.2)
    bed = Bed(music_module.Music(loop, levels), RATE, level_db=-10.0, duck_db=12.0)
    pieces = [bed.under(RATE * 3, "speech"), bed.under(RATE * 13 // 10, "pause"), bed.under(RATE * 2, "speech")]
    played = np.concatenate([samples for samples, _, _ in pieces])
    computed = np.concatenate([power for _, power, _ in pieces])
    assert integrated_lufs(computed) == pytest.approx(integrated_lufs(block_power(played, RATE)), abs=0.1)
