"""Fixtures for the hostile-input tests: misbehaving servers, on loopback only."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest


def _load_servers():
    """hostile_servers.py, loaded by path (tests are not a package under importlib mode)."""
    name = "hostile_servers"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("hostile_servers.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


servers = _load_servers()


@pytest.fixture
def loopback_server():
    """Start LoopbackServers on free ports of 127.0.0.1; all are stopped after the test."""
    started = []

    def start(routes=None):
        state, httpd = servers.start_server(routes)
        started.append(httpd)
        return state

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()
