"""`briefing run --ray local`: shows made with Ray tasks on a local Ray instance (2 CPUs, loopback only).

Three show files make the same episodes, byte for byte, as the plain local run;
synthesis runs as Ray tasks, one per distinct segment, so a sentence two shows
share is spoken once; and a synthesis task whose worker process dies is run
again and the run still completes. Ray starts once for the module (~10 s).
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.skipif(importlib.util.find_spec("ray") is None and not os.environ.get("CI"),
                       reason="Ray is not installed (pip install -e '.[test]' brings it)"),
]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
BRIDGE, CHIPS, FLOOD, TELESCOPE = sorted(str(p) for p in EXAMPLES.iterdir())
DAY = "2026-11-26"
SHOWS = {  # alpha and bravo share the chipmaker story (wire copy); all three share the day's sign-off
    "alpha": [BRIDGE, CHIPS],
    "bravo": [CHIPS, FLOOD],
    "charlie": [TELESCOPE],
}
runner = CliRunner()


def write_shows(folder: Path, names=tuple(SHOWS)) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.toml").write_text(
            f'title = "{name.title()}"\nsources = {json.dumps(SHOWS[name])}\nminutes = 1\nvoice = "heart"\n'
            f'output = "{name}"\n')
    return [str(folder / f"{name}.toml") for name in names]


def run_shows(folder: Path, cache: Path, *extra: str, names=tuple(SHOWS)) -> tuple[list[dict], str]:
    """`briefing run` on the shows: their --json records, and stderr as one line."""
    result = runner.invoke(app, ["run", *write_shows(folder, names), "--date", DAY, "--cache", str(cache),
                                 "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), " ".join(result.stderr.split())


def episode_files(record: dict) -> dict[str, bytes]:
    """Every file of the episode; the manifest without its `created` time."""
    folder = Path(record["manifest"]).parent
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    manifest = json.loads(files.pop("episode.json"))
    del manifest["created"]
    return {**files, "episode.json": json.dumps(manifest).encode()}


def entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.wav"))


def speak_tasks(since_ms: float, expected: int, attempts: bool = False) -> list:
    """The synthesis tasks created since `since_ms`, polled until `expected` have arrived, each
    in its final state (task events reach the state API asynchronously, so a retried attempt can
    still show as pending after the run has finished), or 30 s have passed."""
    from ray.util.state import list_tasks

    deadline = time.monotonic() + 30
    while True:
        tasks = [t for t in list_tasks(limit=10_000, detail=True, raise_on_missing_output=False)
                 if t.name.startswith("speak ") and t.creation_time_ms >= since_ms
                 and (attempts or t.state == "FINISHED")]
        settled = all(t.state in ("FINISHED", "FAILED") for t in tasks)
        if (len(tasks) >= expected and settled) or time.monotonic() > deadline:
            return tasks
        time.sleep(0.5)


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory):
    """Ray on this machine, as `--ray local` starts it; the CLI finds it running and uses it.
    Yields the kill switch: a file that makes the next synthesis task kill its worker."""
    from briefing.run.cluster import KILL_SWITCH, start_local_ray

    kill_switch = tmp_path_factory.mktemp("ray") / "kill-next-speaker"
    os.environ[KILL_SWITCH] = str(kill_switch)  # workers inherit it from the raylet started here
    start_local_ray(num_cpus=2)
    import ray

    yield kill_switch
    ray.shutdown()
    del os.environ[KILL_SWITCH]


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """The three shows made the plain way: on this machine, no Ray."""
    root = tmp_path_factory.mktemp("local")
    records, _ = run_shows(root, root / "segments")
    return {r["show"]: r for r in records}, root / "segments"


def ray_connections() -> list[str]:
    """`ss` lines of TCP connections held by this process and its descendants (Ray's processes)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    ours = {os.getpid()}
    while True:
        more = {pid for pid, parent in parents.items() if parent in ours} - ours
        if not more:
            break
        ours |= more
    lines = subprocess.run(["ss", "-tnpH"], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line for line in lines if {int(p) for p in re.findall(r"pid=(\d+)", line)} & ours]


def test_three_shows_on_ray_make_the_local_episodes_speaking_each_segment_once(local_ray, local_run, tmp_path):
    local, local_cache = local_run
    started_ms = time.time() * 1000
    records, stderr = run_shows(tmp_path, tmp_path / "segments", "--ray", "local")

    assert [r["show"] for r in records] == list(SHOWS)
    for record in records:
        assert record["episode"] == local[record["show"]]["episode"]
        assert episode_files(record) == episode_files(local[record["show"]])

    made = entries(tmp_path / "segments")
    assert [p.name for p in made] == [p.name for p in entries(local_cache)]
    assert sum(r["segments"] for r in records) > len(made)  # some segments are said by several shows
    tasks = speak_tasks(started_ms, expected=len(made))
    # One synthesis task per distinct segment, named by its cache key: a shared sentence is spoken once.
    assert sorted(t.name for t in tasks) == sorted(f"speak {p.stem[:12]}" for p in made)
    # Each worker process loads the voice once and keeps it for the next segments.
    assert f"(voice loads: {len({t.worker_pid for t in tasks})})" in stderr

    if shutil.which("ss"):
        connections = ray_connections()
        assert connections, "no Ray connection seen"
        for line in connections:
            local_address, peer = line.split()[3:5]
            for address in (local_address, peer):
                assert address.rsplit(":", 1)[0] in ("127.0.0.1", "[::ffff:127.0.0.1]", "[::1]"), line


def test_a_killed_worker_is_retried_and_the_run_completes(local_ray, local_run, tmp_path):
    local, _ = local_run
    local_ray.touch()  # the next synthesis task kills its own worker process
    started_ms = time.time() * 1000
    [record], _ = run_shows(tmp_path, tmp_path / "segments", "--ray", "local", names=("charlie",))

    assert not local_ray.exists()
    assert episode_files(record) == episode_files(local["charlie"])
    attempts = speak_tasks(started_ms, expected=len(entries(tmp_path / "segments")) + 1, attempts=True)
    died = [t for t in attempts if t.state == "FAILED"]
    assert len(died) == 1 and died[0].error_type == "WORKER_DIED"
    retried = [t for t in attempts if t.task_id == died[0].task_id and t.attempt_number == 1]
    assert [t.state for t in retried] == ["FINISHED"]
