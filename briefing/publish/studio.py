"""The studio's web server: the script editor page, its JSON API, and the library's files.

Built on http.py's FolderServer (Host checks against DNS rebinding, request
deadlines, files served only from inside the output folder). On top:

- Every change is a POST carrying the session's token (X-Briefing-Token, from
  the page's meta tag) and an Origin naming this server; anything else is
  refused (403) before it is read. Requests naming another Host get 421.
- Bound to loopback (the default), the page is shown to whoever asks: only this
  machine can. Bound to any other address, nothing is shown until the token
  printed at start is given on the /login form (a cookie, HttpOnly and
  SameSite=Strict, then carries it).
- The page only ever names lines by id: which file is read or written is fixed
  when the studio starts (the script and the library), never taken from a request.
  Heard lines are served from the segment cache by their hash alone.

The session's logic (the file, changes, hearing a line, rendering) is run/studio.py.
"""
from __future__ import annotations

import html
import json
import re
import secrets
import socket
from http import HTTPStatus
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..errors import BriefingError
from ..run.studio import StaleVersion, StudioSession
from .hosts import WILDCARDS, is_loopback
from .http import REQUEST_TIMEOUT_S, SOCKET_TIMEOUT_S, FolderRequestHandler, FolderServer, content_type

TOKEN_HEADER = "X-Briefing-Token"
COOKIE = "briefing_studio"
MAX_BODY_BYTES = 64 * 1024
"""A change is a few hundred bytes; a script line a few hundred more."""
ASSETS = ("studio.js", "studio.css")
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_SPEECH = re.compile(r"^/speech/([0-9a-f]{64})\.wav$")


class StudioServer(FolderServer):
    session: StudioSession
    token: str
    open_to_all: bool
    """Bound to an address other than loopback: the token is asked for before anything is shown."""


class _StudioServer6(StudioServer):
    address_family = socket.AF_INET6


def make_studio_server(session: StudioSession, host: str = "127.0.0.1", port: int = 8001, *,
                       token: str | None = None) -> StudioServer:
    """A bound, not yet running studio for `session`; port 0 picks a free one."""
    root = session.request.output_dir.resolve()
    handler = type("StudioHandler", (_StudioHandler,), {"root": root, "timeout": SOCKET_TIMEOUT_S})
    server_class = _StudioServer6 if ":" in host else StudioServer
    try:
        server = server_class((host, port), handler)
    except OSError as error:
        raise BriefingError(f"Cannot listen on {host}:{port} ({error.strerror or error}); "
                            "pick another port with --port.") from None
    server.configure(root, host, REQUEST_TIMEOUT_S)
    server.session, server.token = session, token or secrets.token_urlsafe(24)
    server.open_to_all = host in WILDCARDS or not is_loopback(host)
    return server


class _StudioHandler(FolderRequestHandler):
    server: StudioServer

    def do_GET(self) -> None:
        self._get(send_body=True)

    def do_HEAD(self) -> None:
        self._get(send_body=False)

    def do_POST(self) -> None:
        if not self._host_ok():
            return
        path = urlsplit(self.path).path
        if path == "/login":
            self._login()
            return
        if not self._same_origin() or not secrets.compare_digest(self.headers.get(TOKEN_HEADER, ""),
                                                                  self.server.token):
            self._send_json({"error": "Refused: this page is not the studio's own (token or origin)."},
                            HTTPStatus.FORBIDDEN)
            return
        body = self._json_body()
        if body is None:
            return
        self._post(path, body)

    def _get(self, *, send_body: bool) -> None:
        if not self._host_ok():
            return
        path = urlsplit(self.path).path
        if path == "/login":
            self._send_html(_login_page(failed=False), send_body=send_body)
            return
        if path.startswith("/studio/") and path.removeprefix("/studio/") in ASSETS:
            self._send_asset(path.removeprefix("/studio/"), send_body=send_body)
            return
        if self.server.open_to_all and not self._signed_in():
            self.send_headers(HTTPStatus.SEE_OTHER, {"Location": "/login", "Content-Length": "0"})
            return
        if path == "/favicon.ico":
            self.send_headers(HTTPStatus.NO_CONTENT, {"Content-Length": "0"})
        elif path in ("/", "/studio"):
            self._send_html(_page(self.server.token, self.server.session.script_path.name), send_body=send_body)
        elif path == "/api/script":
            self._send_json(self.server.session.view(), send_body=send_body)
        elif path == "/api/render":
            self._send_json(self.server.session.render_state(), send_body=send_body)
        elif (speech := _SPEECH.match(path)) is not None:
            key = speech.group(1)
            self.send_file(self.server.session.cache_dir / key[:2] / f"{key}.wav", send_body=send_body)
        else:
            found = self.resolve(self.path)
            if found is None:
                self.send_error_page(HTTPStatus.NOT_FOUND)
            else:
                self.send_file(found, send_body=send_body)

    def _post(self, path: str, body: dict[str, Any]) -> None:
        session = self.server.session
        try:
            if path == "/api/edit":
                self._send_json(session.change(str(body.get("version", "")), body))
            elif path == "/api/speak":
                wav = session.speak(str(body.get("line", "")))
                self._send_json({"audio": f"/speech/{wav.stem}.wav"})
            elif path == "/api/lexicon":
                session.add_word(str(body.get("word", "")), str(body.get("say", "")))
                self._send_json({"ok": True})
            elif path == "/api/render":
                started = session.start_render()
                self._send_json(session.render_state(), HTTPStatus.ACCEPTED if started else HTTPStatus.CONFLICT)
            else:
                self.send_error_page(HTTPStatus.NOT_FOUND)
        except StaleVersion as error:
            self._send_json({"error": str(error), "stale": True}, HTTPStatus.CONFLICT)
        except BriefingError as error:
            self._send_json({"error": str(error)}, HTTPStatus.UNPROCESSABLE_ENTITY)

    # Checks.

    def _host_ok(self) -> bool:
        host = self.headers.get("Host")
        if host is None or not self.server.answers_to(host):
            self.close_connection = True
            self.send_error_page(HTTPStatus.MISDIRECTED_REQUEST)
            return False
        return True

    def _same_origin(self) -> bool:
        """The request comes from a page of this server: its Origin is http://<the Host it named>."""
        origin = self.headers.get("Origin", "")
        return bool(origin) and origin == f"http://{self.headers.get('Host', '').strip()}"

    def _signed_in(self) -> bool:
        for part in self.headers.get("Cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and secrets.compare_digest(value, self.server.token):
                return True
        return False

    def _json_body(self) -> dict[str, Any] | None:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY_BYTES:
            self.close_connection = True
            self._send_json({"error": "A change must be a small JSON object."}, HTTPStatus.BAD_REQUEST)
            return None
        try:
            body = json.loads(self.rfile.read(length))
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            self._send_json({"error": "A change must be a JSON object."}, HTTPStatus.BAD_REQUEST)
            return None
        return body

    def _login(self) -> None:
        """The token form's answer: a session cookie and the studio, or the form again."""
        try:
            length = min(int(self.headers.get("Content-Length", "0")), 4096)
        except ValueError:
            length = 0
        fields = parse_qs(self.rfile.read(length).decode("utf-8", errors="replace")) if length > 0 else {}
        given = (fields.get("token") or [""])[0].strip()
        if not self._same_origin() or not secrets.compare_digest(given, self.server.token):
            self._send_html(_login_page(failed=True), status=HTTPStatus.FORBIDDEN)
            return
        self.send_headers(HTTPStatus.SEE_OTHER, {
            "Location": "/", "Content-Length": "0",
            "Set-Cookie": f"{COOKIE}={self.server.token}; HttpOnly; SameSite=Strict; Path=/",
        })

    # Answers.

    def _send_json(self, value: Any, status: HTTPStatus = HTTPStatus.OK, *, send_body: bool = True) -> None:
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        self.send_headers(status, {"Content-Type": "application/json; charset=utf-8",
                                   "Content-Length": str(len(body)), "Cache-Control": "no-store",
                                   "X-Content-Type-Options": "nosniff"})
        if send_body:
            self.wfile.write(body)

    def _send_html(self, page: str, *, status: HTTPStatus = HTTPStatus.OK, send_body: bool = True) -> None:
        body = page.encode("utf-8")
        self.send_headers(status, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body)),
                                   "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                                   "Content-Security-Policy": CONTENT_SECURITY_POLICY,
                                   "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"})
        if send_body:
            self.wfile.write(body)

    def _send_asset(self, name: str, *, send_body: bool) -> None:
        body = resources.files("briefing.publish").joinpath("static").joinpath(name).read_bytes()
        self.send_headers(HTTPStatus.OK, {"Content-Type": content_type(Path(name)), "Content-Length": str(len(body)),
                                          "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})
        if send_body:
            self.wfile.write(body)


def _page(token: str, script_name: str) -> str:
    return _PAGE.format(token=html.escape(token), script=html.escape(script_name))


def _login_page(*, failed: bool) -> str:
    message = '<p class="problem" role="alert">That is not this studio\'s token.</p>' if failed else ""
    return _LOGIN.format(message=message)


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="briefing-token" content="{token}">
<title>Studio: {script}</title>
<link rel="stylesheet" href="/studio/studio.css">
<script src="/studio/studio.js" defer></script>
</head>
<body>
<a class="skip" href="#stories">Skip to the stories</a>
<header class="bar">
<div class="bar-text">
<p class="file">Editing <code>{script}</code></p>
<h1 id="title">Studio</h1>
<p class="facts" id="facts"></p>
</div>
<div class="bar-actions">
<button type="button" id="render" class="primary">Render and publish</button>
</div>
</header>
<div class="messages">
<p id="status" class="status" role="status" aria-live="polite"></p>
<div id="alert" class="alert" role="alert" hidden></div>
</div>
<section id="result" class="result" hidden aria-labelledby="result-title">
<h2 id="result-title">Episode</h2>
<progress id="progress" max="1" value="0"></progress>
<p id="progress-text"></p>
<audio id="episode" controls preload="none"></audio>
<p class="links"><a href="/index.html">Open the library page</a></p>
</section>
<main id="script" tabindex="-1">
<p class="loading">Loading the script…</p>
</main>
<audio id="line-audio" preload="none"></audio>
</body>
</html>
"""

_LOGIN = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Studio: sign in</title>
<link rel="stylesheet" href="/studio/studio.css">
</head>
<body>
<main class="login">
<h1>briefing studio</h1>
<p>This studio listens on the network. Give the token it printed when it started.</p>
{message}
<form method="post" action="/login">
<label for="token">Token</label>
<input id="token" name="token" type="password" autocomplete="off" required>
<button type="submit" class="primary">Open the studio</button>
</form>
</main>
</body>
</html>
"""
