"""Does the smart-speaker rendition meet Amazon's audio rules?

    .venv/bin/python bench/alexa.py [--voices heart,joe,heart+joe] [--minutes 3] [--quick]

For each voice (or two presenters, `heart+joe`), this makes one episode of the first
dev articles through the real pipeline (`build_briefing`), then measures the podcast
MP3 and the Alexa rendition (alexa.mp3, audio/rendition.py) with ffmpeg's ebur128
(true peak on): Amazon asks for 256 kbps, -14 LUFS and a true peak of at most -2 dBFS;
the podcast's own target is -16 LUFS under -1 dBTP. It prints what the manifest says
(computed from the segments' block powers, never measured) beside what ebur128 reads.
The rendition is a second output of the episode's encoder, so what it costs a cold run
is in bench/speed.py's figures.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from _common import ROOT, BenchParser, dev_article_paths

EXTRA = None


def parser() -> BenchParser:
    parser = BenchParser(__doc__.split("\n\n")[0], quick=["--voices", "heart", "--minutes", "0.5"])
    parser.add_argument("--voices", type=lambda s: [v for v in s.split(",") if v], default=["heart", "joe", "heart+joe"],
                        help="comma-separated voices; a+b for two presenters [default: heart,joe,heart+joe]")
    parser.add_argument("--minutes", type=float, default=3.0, help="episode length, as generate --minutes")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "alexa", help="libraries (segments kept)")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    from mutagen.mp3 import MP3

    from briefing.audio.ffmpeg import measure_loudness
    from briefing.run.pipeline import BriefingRequest, build_briefing

    args = parser().parse_args(argv)
    articles = dev_article_paths()[: max(2, int(args.minutes * 1.5) + 1)]
    print(f"episodes of --minutes {args.minutes} from {len(articles)} dev articles; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| voice | length | podcast: manifest / ebur128 | alexa: manifest / ebur128 | alexa kbps |")
    print("|-------|--------|-----------------------------|---------------------------|------------|")
    for cast in args.voices:
        voice, _, co_host = cast.partition("+")
        output = args.work / cast
        shutil.rmtree(output / "episodes", ignore_errors=True)  # assemble again; the segments stay cached
        request = BriefingRequest(sources=tuple(str(p) for p in articles), output_dir=output, day=date(2026, 11, 24),
                                  voice=voice, co_host=co_host or None, minutes=args.minutes, publish=False, retell=True)
        episode = build_briefing(request).episode
        folder = Path(episode.folder)
        manifest = json.loads((folder / "episode.json").read_text(encoding="utf-8"))
        podcast, alexa = measure_loudness(folder / "briefing.mp3"), measure_loudness(folder / "alexa.mp3")
        kbps = MP3(str(folder / "alexa.mp3")).info.bitrate // 1000
        print(f"| {cast} | {episode.duration_s / 60:.1f} min "
              f"| {manifest['audio']['loudness_lufs']} LUFS {manifest['audio']['true_peak_dbtp']} dBTP / "
              f"{podcast.integrated_lufs} LUFS {podcast.true_peak_dbtp} dBTP "
              f"| {manifest['alexa']['loudness_lufs']} LUFS {manifest['alexa']['true_peak_dbtp']} dBTP / "
              f"{alexa.integrated_lufs} LUFS {alexa.true_peak_dbtp} dBTP | {kbps} |")


if __name__ == "__main__":
    main()
