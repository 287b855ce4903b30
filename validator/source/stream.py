"""Bytes in, rows out: a JSON array of data rows, streamed.

`ArrayStream` yields `SourceRow`s (the parsed value plus what is needed to locate
it later) and `SourceProblem`s (J-family findings: encoding, syntax, top-level
shape), in file order. A syntax error is just another problem: the stream stops
there and `diagnose.py` pins it to the exact line and column.

Rows are read by the quick path (`blocks.py`, the stdlib's C decoder) as long as
it can vouch for them, then by ijson (the exact path) from the first row it
cannot: both give the same rows, notes, problems and locations.
"""
from __future__ import annotations

import json
import re
import warnings
from typing import BinaryIO, Callable, Generator, Iterator, List, Optional, Sequence, Tuple, Union

import ijson

from ..model import Path
from . import diagnose
from .encoding import describe_invalid_utf8, sniff
from .blocks import BLOCK_SIZE, BlockRows
from .locator import RowLocator, line_col, positions
from .reader import CHUNK_SIZE, MAX_DEPTH, ReadFailed, TooDeep, TrackingReader

_BACKEND = getattr(ijson, "backend", "unknown")
if _BACKEND != "yajl2_c":  # pragma: no cover - depends on the installed wheel
    warnings.warn(
        f"ijson is using its {_BACKEND} backend, not yajl2_c: checks will be slower", RuntimeWarning, stacklevel=2
    )

_LEADING_WS = re.compile(rb"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_SCALAR_START = b'"-0123456789tfn'
_MAX_HEAD = 16 << 20


class SourceProblem:
    """A J-family problem found while reading: code, message and where."""

    __slots__ = ("code", "message", "line", "column", "row", "path", "fatal")

    def __init__(self, code: str, message: str, line: int, column: int, row: Optional[int] = None, path: Path = (), fatal: bool = False):
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.row = row
        self.path = path
        self.fatal = fatal


class SourceRow:
    """One element of the top-level array, parsed, with its duplicate-key notes."""

    __slots__ = ("index", "value", "duplicates")

    def __init__(self, index: int, value: object, duplicates: List[Tuple[Path, str]]):
        self.index = index
        self.value = value
        self.duplicates = duplicates  # (path of the object, repeated key)


class ArrayStream:
    """Iterate a JSON import file; ask `locate()` about the row just yielded."""

    def __init__(self, raw: BinaryIO, reopen: Callable[[], BinaryIO], chunk_size: int = CHUNK_SIZE,
                 block_size: int = BLOCK_SIZE, quick: bool = True):
        self._raw = raw
        self._chunk_size = chunk_size  # tests use tiny chunks and blocks to put boundaries everywhere
        self._block_size = block_size
        self._quick = quick  # False: ijson from the first row (the exact path alone)
        self._blocks: Optional[BlockRows] = None  # while the quick path reads
        self._base = 0  # the first row the ijson path reads
        self._reopen = reopen
        self.rows = 0
        self._reader: Optional[TrackingReader] = None
        self._locator: Optional[RowLocator] = None
        self._prev_chunk: Optional[int] = None
        self._cur_chunk: Optional[int] = None
        self._first_row_in: dict = {}  # chunk -> first row that completed in it (the last two chunks)
        self._mixed_chunks: set = set()  # of those, the chunks where a row that is not an object completed
        self._row_pos: Optional[Tuple[int, str, int, int]] = None  # (row, text, line, col)
        self._last_end: Optional[Tuple[int, int]] = None  # (row, byte offset after it) of the last located row

    def __iter__(self) -> Iterator[Union[SourceRow, SourceProblem]]:
        head = self._read_head()
        name, iconv, skip = sniff(head)
        if name:
            yield SourceProblem(
                "J002",
                f"the file is {name}, not UTF-8. Convert it, e.g. "
                f"`iconv -f {iconv} -t UTF-8 in.json > out.json`",
                1, 1, fatal=True,
            )
            return
        if skip:
            yield SourceProblem("J003", "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM", 1, 1)
        start = skip + _LEADING_WS.match(head, skip).end() - skip
        first = head[start : start + 1]
        if not first:
            yield SourceProblem("J001", "the file is empty; an import file is a JSON array of data rows: [ {...}, ... ]", *_end_position(head), fatal=True)
            return
        if first != b"[":
            problem = self._not_an_array(head, start, first)
            if problem:
                yield problem
                return
        yield from self._stream(head, skip, start)

    def _read_head(self) -> bytes:
        try:
            parts = [self._raw.read(self._chunk_size)]
            size = len(parts[0])
            # leading whitespace longer than a chunk must not look like an empty file
            while parts[-1] and not parts[-1].lstrip(b" \t\n\r\xef\xbb\xbf") and size < _MAX_HEAD:
                parts.append(self._raw.read(self._chunk_size))
                size += len(parts[-1])
            return b"".join(parts)
        except OSError as exc:
            raise ReadFailed(str(exc)) from exc

    def _not_an_array(self, head: bytes, start: int, first: bytes) -> Optional[SourceProblem]:
        line, col = _position_in(head, start)
        if first == b"{":
            return SourceProblem("J004", "the top-level value is a single object, not an array of data rows: wrap it in [ ... ]", line, col, fatal=True)
        if first in _SCALAR_START:
            return SourceProblem("J004", "the top-level value is not an array of data rows: an import file is [ {...}, ... ]", line, col, fatal=True)
        return None  # not JSON at all: let the parser say where

    def _stream(self, head: bytes, skip: int, array_at: int) -> Iterator[Union[SourceRow, SourceProblem]]:
        if self._quick and head[array_at : array_at + 1] == b"[":
            reader = yield from self._quick_rows(head, skip, array_at)
        else:  # not an array, or asked for: ijson from the start (it says where the file breaks)
            reader = TrackingReader(self._raw, start=skip, prefix=head[skip:], chunk_size=self._chunk_size)
        if reader is not None:
            finished = yield from self._exact(reader)
            if not finished:
                return
        if self.rows == 0:
            line, col = _position_in(head[skip:], array_at - skip)
            yield SourceProblem("J008", "the array holds no data rows", line, col)

    def _quick_rows(self, head: bytes, skip: int, array_at: int) -> Generator[SourceRow, None, Optional[TrackingReader]]:
        """The rows the quick path vouches for; then the reader ijson goes on with, if it must."""
        line, column = _position_in(head[skip:], array_at + 1 - skip)  # columns count from after a BOM
        blocks = self._blocks = BlockRows(self._raw, head[array_at + 1 :], array_at + 1, line, column, self._block_size)
        dups = blocks.duplicates
        for value in blocks:
            yield SourceRow(self.rows, value, _duplicate_paths(value, dups) if dups else [])
            self.rows += 1
        self._blocks = None
        handover = blocks.handover
        if handover is None:
            return None
        # ijson reads on from the row the quick path could not vouch for: a "["
        # stands on the byte before it, so offsets, lines and columns hold.
        self._base = self.rows
        return TrackingReader(self._raw, start=handover.offset - 1, prefix=b"[" + handover.pending,
                              chunk_size=self._chunk_size, line=handover.line, column=handover.column - 1)

    def _exact(self, reader: TrackingReader) -> Generator[Union[SourceRow, SourceProblem], None, bool]:
        """The ijson path, from the reader's first byte (a "[") to the end of the file.

        Returns whether the array ended cleanly (no fatal problem)."""
        self._reader = reader
        self._locator = RowLocator(reader)
        dups: List[Tuple[dict, str]] = []

        class JsonObject(dict):
            """A dict that notes repeated keys (J006) instead of losing them silently."""

            __slots__ = ()

            def __setitem__(self, key, value, _set=dict.__setitem__):
                if key in self:
                    dups.append((self, key))
                _set(self, key, value)

        mixed = self._mixed_chunks
        try:
            for value in ijson.items(reader, "item", use_float=True, map_type=JsonObject):
                chunk = reader.chunk_count - 1
                if chunk != self._cur_chunk:
                    reader.row_completed()
                    self._note_row_chunk(chunk)
                if type(value) is not JsonObject:
                    mixed.add(chunk)  # a row that is not an object completed here
                # ijson parses a whole chunk before yielding its rows: keep the
                # notes that belong to rows not yielded yet.
                found = _duplicate_paths(value, dups) if dups else []
                self._row_pos = None
                yield SourceRow(self.rows, value, found)
                self.rows += 1
        except ReadFailed:
            raise
        except TooDeep as exc:
            line, col = reader.position(exc.offset)
            yield SourceProblem(
                "J001",
                f"the JSON is nested more than {MAX_DEPTH} levels deep here; no data row needs that, and the check stops",
                # The guard runs before the parser sees the chunk, so rows that end earlier
                # in it are not counted yet: the row index is unknown, the position exact.
                line, col, row=None, fatal=True,
            )
            return False
        except (ijson.JSONError, ValueError, RecursionError, MemoryError) as exc:
            yield self._syntax_problem(exc)
            return False
        return True

    def _note_row_chunk(self, chunk: int) -> None:
        """The next row completed in a new chunk (rows before it, in earlier ones)."""
        self._first_row_in = {self._cur_chunk: self._first_row_in[self._cur_chunk]} if self._cur_chunk is not None else {}
        self._first_row_in[chunk] = self.rows
        self._prev_chunk, self._cur_chunk = self._cur_chunk, chunk
        if self._prev_chunk is not None and self._reader is not None:
            self._reader.forget_before_chunk(self._prev_chunk - 1)
        self._mixed_chunks.intersection_update((self._prev_chunk,))

    def _chunk_of_row_before(self, row: int) -> Optional[int]:
        """The chunk where row-1 completed (None for the first row ijson read)."""
        if row == self._base:
            return None
        return self._cur_chunk if row > self._first_row_in[self._cur_chunk] else self._prev_chunk

    # -- locations -----------------------------------------------------------------
    def locate(self, row: int, wanted: Sequence[Tuple[Path, bool]]) -> dict:
        """{(path, on_key): (line, column)} for the row just yielded."""
        if self._blocks is not None:
            return self._blocks.locate(wanted)
        if self._row_pos is None or self._row_pos[0] != row:
            self._row_pos = self._find_row(row)
        _, text, line, col = self._row_pos
        if text is None:
            return {key: (line, col) for key in wanted}
        return positions(text, wanted, line, col)

    def _find_row(self, row: int):
        reader, locator = self._reader, self._locator
        assert reader is not None and locator is not None
        start = self._start_of(row)
        if start is None:  # should not happen; fall back to the chunk the row ended in
            line, col = reader.position(reader.chunks[-1].offset)
            return row, None, line, col
        line, col = reader.position(start)
        text = locator.text_from(start)
        self._remember_end(row, start, text)
        return row, text, line, col

    def _start_of(self, row: int) -> Optional[int]:
        """Byte offset of the first byte of row `row` (the row just yielded, or the next)."""
        assert self._locator is not None
        start = self._after_located(row)
        if start is None:
            prev = self._chunk_of_row_before(row)
            first_of_prev = self._first_row_in.get(prev, 0) if prev is not None else 0
            start = self._locator.row_start(row, prev, first_of_prev, objects_only=prev not in self._mixed_chunks)
        return start

    def _after_located(self, row: int) -> Optional[int]:
        """Row `row` starts after the separator that follows row-1, if row-1 was located.

        When many rows have findings they are located one after the other, so each
        costs one C-speed decode of its own text instead of a scan of whole chunks.
        """
        last = self._last_end
        reader = self._reader
        if last is None or last[0] != row - 1 or not reader.chunks or last[1] < reader.chunks[0].offset:
            return None
        return self._locator.start_after(last[1])

    def _remember_end(self, row: int, start: int, text: str) -> None:
        try:
            end = _DECODER.raw_decode(text)[1]
        except (ValueError, RecursionError):
            self._last_end = None
            return
        self._last_end = (row, start + len(text[:end].encode("utf-8", "surrogatepass")))

    # -- syntax errors ---------------------------------------------------------------
    def _syntax_problem(self, exc: BaseException) -> SourceProblem:
        try:
            raw = self._reopen()
        except OSError:
            raw = None
        found = None
        if raw is not None:
            with raw:
                found = diagnose.first_error(raw)
        if found is not None:
            code, message, line, col, row, path = found
            return SourceProblem(code, message, line, col, row=row, path=path, fatal=True)
        # The stdlib decoder accepts what ijson rejected (a lone surrogate escape...):
        # point at the row, the same wherever the chunks or the quick path stopped.
        reader = self._reader
        assert reader is not None
        start = self._start_of(self.rows)
        line, col = reader.position(start if start is not None else reader.chunks[-1].offset if reader.chunks else 0)
        return SourceProblem("J001", f"not valid JSON: {_first_line(exc)}", line, col, row=self.rows, fatal=True)


def _duplicate_paths(row: object, dups: List[Tuple[dict, str]]) -> List[Tuple[Path, str]]:
    """Paths of the objects in `row` that repeated a key (found by identity, iteratively).

    The notes are in parse order, so this row's notes are a prefix of `dups`
    (later rows of the same chunk come after): the prefix ends with the last note
    about an object of the row, and is taken off the front. Inside it, notes about
    objects the row no longer holds (a repeated key's earlier value) are dropped:
    the repeat that lost them is reported. The cost is linear in the row and the
    notes, not rows x notes.
    """
    paths = {}  # id of each object in the row -> its path (the notes keep their objects alive)
    stack: List[Tuple[object, Path]] = [(row, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            paths[id(value)] = path
            stack.extend((v, path + (k,)) for k, v in value.items() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend((v, path + (i,)) for i, v in enumerate(value) if isinstance(v, (dict, list)))
    n = 0
    for i, (obj, _) in enumerate(dups):
        if id(obj) in paths:
            n = i + 1
    out = [(paths[id(obj)], key) for obj, key in dups[:n] if id(obj) in paths]
    del dups[:n]
    out.sort(key=lambda p: (len(p[0]), [str(x) for x in p[0]], p[1]))
    return out


def _position_in(head: bytes, offset: int) -> Tuple[int, int]:
    text = head[:offset].decode("utf-8", "replace")
    return line_col(text, len(text), 1, 1)


def _end_position(head: bytes) -> Tuple[int, int]:
    return _position_in(head, len(head))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


__all__ = ["ArrayStream", "SourceProblem", "SourceRow", "describe_invalid_utf8"]
