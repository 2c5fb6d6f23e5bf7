"""The sound around the speech: what opens and closes an episode, what fills its pauses,
and the music laid under it.

mix.py streams an episode as pieces in order: the opening, each spoken segment and
the pause after it, the closing. This module makes every piece that is not speech,
and lays the show's music over all of them. Without music files it is as it always
was: a generated chime opens and closes the episode (none with --no-sting) and
pauses are silence. With them, the intro opens (the greeting starts over its last
`intro_overlap` seconds), a transition plays in each pause between stories, the outro
follows the sign-off, and the bed runs from the greeting to the end, ducked under
speech (bed.py). Each piece carries its 100 ms block powers and a bound on its peak,
so the episode's loudness is computed and its peak held without measuring the mix;
the rare piece whose bound passes the ceiling is measured and limited on its own.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .bed import FADE_OUT_MS, Bed
from .dynamics import BLOCK_S, K_OFFSET_DB, SEGMENT_LUFS, block_power, hold_true_peak, integrated_lufs, true_peak
from .music import Music, ShowMusic

STING_GAP_MS = 500
STING_NOTE_MS, STING_STEP_MS = 420, 180
STING_VOLUMES_DBFS = (-15.0, -27.0)
"""The chime's tone and its octave overtone: the chime sits about 0.5 LU under the speech
(SEGMENT_LUFS), as a signature, not an alarm."""
TAIL_SILENCE_MS = 400
TRANSITION_LEAD_MS = 400
"""Silence before a transition: more than a story clip's tail (AssemblyOptions.clip_tail_ms),
so that no clip catches the start of the next sting."""
TRANSITION_TRAIL_MS = 400


def make_sting(frame_rate: int, *, rising: bool = True) -> np.ndarray:
    """A soft two-note chime (a fifth apart), generated so we ship no audio files; float
    samples, full scale 1.0."""
    notes = (523.25, 783.99) if rising else (783.99, 523.25)
    note, step = frame_rate * STING_NOTE_MS // 1000, frame_rate * STING_STEP_MS // 1000
    fade_in, fade_out = frame_rate * 15 // 1000, frame_rate * 380 // 1000
    envelope = np.ones(note)
    envelope[:fade_in] = np.linspace(0.0, 1.0, fade_in, endpoint=False)
    envelope[note - fade_out:] *= np.linspace(1.0, 0.0, fade_out)
    t = np.arange(note) / frame_rate
    tone, overtone = (10 ** (volume / 20) for volume in STING_VOLUMES_DBFS)
    chime = np.zeros(step * (len(notes) - 1) + note)
    for i, frequency in enumerate(notes):
        sound = tone * np.sin(2 * np.pi * frequency * t) + overtone * np.sin(4 * np.pi * frequency * t)
        chime[i * step: i * step + note] += sound * envelope
    return chime.astype(np.float32)


def pcm16(audio: np.ndarray) -> bytes:
    return (np.clip(audio, -1.0, 1.0) * 32767.0).round().astype("<i2").tobytes()


def as_float(pcm: bytes) -> np.ndarray:
    """16-bit PCM as float samples that pcm16 turns back into the same bytes."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / np.float32(32767.0)


@dataclass(frozen=True)
class Piece:
    """A stretch of the episode, in order."""

    pcm: bytes | None
    """16-bit mono at the mix's rate; None in a forecast, which wants only the loudness."""
    frames: int
    power: np.ndarray
    """K-weighted power of each 100 ms (dynamics.block_power)."""
    peak: float
    """Its true peak, or a bound on it."""
    kind: str
    """opening, speech, pause or closing: what the bed does under it."""


def silence(rate: int, ms: int, kind: str, *, audio: bool = True) -> Piece:
    count = rate * ms // 1000
    return Piece(bytes(2 * count) if audio else None, count, np.zeros(round(ms / 100)), 0.0, kind)


def music_piece(samples: np.ndarray, power: np.ndarray, peak: float, kind: str, *, audio: bool = True) -> Piece:
    return Piece(pcm16(samples) if audio else None, len(samples), power, peak, kind)


class Soundtrack:
    """The pieces around the speech of one pass over an episode, and the music under them.
    `audio=False` makes a forecast: the same pieces with their loudness but no samples."""

    def __init__(self, rate: int, *, sting: bool, music: ShowMusic | None, ceiling: float, audio: bool = True):
        self.rate, self.sting, self.music, self.ceiling, self.audio = rate, sting, music, ceiling, audio
        self.block = round(rate * BLOCK_S)
        bed = music.get("bed") if music else None
        self.bed = Bed(bed, rate, level_db=music.sound.bed_level_db, duck_db=music.sound.bed_duck_db) \
            if bed and music else None
        self._carry: Music | None = None
        """Music still sounding from an earlier piece (the intro's tail under the greeting)."""
        self._speaking = False

    def _get(self, role: str) -> Music | None:
        return self.music.get(role) if self.music else None

    def _chime(self, *, rising: bool, kind: str) -> Piece:
        chime = make_sting(self.rate, rising=rising)
        return music_piece(chime, block_power(chime, self.rate), float(np.max(np.abs(chime))), kind, audio=self.audio)

    def opening(self) -> list[Piece]:
        """The intro's head (its tail sounds on under the greeting), or the chime and a pause."""
        intro = self._get("intro")
        if intro is None or self.music is None:
            return [self._chime(rising=True, kind="opening"), silence(self.rate, STING_GAP_MS, "opening",
                                                                      audio=self.audio)] if self.sting else []
        overlap = min(round(self.music.sound.intro_overlap_s / BLOCK_S) * self.block, len(intro.audio))
        head = len(intro.audio) - overlap
        blocks = head // self.block
        if overlap:
            self._carry = Music(intro.audio[head:], replace(intro.levels, block_power=intro.levels.block_power[blocks:]))
        return [music_piece(intro.audio[:head], intro.levels.block_power[:blocks], intro.levels.peak, "opening",
                            audio=self.audio)] if head else []

    def pause(self, ms: int, *, between_stories: bool) -> list[Piece]:
        """The pause after a segment: silence, or the transition between stories."""
        transition = self._get("transition") if between_stories else None
        if transition is None:
            return [silence(self.rate, ms, "pause", audio=self.audio)] if ms else []
        lead, trail = (self.rate * gap_ms // 1000 for gap_ms in (TRANSITION_LEAD_MS, TRANSITION_TRAIL_MS))
        samples = np.concatenate((np.zeros(lead, np.float32), transition.audio, np.zeros(trail, np.float32)))
        power = np.concatenate((np.zeros(lead // self.block), transition.levels.block_power,
                                np.zeros(-(-trail // self.block))))
        return [music_piece(samples, power, transition.levels.peak, "pause", audio=self.audio)]

    def closing(self) -> list[Piece]:
        """After the sign-off: the outro or the chime, then silence (long enough for the bed to fade)."""
        outro = self._get("outro")
        pieces = [silence(self.rate, STING_GAP_MS, "closing", audio=self.audio)] if outro or self.sting else []
        if outro is not None:
            pieces.append(music_piece(outro.audio, outro.levels.block_power, outro.levels.peak, "closing",
                                      audio=self.audio))
        elif self.sting:
            pieces.append(self._chime(rising=False, kind="closing"))
        tail_ms = TAIL_SILENCE_MS
        if self.bed is not None:
            tail_ms = max(tail_ms, FADE_OUT_MS - sum(p.frames for p in pieces) * 1000 // self.rate)
        return [*pieces, silence(self.rate, tail_ms, "closing", audio=self.audio)]

    def mixed(self, piece: Piece) -> Piece:
        """`piece` with the music that sounds under it: the intro's tail, the bed."""
        if self.music is None:
            return piece
        self._speaking = self._speaking or piece.kind == "speech"
        frames, blocks = piece.frames, -(-piece.frames // self.block)
        power = np.zeros(blocks)
        power[: min(blocks, len(piece.power))] = piece.power[:blocks]
        audio = as_float(piece.pcm) if piece.pcm is not None else None
        peak = piece.peak
        if self._carry is not None and piece.kind != "opening":  # after the intro's head
            peak += self._carried(frames, audio, power)
        if self.bed is not None and self._speaking:
            samples, bed_power, bed_peak = self.bed.under(frames, piece.kind, audio=audio is not None)
            if audio is not None and samples is not None:
                audio += samples
            power += bed_power
            peak += bed_peak
        if audio is None:
            return replace(piece, power=power, peak=peak)
        if peak > self.ceiling:  # the bound passes the ceiling: this piece is measured
            peak = true_peak(audio)
            if peak > self.ceiling:
                audio, _, peak = hold_true_peak(audio, self.ceiling, self.rate)
                power = block_power(audio, self.rate)  # the loudness the limiter took counts
        return Piece(pcm16(audio), frames, power, peak, piece.kind)

    def _carried(self, frames: int, audio: np.ndarray | None, power: np.ndarray) -> float:
        """Add the music still sounding (the intro's tail) to a piece's samples and block powers
        (the tail starts on a block, as the piece does); what is left sounds on under the next
        piece. Its peak, for the piece's bound."""
        assert self._carry is not None
        carry, self._carry = self._carry, None
        used = min(frames, len(carry.audio))
        if audio is not None:
            audio[:used] += carry.audio[:used]
        added = carry.levels.block_power[: len(power)]
        power[: len(added)] += added
        if used < len(carry.audio):
            self._carry = Music(carry.audio[used:], replace(carry.levels, block_power=carry.levels.block_power[len(power):]))
        return carry.levels.peak


def music_shift_lu(lengths: Sequence[int], soundtrack: Callable[[bool], Soundtrack],
                   program: Callable[[Soundtrack, Callable[[int], Piece]], Iterable[Piece]]) -> float:
    """How much louder the show's music makes an episode than the chime would (negative:
    quieter), from a forecast: the episode laid out twice by `program`, with and without
    music, each segment at SEGMENT_LUFS for its estimated length in frames (`lengths`)."""
    segment_power = 10 ** ((SEGMENT_LUFS - K_OFFSET_DB) / 10)
    loudness = []
    for music in (False, True):
        track = soundtrack(music)
        block = round(track.rate * BLOCK_S)
        pieces = [Piece(None, frames, np.full(-(-frames // block), segment_power), 0.0, "speech") for frames in lengths]
        power = [track.mixed(piece).power for piece in program(track, pieces.__getitem__)]
        loudness.append(integrated_lufs(np.concatenate(power)) or SEGMENT_LUFS)
    return loudness[1] - loudness[0]

