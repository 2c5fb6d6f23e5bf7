"""Issue 13 items 6 and 12: inputs that are endless, looped, in an older encoding or another script."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
from pathlib import Path

from briefing.ingest import IngestOptions, ingest

FIXTURES = Path(__file__).parent / "fixtures"
MEMORY_LIMIT_BYTES = 2 * 1024**3
TOO_BIG = "is larger than the 10 MB size limit; give one article or feed"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def _briefing(*args: str, stdin=None) -> subprocess.CompletedProcess:
    """The CLI in a process that may not grow past 2 GB (an endless read fails instead of filling the machine)."""
    return subprocess.run([sys.executable, "-m", "briefing", *args], stdin=stdin, capture_output=True, text=True,
                          timeout=60, preexec_fn=_limit_memory, check=False)


def test_a_device_is_capped_by_the_bytes_read_not_its_size():
    result = _briefing("extract", "/dev/zero")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"/dev/zero: {TOO_BIG}"]


def test_stdin_is_capped_too():
    with open("/dev/zero", "rb") as zeros:
        result = _briefing("extract", "-", stdin=zeros)
    assert result.returncode == 1
    assert " ".join(result.stderr.split()) == f"error: stdin: {TOO_BIG}"


def test_a_pipe_is_capped(tmp_path):
    fifo = tmp_path / "endless.txt"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as pipe:
            try:
                for _ in range(12):
                    pipe.write(b"All work and no play. " * 50_000)
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    result = ingest([str(fifo)])
    writer.join(timeout=10)
    assert [str(f) for f in result.failures] == [f"{fifo}: {TOO_BIG}"]


def test_a_symlink_loop_is_named_as_one(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    result = ingest([str(tmp_path / "a.txt"), str(tmp_path / "dangling.txt"), str(tmp_path / "missing.txt")])
    assert [f.reason for f in result.failures] == [
        "is a symbolic link that leads back to itself (a link loop); fix the link",
        f"is a link to {tmp_path / 'gone.txt'}, which does not exist; fix the link",
        "no such file or folder; check the path",
    ]


def test_a_latin1_text_file_is_decoded(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café owners in Málaga welcome the new rules\n\nThe owners of the city's cafés said on Monday "
                     "that the rules would help them. Señor García, who runs three cafés, called them fair.".encode("latin-1"))
    [article] = ingest([str(path)]).articles
    assert article.title == "Café owners in Málaga welcome the new rules"
    assert "Señor García" in article.text


def test_stdin_in_latin1_is_decoded():
    text = "Café reopens\n\nThe café reopened on Monday. Its owner said business was good."
    result = subprocess.run([sys.executable, "-m", "briefing", "extract", "--json", "-"],
                            input=text.encode("latin-1"), capture_output=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["title"] == "Café reopens"


def test_articles_the_voice_cannot_read_are_left_out_with_a_reason():
    names = ["arabic.txt", "chinese.txt", "hebrew.txt", "french.txt", "english-with-arabic-name.txt"]
    result = ingest([str(FIXTURES / name) for name in names])
    assert [a.title for a in result.articles] == ["Minister opens new hospital wing"]
    assert {Path(f.source).name: f.reason.split(";")[0] for f in result.failures} == {
        "arabic.txt": "is written in Arabic script, not English",
        "chinese.txt": "is written in Chinese characters, not English",
        "hebrew.txt": "is written in Hebrew script, not English",
        "french.txt": "is in French, not English",
    }
    assert result.failures[0].reason.endswith("; the voices read English only, so it was left out")
    kept = ingest([str(FIXTURES / "arabic.txt")], IngestOptions(english_only=False))
    assert len(kept.articles) == 1
