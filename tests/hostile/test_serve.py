"""Issue 13 item 11 and "subscribe from anywhere it is served": `briefing serve` on a network it does not control.

Every request goes to 127.0.0.1; tests that play another device only set the Host header.
"""
from __future__ import annotations

import importlib.util
import io
import logging
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import podcastparser
import pytest
from lxml import etree

from briefing.publish.hosts import machine_addresses
from briefing.publish.http import BACKLOG
from briefing.publish.serve import make_server
from briefing.publish.update import publish_library

ROOT = Path(__file__).resolve().parents[2]


def _builder():
    """tests/fixtures/publish/library_builder.py, loaded by path as tests/publish/conftest.py does."""
    name = "publish_library_builder"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "fixtures" / "publish" / "library_builder.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _library(tmp_path: Path, audio_cache: Path, base_url: str | None = None) -> Path:
    output = _builder().make_library(tmp_path / "output", audio_cache)
    publish_library(output, base_url=base_url)
    return output


@pytest.fixture(scope="module")
def audio_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tones")


@pytest.fixture
def running():
    """Start make_server(...) servers in threads; all are stopped after the test."""
    servers = []

    def start(output: Path, host: str = "127.0.0.1", **kwargs):
        server = make_server(output, host, 0, **kwargs)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return server, server.server_address[1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _exchange(port: int, raw: bytes, timeout_s: float = 10) -> bytes:
    """Send raw bytes to 127.0.0.1:port and read the whole answer (the server closes after it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as connection:
        connection.sendall(raw)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _get(port: int, path: str, host: str | None, extra: str = "") -> tuple[int, bytes]:
    host_line = f"Host: {host}\r\n" if host is not None else ""
    answer = _exchange(port, f"GET {path} HTTP/1.1\r\n{host_line}{extra}Connection: close\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def _lan_address() -> str:
    addresses = [a for a in machine_addresses() if ":" not in a]
    if not addresses:
        pytest.skip("this machine has no IPv4 address besides loopback")
    return addresses[0]


def test_a_library_without_base_url_is_served_for_the_address_each_device_used(tmp_path, audio_cache, running):
    output = _library(tmp_path, audio_cache)
    on_disk = (output / "feed.xml").read_bytes()
    _, port = running(output, "0.0.0.0")
    lan = _lan_address()
    status, feed = _get(port, "/feed.xml", f"{lan}:{port}")
    assert status == 200
    enclosures = [e["enclosures"][0]["url"] for e in podcastparser.parse("feed.xml", io.BytesIO(feed))["episodes"]]
    assert enclosures and all(url.startswith(f"http://{lan}:{port}/episodes/") for url in enclosures)
    links = [el.get("href") for el in etree.fromstring(feed).iter("{http://www.w3.org/2005/Atom}link")]
    assert links == [f"http://{lan}:{port}/feed.xml"]
    status, page = _get(port, "/", f"{lan}:{port}")
    assert status == 200 and f"<code>http://{lan}:{port}/feed.xml</code>".encode() in page
    assert _get(port, "/feed.xml", f"127.0.0.1:{port}")[1].count(f"http://127.0.0.1:{port}/".encode()) > 5
    assert (output / "feed.xml").read_bytes() == on_disk


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "0.0.0.0:{port}", "{lan}:{port}/x<y",
                                  "192.0.2.250:{port}", ""])
def test_a_host_that_is_none_of_the_servers_names_is_refused(tmp_path, audio_cache, running, host):
    output = _library(tmp_path, audio_cache)
    _, port = running(output, "0.0.0.0")
    status, body = _get(port, "/feed.xml", host.format(port=port, lan=_lan_address()))
    assert status == 421
    assert b"<rss" not in body


def test_loopback_names_and_the_base_url_host_are_served(tmp_path, audio_cache, running):
    output = _library(tmp_path, audio_cache, base_url="https://podcasts.example/briefing/")
    on_disk = (output / "feed.xml").read_bytes()
    _, port = running(output)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "podcasts.example", None):
        assert _get(port, "/feed.xml", host) == (200, on_disk)
    assert _get(port, "/feed.xml", f"{_lan_address()}:{port}")[0] == 421


def test_an_absurd_range_gets_416_and_no_traceback(tmp_path, audio_cache, running, caplog):
    output = _library(tmp_path, audio_cache)
    _, port = running(output)
    with caplog.at_level(logging.DEBUG, logger="briefing.publish"):
        status, _ = _get(port, "/cover.png", f"127.0.0.1:{port}", f"Range: bytes=0-{'9' * 5000}\r\n")
        status_start, _ = _get(port, "/cover.png", f"127.0.0.1:{port}", f"Range: bytes={'9' * 5000}-\r\n")
    assert (status, status_start) == (416, 416)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_escape_sequences_in_a_request_are_logged_escaped(tmp_path, audio_cache, running, caplog):
    output = _library(tmp_path, audio_cache)
    _, port = running(output)
    with caplog.at_level(logging.INFO, logger="briefing.publish"):
        _exchange(port, f"GET /\x1b[2J\x1b]0;owned\x07 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        time.sleep(0.2)
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "\\x1b[2J" in messages
    assert "\x1b" not in messages and "\x07" not in messages


def test_a_burst_of_connections_is_queued_not_dropped(tmp_path):
    """The kernel queues BACKLOG connections before the server accepts: none waits for a SYN retry."""
    server = make_server(tmp_path, "127.0.0.1", 0)  # bound and listening, not accepting yet
    port = server.server_address[1]
    connections = []
    try:
        for _ in range(100):
            connections.append(socket.create_connection(("127.0.0.1", port), timeout=0.5))
    except OSError:
        pass
    finally:
        for connection in connections:
            connection.close()
        server.server_close()
    assert BACKLOG >= 128
    assert len(connections) == 100


def test_silent_and_trickling_clients_are_cut_off(tmp_path, running):
    _, port = running(tmp_path, request_timeout_s=0.5)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as idle:
        started = time.monotonic()
        assert idle.recv(1024) == b""
        assert time.monotonic() - started < 3
    with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
        slow.sendall(b"GET / HTTP/1.1\r\n")
        started = time.monotonic()
        try:
            for _ in range(50):
                slow.sendall(b"X-A: b\r\n")
                time.sleep(0.1)
        except OSError:
            pass
        assert time.monotonic() - started < 3


def test_serve_on_every_address_prints_where_to_subscribe(tmp_path, audio_cache):
    output = _library(tmp_path, audio_cache)
    lan = _lan_address()
    process = subprocess.Popen([sys.executable, "-m", "briefing", "serve", "-o", str(output), "--host", "0.0.0.0",
                                "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline().strip() for _ in range(5)]
    finally:
        process.terminate()
        process.wait(timeout=10)
    port = lines[0].rsplit(":", 1)[1].strip("/")
    assert lines[3] == "Subscribe from other devices on your network with:"
    assert f"http://{lan}:{port}/feed.xml" in [*lines[4:], process.stdout.read()]
