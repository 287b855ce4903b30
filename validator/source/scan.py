"""Exact byte-level JSON structure scanning, for the rare places that need it.

The hot path never comes here: ijson parses. These helpers find row closes and
depth-1 row separators, nesting depth and string state in a small window of
bytes, with `re` or bytes methods so that strings are skipped in C. Nothing here
recurses.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

# A string (possibly unterminated at the end of the window) or a structural byte.
# Strings are matched as "unrolled loops" ([^"\\]* runs): an alternation per
# character costs ~1 us a byte, which a 100 MB string value turns into minutes.
_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)|[\[\]{},]', re.S)
# The rest of a string we start inside of.
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.S)

_OPEN = (0x5B, 0x7B)  # [ {
_CLOSE = (0x5D, 0x7D)  # ] }
_QUOTE = 0x22
_COMMA = 0x2C


def escaped_quotes(data: bytes, carry: int = 0) -> int:
    """How many quotes in `data` are escaped (preceded by an odd run of backslashes).

    `carry` is the number of backslashes that ended the previous chunk.
    """
    if carry:
        data = b"\\" * carry + data
    total, k, sign = 0, 1, 1
    while True:
        n = data.count(b"\\" * k + b'"')
        if not n:
            return total
        total += sign * n
        sign = -sign
        k += 1


def trailing_backslashes(data: bytes, carry: int = 0) -> int:
    stripped = data.rstrip(b"\\")
    run = len(data) - len(stripped)
    return run + carry if not stripped else run


def separators(data: bytes, in_string: bool, depth: Optional[int] = None) -> Tuple[List[int], Optional[int]]:
    """Offsets just after each row separator in `data`.

    A separator is the `[` opening the top-level array or a `,` at depth 1. With
    `depth` unknown (the window starts in the middle of the file), depth 1 is the
    shallowest level any comma is found at: the window is chosen so that it holds
    the separator between two rows. Returns (offsets, level of depth 1).
    """
    pos = 0
    if in_string:
        m = _STRING_REST.match(data)
        pos = m.end() if m else len(data)
    level = 0 if depth is None else depth
    marks: List[Tuple[int, int]] = []  # (level after the token, offset after it)
    for m in _TOKEN.finditer(data, pos):
        c = data[m.start()]
        if c == _QUOTE:
            continue
        if c in _OPEN:
            level += 1
            if depth is not None and level == 1 and c == 0x5B:
                marks.append((1, m.end()))
        elif c in _CLOSE:
            level -= 1
        else:  # comma
            marks.append((level, m.end()))
    if depth is not None:
        top = 1
    else:
        commas = [lv for lv, _ in marks]
        if not commas:
            return [], None
        top = min(commas)
    return [off for lv, off in marks if lv == top], top


class DepthScanner:
    """Resumable exact nesting-depth tracker over consecutive byte chunks."""

    def __init__(self, depth: int = 0, in_string: bool = False):
        self.depth = depth
        self.low = depth  # shallowest depth seen (relative scans use it)
        self.in_string = in_string

    def feed(self, data: bytes, limit: int, floor_known: bool = True) -> Optional[int]:
        """Scan `data`; return the offset where depth first exceeds `limit`, or None.

        With `floor_known` False the depth is relative: the limit applies to
        depth - low + 1 (the shallowest point seen is taken as depth 1).
        """
        pos = 0
        if self.in_string:
            m = _STRING_REST.match(data)
            if m is None or not m.group().endswith(b'"') or m.group().endswith(b'\\"') and _odd_tail(m.group()):
                # still inside the string at the end of this data
                return None
            pos = m.end()
            self.in_string = False
        for m in _TOKEN.finditer(data, pos):
            c = data[m.start()]
            if c == _QUOTE:
                tok = m.group()
                if len(tok) == 1 or not tok.endswith(b'"') or _odd_tail(tok):
                    self.in_string = True
                continue
            if c in _OPEN:
                self.depth += 1
                base = 0 if floor_known else self.low - 1
                if self.depth - base > limit:
                    return m.start()
            elif c in _CLOSE:
                self.depth -= 1
                if self.depth < self.low:
                    self.low = self.depth
        return None


def _odd_tail(token: bytes) -> bool:
    """True when the final quote of `token` is escaped (so the string goes on)."""
    body = token[:-1]
    run = len(body) - len(body.rstrip(b"\\"))
    return run % 2 == 1


# -- row closes at C speed --------------------------------------------------------
# Locating a row with findings needs its first byte. The stream knows in which
# chunk each row completed, so the row before it closes in a known chunk; these
# helpers find the k-th row close of a chunk without a Python loop per token:
# bytes.split on quotes separates strings from structure, translate keeps the
# brackets, and itertools.accumulate gives the depth after each bracket.
from itertools import accumulate as _accumulate

_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DELTA = [0] * 256
_DELTA[0x5B] = _DELTA[0x7B] = 1
_DELTA[0x5D] = _DELTA[0x7D] = -1


class BracketProfile:
    """The brackets outside strings in `data` and the depth after each (relative to
    the start of `data`), or `usable` False when this quick method cannot be trusted."""

    __slots__ = ("usable", "skeleton", "depths", "_pieces", "_outer", "_first")

    def __init__(self, data: bytes, in_string: bool):
        self.usable = False
        if b"\\" in data:
            # escapes hide quotes; blank them out without moving any byte (\\ first: `\\"` ends a string)
            data = data.replace(b"\\\\", b"__").replace(b'\\"', b"__")
        pieces = data.split(b'"')
        if in_string and len(pieces) == 1:
            return  # the string runs past the end of the data
        first = self._first = 1 if in_string else 0  # pieces[first::2] lie outside strings
        self._pieces = pieces
        # the structure with each string reduced to one `"`
        self._outer = outer = b'"'.join(pieces[first::2])
        self.skeleton = outer.translate(None, _NOT_BRACKETS)
        self.depths = list(_accumulate(map(_DELTA.__getitem__, self.skeleton)))
        self.usable = True

    def offset_after_close(self, index: int) -> int:
        """Offset in the data just after skeleton[index], a `}`."""
        nth = self.skeleton.count(b"}", 0, index + 1)
        parts = self._outer.split(b"}", nth)  # the nth `}` of the outer text ends parts[nth - 1]
        at = sum(map(len, parts[:nth])) + nth - 1
        # each `"` before it in the outer text stands for a whole string of the data
        strings = self._outer.count(b'"', 0, at)
        first = self._first
        inside = self._pieces[1 - first :: 2]
        return at + sum(map(len, inside[: strings + first])) + strings + first + 1

    def row_close(self, k: int) -> Optional[int]:
        """Offset after the k-th (1-based) close of a depth-1 object in the data.

        Assumes every row closing in the data is an object and at least one does:
        the shallowest depth reached is then between rows, except for the array's
        own `]`, which can only be the last bracket.
        """
        depths = self.depths
        if not depths:
            return None
        level = min(depths)
        if self.skeleton[-1] == 0x5D and depths[-1] == level:
            # a `]` as shallow as any row close cannot close a nested array: it closes the top-level one
            level += 1
        skeleton, at = self.skeleton, -1
        while k:
            try:
                at = depths.index(level, at + 1)
            except ValueError:
                return None
            if skeleton[at] != 0x5B:  # not the `[` opening the array (a window from the file start)
                k -= 1
        if skeleton[at] != 0x7D:  # not an object's `}`: this is not what was assumed
            return None
        return self.offset_after_close(at)
