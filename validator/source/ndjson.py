"""Bytes in, rows out, for NDJSON / JSON Lines: one data row per line.

`NdjsonStream` has the interface of `ArrayStream`: iterate it for `SourceRow`s
and `SourceProblem`s in file order, read `rows`, and ask `locate()` about the row
just yielded. Row indexes and pointers count the non-blank lines, exactly as if
they were the elements of an array (`/3/row_data` is the fourth non-blank line).

A line that is not valid JSON is a J001 (or J002 / J007) finding at its own line
and column, and the lines after it are still checked: one bad line does not hide
the rest of the file. Such a line keeps its row index, so the indexes of the rows
after it do not move when it is fixed.

Each line is parsed with the standard library's C decoder rather than ijson:
measured on 20k typical rows (benchmarks in the README), `json` with an
`object_pairs_hook` (for J006 duplicate keys) and number hooks (for J007) parses
about 3x faster than one `ijson.items` call per line, whose per-call set-up
dominates on short lines. Memory is bounded by one read block plus the longest
line.
"""
from __future__ import annotations

import json
import os
from typing import BinaryIO, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from ..model import Path
from .diagnose import _BadNumber, _explain, _find_literal, half_surrogate_message, lone_surrogate, noting_decoder
from .encoding import describe_invalid_utf8, sniff
from .locator import positions
from .reader import ReadFailed
from .stream import SourceProblem, SourceRow, _duplicate_paths

READ_SIZE = 1 << 20
NDJSON_EXTENSIONS = (".ndjson", ".jsonl")
INPUT_FORMATS = ("auto", "json", "ndjson")
_BLANK = b" \t\r\n"


def input_format(path: str, requested: str = "auto") -> str:
    """'json' or 'ndjson' for `path`: as requested, or by extension (stdin is json)."""
    if requested in ("json", "ndjson"):
        return requested
    if path != "-" and os.path.splitext(path)[1].lower() in NDJSON_EXTENSIONS:
        return "ndjson"
    return "json"


_ARRAY_NOT_NDJSON = "this file holds a JSON array, not NDJSON (one data row per line): check it with --input-format json"


class NdjsonStream:
    """Iterate an NDJSON import file; ask `locate()` about the row just yielded."""

    def __init__(self, raw: BinaryIO, reopen: Optional[Callable[[], BinaryIO]] = None):
        self._raw = raw
        self.rows = 0
        self._last: Optional[Tuple[int, str, int]] = None  # (row, line text, line number)
        self._dups: List[Tuple[dict, str]] = []
        self._decoder = noting_decoder(self._dups)

    # -- reading lines ------------------------------------------------------------
    def _read(self) -> bytes:
        try:
            return self._raw.read(READ_SIZE)
        except OSError as exc:
            raise ReadFailed(str(exc)) from exc

    def _lines(self, head: bytes) -> Iterator[Tuple[int, bytes]]:
        """(line number, bytes without the newline) for every line."""
        number = 1
        parts: List[bytes] = []
        data = head
        while data:
            start = 0
            nl = data.find(b"\n")
            while nl >= 0:
                if parts:
                    parts.append(data[start:nl])
                    line, parts = b"".join(parts), []
                else:
                    line = data[start:nl]
                yield number, line
                number += 1
                start = nl + 1
                nl = data.find(b"\n", start)
            if start < len(data):
                parts.append(data[start:])
            data = self._read()
        if parts:
            yield number, b"".join(parts)

    # -- rows -----------------------------------------------------------------------
    def __iter__(self) -> Iterator[Union[SourceRow, SourceProblem]]:
        head = self._read()
        name, iconv, skip = sniff(head)
        if name:
            yield SourceProblem(
                "J002",
                f"the file is {name}, not UTF-8. Convert it, e.g. `iconv -f {iconv} -t UTF-8 in.ndjson > out.ndjson`",
                1, 1, fatal=True,
            )
            return
        if skip:
            yield SourceProblem("J003", "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM", 1, 1)
        first = True
        for number, line in self._lines(head[skip:]):
            if not line.strip(_BLANK):
                continue
            index = self.rows
            self.rows += 1
            problem, value, text = self._parse(line, number, index)
            if first and line.lstrip(_BLANK).startswith(b"[") and (problem is None and isinstance(value, list)
                                                                  or problem is not None and problem.code == "J001"):
                # a JSON array (pretty-printed, or minified on one line) in a .ndjson/.jsonl file
                column = len(line) - len(line.lstrip(_BLANK)) + 1
                yield SourceProblem("J001", _ARRAY_NOT_NDJSON, number, column, row=index, fatal=True)
                return
            first = False
            if problem is not None:
                yield problem
                continue
            found = _duplicate_paths(value, self._dups) if self._dups else []
            self._dups.clear()
            self._last = (index, text, number)
            yield SourceRow(index, value, found)
        if self.rows == 0:
            yield SourceProblem("J008", "the file holds no data rows: every line is blank", 1, 1)

    def _parse(self, line: bytes, number: int, index: int):
        """(problem, None, None) or (None, value, text) for one line."""
        self._dups.clear()
        if line.endswith(b"\r"):
            line = line[:-1]
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            column = len(line[: exc.start].decode("utf-8", "replace")) + 1
            return SourceProblem("J002", describe_invalid_utf8(line, exc.start), number, column, row=index), None, None
        try:
            value = self._decoder.decode(text)
        except _BadNumber as exc:
            at = _find_literal(text, 0, exc.literal)
            return SourceProblem("J007", exc.message, number, at + 1, row=index), None, None
        except json.JSONDecodeError as exc:
            message = _explain(exc)
            if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
                message += "; the line ends before the data row does: in NDJSON each data row must be complete on one line"
            elif exc.msg.startswith("Extra data"):
                message = "unexpected content after the data row: NDJSON holds one JSON value per line"
            return SourceProblem("J001", message, number, min(exc.pos, len(text)) + 1, row=index), None, None
        except RecursionError:
            return SourceProblem("J001", "the JSON is nested too deeply to check; no data row needs that", number, 1, row=index), None, None
        lone = lone_surrogate(text, 0, len(text))
        if lone is not None:  # as in a JSON array file, where ijson cannot read it
            return SourceProblem("J001", half_surrogate_message(text, lone), number, lone + 1, row=index), None, None
        return None, value, text

    # -- locations -----------------------------------------------------------------
    def locate(self, row: int, wanted: Sequence[Tuple[Path, bool]]) -> Dict[Tuple[Path, bool], Tuple[int, int]]:
        """{(path, on_key): (line, column)} for the row just yielded."""
        last = self._last
        if last is None or last[0] != row:
            return {key: (None, None) for key in wanted}  # type: ignore[misc]
        _, text, number = last
        return positions(text, wanted, number, 1)


__all__ = ["NdjsonStream", "input_format", "INPUT_FORMATS", "NDJSON_EXTENSIONS"]
