"""Turn (row, path inside the row) into a 1-based line and column, on demand.

Only rows with findings come here. The stream tells which chunk each row
completed in. When the rows that completed in the previous row's chunk are all
objects, the previous row ends with the k-th row close of that chunk
(`scan.BracketProfile`: C-speed bytes operations, no loop per token); otherwise
the depth-1 separators of the chunks around it give the row's first byte
(`scan.separators`). A small walk of the row's text then finds the value or key
a path names. Columns count Unicode code points.
"""
from __future__ import annotations

import json
import re
from typing import Dict, List, Optional, Sequence, Tuple

from ..model import Path
from .reader import TrackingReader
from .scan import BracketProfile, separators

_WS = re.compile(r"[ \t\n\r]*")
_BWS = re.compile(rb"[ \t\n\r]*")
_SEPARATOR = re.compile(rb"[ \t\n\r]*,[ \t\n\r]*")
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
_COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")
_scanstring = json.decoder.scanstring
_decoder = json.JSONDecoder()


class RowLocator:
    def __init__(self, reader: TrackingReader):
        self._reader = reader
        self._cache_key: Optional[Tuple[int, int]] = None
        self._cache: Tuple[List[int], int] = ([], 0)
        self._profile: Tuple[int, Optional[BracketProfile]] = (-1, None)

    def row_start(self, index: int, prev_chunk: Optional[int], first_row_of_prev_chunk: int, objects_only: bool = False) -> Optional[int]:
        """Byte offset of row `index`'s first byte.

        `prev_chunk` is the chunk where row index-1 completed (None for row 0) and
        `first_row_of_prev_chunk` the first row that completed in that chunk.
        `objects_only`: every row that completed in that chunk is an object, so
        row index-1 ends with the k-th row close of the chunk (the quick way).
        """
        if objects_only and prev_chunk is not None:
            start = self._start_after_close(prev_chunk, index - first_row_of_prev_chunk)
            if start is not None:
                return start
        reader = self._reader
        if prev_chunk is None:
            start, n = reader.first_offset, 0
            key = (-1, reader.chunk_count)
        else:
            try:
                chunk = reader.chunk_by_index(prev_chunk)
            except IndexError:
                return None
            start, n = chunk.offset, index - 1 - first_row_of_prev_chunk
            key = (prev_chunk, reader.chunk_count)
        if key != self._cache_key:
            data = reader.window(start)
            if prev_chunk is None:
                offs, _ = separators(data, False, depth=0)
            else:
                offs, _ = separators(data, reader.chunk_by_index(prev_chunk).in_string)
            self._cache_key, self._cache = key, (offs, start)
        offs, base = self._cache
        if prev_chunk is not None and offs and self._comma_follows_earlier_row(base, offs[0]):
            n += 1
        if n < 0 or n >= len(offs):
            return None
        data = reader.window(base + offs[n], base + offs[n] + 4096)
        return base + offs[n] + _BWS.match(data).end()

    def _start_after_close(self, chunk_index: int, k: int) -> Optional[int]:
        """The first byte after the separator that follows the k-th row close of a chunk."""
        reader = self._reader
        try:
            chunk = reader.chunk_by_index(chunk_index)
        except IndexError:
            return None
        cached, profile = self._profile
        if cached != chunk_index:
            if chunk.in_string and reader.window(chunk.offset - 1, chunk.offset) == b"\\":
                profile = None  # the chunk starts in the middle of an escape
            else:
                profile = BracketProfile(chunk.data, chunk.in_string)
            self._profile = (chunk_index, profile)
        if profile is None or not profile.usable:
            return None
        close = profile.row_close(k)
        if close is None:
            return None
        return self.start_after(chunk.offset + close)

    def start_after(self, row_end: int) -> Optional[int]:
        """The first byte of the row after the one ending at `row_end` (None: no comma follows)."""
        m = _SEPARATOR.match(self._reader.window(row_end, row_end + 4096))
        return row_end + m.end() if m else None

    def _comma_follows_earlier_row(self, base: int, first_sep: int) -> bool:
        """The window's first separator closes a row that completed in an earlier chunk.

        That happens when only whitespace precedes it in the window and the byte
        before the window ends a container or string (a number completes only when
        the parser sees the comma, so then the comma belongs to this window's rows).
        """
        head = self._reader.window(base, base + first_sep - 1)
        if head.strip(b" \t\r\n"):
            return False
        before = self._reader.window(max(self._reader.first_offset, base - 256), base).rstrip(b" \t\r\n")
        return not before[-1:].isdigit()

    def text_from(self, offset: int) -> str:
        return self._reader.window(offset).decode("utf-8", "replace")


def find(text: str, path: Sequence, cache: Optional[dict] = None) -> Tuple[int, Optional[int], bool]:
    """Walk `path` in the JSON value at the start of `text`.

    Returns (offset of the value, offset of its key or None, found). When a step
    is missing, the offset is that of the deepest container reached. `cache`
    (one per text) keeps each container's members, so that several paths in one
    row scan each object once.
    """
    if cache is None:
        cache = {}
    pos = _WS.match(text).end()
    key_pos: Optional[int] = None
    for part in path:
        if pos >= len(text):
            return pos, key_pos, False
        c = text[pos]
        if c == "{" and isinstance(part, str):
            members = cache.get(pos)
            if members is None:
                members = cache[pos] = _members(text, pos)
            hit = members.get(part)
        elif c == "[" and isinstance(part, int):
            elements = cache.get(pos)
            if elements is None:
                elements = cache[pos] = _elements(text, pos)
            hit = (None, elements[part]) if 0 <= part < len(elements) else None
        else:
            hit = None
        if hit is None:
            return pos, key_pos, False
        key_pos, pos = hit
    return pos, key_pos, True


def _skip(text: str, pos: int) -> int:
    try:
        return _decoder.raw_decode(text, pos)[1]
    except (ValueError, RecursionError):
        return len(text)


def _members(text: str, pos: int) -> Dict[str, Tuple[Optional[int], int]]:
    """{key: (key offset, value offset)} of the object at `pos`; JSON keeps the last of a repeated key."""
    found: Dict[str, Tuple[Optional[int], int]] = {}
    pos = _WS.match(text, pos + 1).end()
    n = len(text)
    while pos < n and text[pos] == '"':
        key_pos = pos
        try:
            key, pos = _scanstring(text, pos + 1)
        except ValueError:
            return found
        colon = _COLON.match(text, pos)
        if colon is None:
            return found
        pos = colon.end()
        found[key] = (key_pos, pos)
        comma = _COMMA.match(text, _skip(text, pos))
        if comma is None:
            break
        pos = comma.end()
    return found


def _elements(text: str, pos: int) -> List[int]:
    """Offsets of the elements of the array at `pos`."""
    out: List[int] = []
    pos = _WS.match(text, pos + 1).end()
    n = len(text)
    while pos < n and text[pos] != "]":
        out.append(pos)
        pos = _WS.match(text, _skip(text, pos)).end()
        if pos < n and text[pos] == ",":
            pos = _WS.match(text, pos + 1).end()
        else:
            break
    return out


def line_col(text: str, pos: int, line: int, column: int, start: int = 0) -> Tuple[int, int]:
    """Line and column of `text[pos]` when `text[start]` is at (line, column)."""
    newlines = text.count("\n", start, pos)
    if newlines:
        return line + newlines, pos - text.rindex("\n", start, pos)
    return line, column + pos - start


def positions(text: str, paths: Sequence[Tuple[Path, bool]], line: int, column: int) -> Dict[Tuple[Path, bool], Tuple[int, int]]:
    """Line and column for each (path, on_key) in the row whose text starts at (line, column)."""
    out = {}
    cache: dict = {}
    for path, on_key in paths:
        pos, key_pos, found = find(text, path, cache)
        at = key_pos if (on_key and found and key_pos is not None) else pos
        out[(path, on_key)] = line_col(text, at, line, column)
    return out
