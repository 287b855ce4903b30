"""Untrusted text made safe to print: input values reach terminals and CI logs."""
from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the Unicode bidi and line/paragraph separators
# (they reorder or break what a reader sees).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def _escape(m: "re.Match[str]") -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with control, escape and bidi characters shown as escapes."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text
