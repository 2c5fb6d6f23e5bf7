"""Which names `briefing serve` answers to: this machine's addresses, and the Host header check.

A web page on another site can make a browser on this machine send requests
to 127.0.0.1 under its own name (DNS rebinding); the Host header still
carries that name. So the server answers only requests whose Host is one of
the addresses it listens on (for 0.0.0.0 or ::, each address of this
machine), a loopback name, this machine's name, or the host of the library's
base URL. Addresses are read from the interfaces; no packet is sent.
"""
from __future__ import annotations

import ipaddress
import socket
import struct
import sys
from contextlib import suppress
from pathlib import Path

WILDCARDS = ("", "0.0.0.0", "::")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "localhost.localdomain"})
_SIOCGIFADDR = 0x8915
"""ioctl(2) request for an interface's IPv4 address (linux/sockios.h)."""
_ROUTE_PROBES = ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1"))
"""Documentation addresses (RFC 5737, RFC 3849): a UDP connect() to one picks the outgoing
interface without sending anything."""


def host_name(header: str) -> str:
    """The name or address in a Host header, without port or brackets, lower case: "[::1]:80" -> "::1"."""
    value = header.strip().lower().rstrip(".")
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


def machine_addresses() -> list[str]:
    """This machine's addresses other than loopback, IPv4 first: where other devices can reach it."""
    found: set[str] = set()
    found.update(_interface_ipv4())
    found.update(_interface_ipv6())
    found.update(_routed_addresses())
    with suppress(OSError, UnicodeError):
        found.update(str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None))
    usable = []
    for address in found:
        with suppress(ValueError):
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast):
                usable.append(str(ip))
    return sorted(usable, key=lambda a: (":" in a, ipaddress.ip_address(a)))


def _interface_ipv4() -> list[str]:
    """Every interface's IPv4 address (Linux ioctl); [] elsewhere."""
    if not sys.platform.startswith("linux"):
        return []
    import fcntl

    found = []
    for _, name in socket.if_nameindex():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe, suppress(OSError):
            answer = fcntl.ioctl(probe.fileno(), _SIOCGIFADDR, struct.pack("256s", name.encode()[:15]))
            found.append(socket.inet_ntoa(answer[20:24]))
    return found


def _interface_ipv6() -> list[str]:
    """Every interface's IPv6 address, from /proc/net/if_inet6 (Linux); [] elsewhere."""
    try:
        lines = Path("/proc/net/if_inet6").read_text().splitlines()
    except OSError:
        return []
    return [str(ipaddress.IPv6Address(bytes.fromhex(line.split()[0]))) for line in lines if line.split()]


def _routed_addresses() -> list[str]:
    """The source address the routing table picks for the internet, per family (no packet is sent)."""
    found = []
    for family, probe in _ROUTE_PROBES:
        with socket.socket(family, socket.SOCK_DGRAM) as udp, suppress(OSError):
            udp.connect((probe, 9))
            found.append(str(udp.getsockname()[0]))
    return found


def served_names(host: str) -> frozenset[str]:
    """The Host names a server bound to `host` answers to (without the library's base URL host)."""
    names = {host.lower()} - set(WILDCARDS)  # "0.0.0.0" in a Host header is a page reaching loopback
    if host in WILDCARDS:
        names |= set(machine_addresses()) | LOOPBACK_NAMES
    elif host in LOOPBACK_NAMES or is_loopback(host):
        names |= LOOPBACK_NAMES
    with suppress(OSError):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(name for name in names if name)


def is_loopback(host: str) -> bool:
    """Is `host` a loopback address (127.0.0.0/8, ::1)? Names are not: they are checked by what they resolve to."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
