"""Issue 25 item 3: servers that lie about what they send. Each fault is one line naming the
source, the run goes on with the rest, and no traceback reaches the user.

Every server is on 127.0.0.1; no test sends a packet anywhere else.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_servers import (  # loaded by path in conftest.py
    article_page,
    charset,
    false_gzip,
    redirect_loop,
    reset,
    reset_mid_body,
    send,
    truncated,
)

from briefing.ingest import IngestOptions, ingest

FAST = IngestOptions(timeout_s=2, retries=0)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "articles" / "01-harbour-bridge-reopens.txt"
GARBLED = Path(__file__).resolve().parents[1] / "fixtures" / "web" / "garbled.html"

FAULTS = {
    "/false-gzip": "the server said the page was sent compressed (Content-Encoding: gzip) but it could not be "
                   "unpacked; the site is misconfigured, try again later",
    "/truncated": "the connection broke off mid-download (peer closed connection without sending complete "
                  f"message body (received {len(article_page('Truncated page'))} bytes, "
                  f"expected {2 * len(article_page('Truncated page'))})); try again later",
    "/reset": "the connection failed ([Errno 104] Connection reset by peer); try again later",
    "/reset-mid-body": "the connection broke off mid-download ([Errno 104] Connection reset by peer); "
                       "try again later",
    "/loop-a": "redirects in a loop (/loop-a -> /loop-b -> /loop-a); check the address",
    "/garbled": "the page's text is garbled (characters were lost to a wrong encoding before it was served); "
                "open it in a browser and save it as UTF-8",
}


@pytest.fixture
def liar(loopback_server):
    garbled = GARBLED.read_bytes()
    return loopback_server({
        "/false-gzip": false_gzip, "/truncated": truncated, "/reset": reset, "/reset-mid-body": reset_mid_body,
        "/loop-a": redirect_loop, "/loop-b": redirect_loop,
        "/garbled": lambda h: send(h, 200, garbled, "text/html; charset=utf-8"),
        "/charset-unknown": charset("x-unknown"), "/charset-not-text": charset("base64"),
        "/charset-wrong": charset("utf-16"),
    })


def test_each_lie_is_one_line_and_the_rest_are_read(liar):
    sources = [liar.url(path) for path in FAULTS] + [str(EXAMPLE)]
    result = ingest(sources, FAST)
    assert [str(f) for f in result.failures] == [f"{liar.url(path)}: {reason}" for path, reason in FAULTS.items()]
    assert [a.origin for a in result.articles] == [str(EXAMPLE)]


@pytest.mark.parametrize("path", ["/charset-unknown", "/charset-not-text", "/charset-wrong"])
def test_a_charset_label_that_is_unknown_not_text_or_wrong_is_read_from_the_bytes(liar, path):
    result = ingest([liar.url(path)], FAST)
    assert result.failures == ()
    [article] = result.articles
    assert article.title == "Café owners back the harbour plan"


@pytest.mark.e2e
def test_generate_makes_the_episode_from_the_rest_and_exits_3(liar, tmp_path):
    sources = [liar.url(path) for path in FAULTS] + [liar.url("/charset-wrong"), str(EXAMPLE)]
    run = subprocess.run(
        [sys.executable, "-m", "briefing", "generate", *sources, "-o", str(tmp_path), "--minutes", "1.5",
         "--date", "2026-11-24", "--json", "--no-cache", "--timeout", "2", "--no-sting"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr
    skipped = [line for line in run.stderr.splitlines() if line.startswith("skipped:")]
    assert skipped == [f"skipped: {liar.url(path)}: {reason}" for path, reason in FAULTS.items()]
    manifest = json.loads(Path(json.loads(run.stdout)["manifest"]).read_text())
    assert sorted(a["title"] for s in manifest["stories"] for a in s["articles"]) == [
        "Café owners back the harbour plan", "Harbour Bridge Reopens to Traffic After Two-Year, $1.2bn Restoration"]
