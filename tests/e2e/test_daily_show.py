"""End to end: `briefing run` on two show files, as cron would run it, with the real Piper voice.

One show makes a short episode from the loopback news site without football; the
other asks for its own voice as co-host, which cannot be: it fails with one line,
the first show is unaffected, and the run exits 3 with a table and JSON records.
"""
from __future__ import annotations

import json
import subprocess
import sys

import feedparser
import pytest

from briefing.audio.ffmpeg import ffmpeg_exe

pytestmark = pytest.mark.e2e

GOOD = """
title = "Harbor Minute"
author = "Harbor Newsdesk"
sources = ["{feed}"]
minutes = 0.5
voice = "joe"
output = "harbor"

[topics]
exclude = ["football"]
"""
DUO = """
sources = ["{feed}"]
voice = "joe"
co_host = "joe"
"""


def test_briefing_run_makes_one_show_and_reports_the_other(news_site, tmp_path):
    (tmp_path / "harbor.toml").write_text(GOOD.format(feed=news_site.feed_url))
    (tmp_path / "duo.toml").write_text(DUO.format(feed=news_site.feed_url))
    run = subprocess.run(
        [sys.executable, "-m", "briefing", "run", "harbor.toml", "duo.toml", "--date", "2026-11-25", "--no-cache",
         "--cache", "segments", "--json"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    assert run.returncode == 3, run.stderr
    harbor, duo = json.loads(run.stdout)
    assert (harbor["show"], harbor["exit_code"], duo["show"], duo["exit_code"]) == ("harbor", 0, "duo", 1)
    assert duo["error"].startswith("The co-host 'joe' is the same voice as the presenter")
    striker = news_site.articles["striker"]["title"]
    assert harbor["excluded"] == [{"headline": striker, "topic": "football"}]
    assert harbor["stories"] >= 1 and harbor["failures"] == []

    stderr = " ".join(run.stderr.split())
    assert f"Left out, on the excluded topic 'football': {striker}" in stderr
    assert "error: The co-host 'joe' is the same voice" in stderr
    for column in ("show", "episode", "duration", "stories", "failures", "seconds"):
        assert column in stderr
    assert harbor["episode"] in stderr and "none made" in stderr

    decoded = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", harbor["mp3"], "-f", "null", "-"],
                             capture_output=True, text=True)
    assert decoded.returncode == 0 and decoded.stderr == ""
    assert 20 <= harbor["duration_s"] <= 60
    feed = feedparser.parse((tmp_path / "harbor" / "feed.xml").read_bytes())
    assert feed.bozo == 0 and feed.feed.title == "Harbor Minute" and feed.feed.author == "Harbor Newsdesk"
    assert (tmp_path / "harbor" / "memory.json").is_file()
    assert len(list((tmp_path / "segments").rglob("*.wav"))) == harbor["segments"]
