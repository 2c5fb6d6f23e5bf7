"""How much faster does --pace make each voice read, and how much shorter an episode?

For each offline voice (heart: hibari; joe: Piper) and each pace:

1. sentences: the voice speaks N sentences of the BBC dev articles (normalized as a
   briefing reads them); their total time against pace 1.0's gives the pace heard
   (1.0's time over this one's);
2. episode: `build_briefing` makes an episode of the examples at that pace (the same
   script at every pace: the script is planned at the voices' own pace), and the table
   gives its length and how much shorter it is than at 1.0, as a share of 1.0's speech
   time (the sum of its cues), which the issue asks to be 12-22% at 1.2.

--sweep instead prints each engine's own curve: the sentences' total time at each value
of hibari's `speed` or Piper's `length_scale` (what the tables in speech/hibari.py and
speech/piper.py that map a pace to them were read from). Speech times are deterministic
for heart; Piper draws fresh noise on every call, so joe's move by a percent or so.

Usage: python bench/pace.py [--voices heart,joe] [--paces 0.8,0.9,1.0,1.1,1.2,1.3] [--sentences 54] [--sweep] [--quick]
"""
from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from _common import ROOT, BenchParser, dev_article_paths

EXTRA = None
EXAMPLES = ROOT / "examples" / "articles"


def sentences(count: int) -> list[str]:
    """Up to six sentences from every sixth dev article, as a briefing would give them to the voice."""
    from briefing.plan.sentences import split_sentences
    from briefing.speech.normalize import normalize_for_speech

    texts: list[str] = []
    for path in dev_article_paths()[::6]:
        body = path.read_text(encoding="utf-8").split("\n", 1)[1]
        texts += [normalize_for_speech(s) for s in split_sentences(body) if 30 < len(s) < 300][:6]
    return texts[:count]


def speech_ms(voice_name: str, pace: float, texts: Sequence[str]) -> int:
    from briefing.speech import load_engine
    from briefing.voices import find_voice, with_pace

    engine = load_engine(with_pace(find_voice(voice_name), pace))
    return sum(engine.speak(text).duration_ms for text in texts)


def episode(voice_name: str, pace: float, folder: Path, minutes: float) -> tuple[float, float]:
    """(episode length, speech time) in seconds of the examples' episode at `pace`."""
    from briefing.run.pipeline import BriefingRequest, build_briefing

    request = BriefingRequest(sources=(str(EXAMPLES),), output_dir=folder / f"{voice_name}-{pace}",
                              day=date(2026, 11, 24), voice=voice_name, minutes=minutes, pace=pace, publish=False,
                              workers=1)
    made = build_briefing(request).episode
    return made.duration_s, sum(cue.end_s - cue.start_s for cue in made.cues)


def sweep(voice_name: str, texts: Sequence[str]) -> None:
    """The engine's own curve: total time at each value of its pace parameter."""
    from briefing.speech import load_engine
    from briefing.voices import find_voice

    engine = load_engine(find_voice(voice_name))
    key = "speed" if hasattr(engine.settings, "speed") else "length_scale"  # type: ignore[attr-defined]
    values = [round(0.74 + 0.02 * i, 2) for i in range(30)] if key == "speed" else \
        [round(0.6 + 0.05 * i, 2) for i in range(20)]
    base = getattr(engine.settings, key)  # type: ignore[attr-defined]
    rows = []
    for value in values:
        engine.settings = replace(engine.settings, **{key: value})  # type: ignore[attr-defined]
        rows.append((value, sum(engine.speak(text).duration_ms for text in texts)))
    reference = dict(rows).get(base) or rows[0][1]
    print(f"\n{voice_name}: {key} -> total time of {len(texts)} sentences (relative to {key} {base})")
    for value, total in rows:
        print(f"  {value:5.2f}  {total / 1000:7.1f} s  {total / reference:6.3f}")


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    texts = sentences(args.sentences)
    voices = [v for v in args.voices.split(",") if v]
    if args.sweep:
        for voice in voices:
            sweep(voice, texts)
        return
    paces = sorted({1.0, *(float(p) for p in args.paces.split(",") if p)})
    print(f"{len(texts)} sentences ({sum(map(len, texts))} characters); episodes of {EXAMPLES.name}, "
          f"--minutes {args.minutes:g}")
    print("| voice | pace | sentences s | pace heard | episode | speech s | shorter than 1.0, % of its speech |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="briefing-pace-") as folder:
        for voice in voices:
            timed = {pace: speech_ms(voice, pace, texts) for pace in paces}
            made = {pace: episode(voice, pace, Path(folder), args.minutes) for pace in paces}
            length_1, speech_1 = made[1.0]
            for pace in paces:
                length, speech = made[pace]
                minutes, seconds = divmod(round(length), 60)
                print(f"| {voice} | {pace:g} | {timed[pace] / 1000:.1f} | {timed[1.0] / timed[pace]:.3f} | "
                      f"{minutes}:{seconds:02d} | {speech:.1f} | {100 * (length_1 - length) / speech_1:+.1f} |")


def parser() -> BenchParser:
    parser = BenchParser(__doc__, quick=["--voices", "heart", "--paces", "1.2", "--sentences", "3", "--minutes", "1"],
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voices", default="heart,joe", help="offline voices, comma-separated")
    parser.add_argument("--paces", default="0.8,0.9,1.0,1.1,1.2,1.3", help="paces to measure, comma-separated")
    parser.add_argument("--sentences", type=int, default=54, help="dev sentences to time")
    parser.add_argument("--minutes", type=float, default=3.0, help="the episodes' --minutes")
    parser.add_argument("--sweep", action="store_true", help="print each engine's own speed curve instead")
    return parser


if __name__ == "__main__":
    main()
