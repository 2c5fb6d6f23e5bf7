"""The sockets under the HTTP client: which addresses a fetch may reach, its deadline, and Ctrl-C.

httpx (through httpcore) asks this network backend for every connection, so
every rule here holds for redirects, pooled connections and TLS alike:

- Fetch policy. A name is resolved here and each address is checked before
  any packet is sent to it, so a name that resolves to a public address when
  a feed is read and to 127.0.0.1 when its link is fetched (DNS rebinding)
  is caught. Loopback, link-local (cloud metadata at 169.254.169.254),
  private and other non-global addresses are reachable only for the one
  origin a fetch is allowed (`Fence.private_origin`: the origin the user
  named, or the origin whose content led here when that origin is itself on
  a private address), or for any origin with `allow_private`.
- Deadline. Each fetch has one wall-clock deadline covering connect, TLS,
  headers and body; every socket wait is cut to what is left of it, so a
  server that sends one byte a second is cut off on time.
- Abort. `abort()` (on Ctrl-C) wakes every waiting socket and makes every
  further wait fail at once, so worker threads end and the process exits.
"""
from __future__ import annotations

import errno
import ipaddress
import os
import select
import socket
import ssl
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpcore

ABORT_POLL_S = 0.1
"""How often a connect in progress looks for an abort."""
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_key(url: str) -> str | None:
    """"host:port" of an http(s) URL, the unit the fetch policy trusts; None if it has no host."""
    parts = urlsplit(url)
    if not parts.hostname:
        return None
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower(), 80)
    except ValueError:
        return None
    return f"{parts.hostname.lower()}:{port}"


def is_public_address(address: str) -> bool:
    """True for an address on the public internet; False for loopback, private, link-local,
    shared (CGNAT), multicast, reserved and unspecified ones (IPv4-mapped IPv6 included)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class Refused(httpcore.ConnectError):
    """The fetch policy kept this fetch from an address; the message says why, for the user."""


class Interrupted(httpcore.NetworkError):
    """The run was stopped (Ctrl-C) while this fetch waited."""


class DeadlinePassed(httpcore.TimeoutException):
    """The fetch's whole-download deadline passed while it waited."""


@dataclass
class Fence:
    """What one fetch may do: reach which private origin, and until when."""

    deadline: float
    """time.monotonic() value after which every wait fails."""
    private_origin: str | None = None
    """"host:port" whose non-public addresses this fetch may reach."""
    allow_private: bool = False
    refused_address: str | None = field(default=None, init=False)
    """Set when the policy kept this fetch from an address."""
    answer_private_origin: str | None = field(default=None, init=False)
    """The origin of the last answer, if it came from a non-public address."""

    def may_reach(self, host: str, port: int, address: str) -> bool:
        if is_public_address(address) or self.allow_private:
            return True
        return self.private_origin == f"{host.lower().strip('[]')}:{port}"


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's network backend with the fetch policy, deadlines and abort; see the module docstring."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()
        self.stopped = threading.Event()

    @contextmanager
    def fenced(self, fence: Fence) -> Iterator[Fence]:
        """Run one fetch in this thread under `fence`."""
        self._local.fence = fence
        try:
            yield fence
        finally:
            self._local.fence = None

    def abort(self) -> None:
        """Stop every fetch: wake the sockets that wait and fail every further wait."""
        self.stopped.set()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def wait_s(self, timeout: float | None) -> float | None:
        """How long the next socket wait may take: the step's timeout cut to the deadline."""
        if self.stopped.is_set():
            raise Interrupted("the run was interrupted")
        fence: Fence | None = getattr(self._local, "fence", None)
        if fence is None:
            return timeout
        left = fence.deadline - time.monotonic()
        if left <= 0:
            raise DeadlinePassed("the fetch's deadline passed")
        return left if timeout is None else min(timeout, left)

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        error: Exception = httpcore.ConnectError(f"no address found for {host}")
        for family, address in self._addresses(host, port):
            try:
                return GuardedStream(self._connect(family, address, timeout), self, address)
            except httpcore.ConnectError as failure:
                error = failure
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def _addresses(self, host: str, port: int) -> list[tuple[int, Any]]:
        """The resolved addresses this fetch may reach; Refused if the policy allows none."""
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise httpcore.ConnectError(f"getaddrinfo failed: {error}") from None
        fence: Fence | None = getattr(self._local, "fence", None)
        allowed: list[tuple[int, Any]] = [
            (f, a) for f, _, _, _, a in found if fence is None or fence.may_reach(host, port, str(a[0]))
        ]
        if not allowed:
            address = str(found[0][4][0])
            if fence is not None:
                fence.refused_address = address
            raise Refused(f"the fetch policy keeps this fetch from {address}")
        return allowed

    def _connect(self, family: int, address: tuple, timeout: float | None) -> socket.socket:
        """A connected socket, waiting in short steps so an abort or the deadline ends the wait."""
        sock = socket.socket(family, socket.SOCK_STREAM)
        self._track(sock)
        try:
            sock.setblocking(False)
            code = sock.connect_ex(address)
            step_end = None if timeout is None else time.monotonic() + timeout
            while code in (errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY):
                left = self.wait_s(None if step_end is None else step_end - time.monotonic())
                if left is not None and left <= 0:
                    raise httpcore.ConnectTimeout("timed out")
                poll_s = ABORT_POLL_S if left is None else min(left, ABORT_POLL_S)
                if select.select([], [sock], [], poll_s)[1]:
                    code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                raise httpcore.ConnectError(f"[Errno {code}] {os.strerror(code)}")
            sock.setblocking(True)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        except BaseException:
            sock.close()
            raise

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)
        if self.stopped.is_set():
            sock.close()
            raise Interrupted("the run was interrupted")


class GuardedStream(httpcore.NetworkStream):
    """A socket whose every wait is cut to the fetch's deadline and ends on abort."""

    def __init__(self, sock: socket.socket, backend: GuardedBackend, peer: tuple):
        self._sock = sock
        self._backend = backend
        self._peer = peer
        """The address connected to, kept: once the peer resets the connection, getpeername() fails."""

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _mapped(httpcore.ReadTimeout, httpcore.ReadError):
            self._sock.settimeout(self._backend.wait_s(timeout))
            return self._sock.recv(max_bytes)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        with _mapped(httpcore.WriteTimeout, httpcore.WriteError):
            while buffer:
                self._sock.settimeout(self._backend.wait_s(timeout))
                buffer = buffer[self._sock.send(buffer):]

    def close(self) -> None:
        self._sock.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        with _mapped(httpcore.ConnectTimeout, httpcore.ConnectError):
            self._sock.settimeout(self._backend.wait_s(timeout))
            tls = ssl_context.wrap_socket(self._sock, server_hostname=server_hostname)
        self._backend._track(tls)
        return GuardedStream(tls, self._backend, self._peer)

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self._sock if isinstance(self._sock, ssl.SSLSocket) else None
        if info == "server_addr":
            return self._peer
        if info == "client_addr":
            with suppress(OSError):
                return self._sock.getsockname()
            return None
        if info == "socket":
            return self._sock
        if info == "is_readable":
            return _is_readable(self._sock)
        return None


def _is_readable(sock: socket.socket) -> bool:
    """True if the peer closed an idle pooled connection (or sent something unasked)."""
    if sock.fileno() < 0:
        return True
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


@contextmanager
def _mapped(timeout_error: type[Exception], other_error: type[Exception]) -> Iterator[None]:
    try:
        yield
    except (httpcore.TimeoutException, Interrupted):
        raise
    except TimeoutError as error:
        raise timeout_error(str(error) or "timed out") from None
    except OSError as error:
        raise other_error(str(error)) from None
