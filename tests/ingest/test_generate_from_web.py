"""End to end from the web: `briefing generate` on live pages and a feed served on
127.0.0.1, with one dead source, makes an episode that credits every outlet."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_pages_and_feed_make_one_episode_crediting_both_outlets(web, dead_url, tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "briefing", "generate", web.url("/news-page.html"), web.url("/wire-story.html"),
         web.url("/rss.xml"), dead_url, "-o", str(tmp_path), "--minutes", "1.5", "--date", "2026-11-24",
         "--json", "--no-cache", "--timeout", "5", "--max-per-feed", "2", "--no-sting"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert run.returncode == 3, run.stderr
    skipped = [line for line in run.stderr.splitlines() if line.startswith("skipped:")]
    assert len(skipped) == 1 and dead_url in skipped[0]
    manifest = json.loads(Path(json.loads(run.stdout)["manifest"]).read_text())
    first = manifest["stories"][0]
    assert len(first["sources"]) == 2, manifest["stories"]
    assert len(first["articles"]) == 2
    assert (Path(manifest["stories"][0]["clip"]).name).endswith(".mp3")
    vtt = (Path(json.loads(run.stdout)["manifest"]).parent / "transcript.vtt").read_text()
    assert f"with reports from {first['sources'][0]} and {first['sources'][1]}" in vtt
