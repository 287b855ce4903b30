"""Recognise what a file's first bytes say about its encoding (RFC 8259 §8.1)."""
from __future__ import annotations

from typing import Optional, Tuple

UTF8_BOM = b"\xef\xbb\xbf"

_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 BE", "UTF-32BE"),
    (b"\xff\xfe\x00\x00", "UTF-32 LE", "UTF-32LE"),
    (b"\xfe\xff", "UTF-16 BE", "UTF-16BE"),
    (b"\xff\xfe", "UTF-16 LE", "UTF-16LE"),
)


def sniff(head: bytes) -> Tuple[Optional[str], Optional[str], int]:
    """(detected encoding name or None, iconv name, BOM length to skip).

    Returns a name only for encodings that are not UTF-8. JSON text starts with an
    ASCII character, so the position of NUL bytes among the first four gives
    UTF-16/32 away even without a byte-order mark.
    """
    for bom, name, iconv in _BOMS:
        if head.startswith(bom):
            return name + " (with byte-order mark)", iconv, len(bom)
    if head.startswith(UTF8_BOM):
        return None, None, len(UTF8_BOM)
    if len(head) >= 4:
        z = [b == 0 for b in head[:4]]
        if z == [True, True, True, False]:
            return "UTF-32 BE", "UTF-32BE", 0
        if z == [False, True, True, True]:
            return "UTF-32 LE", "UTF-32LE", 0
        if z[0] and not z[1] and z[2] and not z[3]:
            return "UTF-16 BE", "UTF-16BE", 0
        if not z[0] and z[1] and not z[2] and z[3]:
            return "UTF-16 LE", "UTF-16LE", 0
    elif len(head) >= 2:
        if head[0] == 0 and head[1] != 0:
            return "UTF-16 BE", "UTF-16BE", 0
        if head[0] != 0 and head[1] == 0:
            return "UTF-16 LE", "UTF-16LE", 0
    return None, None, 0


def describe_invalid_utf8(data: bytes, start: int) -> str:
    """Say what invalid UTF-8 at `data[start]` most likely is, and how to convert it."""
    window = data[max(0, start - 64) : start + 64]
    high = [b for b in window if b >= 0x80]
    continuation = sum(1 for b in high if 0x80 <= b < 0xC0)
    bad = data[start : start + 1].hex()
    if high and continuation * 2 < len(high):
        return (
            f"byte 0x{bad} is not valid UTF-8; the text looks like Latin-1 or Windows-1252. "
            "Convert the file, e.g. `iconv -f WINDOWS-1252 -t UTF-8 in.json > out.json`"
        )
    return f"byte 0x{bad} is not valid UTF-8. Save the file as UTF-8 (Labelbox reads JSON as UTF-8)"
