"""Fixtures for the publish tests: a real two-episode library and a running server."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

_BUILDER_PATH = Path(__file__).parents[1] / "fixtures" / "publish" / "library_builder.py"


def load_builder():
    """The fixture builder module, loaded by path (tests are not a package under importlib mode)."""
    name = "publish_library_builder"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _BUILDER_PATH)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


builder = load_builder()


@pytest.fixture(scope="session")
def audio_cache(tmp_path_factory) -> Path:
    """MP3 tones made once per session and copied into each library."""
    return tmp_path_factory.mktemp("tones")


@pytest.fixture
def library(tmp_path, audio_cache) -> Path:
    """An output folder with two unpublished episodes (older one with a hostile headline)."""
    return builder.make_library(tmp_path / "output", audio_cache)


class ServeProcess:
    """`briefing serve` running as a subprocess on a free loopback port."""

    def __init__(self, output: Path, log_path: Path):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.log = log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "briefing", "serve", "--output", str(output), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
        )
        self.banner = [self.process.stdout.readline().decode() for _ in range(3)]
        first = self.banner[0].strip()
        if not first.startswith("Serving "):
            self.stop()
            raise RuntimeError(f"briefing serve did not start: {first!r}; see {log_path}")
        self.url = first.rsplit(" at ", 1)[1]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()
        self.log.close()


@pytest.fixture(scope="module")
def served_library(tmp_path_factory, audio_cache):
    """A published library served by a real `briefing serve` subprocess; yields (output, base URL)."""
    from briefing.publish.update import publish_library

    root = tmp_path_factory.mktemp("served")
    output = builder.make_library(root / "output", audio_cache)
    server = ServeProcess(output, root / "serve.log")
    try:
        publish_library(output, base_url=server.url)
        yield output, server.url, server
    finally:
        server.stop()

