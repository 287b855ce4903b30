"""The quick way through a JSON array of rows: blocks of text, the stdlib's C decoder.

`BlockRows` reads the file in blocks (1 MiB), decodes each to text and hops from
row to row with `json.JSONDecoder.raw_decode`, which parses a row about twice as
fast as ijson and says where it ends, so a row's text and position are at hand
when it has findings. An `object_pairs_hook` notes repeated keys (J006).

It vouches only for rows on which it and the ijson path (`stream.py`) agree
exactly. At the first thing they might treat differently, it stops and hands
the rest of the file over, from the first byte of the row it could not vouch
for (or of the array's end), and ijson takes it from there. That is:
- any JSON error: a syntax error, a truncated file, content after the array;
- bytes that are not UTF-8;
- NaN or Infinity, a float that overflows, an integer that needs more than 64
  bits (ijson reports them: J007);
- a lone surrogate escape ("\\ud800": ijson turns it into "?");
- a row nested deeper than MAX_DEPTH, or too deep for the C decoder;
- after a long row that is mostly decimal numbers (an embedding vector): not a
  difference, but ijson reads numbers faster.
A file without any of these (nearly every real import) is read here to its end;
a file with one costs a second look at only the part after it.

tests/test_blocks.py compares this path with the ijson path on generated and
mutated files, with blocks a few bytes long.
"""
from __future__ import annotations

import json
import re
from typing import BinaryIO, Dict, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from ..model import Path
from .diagnose import _BadNumber, lone_surrogate, noting_decoder
from .locator import line_col, positions
from .reader import MAX_DEPTH, ReadFailed

BLOCK_SIZE = 1 << 20
_MAX_READ = 64 << 20
_LONG_ROW = 4096  # characters
_WS = re.compile(r"[ \t\n\r]*")
_SEPARATOR = re.compile(r"[ \t\n\r]*([,\]])[ \t\n\r]*")
# A failure this close to the end of the text may be the block's end, not the file's.
_MARGIN = 64


class Handover(NamedTuple):
    """Where the ijson path takes over: a row's first byte (or the array's `]`)."""

    offset: int
    line: int
    column: int
    pending: bytes  # the bytes from `offset` on that were read from the file already


class _NeedMore(Exception):
    """The row runs past the text decoded so far."""


class _Stop(Exception):
    """This path cannot vouch for the row: hand over."""


class BlockRows:
    """Iterate the values of the top-level array, from the byte after its `[`."""

    def __init__(self, raw: BinaryIO, data: bytes, offset: int, line: int, column: int, block_size: int = BLOCK_SIZE):
        self._raw = raw
        self._block_size = block_size
        self._undecoded = data  # bytes read but not decoded yet
        self._text = ""
        self._offset = offset  # byte offset of self._text[0]
        self._line, self._column = line, column  # position of self._text[0]
        self._eof = False
        self._bad_bytes = False  # self._undecoded starts with bytes that are not UTF-8
        self._row: Tuple[int, int] = (0, 0)  # text span of the row just yielded
        self._cursor: Tuple[int, int, int] = (0, line, column)  # a known (index, line, column) in the text
        self._row_start = 0
        self._close = 0  # text index of the array's `]`, once found
        self.handover: Optional[Handover] = None  # set when the exact path must take over
        self.duplicates: List[Tuple[dict, str]] = []  # (object, key) for each repeated key of the row just parsed
        self._decode = noting_decoder(self.duplicates).raw_decode
        self._decode_block()

    # -- rows ------------------------------------------------------------------------
    def __iter__(self) -> Iterator[object]:
        """Each row's value; `duplicates` holds the row's repeated keys as (object, key)."""
        pos = self._first_row()
        while pos is not None:
            try:
                value, end, next_pos = self._row_at(pos)
            except _Stop:
                self._hand_over(self._row_start)  # reading more may have moved the row's index
                return
            self._row = (self._row_start, end)
            yield value
            if end - self._row_start > _LONG_ROW and next_pos is not None and _mostly_numbers(self._text, self._row_start, end):
                self._hand_over(next_pos)  # yajl reads numbers about 3x faster than the stdlib decoder
                return
            pos = next_pos
        self._finish()

    def _first_row(self) -> Optional[int]:
        """Index of the first row, or None for an empty array."""
        while True:
            pos = _WS.match(self._text).end()
            if pos < len(self._text):
                if self._text[pos] == "]":
                    self._close = pos
                    return None
                return pos
            if not self._more(0):
                return 0  # nothing but whitespace: let the exact path say so

    def _row_at(self, pos: int) -> Tuple[object, int, Optional[int]]:
        """(value, end, index of the next row or None) for the row at `pos`."""
        size = self._block_size
        while True:
            self._row_start = pos
            try:
                return self._parse(pos)
            except _NeedMore:
                # each retry parses the row from its start: reads double, so that a row
                # of n bytes costs O(n) parsing, not O(n^2 / block size)
                more = self._more(pos, size)
                size = min(size * 2, _MAX_READ)
                pos = self._row_start = 0  # _more dropped the text before the row
                if not more:
                    raise _Stop from None

    def _parse(self, pos: int) -> Tuple[object, int, Optional[int]]:
        text = self._text
        self.duplicates.clear()
        try:
            value, end = self._decode(text, pos)
        except json.JSONDecodeError as exc:
            if exc.pos >= len(text) - _MARGIN or exc.msg.startswith("Unterminated string"):
                raise _NeedMore from None
            raise _Stop from None
        except (_BadNumber, RecursionError, MemoryError):
            raise _Stop from None
        sep = _SEPARATOR.match(text, end)
        if sep is None:
            if end >= len(text) - _MARGIN:
                raise _NeedMore  # a number cut short by the block's end, or the separator not read yet
            raise _Stop
        # A row is too deep when its brackets nest MAX_DEPTH levels (the array's "[" is one more), and
        # as many must close: a row shorter than 2 * MAX_DEPTH, or with fewer brackets, cannot be.
        if end - pos >= 2 * MAX_DEPTH and text.count("[", pos, end) + text.count("{", pos, end) >= MAX_DEPTH:
            raise _Stop  # possibly deeper than the exact path allows: it decides
        if lone_surrogate(text, pos, end) is not None:
            raise _Stop
        if sep.group(1) == "]":
            self._close = sep.start(1)
            return value, end, None
        if sep.end() == len(text):
            raise _NeedMore  # the next row is not read yet: is it there, or a "]" (a trailing comma)?
        if text[sep.end()] == "]":
            raise _Stop  # a trailing comma
        return value, end, sep.end()

    def _finish(self) -> None:
        """After the `]` only whitespace may follow; anything else goes to the exact path."""
        self._advance(self._close + 1)
        while True:
            ws = _WS.match(self._text).end()
            if ws < len(self._text) or self._bad_bytes:
                # The exact path gets "]" and what follows: the "]" stands on the byte
                # before that content (whitespace or the real "]"), so positions hold.
                line, column = self._where(ws)
                self._advance(ws)
                self.handover = Handover(self._offset - 1, line, column - 1, b"]" + self._text.encode("utf-8") + self._undecoded)
                return
            self._advance(ws)
            if not self._more(0) and not self._bad_bytes:
                return  # a clean end of file

    # -- blocks ----------------------------------------------------------------------
    def _more(self, pos: int, size: int = 0) -> bool:
        """Drop the text before `pos` and decode one more block (or `size` bytes); False at the end of input."""
        self._advance(pos)
        if self._bad_bytes:
            return False
        if not self._read(size or self._block_size):
            if self._undecoded:
                self._bad_bytes = True  # a truncated UTF-8 sequence at the end of the file
            return False
        self._decode_block()
        return True

    def _read(self, size: int) -> bool:
        if self._eof:
            return False
        try:
            data = self._raw.read(size)
        except OSError as exc:
            raise ReadFailed(str(exc)) from exc
        if not data:
            self._eof = True
            return False
        self._undecoded += data
        return True

    def _decode_block(self) -> None:
        data, self._undecoded = self._undecoded, b""
        try:
            self._text += data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._text += data[: exc.start].decode("utf-8")
            self._undecoded = data[exc.start :]
            # a sequence cut by the block's end is completed by the next read
            self._bad_bytes = not (exc.end == len(data) and exc.reason == "unexpected end of data")

    def _advance(self, pos: int) -> None:
        """Forget the text before `pos`, keeping the position of what remains."""
        if pos == 0:
            return
        dropped = self._text[:pos]
        self._offset += len(dropped) if dropped.isascii() else len(dropped.encode("utf-8"))
        self._line, self._column = line_col(self._text, pos, self._line, self._column)
        self._text = self._text[pos:]
        self._cursor = (0, self._line, self._column)

    def _hand_over(self, pos: int) -> None:
        line, column = self._where(pos)
        self._advance(pos)
        self.handover = Handover(self._offset, line, column, self._text.encode("utf-8") + self._undecoded)

    # -- positions -------------------------------------------------------------------
    def _where(self, pos: int) -> Tuple[int, int]:
        """(line, column) of text index `pos`, from the nearest known point before it."""
        at, line, column = self._cursor
        if pos < at:
            at, line, column = 0, self._line, self._column
        line, column = line_col(self._text, pos, line, column, at)
        self._cursor = (pos, line, column)
        return line, column

    def locate(self, wanted: Sequence[Tuple[Path, bool]]) -> Dict[Tuple[Path, bool], Tuple[int, int]]:
        """{(path, on_key): (line, column)} for the row just yielded."""
        start, end = self._row
        line, column = self._where(start)
        return positions(self._text[start:end], wanted, line, column)


def _mostly_numbers(text: str, start: int, end: int) -> bool:
    """Is the (long) row mostly decimal numbers (an embedding vector...)?

    A Python call per float (the overflow check J007 needs) and the stdlib's number
    parsing make such rows ~2.5x slower here than on the ijson path (2,000 rows of
    768 floats: 0.91 s against 0.35 s), so the rest of the file goes there.
    """
    return text.count(".", start, end) * 32 > end - start

