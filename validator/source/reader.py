"""A file reader that remembers where it is.

ijson reports no positions. This reader sits between the file and ijson: it hands
ijson chunks and keeps, for the recent chunks that may still be asked about, each
chunk's byte offset, line, column and whether it starts inside a string. The
stream notes in which chunk each row completed; `locator.py` turns that into exact
positions, only for rows that have findings. On clean rows the cost is a few
`bytes.count` calls per 16 KiB chunk.

It also guards ijson against deep nesting: ijson builds a prefix string per level,
so 100,000 nested arrays cost it gigabytes. An upper bound of the depth (open
brackets since a point of known depth) is kept cheaply; only when the bound passes
MAX_DEPTH is the exact depth computed, before ijson sees the chunk.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import BinaryIO, List, Optional, Tuple

from .diagnose import lone_surrogate
from .scan import DepthScanner, escaped_quotes, trailing_backslashes

CHUNK_SIZE = 16 * 1024
# After the cheap depth bound trips once (compact rows: many brackets per chunk),
# smaller reads keep it from tripping on every chunk: a few more read calls cost
# far less than an exact scan of each chunk.
DENSE_CHUNK_SIZE = 2 * 1024
MAX_DEPTH = 512
MAX_READ_SIZE = 16 << 20
_ESCAPE_PAIR = 12  # bytes in "\\ud83d\\ude00"

_CONTINUATION = bytes(range(0x80, 0xC0))
_NOT_MARKS = bytes(b for b in range(256) if b not in b'\n"[{')


class TooDeep(Exception):
    """Nesting passed MAX_DEPTH at byte `offset`."""

    def __init__(self, offset: int):
        super().__init__(offset)
        self.offset = offset


class ReadFailed(Exception):
    """The underlying file could not be read (an I/O error mid-stream)."""


def code_points(data: bytes) -> int:
    """Number of UTF-8 code points in `data`."""
    if data.isascii():
        return len(data)
    return len(data.translate(None, _CONTINUATION))


class Chunk:
    __slots__ = ("index", "offset", "data", "line", "column", "in_string")

    def __init__(self, index: int, offset: int, data: bytes, line: int, column: int, in_string: bool):
        self.index = index
        self.offset = offset
        self.data = data
        self.line = line  # 1-based line of data[0]
        self.column = column  # 1-based column (code points) of data[0]
        self.in_string = in_string  # data[0] is inside a JSON string

    @property
    def end(self) -> int:
        return self.offset + len(self.data)


class TrackingReader:
    """File-like `read(n)` for ijson that tracks offsets, lines, columns and depth."""

    def __init__(self, raw: BinaryIO, start: int = 0, prefix: bytes = b"", chunk_size: int = CHUNK_SIZE, line: int = 1, column: int = 1):
        self._raw = raw
        self._chunk_size = chunk_size
        # Inside one long string, yajl rescans the buffered token with every chunk:
        # the read size doubles while a string goes on (100 MB string: seconds, not minutes).
        self._read_size = chunk_size
        self._pending = prefix  # bytes read ahead by the sniffer, not yet handed out
        self.first_offset = start  # first byte after any BOM: depth 0, not in a string
        self.offset = start  # offset of the next byte to hand out
        self._line = line  # of the next byte to hand out
        self._column = column
        self._in_string = False
        self._backslashes = 0
        self.chunks: List[Chunk] = []
        self.chunk_count = 0
        # depth guard: an upper bound is depth_base + opens_since
        self._depth_base = 0
        self._opens_since = 0
        self._last_row_chunk: Optional[int] = None  # index of the chunk where the last row completed
        self._scanner: Optional[DepthScanner] = None  # exact depth tracking, while the cheap bound is not enough
        self._opens = 0  # opening brackets in the latest chunk
        self._floor_known = True  # the scanner's depth is absolute (it started at the file's first byte)
        self._deep_next = False  # the next read starts at a bracket nested past MAX_DEPTH
        self.eof = False

    # -- ijson side ---------------------------------------------------------------
    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes with read(0) for bytes vs str
            return b""
        data = self._next_bytes()
        if not data:
            self.eof = True
            return b""
        if self._deep_next:  # the bytes before the too-deep bracket were handed out: stop at it
            self._too_deep(data)
        if b"\\" in data[-_ESCAPE_PAIR:]:
            data = self._with_escape_completed(data)
        bad = -1
        if b"\x0c" in data or b"\x0b" in data:
            # yajl takes form feed and vertical tab for whitespace; JSON does not
            # (and they cannot be raw inside strings): diagnose.py pins the byte.
            bad = min(i for i in (data.find(b"\x0c"), data.find(b"\x0b")) if i >= 0)
        if b"\\u" in data:
            # yajl reads a high surrogate escape with no low half after it as "?" (or pairs it
            # with any next \u escape), silently: stop there, and diagnose.py pins it (J001).
            # A chunk never starts inside an escape (see _with_escape_completed), so escapes
            # are matched from its first byte; latin-1 keeps byte offsets.
            lone = lone_surrogate(data.decode("latin-1"), 0, len(data))
            if lone is not None and (bad < 0 or lone < bad):
                bad = lone
        if bad >= 0:
            if bad == 0:
                raise ValueError("form feed, vertical tab or lone surrogate escape")
            # The bytes before it go to ijson first, so rows that end there are read.
            data, self._pending = data[:bad], data[bad:] + self._pending
        # one pass keeps the bytes every tally below needs (four counts on the full chunk cost 3x more)
        marks = data.translate(None, _NOT_MARKS)
        self._opens = marks.count(b"[") + marks.count(b"{")
        deep_at = self._guard_depth(data)
        if deep_at is not None:
            if deep_at == 0:
                self._too_deep(data, marks)
            # As for a form feed: the rows that end before the too-deep bracket are read first.
            data, self._pending = data[:deep_at], data[deep_at:] + self._pending
            marks = data.translate(None, _NOT_MARKS)
            self._deep_next = True
        self._remember(data, marks)
        return data

    def _too_deep(self, data: bytes, marks: Optional[bytes] = None) -> None:
        """Stop: `data` starts with a bracket nested past MAX_DEPTH."""
        at = self.offset
        self._remember(data, marks)  # so that position(at) can be computed
        raise TooDeep(at)

    def _with_escape_completed(self, data: bytes) -> bytes:
        """`data` and, while an escape near its end may be cut short, the next reads as well
        (a surrogate pair is 12 bytes: its two halves are checked together, and the next
        chunk starts after the escape)."""
        while b"\\" in data[-_ESCAPE_PAIR:]:
            more = self._next_bytes()
            if not more:
                break  # the end of the file: nothing more to complete it with
            data += more
        return data

    def _next_bytes(self) -> bytes:
        if self._pending:
            data, self._pending = self._pending, b""
            return data
        try:
            return self._raw.read(self._read_size)
        except OSError as exc:
            raise ReadFailed(str(exc)) from exc

    def _remember(self, data: bytes, marks: Optional[bytes] = None) -> None:
        if marks is None:
            marks = data.translate(None, _NOT_MARKS)
        self.chunks.append(Chunk(self.chunk_count, self.offset, data, self._line, self._column, self._in_string))
        self.chunk_count += 1
        self.offset += len(data)
        newlines = marks.count(b"\n")
        if newlines:
            self._line += newlines
            self._column = 1 + code_points(data[data.rindex(b"\n") + 1 :])
        else:
            self._column += code_points(data)
        quotes = marks.count(b'"')
        if not quotes and self._in_string:
            self._read_size = min(self._read_size * 2, MAX_READ_SIZE)
        elif self._read_size != self._chunk_size:
            self._read_size = self._chunk_size  # back to normal reads after a long string
        if quotes:
            if b"\\" in data or self._backslashes:
                quotes -= escaped_quotes(data, self._backslashes)
            if quotes & 1:
                self._in_string = not self._in_string
        self._backslashes = trailing_backslashes(data, self._backslashes) if data.endswith(b"\\") else 0

    # -- depth guard -------------------------------------------------------------
    def _guard_depth(self, data: bytes) -> Optional[int]:
        """The offset in `data` of the bracket that nests past MAX_DEPTH, or None."""
        scanner = self._scanner
        if scanner is None:
            self._opens_since += self._opens
            if self._depth_base + self._opens_since < MAX_DEPTH:
                return None
            # The cheap bound tripped: from here until a row completes, track the
            # depth exactly, feeding each chunk once (linear even in a huge row).
            scanner = self._scanner = self._exact_scanner()
            self._chunk_size = self._read_size = min(self._chunk_size, DENSE_CHUNK_SIZE)
        return scanner.feed(data, MAX_DEPTH, floor_known=self._floor_known)

    def _exact_scanner(self) -> DepthScanner:
        """A scanner positioned at the end of the handed-out chunks, with exact depth.

        It starts where the depth is known: at the first byte of the file (depth 0), or
        else in the chunk where the last row completed, where the shallowest point is
        depth 1 (relative: `floor_known` False)."""
        first = None if self._last_row_chunk is None else self.chunk_by_index(self._last_row_chunk)
        if first is None or first.offset <= self.first_offset:
            scanner = DepthScanner(depth=0)
            start = self.first_offset
            self._floor_known = True
        else:
            scanner = DepthScanner(depth=0, in_string=first.in_string)
            start = first.offset
            self._floor_known = False
        for chunk in self.chunks:
            if chunk.end <= start:
                continue
            if scanner.feed(chunk.data[max(0, start - chunk.offset) :], 1 << 30, self._floor_known) is not None:
                break
        return scanner

    def row_completed(self) -> None:
        """A row ended in the latest chunk: somewhere in it the depth was 1."""
        last = self.chunk_count - 1
        if self._last_row_chunk != last:
            self._last_row_chunk = last
            self._depth_base = 1
            self._opens_since = self._opens  # opening brackets of that chunk (the latest read)
            self._scanner = None  # back to the cheap bound

    # -- locator side ------------------------------------------------------------
    def chunk_by_index(self, index: int) -> Chunk:
        first = self.chunks[0].index
        return self.chunks[index - first]

    def forget_before_chunk(self, index: int) -> None:
        """Drop chunks older than `index`; they will not be asked about again."""
        if self.chunks and index > self.chunks[0].index:
            del self.chunks[: min(index - self.chunks[0].index, len(self.chunks) - 1)]

    def window(self, start: int, end: Optional[int] = None) -> bytes:
        """Bytes [start, end) from the retained chunks."""
        parts = []
        for chunk in self.chunks:
            if chunk.end <= start:
                continue
            if end is not None and chunk.offset >= end:
                break
            lo = max(0, start - chunk.offset)
            hi = len(chunk.data) if end is None else min(len(chunk.data), end - chunk.offset)
            parts.append(chunk.data[lo:hi])
        return b"".join(parts)

    def position(self, offset: int) -> Tuple[int, int]:
        """1-based (line, column) of byte `offset` (retained, or the end of what was read)."""
        chunks = self.chunks
        if not chunks or offset >= self.offset:
            return self._line, self._column
        i = max(0, bisect_right([c.offset for c in chunks], offset) - 1)
        chunk = chunks[i]
        offset = max(offset, chunk.offset)
        before = chunk.data[: offset - chunk.offset]
        newlines = before.count(b"\n")
        if newlines:
            return chunk.line + newlines, 1 + code_points(before[before.rindex(b"\n") + 1 :])
        return chunk.line, chunk.column + code_points(before)
