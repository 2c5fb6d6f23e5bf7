"""The studio on a network it does not control: a change needs the page's token, its own Origin
and its own Host; off loopback, nothing is shown before the token. Every request goes to loopback;
"another device" or "another site" only sets the Host or Origin header."""
from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest

from briefing.publish.studio import TOKEN_HEADER, make_studio_server
from briefing.run.render import RenderRequest
from briefing.run.studio import StudioSession

SCRIPT = """\
title: Test briefing
date: 2026-11-26
presenters: Hannah (heart)

# Opening
Hello.

# Stories

## Bridge reopens
The bridge reopened on Monday.

## Rates rise
Rates rose again.

# Sign-off
Goodbye.
"""


@pytest.fixture
def studio(tmp_path):
    """A studio on 127.0.0.1 for a small script; yields (server, port, script path)."""
    script = tmp_path / "script.md"
    script.write_text(SCRIPT, encoding="utf-8")
    servers = []

    def start(host: str = "127.0.0.1"):
        session = StudioSession(script, RenderRequest(output_dir=tmp_path / "output"), frozenset({"heart", "joe"}))
        server = make_studio_server(session, host, 0)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return server, server.server_address[1], script

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def exchange(port: int, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, dict, bytes]:
    lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items()),
             f"Content-Length: {len(body)}", "Connection: close", "", ""]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall("\r\n".join(lines).encode() + body)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, content = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    found = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), found, content


def edit_body(script: Path) -> bytes:
    import hashlib

    version = hashlib.sha256(script.read_bytes()).hexdigest()[:16]
    return json.dumps({"version": version, "op": "move", "story": 1, "to": 0}).encode()


def test_a_change_from_the_page_itself_is_saved(studio):
    server, port, script = studio()
    host = f"127.0.0.1:{port}"
    status, _, _ = exchange(port, "POST", "/api/edit", {"Host": host, "Origin": f"http://{host}",
                                                        TOKEN_HEADER: server.token, "Content-Type": "application/json"},
                            edit_body(script))
    assert status == 200
    text = script.read_text(encoding="utf-8")
    assert text.index("## Rates rise") < text.index("## Bridge reopens")


@pytest.mark.parametrize("case", ["no token", "wrong token", "foreign origin", "no origin", "foreign host"])
def test_a_change_without_token_origin_or_host_changes_nothing(case, studio):
    server, port, script = studio()
    before = script.read_bytes()
    host = f"127.0.0.1:{port}"
    headers = {"Host": host, "Origin": f"http://{host}", TOKEN_HEADER: server.token, "Content-Type": "application/json"}
    if case == "no token":
        del headers[TOKEN_HEADER]
    elif case == "wrong token":
        headers[TOKEN_HEADER] = "guess"
    elif case == "foreign origin":
        headers["Origin"] = "http://evil.example"
    elif case == "no origin":
        del headers["Origin"]
    else:
        headers["Host"] = f"evil.example:{port}"
        headers["Origin"] = f"http://evil.example:{port}"
    for path, body in (("/api/edit", edit_body(script)), ("/api/lexicon", b'{"word": "Putin", "say": "Pooh"}'),
                       ("/api/render", b"{}")):
        status, _, _ = exchange(port, "POST", path, headers, body)
        assert status == (421 if case == "foreign host" else 403)
    assert script.read_bytes() == before
    assert not (script.parent / "output").exists()


def test_a_page_on_another_host_name_sees_nothing(studio):
    _, port, _ = studio()
    for path in ("/", "/api/script", "/studio/studio.js"):
        status, _, body = exchange(port, "GET", path, {"Host": f"rebound.example:{port}"})
        assert status == 421 and b"token" not in body


def test_nothing_outside_the_library_is_served(studio, tmp_path):
    _, port, _ = studio()
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/script.md", "/speech/../../secret.txt",
                 "/speech/" + "0" * 63 + ".wav", "/.cache/scripts.json"):
        status, _, body = exchange(port, "GET", path, {"Host": f"127.0.0.1:{port}"})
        assert status == 404 and b"secret" not in body


def test_off_loopback_the_token_is_asked_for_before_anything_is_shown(studio):
    server, port, _ = studio("0.0.0.0")
    host = f"127.0.0.1:{port}"
    status, headers, body = exchange(port, "GET", "/", {"Host": host})
    assert status == 303 and headers["location"] == "/login" and server.token.encode() not in body
    status, _, body = exchange(port, "GET", "/api/script", {"Host": host})
    assert status == 303 and b"Bridge" not in body
    status, _, body = exchange(port, "POST", "/login", {"Host": host, "Origin": f"http://{host}",
                                                        "Content-Type": "application/x-www-form-urlencoded"},
                               b"token=guess")
    assert status == 403 and b"not this studio" in body
    status, headers, _ = exchange(port, "POST", "/login", {"Host": host, "Origin": f"http://{host}",
                                                           "Content-Type": "application/x-www-form-urlencoded"},
                                  f"token={server.token}".encode())
    assert status == 303 and "HttpOnly" in headers["set-cookie"] and "SameSite=Strict" in headers["set-cookie"]
    cookie = headers["set-cookie"].split(";")[0]
    status, _, body = exchange(port, "GET", "/", {"Host": host, "Cookie": cookie})
    assert status == 200 and f'content="{server.token}"'.encode() in body
    status, _, body = exchange(port, "GET", "/api/script", {"Host": host, "Cookie": cookie})
    assert status == 200 and json.loads(body)["script"]["stories"][0]["headline"] == "Bridge reopens"
