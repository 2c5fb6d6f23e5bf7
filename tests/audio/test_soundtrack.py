"""What surrounds the speech: the chime stays the default where no intro or outro is given,
--no-sting turns only the chime off, a transition goes only between stories."""
from __future__ import annotations

import numpy as np
import pytest

from briefing.audio.bed import FADE_OUT_MS
from briefing.audio.dynamics import block_power
from briefing.audio.music import Levels, Music, ShowMusic, Sound
from briefing.audio.soundtrack import STING_GAP_MS, Soundtrack, make_sting

RATE = 24000


def music(seconds: float) -> Music:
    audio = (0.1 * np.sin(2 * np.pi * 500 * np.arange(int(seconds * RATE)) / RATE)).astype(np.float32)
    return Music(audio, Levels(block_power(audio, RATE), 0.1))


def track(*, sting: bool = True, **roles: Music) -> Soundtrack:
    show = ShowMusic(Sound(intro_overlap_s=1.0), RATE, dict(roles)) if roles else None
    return Soundtrack(RATE, sting=sting, music=show, ceiling=0.5)


CHIME_FRAMES = len(make_sting(RATE))


def frames(pieces) -> list[int]:
    return [piece.frames for piece in pieces]


def test_without_music_the_chime_opens_and_closes_and_no_sting_turns_it_off():
    assert frames(track().opening()) == [CHIME_FRAMES, RATE * STING_GAP_MS // 1000]
    assert frames(track().closing()) == [RATE * STING_GAP_MS // 1000, CHIME_FRAMES, RATE * 400 // 1000]
    assert track(sting=False).opening() == []
    assert frames(track(sting=False).closing()) == [RATE * 400 // 1000]


@pytest.mark.parametrize("sting", [True, False])
def test_an_intro_replaces_only_the_opening_chime_and_an_outro_only_the_closing_one(sting):
    with_intro = track(sting=sting, intro=music(4.0))
    assert frames(with_intro.opening()) == [3 * RATE]  # the last second sounds on under the greeting
    assert CHIME_FRAMES in frames(with_intro.closing()) if sting else CHIME_FRAMES not in frames(with_intro.closing())
    with_outro = track(sting=sting, outro=music(3.0))
    assert frames(with_outro.opening()) == ([CHIME_FRAMES, RATE * STING_GAP_MS // 1000] if sting else [])
    assert 3 * RATE in frames(with_outro.closing())


def test_a_transition_takes_the_place_of_the_pause_between_stories_only():
    between = track(transition=music(0.8))
    assert frames(between.pause(1300, between_stories=True)) == [RATE * 16 // 10]  # 0.4 s, the sting, 0.4 s
    assert frames(between.pause(450, between_stories=False)) == [RATE * 450 // 1000]


def test_after_the_sign_off_there_is_time_for_the_bed_to_fade_out():
    closing = track(sting=False, bed=music(5.0)).closing()
    assert sum(frames(closing)) >= RATE * FADE_OUT_MS // 1000
