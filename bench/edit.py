"""How cheap is rendering again after an editor changes one sentence?

The bar (issue 22): with 20 articles and heart, `briefing render` after a one-sentence
edit takes at most 0.15x the first render and synthesizes exactly one segment.

1. `briefing plan` writes the script of N dev articles (not timed in the ratio);
2. the first render: `briefing render script.md -o LIBRARY --json`, cold (empty segment
   cache and library), as a user runs it;
3. one sentence of the second story is changed in the file, as in a text editor, and the
   script is rendered again the same way; repeated --repeats times, each a different
   sentence (a new edit each time, so each re-render has one new line to speak);
4. the same edit render in one process with the engine already loaded, as the studio does
   it (`run.render.render_script(..., engine=...)`), to show what process start and the
   voice's loading cost on top.

Printed: wall times, the ratio (edit render / first render, best of the repeats),
segments synthesized, and the stages each render's --json reports (read, prepare,
synthesize, encode, publish; "start" is the wall time none of them covers: the
interpreter, imports, the voice's loading). The load average before and after is printed:
timings taken while the machine does other work are noisy.

Usage: python bench/edit.py [--articles 20] [--minutes 10] [--voice heart] [--repeats 3] [--json] [--quick]
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from _common import ROOT, BenchParser, dev_article_paths, like_a_user

EXTRA = None
DAY = "2026-11-26"
BAR = 0.15


def parser() -> BenchParser:
    p = BenchParser(__doc__.split("\n\n")[0], quick=["--articles", "4", "--minutes", "1.5", "--repeats", "1"])
    p.add_argument("--articles", type=int, default=20, help="dev articles to plan from (default 20)")
    p.add_argument("--minutes", type=float, default=10.0, help="the script's target length (default 10)")
    p.add_argument("--voice", default="heart", help="voice profile (default heart)")
    p.add_argument("--repeats", type=int, default=3, help="edit renders, each changing another sentence (default 3)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    return p


def briefing(*args: str) -> tuple[float, dict]:
    """Run the command line as a user does; its wall time and its --json record."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "briefing", *args, "--json"], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 3):
        raise SystemExit(f"briefing {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, json.loads(done.stdout)


def edit_sentence(script: Path, nth: int) -> str:
    """Change the nth sentence of the second story (as a text editor would); the new line."""
    lines = script.read_text(encoding="utf-8").splitlines()
    second = [i for i, line in enumerate(lines) if line.startswith("## ")][1]
    sentences = [i for i in range(second + 1, len(lines)) if lines[i] and not lines[i].startswith(
        ("//", "#", "[", "from:", "read by:", "update of:"))]
    index = sentences[nth % len(sentences)]
    lines[index] = f"{lines[index].rstrip('.')}, the editor added (edit {nth + 1})."
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines[index]


def stages(record: dict, wall_s: float) -> dict[str, float]:
    timed = {k: round(v, 3) for k, v in record["timings_s"].items()}
    return {"start": round(wall_s - sum(timed.values()), 3), **timed}


def in_process_edit(script: Path, library: Path, voice: str, nth: int) -> tuple[float, int, dict]:
    """An edit render as the studio does it: this process, the engine loaded before."""
    from briefing.plan.script_file import read_script_file
    from briefing.run.render import RenderRequest, render_script
    from briefing.speech import load_engine
    from briefing.voices import find_voice

    engine = load_engine(find_voice(voice))
    engine.speak("Hello.")  # as the studio warms its engine up when it starts
    edit_sentence(script, nth)
    started = time.perf_counter()
    result = render_script(read_script_file(script), RenderRequest(output_dir=library, script_path=script),
                           engine=engine)
    return time.perf_counter() - started, result.segments_synthesized, result.stage_seconds


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    like_a_user()
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-edit-"))
    try:
        sources = [str(p) for p in dev_article_paths()[: args.articles]]
        script, library = work / "script.md", work / "output"
        plan_s, planned = briefing("plan", *sources, "-o", str(script), "-l", str(library), "--minutes",
                                   str(args.minutes), "--voice", args.voice, "--date", DAY)
        first_s, first = briefing("render", str(script), "-o", str(library))
        edits = []
        for nth in range(args.repeats):
            edit_sentence(script, nth)
            seconds, record = briefing("render", str(script), "-o", str(library))
            edits.append((seconds, record))
        studio_s, studio_made, studio_stages = in_process_edit(script, library, args.voice, args.repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best_s, best = min(edits, key=lambda pair: pair[0])
    figures = {
        "articles": args.articles, "voice": args.voice, "stories": planned["stories"],
        "audio_s": first["duration_s"], "segments": first["segments"], "plan_s": round(plan_s, 2),
        "first_render_s": round(first_s, 2), "first_synthesized": first["segments_synthesized"],
        "first_stages": stages(first, first_s),
        "edit_render_s": [round(s, 2) for s, _ in edits], "edit_synthesized": [r["segments_synthesized"] for _, r in edits],
        "edit_stages": stages(best, best_s), "ratio": round(best_s / first_s, 3),
        "studio_edit_s": round(studio_s, 2), "studio_synthesized": studio_made,
        "studio_stages": {k: round(v, 3) for k, v in studio_stages.items()},
        "studio_ratio": round(studio_s / first_s, 3), "load_before": load_before, "load_after": os.getloadavg(),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_table(figures)
    return 0


def print_table(f: dict) -> None:
    print(f"load average before: {' '.join(f'{x:.2f}' for x in f['load_before'])}, "
          f"after: {' '.join(f'{x:.2f}' for x in f['load_after'])}")
    print(f"{f['articles']} articles -> {f['stories']} stories, {f['segments']} segments, "
          f"{f['audio_s'] / 60:.1f} min of audio ({f['voice']}); plan {f['plan_s']:.2f} s")
    print("| render | wall s | synthesized | stages s |")
    print("|---|---|---|---|")
    show = lambda stages: ", ".join(f"{k} {v:.2f}" for k, v in stages.items())  # noqa: E731
    print(f"| first (CLI, cold) | {f['first_render_s']:.2f} | {f['first_synthesized']} | {show(f['first_stages'])} |")
    print(f"| one-sentence edit (CLI, best of {len(f['edit_render_s'])}: "
          f"{', '.join(f'{s:.2f}' for s in f['edit_render_s'])}) | {min(f['edit_render_s']):.2f} | "
          f"{', '.join(map(str, f['edit_synthesized']))} | {show(f['edit_stages'])} |")
    print(f"| one-sentence edit (in process, engine loaded: the studio) | {f['studio_edit_s']:.2f} | "
          f"{f['studio_synthesized']} | {show(f['studio_stages'])} |")
    verdict = "meets" if f["ratio"] <= BAR else "misses"
    print(f"edit / first: {f['ratio']:.3f} (CLI), {f['studio_ratio']:.3f} (studio); the bar is {BAR}: CLI {verdict} it")


if __name__ == "__main__":
    raise SystemExit(main())
