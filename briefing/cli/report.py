"""What a finished `generate` tells the user, from its --json record alone.

Typer-free, like terminal.py, so that a repeated run is answered from the last
run's record (replay.py) with the same lines, before the framework is loaded.
"""
from __future__ import annotations

import json
from typing import Any

from ..printable import clock
from .terminal import err, escape, note, warn

UP_TO_DATE = "Nothing changed since the last run: its episode and feed stand as they are."


def report(record: dict[str, Any], json_output: bool, made: str = "Made") -> None:
    """What a run tells the user, from its --json record: warnings, then the summary or the JSON."""
    for failure in record["failures"]:
        warn(f"{failure['source']}: {failure['reason']}")
    for cut in record["notes"]:
        note(f"{cut['source']}: {cut['reason']}")
    if json_output:
        print_skipped(record)
        print(json.dumps(record, indent=2))
    else:
        print_summary(record, made)


def report_unchanged(record: dict[str, Any], json_output: bool, seconds: float) -> int:
    """Report the last run's result again, for a run that changed nothing; its exit code."""
    record = {**record, "segments_synthesized": 0, "timings_s": {"reused": round(seconds, 3)}}
    note(UP_TO_DATE)
    report(record, json_output, made="Up to date:")
    return int(record["exit_code"])


def print_summary(record: dict[str, Any], made: str = "Made") -> None:
    count = record["stories"]
    err().print(f"[green]{made}[/] {escape(record['mp3'])} ({clock(record['duration_s'])}, {count} "
                f"{'story' if count == 1 else 'stories'}, {record['segments_synthesized']} of {record['segments']} "
                f"segments synthesized, {record['loudness_lufs']:.1f} LUFS)")
    for story in record["rundown"]:
        update = "Update: " if story["update"] else ""
        err().print(f"  {clock(story['start_s']):>5}  {update}{escape(story['headline'])}")
    if record["left_out"]:
        err().print(f"  Left out for time: {len(record['left_out'])} stories (raise --minutes to include them)")
    print_skipped(record)
    err().print(f"Manifest: {escape(record['manifest'])}")


def print_skipped(record: dict[str, Any]) -> None:
    """The stories left out on purpose, one line each (also with --json: they are news to the user)."""
    for story in record["excluded"]:
        err().print(f"  Left out, on the excluded topic {escape(repr(story['topic']))}: {escape(story['headline'])}")
    for story in record["told_before"]:
        err().print(f"  Left out, told on {story['told_in']['date']} with nothing new: {escape(story['headline'])}")
