"""What several rule families share about URLs: splitting, cloud storage locations,
signed-URL parameters. Plain string work, no network, and cheap on the happy path.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional, Tuple
from urllib.parse import parse_qsl, unquote

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


class Url(NamedTuple):
    scheme: str  # lower case, "" when there is none
    host: str  # lower case, without port or credentials
    path: str  # as written, starting with "/" (or "" )
    query: str  # as written, without "?"


@lru_cache(maxsize=4096)
def split(url: str) -> Url:
    """Split without validating (rules decide what is wrong)."""
    m = _SCHEME.match(url)
    if not m:
        return Url("", "", url, "")
    scheme = m.group(1).lower()
    rest = url[m.end():]
    rest, _, _fragment = rest.partition("#")
    rest, _, query = rest.partition("?")
    if rest.startswith("//"):
        authority, slash, path = rest[2:].partition("/")
        host = authority.rpartition("@")[2]
        if host.startswith("["):
            host = host[: host.find("]") + 1]
        else:
            host = host.partition(":")[0]
        return Url(scheme, host.lower(), slash + path, query)
    return Url(scheme, "", rest, query)


def looks_like_url(value: str) -> bool:
    """A value written as a URL: a scheme followed by "//" (https://, gs://, s3://...)."""
    m = _SCHEME.match(value)
    return bool(m) and value.startswith("//", m.end())


def extension(url: str) -> Optional[str]:
    """Lower-case file extension of the URL's path, or None."""
    path = split(url).path if looks_like_url(url) else url
    name = unquote(path.rstrip("/").rpartition("/")[2])
    if "." not in name:
        return None
    ext = name.rpartition(".")[2].lower()
    return ext if ext and ext.isalnum() and len(ext) <= 5 else None


class Location(NamedTuple):
    """Where an object lives in cloud storage."""

    provider: str  # "s3", "gcs" or "azure"
    bucket: str  # S3/GCS bucket, or "account/container" for Azure
    key: str


_S3_VIRTUAL = re.compile(r"^(?P<bucket>[a-z0-9][a-z0-9.\-]*)\.s3(?:[.\-](?:dualstack\.)?(?P<region>[a-z0-9\-]+))?\.amazonaws\.com(?:\.cn)?$")
_S3_PATH = re.compile(r"^s3(?:[.\-](?:dualstack\.)?(?P<region>[a-z0-9\-]+))?\.amazonaws\.com(?:\.cn)?$")
_GCS_VIRTUAL = re.compile(r"^(?P<bucket>[a-z0-9][a-z0-9._\-]*)\.storage\.googleapis\.com$")
_AZURE = re.compile(r"^(?P<account>[a-z0-9]+)\.blob\.core\.windows\.net$")


@lru_cache(maxsize=4096)
def storage_location(url: str) -> Optional[Location]:
    """Recognise S3 (every virtual-hosted and path form), GCS and Azure Blob URLs."""
    u = split(url)
    path = u.path.lstrip("/")
    if u.scheme == "gs":
        return Location("gcs", u.host, path) if u.host else None
    if u.scheme == "s3":
        return Location("s3", u.host, path) if u.host else None
    if u.scheme not in ("https", "http"):
        return None
    host = u.host
    if host.endswith("amazonaws.com") or host.endswith("amazonaws.com.cn"):
        m = _S3_VIRTUAL.match(host)
        if m:
            return Location("s3", m.group("bucket"), path)
        if _S3_PATH.match(host):
            bucket, _, key = path.partition("/")
            return Location("s3", bucket, key) if bucket else None
        return None
    if host in ("storage.googleapis.com", "storage.cloud.google.com"):
        bucket, _, key = path.partition("/")
        return Location("gcs", bucket, key) if bucket else None
    m = _GCS_VIRTUAL.match(host)
    if m:
        return Location("gcs", m.group("bucket"), path)
    m = _AZURE.match(host)
    if m:
        container, _, key = path.partition("/")
        return Location("azure", f"{m.group('account')}/{container}", key) if container else None
    return None


_SIGNATURE_PARAMS = ("x-amz-signature", "x-goog-signature", "sig", "signature")


def query_params(url: str) -> Tuple[Tuple[str, str], ...]:
    return tuple((k.lower(), v) for k, v in parse_qsl(split(url).query, keep_blank_values=True))


def is_signed(url: str) -> bool:
    """A pre-signed URL (AWS SigV4/SigV2, GCS V4/V2, Azure SAS): never an IAM path."""
    query = split(url).query
    if not query:
        return False
    lowered = query.lower()
    if "signature" not in lowered and "sig=" not in lowered:
        return False
    return any(k in _SIGNATURE_PARAMS for k, _ in query_params(url))


# -- added for the U and A rules (scheme, host and display helpers) ----------------------

# A scheme followed by something other than a digit: "localhost:8080/a.jpg" has no scheme.
_REAL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(?![0-9])")
SUPPORTED_SCHEMES = ("https", "gs")


def scheme_of(value: str) -> str:
    """Lower-case scheme of a (stripped) value, "" when it has none.

    `host:port/...` is not read as a scheme, so `example.com:443/a.jpg` has none.
    """
    m = _REAL_SCHEME.match(value)
    return m.group(1).lower() if m else ""


def authority_span(url: str) -> Optional[Tuple[int, int]]:
    """(start, end) of the authority (`user@host:port`) of a `scheme://` URL, else None."""
    m = _SCHEME.match(url)
    if not m or not url.startswith("//", m.end()):
        return None
    start = m.end() + 2
    stop = _AUTHORITY_END.search(url, start)
    return start, (stop.start() if stop else len(url))


_AUTHORITY_END = re.compile(r"[/?#]")


def host_span(url: str) -> Optional[Tuple[int, int]]:
    """(start, end) of the host (no credentials, no port) of a `scheme://` URL, else None."""
    span = authority_span(url)
    if span is None:
        return None
    start, end = span
    at = url.rfind("@", start, end)
    if at >= 0:
        start = at + 1
    if url.startswith("[", start):
        close = url.find("]", start, end)
        return (start, close + 1) if close >= 0 else (start, end)
    colon = url.find(":", start, end)
    return (start, colon) if colon >= 0 else (start, end)


def shorten(text: str, limit: int = 80) -> str:
    """Long input values cut down for messages (the reporters escape them)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


_BARE_HOST = re.compile(r"(?:www\.[A-Za-z0-9\-]|(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,}(?::\d+)?/)")


def looks_like_bare_host(value: str) -> bool:
    """`www.example.com...` or `example.com/path`: a URL written without its scheme."""
    return bool(_BARE_HOST.match(value))


def url_extension(url: str) -> Optional[str]:
    """`extension()` for a `scheme://` URL with plain string operations (for hot paths).

    The lower-case extension of the last path segment, ignoring query and fragment; None
    when the URL has no path, or its last segment has no extension.
    """
    start = url.find("//")
    if start < 0:
        return extension(url)
    end = len(url)
    for stop in "?#":
        i = url.find(stop, start)
        if 0 <= i < end:
            end = i
    slash = url.find("/", start + 2, end)
    if slash < 0:
        return None
    name = url[url.rfind("/", slash, end) + 1:end]
    if "%" in name:
        name = unquote(name)
    dot = name.rfind(".")
    if dot < 0:
        return None
    ext = name[dot + 1:].lower()
    return ext if ext and len(ext) <= 5 and ext.isalnum() else None


# -- IPv4 hosts as browsers read them (WHATWG URL Standard, "host parser") ---------------
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def ends_in_number(host: str) -> bool:
    """WHATWG "ends in a number": the host's last label (one trailing dot aside) is all
    ASCII digits or a 0x hex number. Such a host is parsed as an IPv4 address, never as a name."""
    last = host[:-1] if host.endswith(".") and len(host) > 1 else host
    last = last.rpartition(".")[2]
    if last.isascii() and last.isdigit():
        return True
    return last[:2] in ("0x", "0X") and all(c in _HEX_DIGITS for c in last[2:])


def _ipv4_number(part: str) -> Optional[int]:
    """WHATWG IPv4 number: decimal, 0x/0X hex, or octal with a leading 0; "" -> None (failure)."""
    if not part:
        return None
    radix = 10
    if part[:2] in ("0x", "0X"):
        part, radix = part[2:], 16
    elif len(part) > 1 and part[0] == "0":
        part, radix = part[1:], 8
    if not part:
        return 0  # "0x" alone is zero
    if not part.isascii() or not part.isalnum():
        return None  # int() would also take "_", "+", whitespace and non-ASCII digits
    try:
        return int(part, radix)
    except ValueError:
        return None


def ipv4_host(host: str) -> Optional[str]:
    """The dotted-quad address a browser reads from an IPv4 host written in any form it accepts
    (``127.1``, ``2130706433``, ``0x7f000001``, ``0177.0.0.1`` -> ``127.0.0.1``), else None.

    The WHATWG IPv4 parser: 1 to 4 dot-separated numbers (one trailing dot allowed), each
    decimal, 0x hex or leading-0 octal; every number but the last below 256, and the last filling
    the remaining bytes. None both for names (see `ends_in_number`) and for invalid addresses.
    """
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if len(parts) > 4:
        return None
    numbers = []
    for part in parts:
        n = _ipv4_number(part)
        if n is None:
            return None
        numbers.append(n)
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    address = last
    for i, n in enumerate(head):
        address += n << (8 * (3 - i))
    return ".".join(str((address >> shift) & 255) for shift in (24, 16, 8, 0))
