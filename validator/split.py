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

import codecs
import glob
import json
import os
import re
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterator, List, Optional, Tuple

from .source.encoding import UTF8_BOM, sniff
from .source.diagnose import half_surrogate_message, lone_surrogate
from .source.files import read_available
from .source.ndjson import input_format

READ_SIZE = 1 << 20
DEFAULT_MAX_ROWS = 150_000
DEFAULT_MAX_METADATA_ROWS = 30_000

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


def _read(raw: BinaryIO, name: str, size: int = 0) -> bytes:
    try:
        return read_available(raw, size or READ_SIZE)
    except OSError as exc:
        raise SplitError(f"{name}: read failed: {exc.strerror or exc}") from None


_WS_TEXT = re.compile(r"[ \t\n\r]*")


class _NotJson(ValueError):
    """What the stdlib decoder takes but JSON (and `lbx-validate check`) does not."""


def _no_constant(name: str):
    raise _NotJson(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


def _strict(text: str, start: int, end: int) -> None:
    """_NotJson for an escape of half a surrogate pair (check's J001) in text[start:end]."""
    at = lone_surrogate(text, start, end)
    if at is not None:
        raise _NotJson(half_surrogate_message(text, at))


class _Text:
    """The file decoded as UTF-8, a block at a time, with line numbers of offsets."""

    def __init__(self, raw: BinaryIO, name: str):
        self._raw, self._name = raw, name
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.buf = ""
        self.eof = False
        self._bytes = 0  # bytes decoded so far (for messages)
        self._line_pos, self._line = 0, 1  # an offset in buf and its line
        head = _read(raw, name)
        encoding, _, bom = sniff(head[:4])
        if encoding:
            raise SplitError(f"{name}: the file is {encoding}, not UTF-8; convert it first (`lbx-validate check` says how)")
        self._add(head[bom:], final=not head)

    def _add(self, data: bytes, final: bool) -> None:
        try:
            self.buf += self._decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            raise SplitError(f"{self._name}: the byte at offset {self._bytes + exc.start} is not valid UTF-8; "
                             f"run `lbx-validate check {self._name}` and fix the encoding first") from None
        self._bytes += len(data)

    def more(self, at_least: int = 0) -> bool:
        """Append the next block; False at the end of the file."""
        if self.eof:
            return False
        data = _read(self._raw, self._name, max(READ_SIZE, at_least))
        self.eof = not data
        self._add(data, final=self.eof)
        return not self.eof

    def skip_ws(self, pos: int) -> int:
        while True:
            pos = _WS_TEXT.match(self.buf, pos).end()
            if pos < len(self.buf) or not self.more():
                return pos

    def line(self, pos: int) -> int:
        if pos >= self._line_pos:
            self._line += self.buf.count("\n", self._line_pos, pos)
        else:
            return self._line - self.buf.count("\n", pos, self._line_pos)
        self._line_pos = pos
        return self._line

    def drop(self, pos: int) -> int:
        """Forget the text before `pos` once it is large; returns the new position."""
        if pos < READ_SIZE:
            return pos
        self.line(pos)
        self.buf = self.buf[pos:]
        self._line_pos = 0
        return 0


def array_rows(raw: BinaryIO, name: str) -> Iterator[Tuple[bytes, int, object]]:
    """(bytes of each element of the top-level array exactly as written, its line, its value).

    Each element is parsed by the standard library's C decoder (`raw_decode`
    gives where it ends); its text re-encoded as UTF-8 is byte for byte the input.
    """
    text = _Text(raw, name)
    pos = text.skip_ws(0)
    if pos >= len(text.buf):
        raise SplitError(f"{name}: the file is empty")
    if text.buf[pos] != "[":
        raise SplitError(f"{name}:{text.line(pos)}: the top-level value is not an array of data rows; nothing to split")
    pos = text.skip_ws(pos + 1)
    if text.buf[pos : pos + 1] == "]":
        return _after_array(text, pos + 1, name)
    while True:
        if pos >= len(text.buf):
            raise SplitError(f"{name}: the file ends inside the array (truncated?); run `lbx-validate check {name}`")
        line = text.line(pos)
        try:
            value, end = _DECODER.raw_decode(text.buf, pos)
            if len(text.buf) - end < 64 and text.more():
                continue  # a number may go on in the next block: look a little further first
            _strict(text.buf, pos, end)
        except _NotJson as exc:
            raise SplitError(f"{name}:{line}: not valid JSON ({exc}) in the data row starting here; "
                             f"run `lbx-validate check {name}` and fix it first") from None
        except json.JSONDecodeError as exc:
            if (exc.pos >= len(text.buf) - 8 or exc.msg.startswith("Unterminated string")) and text.more(len(text.buf) - pos):
                continue  # the row goes on in the next block (read more at once for long rows)
            raise SplitError(f"{name}:{text.line(exc.pos)}: not valid JSON ({exc.msg}) in the data row starting on line {line}; "
                             f"run `lbx-validate check {name}` and fix it first") from None
        except RecursionError:
            raise SplitError(f"{name}:{line}: the data row starting here is nested too deeply") from None
        yield text.buf[pos:end].encode("utf-8"), line, value
        pos = text.skip_ws(end)
        if pos >= len(text.buf):
            raise SplitError(f"{name}: the file ends inside the array (truncated?); run `lbx-validate check {name}`")
        c = text.buf[pos]
        if c == "]":
            return _after_array(text, pos + 1, name)
        if c != ",":
            raise SplitError(f"{name}:{text.line(pos)}: expected ',' or ']' after the data row on line {line}; "
                             f"run `lbx-validate check {name}`")
        pos = text.skip_ws(pos + 1)
        if text.buf[pos : pos + 1] == "]":
            raise SplitError(f"{name}:{text.line(pos)}: trailing comma before ']'; remove it")
        pos = text.drop(pos)


def _after_array(text: _Text, pos: int, name: str) -> None:
    pos = text.skip_ws(pos)
    if pos < len(text.buf):
        raise SplitError(f"{name}:{text.line(pos)}: content after the closing ']' of the array")


def ndjson_rows(raw: BinaryIO, name: str) -> Iterator[Tuple[bytes, int, object]]:
    """(bytes of each non-blank line without its line ending, its 1-based line number, its value)."""
    data = _read(raw, name)
    encoding, _, bom = sniff(data[:4])
    if encoding:
        raise SplitError(f"{name}: the file is {encoding}, not UTF-8; convert it first (`lbx-validate check` says how)")
    data = data[bom:]
    number = 1
    parts: List[bytes] = []
    while True:
        start = 0
        nl = data.find(b"\n")
        while nl >= 0:
            line = b"".join(parts) + data[start:nl] if parts else data[start:nl]
            parts = []
            if line.strip(_WS):
                yield _ndjson_row(line, number, name)
            number += 1
            start = nl + 1
            nl = data.find(b"\n", start)
        if start < len(data):
            parts.append(data[start:])
        if not data:
            break
        data = _read(raw, name)
    line = b"".join(parts)
    if line.strip(_WS):
        yield _ndjson_row(line, number, name)


def _ndjson_row(line: bytes, number: int, name: str) -> Tuple[bytes, int, object]:
    line = line.rstrip(b"\r")
    try:
        text = line.decode("utf-8")
        value = _DECODER.decode(text)
        _strict(text, 0, len(text))
    except (ValueError, RecursionError) as exc:
        raise SplitError(f"{name}:{number}: this line is not valid JSON ({_first_line(exc)}); "
                         f"run `lbx-validate check {name}` and fix it first") from None
    return line, number, value


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


def _has_metadata(value: object) -> bool:
    """Whether the row carries a non-empty metadata_fields list (what L002 counts)."""
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
            for row, _line, value in rows:
                meta = _has_metadata(value)
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
