"""A one-line progress display on standard error for big files.

The CLI creates it only when standard error is a terminal and `--quiet` is not
given; `run(..., progress=...)` calls `open` for each input (which wraps the byte
stream to count what is read) and `attach` with the row stream. The line shows
bytes read (of the size, when known), rows and rows per second, and findings so
far; it appears once a file passes THRESHOLD bytes, is redrawn at most every
INTERVAL seconds, and is erased before findings are printed and at the end.
"""
from __future__ import annotations

import io
import os
import time
from typing import Optional, TextIO

from .safe import printable

THRESHOLD = 4 << 20
INTERVAL = 0.2


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


class _Counting:
    """The input stream, counting bytes as ijson reads them."""

    def __init__(self, raw, progress: "Progress"):
        self._raw = raw
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._progress.advance(len(data))
        return data

    def close(self) -> None:
        self._raw.close()


class Progress:
    def __init__(self, err: TextIO, clock=time.monotonic, threshold: int = THRESHOLD, width: Optional[int] = None):
        self.err = err
        self.width = width
        self.clock = clock
        self.threshold = threshold
        self.findings = 0
        self.visible = False
        self._name = ""
        self._size: Optional[int] = None
        self._read = 0
        self._stream = None
        self._started = 0.0
        self._next = 0.0

    def open(self, name: str, raw):
        self.clear()
        self._name = printable(name)
        self._read = 0
        self._stream = None
        self._started = self.clock()
        self._next = self._started + INTERVAL
        try:
            self._size = os.path.getsize(name) if name != "<stdin>" and os.path.isfile(name) else None
        except OSError:
            self._size = None
        if self._size is not None and self._size < self.threshold:
            return raw  # small: no display, no overhead
        return _Counting(raw, self)

    def attach(self, stream) -> None:
        self._stream = stream

    def advance(self, n: int) -> None:
        self._read += n
        if self._read < self.threshold:
            return
        now = self.clock()
        if now >= self._next:
            self._next = now + INTERVAL
            self.draw(now)

    def line(self, now: float) -> str:
        rows = getattr(self._stream, "rows", 0) if self._stream is not None else 0
        elapsed = max(now - self._started, 1e-6)
        done = _size(self._read)
        if self._size:
            done += f" / {_size(self._size)} ({min(100, 100 * self._read // self._size)}%)"
        stats = f"{done}, {rows:,} rows ({rows / elapsed:,.0f} rows/s), {self.findings:,} findings"
        room = max(10, self._columns() - len(stats) - 2)
        name = self._name if len(self._name) <= room else "\u2026" + self._name[-(room - 1):]
        return f"{name}: {stats}"[: self._columns()]

    def _columns(self) -> int:
        """Width of the terminal (the line must not wrap, or `\\r` cannot erase it)."""
        if self.width:
            return self.width
        try:
            columns = os.get_terminal_size(self.err.fileno()).columns
        except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
            columns = 0
        return columns - 1 if columns > 20 else 79

    def draw(self, now: float) -> None:
        self.err.write("\r\x1b[K" + self.line(now))
        self.err.flush()
        self.visible = True

    def clear(self) -> None:
        if self.visible:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self.visible = False
