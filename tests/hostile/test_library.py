"""Issue 13 items 9 and 10: killed runs leave nothing behind for good; overlapping runs lose no episode."""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from briefing import BriefingRequest, build_briefing
from briefing.episodes import LOCK_FILE, episodes_dir, remove_stale_work
from briefing.publish.update import publish_library

FIXTURES = Path(__file__).parent / "fixtures"


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _work_folder(output: Path, name: str) -> Path:
    folder = episodes_dir(output) / name
    (folder / "clips").mkdir(parents=True)
    (folder / "mix.wav").write_bytes(b"\0" * 1024)
    return folder


def test_the_next_run_removes_what_killed_runs_left_but_not_a_live_runs_folder(tmp_path, tone_engine):
    output = tmp_path / "output"
    dead = _dead_pid()
    partial = _work_folder(output, f".2025-12-01-abc123.partial-{dead}")
    old = _work_folder(output, f".2025-12-01-abc123.old-{dead}")
    busy = _work_folder(output, f".2025-12-01-def456.partial-{os.getppid()}")
    request = BriefingRequest(sources=(str(FIXTURES / "control-title.rss"),), output_dir=output,
                              day=date(2025, 12, 2), minutes=0.5)
    build_briefing(request, engine=tone_engine)
    assert not partial.exists() and not old.exists()
    assert busy.exists()


def test_a_work_folder_older_than_a_day_is_stale_even_if_its_pid_runs_again(tmp_path):
    folder = _work_folder(tmp_path, f".2025-12-01-abc123.partial-{os.getppid()}")
    os.utime(folder, (time.time() - 2 * 86400,) * 2)
    assert remove_stale_work(tmp_path) == [folder.name]


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


ONE_SHOT = """
    from briefing.audio.ffmpeg import run_ffmpeg
    print("ready", flush=True)
    run_ffmpeg(["-re", "-f", "lavfi", "-i", "sine=duration=60", "-f", "null", "-"])
"""
STREAMING = """
    import tempfile, time
    from pathlib import Path
    from briefing.audio.ffmpeg import Encoder
    encoder = Encoder(["-f", "s16le", "-ar", "24000", "-ac", "1", "-i", "pipe:0", "-f", "null", "-"],
                      error_log=Path(tempfile.mkdtemp()) / "log")
    encoder.write(bytes(48000))
    print("ready", flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("script", [ONE_SHOT, STREAMING], ids=["one-shot", "streaming-encoder"])
def test_ffmpeg_dies_with_a_killed_run(script):
    script = textwrap.dedent(script)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 20
        while not (children := _children(parent.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert children, "ffmpeg did not start"
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while not all(_gone(child) for child in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(_gone(child) for child in children)
    finally:
        parent.kill()
        for child in _children(parent.pid):
            os.kill(child, signal.SIGKILL)


# Overlapping publishes: the second waits for the first and publishes every episode.

def _publisher(output: Path, marker: Path, hold_s: float) -> subprocess.Popen:
    """A process that publishes `output`, slowed after it has read the library (a wide race window)."""
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        import briefing.publish.update as library
        real = library.render_feed
        def slow(*args, **kwargs):
            Path({str(marker)!r}).write_text("scanned")
            time.sleep({hold_s})
            return real(*args, **kwargs)
        library.render_feed = slow
        library.publish_library(Path({str(output)!r}))
    """)
    return subprocess.Popen([sys.executable, "-c", script])


def test_overlapping_publishes_keep_every_episode(tmp_path, tone_engine):
    output = tmp_path / "output"
    first = build_briefing(BriefingRequest(sources=(str(FIXTURES / "control-title.rss"),), output_dir=output,
                                           day=date(2025, 12, 1), minutes=0.5, publish=False), engine=tone_engine)
    marker = tmp_path / "scanned"
    slow = _publisher(output, marker, hold_s=2.0)
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    second = build_briefing(BriefingRequest(sources=(str(FIXTURES / "escape-headline.txt"),), output_dir=output,
                                            day=date(2025, 12, 2), minutes=0.5), engine=tone_engine)
    assert slow.wait(timeout=60) == 0
    feed = (output / "feed.xml").read_text(encoding="utf-8")
    page = (output / "index.html").read_text(encoding="utf-8")
    for episode in (first.episode, second.episode):
        assert f"briefing-episode-{episode.id}" in feed
        assert f"episode-{episode.id}" in page


def test_publishing_waits_for_the_library_lock(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    with open(output / LOCK_FILE, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        process = subprocess.Popen([sys.executable, "-c",
                                    f"from briefing.publish.update import publish_library; publish_library({str(output)!r})"])
        time.sleep(1.5)
        assert process.poll() is None and not (output / "feed.xml").exists()
        fcntl.flock(held, fcntl.LOCK_UN)
    assert process.wait(timeout=30) == 0
    assert (output / "feed.xml").exists()
    assert publish_library(output).episodes == ()
