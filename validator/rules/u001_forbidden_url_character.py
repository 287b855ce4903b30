"""A URL contains a character Labelbox does not support.

What it checks
    Every URL in a row (``row_data``, URL fields of an object ``row_data``,
    URL-typed attachment values, tile and text-layer URLs) for the characters
    Labelbox names (``#``, ``<``, ``>``, ``||``) and the rest of RFC 2396 §2.4.3's
    excluded set: space, ``"``, ``{``, ``}``, ``|``, ``\\``, ``^``, ``[``, ``]``,
    backtick, control characters, and ``%`` not followed by two hex digits. The
    message names the first such character and its offset in the value.

Why it matters
    "Certain characters like #, <, > and || are not supported in URLs and should
    be avoided in your file names to prevent loading issues" (attachments pages,
    "Special character handling", citing RFC 2396 §2.4.3). The asset uploads, then
    fails to load for labelers.

Decisions
    The ``{z}``, ``{x}``, ``{y}`` placeholders of tile URLs are allowed, and so are
    brackets around an IPv6 host. Leading and trailing whitespace is U004's.
    Non-ASCII characters are U006's. An attachment value with no scheme is not a
    URL at all (A008's), so its characters are not reported here.
    Fixable: percent-encoding the characters (``#`` -> ``%23``) names the same
    object and loads.

FAIL::

    [{"row_data": "https://example.com/images/cat#1.jpg"}]

PASS::

    [{"row_data": "https://example.com/images/cat%231.jpg"}]
"""
import re

from .. import urls
from ..model import Fix, Problem

CODE = "U001"
NAME = "forbidden-url-character"
SEVERITY = "error"
FIXABLE = True

_BAD = re.compile(r'[\x00-\x20"#<>\\^`{|}\x7f\[\]]|%(?![0-9A-Fa-f]{2})')
_PLACEHOLDER = re.compile(r"\{[zxy]\}")
_NAMES = {" ": "a space", "\t": "a tab", "\n": "a newline", "\r": "a carriage return", '"': 'a double quote (")',
          "#": "'#'", "%": "'%' not followed by two hex digits"}


def forbidden(url, tile=False):
    """(offset, character) of each forbidden character, ignoring surrounding whitespace."""
    if _BAD.search(url) is None:
        return []  # nearly every URL: one scan in C
    lead = len(url) - len(url.lstrip())
    body = url.strip()
    spans = [m.span() for m in _PLACEHOLDER.finditer(body)] if tile else []
    host_brackets = _ipv6_host_span(body)
    out = []
    for m in _BAD.finditer(body):
        i = m.start()
        if any(a <= i < b for a, b in spans) or (host_brackets and i in host_brackets):
            continue
        out.append((lead + i, m.group()))
    return out


_IPV6_HOST = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://(?:[^/@]*@)?(\[[0-9A-Fa-f:.]+\])")


def _ipv6_host_span(url):
    if "[" not in url:
        return None
    m = _IPV6_HOST.match(url)
    return (m.start(1), m.end(1) - 1) if m else None


def describe(ch):
    if ch in _NAMES:
        return _NAMES[ch]
    if ord(ch) < 0x20 or ord(ch) == 0x7F:
        return f"control character U+{ord(ch):04X}"
    return f"'{ch}'"


def _show(ch):
    return repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"


def encode(url, tile=False, hits=None):
    """The URL with its forbidden characters percent-encoded (`hits`: its `forbidden()`, if known)."""
    parts, last = [], 0
    for i, ch in forbidden(url, tile) if hits is None else hits:  # in offset order; linear in the URL's length
        parts.append(url[last:i])
        parts.append(f"%{ord(ch):02X}")
        last = i + 1
    parts.append(url[last:])
    return "".join(parts)


def check(row, ctx):
    for ref in row.urls():
        hits = forbidden(ref.value, ref.role == "tile")
        if not hits:
            continue
        if ref.role == "attachment" and not urls.scheme_of(ref.value.strip()):
            continue  # not a URL at all: A008's
        offset, ch = hits[0]
        more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
        fixed = encode(ref.value, ref.role == "tile", hits)
        yield Problem(
            ref.path,
            f"URL contains {describe(ch)} at offset {offset}{more}, which Labelbox does not support in URLs: "
            f"percent-encode it ({_show(ch)} -> %{ord(ch):02X})",
            fix=Fix(fixed, "percent-encode forbidden URL characters"),
        )
