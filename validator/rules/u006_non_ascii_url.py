"""A URL contains raw non-ASCII characters.

What it checks
    Every URL in a row (``row_data``, URL fields of an object ``row_data``,
    URL-typed attachment values, tile and text-layer URLs) for characters
    outside ASCII (``é``, ``ü``, CJK, emoji, and invisible ones such as a
    non-breaking space or a zero-width space). The message names the first one,
    its code point and its offset in the value.

Why it matters
    URLs are ASCII (RFC 3986 §2): other characters must be percent-encoded as
    UTF-8. Browsers do that silently, so a URL that "works in the browser" (the
    test the attachments pages recommend) can still fail when Labelbox's servers
    fetch it, or name another object when a tool encodes it differently
    (NFC/NFD forms of ``é`` are different bytes).

Decisions
    Fixable: the path, query and fragment are percent-encoded as UTF-8 (``é`` ->
    ``%C3%A9``); a non-ASCII host name is written in its IDNA form
    (``bücher.de`` -> ``xn--bcher-kva.de``), which is what DNS resolves. Leading
    and trailing whitespace, even non-ASCII whitespace, is U004's. ASCII
    characters RFC 2396 excludes are U001's.

FAIL::

    [{"row_data": "https://example.com/images/café.jpg", "media_type": "IMAGE"}]

PASS::

    [{"row_data": "https://example.com/images/caf%C3%A9.jpg", "media_type": "IMAGE"}]
"""
from .. import urls
from ..model import Fix, Problem

CODE = "U006"
NAME = "non-ascii-url"
SEVERITY = "warning"
FIXABLE = True


def check(row, ctx):
    for ref in row.urls():
        value = ref.value
        if value.isascii():
            continue
        body = value.strip()
        if body.isascii():
            continue  # only non-ASCII whitespace around it: U004
        if ref.role == "attachment" and not urls.scheme_of(body):
            continue  # not a URL at all: A008
        lead = len(value) - len(value.lstrip())
        hits = [i for i, c in enumerate(body) if ord(c) > 127]
        first = body[hits[0]]
        more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
        fixed = encode(body)
        encoded = "".join(f"%{b:02X}" for b in first.encode("utf-8", "surrogatepass"))
        hspan = urls.host_span(body)
        in_host = hspan is not None and hspan[0] <= hits[0] < hspan[1]
        if in_host:
            how = f"write the host name in its IDNA form ({urls.shorten(fixed, 120)})" if fixed != body else "write the host name in its IDNA (xn--) form"
        else:
            how = f"percent-encode it as UTF-8 ({_show(first)} -> {encoded})"
        yield Problem(
            ref.path,
            f"URL contains the non-ASCII character {_show(first)} (U+{ord(first):04X}) at offset {lead + hits[0]}{more}: {how}",
            fix=Fix(fixed, "percent-encode non-ASCII URL characters as UTF-8") if fixed != body else None,
        )


def _show(ch):
    return f"'{ch}'" if ch.isprintable() and not ch.isspace() else "an invisible character"


def encode(url):
    """The URL with non-ASCII characters percent-encoded (UTF-8) and a non-ASCII host in IDNA form."""
    hspan = urls.host_span(url)
    if hspan is not None:
        start, end = hspan
        host = url[start:end]
        if not host.isascii():
            try:
                host = host.encode("idna").decode("ascii")
            except (UnicodeError, ValueError):
                return url  # not a valid internationalised name: no automatic fix
        url = url[:start] + host + _percent(url[end:])
        return _percent(url[:start]) + url[start:]
    return _percent(url)


def _percent(text):
    if text.isascii():
        return text
    return "".join(c if ord(c) < 128 else "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass")) for c in text)
