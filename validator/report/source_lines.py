"""The source line under a finding, for `--show-source`, read lazily from the file.

Findings arrive in file order (within a row, roughly), so the reader moves
forward through the file and remembers positions (line, column, byte offset) at
every chunk it passes and at every position it was asked about; a request seeks
to the nearest remembered position at or before it. Memory is a few tuples per
64 KiB of file and one window of text: a minified file whose only line is 100 MB
long is never held in memory, and many findings on that line cost one pass.
Columns count code points, as the reader of the checker does (`\\n` ends a line).
"""
from __future__ import annotations

import io
import unicodedata
from bisect import bisect_right
from typing import BinaryIO, List, Optional, Tuple

from ..source.reader import code_points
from .safe import printable

CHUNK = 64 * 1024
BEFORE = 40  # code points shown before the column
WIDTH = 100  # code points shown at most


def _byte_index(seg: bytes, n: int) -> int:
    """Offset in `seg` of its n-th code point (0-based), or len(seg)."""
    if seg.isascii():
        return min(n, len(seg))
    count = 0
    for i, b in enumerate(seg):
        if b & 0xC0 != 0x80:
            if count == n:
                return i
            count += 1
    return len(seg)


def display_width(text: str) -> int:
    """Terminal cells `text` takes (wide East Asian characters 2, combining marks 0)."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


class SourceLines:
    """Snippets of one file; `close()` when done."""

    def __init__(self, path: str, data: Optional[bytes] = None):
        self.path = path
        self._data = data  # the text itself, when the findings are of text in memory (--fix, --diff)
        self._f: Optional[BinaryIO] = None
        self._broken = False
        self._marks: List[Tuple[int, int, int]] = []

    def _open(self) -> Optional[BinaryIO]:
        if self._f is None and not self._broken:
            try:
                self._f = open(self.path, "rb") if self._data is None else io.BytesIO(self._data)
                head = self._f.read(4)
            except OSError:
                self._broken = True
                return None
            if b"\x00" in head:  # UTF-16/32: positions would not match
                self._broken = True
                return None
            self._marks = [(1, 1, 3 if head.startswith(b"\xef\xbb\xbf") else 0)]
        return self._f

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None
        self._broken = True

    def _mark(self, line: int, column: int, offset: int) -> None:
        if offset > self._marks[-1][2]:
            self._marks.append((line, column, offset))

    def offset_of(self, line: int, column: int) -> Optional[int]:
        """Byte offset of (line, column), clamped to the end of the line; None past the end of file."""
        f = self._open()
        if f is None:
            return None
        i = bisect_right(self._marks, (line, column, float("inf"))) - 1
        ln, col, off = self._marks[max(i, 0)]
        f.seek(off)
        while True:
            data = f.read(CHUNK)
            if not data:
                return off if ln == line else None
            if ln < line:
                newlines = data.count(b"\n")
                if ln + newlines < line:
                    if newlines:
                        ln += newlines
                        col = 1 + code_points(data[data.rindex(b"\n") + 1:])
                    else:
                        col += code_points(data)
                    off += len(data)
                    self._mark(ln, col, off)
                    continue
                at = -1
                for _ in range(line - ln):
                    at = data.index(b"\n", at + 1)
                ln, col, off, data = line, 1, off + at + 1, data[at + 1:]
            end = data.find(b"\n")
            seg = data if end < 0 else data[:end]
            need = column - col
            points = code_points(seg)
            if need < points or end >= 0:
                target = off + _byte_index(seg, max(need, 0))
                self._mark(line, min(column, col + points), target)
                return target
            col += points
            off += len(data)
            self._mark(ln, col, off)

    def snippet(self, line: int, column: int) -> Optional[Tuple[str, int]]:
        """(printable text of the line around `column`, caret cell offset), or None."""
        if self._broken or line < 1 or column < 1:
            return None
        try:
            start_col = max(1, column - BEFORE)
            start = self.offset_of(line, start_col)
            if start is None or self._f is None:
                return None
            self._f.seek(start)
            data = self._f.read(WIDTH * 4 + 4)
        except OSError:
            self.close()
            return None
        end = data.find(b"\n")
        more = end < 0 and len(data) == WIDTH * 4 + 4
        raw = data if end < 0 else data[:end]
        text = raw.decode("utf-8", "replace")
        if end >= 0 and text.endswith("\r"):
            text = text[:-1]
        if len(text) > WIDTH:
            text, more = text[:WIDTH], True
        before = printable(text[: column - start_col])
        lead = "\u2026" if start_col > 1 else ""
        shown = lead + printable(text) + ("\u2026" if more else "")
        return shown, display_width(lead + before)
