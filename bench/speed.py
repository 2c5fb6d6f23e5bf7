"""How fast is a briefing, next to the limit the voice itself sets?

For each offline voice (heart: hibari; joe: Piper) and each input set, in one run
on one machine:

1. the limit: the plain engine in one fresh process reading exactly the text the
   episode speaks (each segment's engine text, lexicon applied) with the voice's
   settings, plus one encode of the result into what an episode is encoded into (the
   podcast MP3 and the smart speakers' rendition) with the episode's encoder settings.
   Plain engine: for heart hibari's own API (`Hibari(...)(text, speed, seed)`, its
   default single thread); for joe `PiperVoice.load` (onnxruntime's default
   threads, all cores) and `synthesize`;
2. `briefing generate --voice V` end to end, cold (empty segment cache and library),
   warm (the same command again: nothing changed, so it is answered from the first
   run's record, run/record.py) and re-planned (the same again with that record removed, as
   a run whose sources have no rerun key would be: it plans the script again only to
   find the identical episode on disk);
3. wall times, cold/limit, warm/cold, seconds per minute of audio, peak memory (RSS
   summed over the whole process tree, sampled every 20 ms), and the per-stage times
   `generate --json` reports (synthesize = until the last segment is spoken; encode =
   what is left after it).
4. the cold MP3's loudness and true peak as ffmpeg's ebur128 reads them (the targets are
   -16 LUFS and at most -1 dBTP), and whether every cold run made the same MP3 bytes
   (each starts from empty caches);
5. with music (unless --no-music): the same cold run with a music bed (`--bed`, 20 s of a
   generated chord as a 44.1 kHz stereo MP3, looped and ducked under the whole episode),
   interleaved with the others, against the cold run without it (the issue's bar: 1.10x),
   and that episode's loudness and true peak.

Each measurement is the best of --repeats, interleaved (limit, cold, warm, then
again), so that noise from other work on the machine hits all three alike. The
load average before and after is printed: measure on a quiet machine.

Usage: python bench/speed.py [--voices heart,joe] [--sizes 5,20,80] [--repeats 3] [--no-music] [--json] [--quick]

Inputs: N articles taken from the BBC dev set in tests/fixtures/bbc-dev plus the
examples; beyond that the set repeats, and repeated articles collapse into one story
each (syndicated copies), which the table shows as fewer stories than articles.
Target length: --minutes-per-story per article (0.5: 20 articles are ~10 minutes).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from _common import ROOT, BenchParser, dev_article_paths, like_a_user

EXTRA = None
EXAMPLES = ROOT / "examples" / "articles"
DAY = "2026-11-24"


def tree_rss_bytes(pid: int) -> int:
    """RSS of a process and all its descendants, from /proc. A child that has not yet
    replaced itself with its program (the moment between fork and exec, when it shows its
    parent's command line and memory) is not counted: its pages are its parent's."""
    total, stack = 0, [(pid, b"")]
    while stack:
        current, parent_command = stack.pop()
        try:
            with open(f"/proc/{current}/cmdline", "rb") as cmdline:
                command = cmdline.read()
            if command != parent_command:
                with open(f"/proc/{current}/status") as status:
                    for line in status:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1]) * 1024
                            break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend((int(child), command) for child in children.read().split())
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


ENCODE = r"""
def encode(wav, mp3, args):
    import subprocess, imageio_ffmpeg
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", wav, *args, mp3], check=True)
"""

HIBARI_LIMIT = ENCODE + r"""
import json, sys
import numpy as np
from hibari import SAMPLE_RATE, Hibari, write_wav
texts, mp3, settings, args = json.load(open(sys.argv[1])), sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
tts = Hibari(voice=settings["voice"], model=settings["model"])
audio = np.concatenate([tts(text, speed=settings["speed"], seed=settings["seed"]) for text in texts])
write_wav(mp3 + ".wav", audio)
encode(mp3 + ".wav", mp3, args)
print(len(audio) / SAMPLE_RATE)
"""

PIPER_LIMIT = ENCODE + r"""
import json, sys, wave
import numpy as np
from piper import PiperVoice, SynthesisConfig
texts, mp3, settings, args = json.load(open(sys.argv[1])), sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
voice = PiperVoice.load(settings["model"], settings["config"])
config = SynthesisConfig(length_scale=settings["length_scale"], noise_scale=settings["noise_scale"],
                         noise_w_scale=settings["noise_w_scale"], normalize_audio=False)
audio = np.concatenate([chunk.audio_int16_array for text in texts for chunk in voice.synthesize(text, config)])
with wave.open(mp3 + ".wav", "wb") as out:
    out.setnchannels(1); out.setsampwidth(2); out.setframerate(voice.config.sample_rate)
    out.writeframes(audio.tobytes())
encode(mp3 + ".wav", mp3, args)
print(len(audio) / voice.config.sample_rate)
"""


def limit_command(voice_name: str, texts_path: Path, mp3: Path) -> list[str]:
    """The plain engine of the voice reading `texts_path`, then one encode of what an episode is encoded
    into: the podcast MP3 and the smart speakers' rendition, as the episode's encoder makes them."""
    from briefing.audio.mix import AssemblyOptions
    from briefing.audio.mp3 import LAME_QUALITY
    from briefing.audio.rendition import rendition_output
    from briefing.voices import find_voice

    voice = find_voice(voice_name)
    options = AssemblyOptions()
    alexa = rendition_output(2.0)  # the episode's second output: the rendition for smart speakers
    encoder = ["-af", f"aresample={alexa.sample_rate_hz},{alexa.filters}", "-c:a", "libmp3lame",
               "-b:a", f"{alexa.bitrate_kbps}k", "-compression_level", str(LAME_QUALITY), "-ac", "1",
               "-ar", str(alexa.sample_rate_hz), str(mp3.with_suffix(".alexa.mp3")),
               "-c:a", "libmp3lame", "-b:a", f"{options.bitrate_kbps}k", "-compression_level", str(LAME_QUALITY),
               "-ac", "1", "-ar", str(options.sample_rate_hz)]
    if voice.engine == "hibari":
        from briefing.speech.hibari import HibariSettings, hibari_model_path

        hibari = HibariSettings.from_voice(voice)
        settings = {"voice": hibari.voice, "model": str(hibari_model_path(voice)), "speed": hibari.speed,
                    "seed": hibari.seed}
        script = HIBARI_LIMIT
    elif voice.engine == "piper":
        from briefing.speech.piper import PiperSettings

        piper = PiperSettings.from_voice(voice)
        settings = {"model": str(piper.model_path), "config": str(piper.config_path),
                    "length_scale": piper.length_scale, "noise_scale": piper.noise_scale,
                    "noise_w_scale": piper.noise_w_scale}
        script = PIPER_LIMIT
    else:
        raise SystemExit(f"{voice_name}: only offline voices (hibari, Piper) have a limit to measure")
    return [sys.executable, "-c", script, str(texts_path), str(mp3), json.dumps(settings), json.dumps(encoder)]


def episode_texts(sources: list[str], voice: str, minutes: float, work: Path) -> list[str]:
    """Exactly the text the engine reads in the episode `generate` makes: the planned
    script's segments, each as speech_jobs hands it to the engine."""
    from briefing.audio.synthesize import speech_jobs
    from briefing.run.pipeline import BriefingRequest, plan_episode

    request = BriefingRequest(sources=tuple(sources), output_dir=work / "plan", day=date.fromisoformat(DAY),
                              voice=voice, minutes=minutes, publish=False)
    planned = plan_episode(request)
    return [job.text for job in speech_jobs(planned.script, planned.voices, work / "plan-cache")]


def input_set(count: int, folder: Path) -> list[str]:
    """`count` article files: the BBC dev set, then the examples, repeating if asked for more."""
    pool = dev_article_paths() + sorted(EXAMPLES.iterdir())
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        source = pool[i % len(pool)]
        target = folder / f"{i:03d}-{source.parent.name}-{source.name}"
        shutil.copyfile(source, target)
        paths.append(str(target))
    return paths


def music_bed(folder: Path) -> Path:
    """20 s of a soft A minor chord with a slow swell and a little noise: music a show might loop."""
    import numpy as np

    from briefing.audio.ffmpeg import ffmpeg_exe

    rate = 44100
    t = np.arange(20 * rate) / rate
    chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 261.63, 329.63, 440.0)) / 4
    swell = 0.7 + 0.3 * np.sin(2 * np.pi * t / 5)
    noise = np.random.default_rng(0).normal(0, 0.02, len(t))
    left, right = 0.5 * chord * swell + noise, 0.5 * chord * swell[::-1] + noise
    pcm = (np.stack([left, right], axis=1) * 32767).astype("<i2").tobytes()
    bed = folder / "bed.mp3"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "s16le", "-ar", str(rate), "-ac", "2", "-i", "pipe:0",
                    "-b:a", "128k", str(bed)], input=pcm, check=True)
    return bed


def measure(voice: str, name: str, sources: list[str], minutes: float, work: Path, repeats: int,
            bed: Path | None = None) -> dict:
    from briefing.run.record import RECORD

    texts = episode_texts(sources, voice, minutes, work)
    texts_path = work / f"{voice}-{name}.json"
    texts_path.write_text(json.dumps(texts))
    limits, colds, warms, replans, with_bed = [], [], [], [], []
    bed_loudness: tuple[float, float] | None = None
    digests: set[str] = set()
    loudness: tuple[float, float] | None = None
    for attempt in range(repeats):
        output = work / f"out-{voice}-{name}-{attempt}"
        command = [sys.executable, "-m", "briefing", "generate", *sources, "-o", str(output),
                   "--minutes", f"{minutes:g}", "--voice", voice, "--date", DAY, "--json"]
        # Its segment cache is <output>/.cache/segments: every cold run starts from an empty one.
        limits.append(run_measured(limit_command(voice, texts_path, work / f"limit-{voice}-{name}.mp3")))
        colds.append(run_measured(command))
        warms.append(run_measured(command))
        (output / RECORD).unlink()
        replans.append(run_measured(command))
        mp3 = next(output.glob("episodes/*/briefing.mp3"))
        digests.add(hashlib.sha256(mp3.read_bytes()).hexdigest())
        loudness = loudness or mp3_loudness(mp3)
        shutil.rmtree(output)
        if bed is not None:
            with_bed.append(run_measured([*command, "--bed", str(bed)]))
            bed_loudness = bed_loudness or mp3_loudness(next(output.glob("episodes/*/briefing.mp3")))
            shutil.rmtree(output)
    limit = min(limits, key=lambda t: t.seconds)
    cold = min(colds, key=lambda t: t.seconds)
    warm = min(warms, key=lambda t: t.seconds)
    replan = min(replans, key=lambda t: t.seconds)
    cold_report, warm_report = json.loads(cold.stdout), json.loads(warm.stdout)
    if cold_report["segments"] != len(texts):
        raise SystemExit(f"{voice} {name}: the limit read {len(texts)} segments, the episode has "
                         f"{cold_report['segments']}")
    audio_s = cold_report["duration_s"]
    return {
        "voice": voice,
        "name": name,
        "articles": len(sources),
        "stories": cold_report["stories"],
        "segments": cold_report["segments"],
        "audio_s": audio_s,
        "limit_s": limit.seconds,
        "limit_audio_s": float(limit.stdout.strip() or 0),
        "cold_s": cold.seconds,
        "warm_s": warm.seconds,
        "replan_s": replan.seconds,
        "cold_over_limit": cold.seconds / limit.seconds,
        "warm_over_cold": warm.seconds / cold.seconds,
        "cold_s_per_audio_min": cold.seconds / (audio_s / 60),
        "peak_rss_mib": max(t.peak_rss_bytes for t in (*colds, *warms, *replans)) / 2**20,
        "limit_peak_rss_mib": max(t.peak_rss_bytes for t in limits) / 2**20,
        "stages_cold": cold_report["timings_s"],
        "stages_warm": warm_report["timings_s"],
        "stages_replan": json.loads(replan.stdout)["timings_s"],
        "warm_synthesized": warm_report["segments_synthesized"],
        "mp3_lufs": loudness[0] if loudness else None,
        "mp3_true_peak_dbtp": loudness[1] if loudness else None,
        "identical_mp3s": len(digests) == 1,
        "all_s": {"limit": [t.seconds for t in limits], "cold": [t.seconds for t in colds],
                  "warm": [t.seconds for t in warms], "replan": [t.seconds for t in replans],
                  "cold_with_bed": [t.seconds for t in with_bed]},
        **({"cold_with_bed_s": min(t.seconds for t in with_bed),
            "bed_over_cold": min(t.seconds for t in with_bed) / cold.seconds,
            "bed_mp3_lufs": bed_loudness[0], "bed_mp3_true_peak_dbtp": bed_loudness[1]}
           if with_bed and bed_loudness else {}),
    }


def mp3_loudness(mp3: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of the MP3 as ffmpeg's ebur128 filter reads it."""
    import re

    from briefing.audio.ffmpeg import ffmpeg_exe

    report = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(mp3), "-af", "ebur128=peak=true",
                             "-f", "null", "-"], capture_output=True, text=True).stderr
    summary = report[report.rindex("Summary:"):]
    lufs = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not lufs or not peak:
        raise SystemExit(f"could not read ebur128's summary for {mp3}")
    return float(lufs.group(1)), float(peak.group(1))


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def print_table(rows: list[dict], repeats: int, load_before: str, load_after: str) -> None:
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; best of {repeats}; "
          f"load average before {load_before}, after {load_after}")
    header = ("voice", "input", "stories", "audio", "limit s", "cold s", "warm s", "re-plan s", "cold/limit",
              "warm/cold",
              "cold s/audio min", "peak MiB", "MP3 LUFS", "MP3 dBTP", "same bytes")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for r in rows:
        minutes, seconds = divmod(round(r["audio_s"]), 60)
        print(f"| {r['voice']} | {r['name']} | {r['stories']} | {minutes}:{seconds:02d} | {r['limit_s']:.1f} | "
              f"{r['cold_s']:.1f} | {r['warm_s']:.2f} | {r['replan_s']:.2f} | {r['cold_over_limit']:.2f} | "
              f"{r['warm_over_cold']:.3f} | "
              f"{r['cold_s_per_audio_min']:.2f} | {r['peak_rss_mib']:.0f} | {r['mp3_lufs']:.1f} | "
              f"{r['mp3_true_peak_dbtp']:.1f} | {'yes' if r['identical_mp3s'] else 'no'} |")
    music = [r for r in rows if "cold_with_bed_s" in r]
    if music:
        print()
        print("with a music bed (--bed, looped and ducked under the whole episode), best cold runs:")
        print("| voice | input | cold s | cold with bed s | with bed / without | MP3 LUFS | MP3 dBTP |")
        print("|---|---|---|---|---|---|---|")
        for r in music:
            print(f"| {r['voice']} | {r['name']} | {r['cold_s']:.1f} | {r['cold_with_bed_s']:.1f} | "
                  f"{r['bed_over_cold']:.2f} | {r['bed_mp3_lufs']:.1f} | {r['bed_mp3_true_peak_dbtp']:.1f} |")
    print()
    print("per-stage seconds of the best cold run (re-planned):")
    for r in rows:
        parts = ", ".join(f"{stage} {r['stages_cold'][stage]:.2f} ({r['stages_replan'].get(stage, 0):.2f})"
                          for stage in r["stages_cold"])
        print(f"  {r['voice']} {r['name']}: {parts}; start-up and rest "
              f"{r['cold_s'] - sum(r['stages_cold'].values()):.2f}")


def parser() -> BenchParser:
    parser = BenchParser(__doc__, quick=["--sizes", "1", "--repeats", "1"],
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voices", default="heart,joe", help="offline voices to measure, comma-separated")
    parser.add_argument("--sizes", default="5,20,80", help="article counts to measure, comma-separated")
    parser.add_argument("--minutes-per-story", type=float, default=0.5, help="target minutes per article")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs of each")
    parser.add_argument("--no-music", dest="music", action="store_false",
                        help="skip the cold runs with a music bed")
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    like_a_user()
    load_before = load_average()
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefing-speed-") as folder:
        work = Path(folder)
        bed = music_bed(work) if args.music else None
        for size in (int(s) for s in args.sizes.split(",") if s):
            sources = input_set(size, work / f"articles-{size}")
            for voice in args.voices.split(","):
                rows.append(measure(voice, f"{size} articles", sources, round(size * args.minutes_per_story, 1),
                                    work, args.repeats, bed))
    print_table(rows, args.repeats, load_before, load_average())
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
