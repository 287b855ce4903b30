"""`lbx-validate split`: cut a large import into upload-sized files (the L001/L002 remedy).

The input is streamed once. Each row is copied with its bytes exactly as written
(indentation, key order, escapes, number spellings); only the separators between
rows are new. A part closes before a row that would take it past `max_rows` rows,
or past `max_metadata_rows` rows carrying a non-empty `metadata_fields` list (the
30,000 limit of one upload with metadata). Memory holds one read block plus the
current row.

Output files are named after the input (`import.json` -> `import.part001.json`,
`rows.ndjson` -> `rows.part001.ndjson`) in the input's directory or `out_dir`.
Nothing is ever overwritten: if a part name already exists the split stops before
writing anything, and files are created exclusively (O_EXCL). If the input turns
out to be broken half-way, the parts written so far are removed again.
"""
from __future__ import annotations

import glob
import json
import os
import re
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterator, List, Optional, Tuple

from .source.encoding import UTF8_BOM, sniff
from .source.ndjson import input_format

READ_SIZE = 1 << 20
DEFAULT_MAX_ROWS = 150_000
DEFAULT_MAX_METADATA_ROWS = 30_000

# A string (its closing quote captured, empty when the buffer ends inside it) or a structural byte.
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*("?)|[\[\]{},]', re.S)
_WS = b" \t\r\n"


class SplitError(Exception):
    """The split cannot be done (exit code 2): the message names the file and the problem."""


@dataclass
class SplitResult:
    parts: List[Tuple[str, int, int]] = field(default_factory=list)  # (path, rows, rows with metadata)

    @property
    def rows(self) -> int:
        return sum(p[1] for p in self.parts)


# -- rows as bytes ----------------------------------------------------------------------


def _read(raw: BinaryIO, name: str) -> bytes:
    try:
        return raw.read(READ_SIZE)
    except OSError as exc:
        raise SplitError(f"{name}: read failed: {exc.strerror or exc}") from None


def array_rows(raw: BinaryIO, name: str) -> Iterator[Tuple[bytes, int]]:
    """(bytes of each element of the top-level array, its 1-based line), exactly as written."""
    buf = bytearray(_read(raw, name))
    head = bytes(buf[:4])
    encoding, _, bom = sniff(head)
    if encoding:
        raise SplitError(f"{name}: the file is {encoding}, not UTF-8; convert it first (`lbx-validate check` says how)")
    del buf[:bom]
    line = 1
    start = len(buf) - len(bytes(buf).lstrip(_WS))
    if start == len(buf) and not buf:
        raise SplitError(f"{name}: the file is empty")
    line += bytes(buf[:start]).count(b"\n")
    while start >= len(buf):  # whitespace-only first block
        more = _read(raw, name)
        if not more:
            raise SplitError(f"{name}: the file is empty")
        buf = bytearray(more)
        start = len(buf) - len(bytes(buf).lstrip(_WS))
        line += bytes(buf[:start]).count(b"\n")
    if buf[start : start + 1] != b"[":
        raise SplitError(f"{name}:{line}: the top-level value is not an array of data rows; nothing to split")
    depth = 0
    pos = start  # where scanning resumes
    row_from = None  # offset just after the separator ('[' or ',') before the current row
    line_at = line  # line of buf[0]
    done = False
    while True:
        for m in _TOKEN.finditer(buf, pos):
            c = buf[m.start()]
            if c == 0x22:  # a string
                if not m.group(1):  # the block ends inside it: wait for more bytes
                    pos = m.start()
                    break
                continue
            if done:
                raise SplitError(f"{name}:{_line_of(buf, m.start(), line_at)}: content after the closing ']' of the array")
            if c in (0x5B, 0x7B):
                depth += 1
                if depth == 1:
                    row_from = m.end()
            elif c in (0x5D, 0x7D):
                depth -= 1
                if depth == 0:
                    row = bytes(buf[row_from : m.start()]).strip(_WS)
                    if row:
                        yield row, _line_of(buf, row_from, line_at)
                    elif buf[row_from - 1 : row_from] == b",":
                        raise SplitError(f"{name}:{_line_of(buf, row_from, line_at)}: trailing comma before ']'")
                    done = True
            elif depth == 1:  # a comma between rows
                row = bytes(buf[row_from : m.start()]).strip(_WS)
                if not row:
                    raise SplitError(f"{name}:{_line_of(buf, row_from, line_at)}: empty element between commas")
                yield row, _line_of(buf, row_from, line_at)
                row_from = m.end()
        else:
            pos = len(buf)
        # forget what is behind us, keeping the current row
        keep = row_from if (row_from is not None and not done) else pos
        keep = min(keep, pos)
        if keep:
            line_at += bytes(buf[:keep]).count(b"\n")
            del buf[:keep]
            pos -= keep
            if row_from is not None:
                row_from -= keep
        more = _read(raw, name)
        if not more:
            break
        buf += more
    if not done:
        raise SplitError(f"{name}: the file ends inside the array (truncated?); run `lbx-validate check {name}`")
    if bytes(buf[pos:]).strip(_WS):
        raise SplitError(f"{name}:{_line_of(buf, pos, line_at)}: content after the closing ']' of the array")


def _line_of(buf: bytearray, row_from: int, line_at: int) -> int:
    """Line of the first non-blank byte at or after `row_from`."""
    end = row_from
    while end < len(buf) and buf[end] in _WS:
        end += 1
    return line_at + bytes(buf[:end]).count(b"\n")


def ndjson_rows(raw: BinaryIO, name: str) -> Iterator[Tuple[bytes, int]]:
    """(bytes of each non-blank line without its line ending, its 1-based line number)."""
    data = _read(raw, name)
    encoding, _, bom = sniff(data[:4])
    if encoding:
        raise SplitError(f"{name}: the file is {encoding}, not UTF-8; convert it first (`lbx-validate check` says how)")
    data = data[bom:]
    number = 1
    parts: List[bytes] = []
    while data:
        start = 0
        nl = data.find(b"\n")
        while nl >= 0:
            line = b"".join(parts) + data[start:nl] if parts else data[start:nl]
            parts = []
            if line.strip(_WS):
                yield line.rstrip(b"\r"), number
            number += 1
            start = nl + 1
            nl = data.find(b"\n", start)
        if start < len(data):
            parts.append(data[start:])
        data = _read(raw, name)
    line = b"".join(parts)
    if line.strip(_WS):
        yield line.rstrip(b"\r"), number


# -- the split -------------------------------------------------------------------------------


def part_name(path: str, number: int, out_dir: Optional[str] = None) -> str:
    folder, base = os.path.split(path)
    stem, ext = os.path.splitext(base)
    if not ext:
        ext = ".json"
    return os.path.join(out_dir if out_dir is not None else folder, f"{stem}.part{number:03d}{ext}")


def _existing_parts(path: str, out_dir: Optional[str]) -> List[str]:
    folder, base = os.path.split(part_name(path, 1, out_dir))
    stem, ext = base.rsplit(".part001", 1)
    pattern = os.path.join(glob.escape(folder), glob.escape(stem) + ".part[0-9][0-9][0-9]*" + glob.escape(ext))
    return sorted(glob.glob(pattern))


def _has_metadata(row: bytes, name: str, line: int) -> bool:
    """Whether the row carries a non-empty metadata_fields list; a row that is not valid JSON is an error."""
    try:
        value = json.loads(row)
    except (ValueError, RecursionError) as exc:
        raise SplitError(f"{name}:{line}: the data row starting here is not valid JSON ({_first_line(exc)}); "
                         f"run `lbx-validate check {name}` and fix it first") from None
    if not isinstance(value, dict):
        return False
    fields = value.get("metadata_fields")
    return isinstance(fields, list) and bool(fields)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def split(path: str, max_rows: int = DEFAULT_MAX_ROWS, max_metadata_rows: Optional[int] = DEFAULT_MAX_METADATA_ROWS,
          out_dir: Optional[str] = None, fmt: str = "auto",
          opener: Callable[[str], BinaryIO] = lambda p: open(p, "rb")) -> SplitResult:
    """Split `path` into parts; returns what was written. Raises SplitError (nothing left behind)."""
    if max_rows < 1 or (max_metadata_rows is not None and max_metadata_rows < 1):
        raise SplitError("--max-rows and --max-metadata-rows must be at least 1")
    if path == "-":
        raise SplitError("split reads a file, not standard input: save the import to a file first")
    if out_dir is not None and not os.path.isdir(out_dir):
        raise SplitError(f"{out_dir}: the output directory does not exist")
    existing = _existing_parts(path, out_dir)
    if existing:
        raise SplitError(f"{existing[0]}: already exists; split never overwrites files: move it away or use --out-dir")
    kind = input_format(path, fmt)
    try:
        raw = opener(path)
    except FileNotFoundError:
        raise SplitError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SplitError(f"{path}: is a directory") from None
    except OSError as exc:
        raise SplitError(f"{path}: cannot open: {exc.strerror or exc}") from None
    result = SplitResult()
    writer = _PartWriter(path, out_dir, kind, result)
    try:
        with raw:
            rows = ndjson_rows(raw, path) if kind == "ndjson" else array_rows(raw, path)
            limit_meta = max_metadata_rows
            for row, line in rows:
                meta = _has_metadata(row, path, line)
                if writer.rows >= max_rows or (meta and limit_meta is not None and writer.meta_rows >= limit_meta):
                    writer.close()
                writer.write(row, meta)
            writer.close()
        if not result.parts:
            raise SplitError(f"{path}: the file holds no data rows; nothing to split")
    except BaseException:
        writer.abort()
        raise
    return result


class _PartWriter:
    def __init__(self, path: str, out_dir: Optional[str], kind: str, result: SplitResult):
        self._path = path
        self._out_dir = out_dir
        self._kind = kind
        self._result = result
        self._file: Optional[BinaryIO] = None
        self._name = ""
        self._created: List[str] = []
        self.rows = 0
        self.meta_rows = 0

    def _open(self) -> None:
        self._name = part_name(self._path, len(self._result.parts) + 1, self._out_dir)
        try:
            self._file = open(self._name, "xb")
        except FileExistsError:
            raise SplitError(f"{self._name}: already exists; split never overwrites files: move it away or use --out-dir") from None
        except OSError as exc:
            raise SplitError(f"{self._name}: cannot write: {exc.strerror or exc}") from None
        self._created.append(self._name)
        if self._kind == "json":
            self._file.write(b"[\n")

    def write(self, row: bytes, meta: bool) -> None:
        if self._file is None:
            self._open()
        assert self._file is not None
        try:
            if self._kind == "json":
                if self.rows:
                    self._file.write(b",\n")
                self._file.write(row)
            else:
                self._file.write(row + b"\n")
        except OSError as exc:
            raise SplitError(f"{self._name}: cannot write: {exc.strerror or exc}") from None
        self.rows += 1
        self.meta_rows += meta

    def close(self) -> None:
        if self._file is None:
            return
        try:
            if self._kind == "json":
                self._file.write(b"\n]\n")
            self._file.close()
        except OSError as exc:
            raise SplitError(f"{self._name}: cannot write: {exc.strerror or exc}") from None
        self._result.parts.append((self._name, self.rows, self.meta_rows))
        self._file = None
        self.rows = self.meta_rows = 0

    def abort(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except OSError:
                pass
            self._file = None
        for name in self._created:
            try:
                os.remove(name)
            except OSError:
                pass
        self._result.parts.clear()


__all__ = ["split", "SplitError", "SplitResult", "part_name", "array_rows", "ndjson_rows"]
