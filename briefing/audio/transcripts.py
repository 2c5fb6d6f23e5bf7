"""The episode's transcripts: WebVTT timed from the audio's own sample counts, the
Podcasting 2.0 JSON transcript timed word by word, and the plain text spoken.

All are made from what the voices were given, so text and sound agree: a cue
starts at the sample its segment starts at, each word when the voice says it
(speech/timing.py), and `transcript.txt` holds the spoken words and nothing else
(the title lives in the manifest, feed and page).
"""
from __future__ import annotations

import html
import json
from collections.abc import Sequence

from ..models import Cue, Script


def vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def transcript_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT, one cue per spoken segment (a sentence, a transition, the intro), with a
    voice span naming the presenter in a briefing with two (`<v Joe>...`)."""
    lines = ["WEBVTT", ""]
    for number, cue in enumerate(cues, 1):
        # WebVTT cue text is HTML-like: &, < and > must be escaped (and "-->" ends a cue).
        text = html.escape(cue.text.replace("-->", "->"), quote=False)
        if cue.speaker:
            text = f"<v {html.escape(cue.speaker, quote=False)}>{text}</v>"
        lines += [str(number), f"{vtt_time(cue.start_s)} --> {vtt_time(cue.end_s)}", text, ""]
    return "\n".join(lines)


def transcript_text(script: Script) -> str:
    """The words spoken, as written, one paragraph per story (and one for the greeting and the sign-off)."""
    paragraphs: list[list[str]] = [[]]
    current = None
    for segment in script.segments:
        if segment.story_index != current or segment.kind == "outro":
            paragraphs.append([])
            current = segment.story_index
        paragraphs[-1].append(segment.display)
    return "\n\n".join(" ".join(p) for p in paragraphs if p) + "\n"


JSON_TRANSCRIPT_VERSION = "1.0.0"
"""Podcasting 2.0 JSON transcript format (podcast-namespace/transcripts/transcripts.md)."""


def transcript_json(cues: Sequence[Cue], speaker: str | None = None) -> str:
    """The Podcasting 2.0 JSON transcript, one segment per word as written, each with its
    presenter (the cue's, else `speaker`, the one presenter of a solo briefing). The
    bodies of a cue's words, joined by spaces, are its text."""
    segments = []
    for cue in cues:
        for word in cue.words:
            segment: dict[str, object] = {"startTime": word.start_s, "endTime": word.end_s, "body": word.text}
            if cue.speaker or speaker:
                segment = {"speaker": cue.speaker or speaker, **segment}
            segments.append(segment)
    return json.dumps({"version": JSON_TRANSCRIPT_VERSION, "segments": segments}, ensure_ascii=False,
                      separators=(",", ":")) + "\n"
