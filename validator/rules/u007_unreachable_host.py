"""A URL whose host Labelbox's servers cannot reach.

What it checks
    The host of every http(s) URL in a row: ``localhost`` (and
    ``*.localhost``), loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
    link-local (169.254/16, fe80::/10), shared (100.64/10) and other non-public
    IP addresses; names under ``.local``, ``.internal``, ``.localdomain``,
    ``.home.arpa``, ``.test`` and ``.invalid``; and single-label names with no
    domain (``https://fileserver/a.jpg``). IPv4 addresses are read as browsers
    read them, so ``127.1``, ``2130706433``, ``0x7f000001`` and ``0177.0.0.1`` are
    all the loopback address 127.0.0.1.

Why it matters
    Labelbox fetches assets from its own servers (and labelers' browsers) on the
    public internet; a host on your machine or private network works in your
    browser and nowhere else, so the asset uploads and never loads. Use a public
    URL, a signed URL, or IAM delegated access (``004_a3f56cb6944fa143.txt``).

Decisions
    The reserved names are those of RFC 6761 (``localhost``, ``.test``,
    ``.invalid``), RFC 6762 (``.local``), RFC 8375 (``.home.arpa``), ICANN's
    ``.internal``, and the common ``.localdomain``. Single-label host names are
    reported because public DNS does not resolve them. ``gs://`` URLs name a
    bucket, not a host, and are never reported. Syntax errors in the host are
    U004's. A host whose last label is a number (digits, or ``0x`` and hex
    digits) is an IPv4 address as the WHATWG URL Standard parses it: one to
    four parts, each decimal, ``0x`` hex or ``0``-led octal, the last filling
    the remaining bytes; the message gives the dotted address. Other hosts that
    start with a digit (``3dprinter.local``, ``1.example.com``) are names.

FAIL::

    [{"row_data": "http://localhost:8000/images/1.jpg", "media_type": "IMAGE"}]

PASS::

    [{"row_data": "https://images.example.com/1.jpg", "media_type": "IMAGE"}]
"""
import ipaddress
import re

from .. import urls
from ..model import Problem

CODE = "U007"
NAME = "unreachable-host"
SEVERITY = "warning"

_HOST = re.compile(r"\s*[Hh][Tt][Tt][Pp][Ss]?://(?:[^/?#@]*@)?(\[[^\]/?#]*\]|[^/?#:]*)")
_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".test", ".invalid")


def check(row, ctx):
    for ref in row.urls():
        m = _HOST.match(ref.value)
        if not m:
            continue
        host = m.group(1).lower().rstrip(".")
        if not host or (host[-1].isalpha() and "." in host and not host.endswith(_SUFFIXES) and not host[0].isdigit()):
            continue  # a public-looking domain name: the happy path (an IPv4 address starts with a digit)
        reason = unreachable(host)
        if reason:
            yield Problem(ref.path, f"host '{urls.shorten(host)}' is {reason}, which Labelbox's servers and labelers cannot reach: "
                                    "host the file at a public URL, a signed URL or an IAM delegated access path")


def unreachable(host):
    """Why a (lower-case) host is not reachable from the internet, or None."""
    first = host[0]
    if first == "[" or (first.isdigit() and urls.ends_in_number(host)):
        dotted = None
        try:
            ip = ipaddress.ip_address(host.strip("[]").partition("%")[0])
        except ValueError:
            if first == "[":
                return None  # a broken IPv6 address (U004)
            dotted = urls.ipv4_host(host)  # 127.1, 2130706433, 0x7f000001, 0177.0.0.1...
            if dotted is None:
                return None  # not an address a browser accepts either (U004)
            ip = ipaddress.IPv4Address(dotted)
        mapped = getattr(ip, "ipv4_mapped", None)
        if mapped is not None:
            ip = mapped
        if ip.is_global:
            return None
        kind = _ip_kind(ip)
        return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} address" + (f" (browsers read it as {dotted})" if dotted else "")
    if host == "localhost" or host.endswith(_SUFFIXES):
        return "a local or reserved name"
    if "." not in host:
        return "a name without a domain (it resolves only on your network)"
    return None


def _ip_kind(ip):
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    return "non-public"
