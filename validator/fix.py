"""Safe fixes: apply the `Fix` that findings carry, as byte-range edits.

A fix replaces one JSON value: the value at the finding's line and column. Its
span is found with `json.JSONDecoder.raw_decode` on the file's text at that
offset, and the edit is made only when the value found there is the value the
rule looked at (the row the checker saw, walked by the finding's pointer), so a
location that is off, a key, or a value the file spells differently is skipped
rather than damaged. Everything outside the edited spans stays byte-identical
(byte-order mark, whitespace, line endings, escapes elsewhere).

Fixes run in passes: a pass checks the text, applies every fix whose span does
not overlap one already taken, and the next pass checks the result again (two
rules fixing the same URL take turns), until nothing is left to fix.

Files are written atomically: a temporary file in the same directory, fsync,
`os.replace`, fsync of the directory. The original is intact at every instant
before the rename and the fixed file at every instant after it. Standard input
is never written.
"""
from __future__ import annotations

import difflib
import io
import json
import os
import re
import stat
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterator, List, Optional, Sequence, Tuple, Union

from .atomic import AtomicFile
from .checker import Checker
from .config import Selection, Settings, resolve
from .model import FileSummary, Finding, in_row
from .source.encoding import UTF8_BOM
from .source.files import InputError, read_available, stat_input
from .source.stream import ArrayStream, SourceRow

MAX_PASSES = 10

#: Test hook: seconds to sleep after the temporary file is written and synced and
#: before the rename (the crash-safety test kills the process in that window).
PAUSE_ENV = "LBX_VALIDATE_TEST_PAUSE_BEFORE_RENAME"

StreamFactory = Callable[[Any, Callable[[], Any]], Any]

_decoder = json.JSONDecoder()
_WS = " \t\n\r"
_LINES = re.compile(r"[^\n]*\n|[^\n]+$")


@dataclass
class Edit:
    start: int  # character offsets in the decoded text
    end: int
    text: str
    finding: Finding


@dataclass
class FixedFile:
    """What fixing one file did. `fixed == original` when nothing changed."""

    name: str
    path: Optional[str]  # None for standard input
    original: bytes
    fixed: bytes
    applied: List[Finding] = field(default_factory=list)
    skipped: List[Tuple[Finding, str]] = field(default_factory=list)
    written: bool = False
    note: Optional[str] = None  # why the file was not written, when it was not
    checked: bytes = b""  # the text the findings that follow are of (fixed, or original when not written)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        return unified_diff(self.name, self.original, self.fixed)


# -- text and offsets --------------------------------------------------------------------
def _decode(data: bytes) -> Tuple[bytes, str]:
    """(BOM prefix, text). Undecodable bytes survive the round trip unchanged."""
    bom = UTF8_BOM if data.startswith(UTF8_BOM) else b""
    return bom, data[len(bom):].decode("utf-8", "surrogateescape")


def _encode(bom: bytes, text: str) -> bytes:
    return bom + text.encode("utf-8", "surrogateescape")


def _line_starts(text: str) -> List[int]:
    starts = [0]
    find = text.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def offset_of(starts: Sequence[int], text: str, line: int, column: int) -> Optional[int]:
    """Character offset of 1-based (line, column) (columns count code points), or None."""
    if line < 1 or column < 1 or line > len(starts):
        return None
    pos = starts[line - 1] + column - 1
    end = starts[line] - 1 if line < len(starts) else len(text)
    return pos if pos < end else None


def _same(a: Any, b: Any) -> bool:
    """JSON equality that does not confuse true with 1 or "1" with 1."""
    if isinstance(a, Decimal):
        a = float(a)
    if isinstance(b, Decimal):
        b = float(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if type(a) is not type(b) and not (isinstance(a, dict) and isinstance(b, dict)):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def render(value: Any) -> str:
    """The JSON text that replaces a value."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def plan_edit(text: str, starts: Sequence[int], finding: Finding, current: Any) -> Union[Edit, str]:
    """The edit that applies `finding.fix`, or the reason it cannot be applied.

    `current` is the value the rule saw (resolved from the row by the pointer).
    """
    fix = finding.fix
    if fix is None:
        return "the finding carries no fix"
    if finding.line is None or finding.column is None:
        return "the finding has no location"
    pos = offset_of(starts, text, finding.line, finding.column)
    if pos is None:
        return "the location is outside the file"
    try:
        found, end = _decoder.raw_decode(text, pos)
    except (ValueError, RecursionError):
        return "no JSON value starts at the location"
    after = end
    while after < len(text) and text[after] in _WS:
        after += 1
    if after < len(text) and text[after] == ":":
        return "the location is a key, not a value"
    if not _same(found, current):
        return "the value at the location is not the value the rule checked"
    try:
        replacement = render(fix.replacement)
    except (TypeError, ValueError):
        return "the replacement is not a JSON value"
    if replacement == text[pos:end]:
        return "the value already reads so"
    return Edit(pos, end, replacement, finding)


def apply_edits(text: str, edits: Sequence[Edit]) -> Tuple[str, List[Edit], List[Edit]]:
    """Apply the non-overlapping edits (first by position, then by code); (text, applied, deferred)."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end, e.finding.code))
    taken: List[Edit] = []
    deferred: List[Edit] = []
    for e in ordered:
        if taken and e.start < taken[-1].end:
            deferred.append(e)
        else:
            taken.append(e)
    parts = []
    last = 0
    for e in taken:
        parts.append(text[last:e.start])
        parts.append(e.text)
        last = e.end
    parts.append(text[last:])
    return "".join(parts), taken, deferred


# -- checking in memory ------------------------------------------------------------------
class _Recording:
    """A stream wrapper that remembers the row the checker is working on."""

    def __init__(self, stream):
        self._stream = stream
        self.current: Optional[SourceRow] = None

    def __iter__(self):
        for item in self._stream:
            if isinstance(item, SourceRow):
                self.current = item
            yield item

    def locate(self, row, wanted):
        return self._stream.locate(row, wanted)

    @property
    def rows(self) -> int:
        return self._stream.rows


def _stream_of(data: bytes, factory: StreamFactory):
    return factory(io.BytesIO(data), lambda: io.BytesIO(data))


def _one_pass(data: bytes, name: str, settings: Settings, selection: Selection, factory: StreamFactory):
    """Check `data` with a fresh checker; (edits, skipped) for the fixable findings."""
    bom, text = _decode(data)
    starts: Optional[List[int]] = None
    checker = Checker(settings, selection)
    stream = _Recording(_stream_of(data, factory))
    edits: List[Edit] = []
    skipped: List[Tuple[Finding, str]] = []
    for finding in checker.check_stream(name, stream):
        if finding.fix is None:
            continue
        row = stream.current
        if row is None or finding.row != row.index:
            skipped.append((finding, "the finding's row is not the row being checked"))
            continue
        found_at = in_row(finding.pointer, row.index, row.value)
        if found_at is None:
            skipped.append((finding, "the pointer does not name a value in the row"))
            continue
        current = found_at[1]
        if starts is None:
            starts = _line_starts(text)
        planned = plan_edit(text, starts, finding, current)
        if isinstance(planned, str):
            skipped.append((finding, planned))
        else:
            edits.append(planned)
    return bom, text, edits, skipped


def fix_bytes(data: bytes, name: str, settings: Optional[Settings] = None, selection: Optional[Selection] = None,
              stream_factory: StreamFactory = ArrayStream, max_passes: int = MAX_PASSES) -> FixedFile:
    """Fix `data` in memory, pass after pass, until no fixable finding is left."""
    settings = settings or Settings()
    selection = selection or resolve(settings)
    result = FixedFile(name, None, data, data)
    seen = {data}
    current = data
    skipped: List[Tuple[Finding, str]] = []
    for _ in range(max_passes):
        bom, text, edits, skipped = _one_pass(current, name, settings, selection, stream_factory)
        if not edits:
            break
        text, taken, _deferred = apply_edits(text, edits)
        fixed = _encode(bom, text)
        if fixed in seen:  # the fixes undo each other: stop rather than loop
            break
        seen.add(fixed)
        current = fixed
        result.applied.extend(e.finding for e in taken)
    result.fixed = current
    result.skipped = skipped
    return result


# -- writing -----------------------------------------------------------------------------
def write_atomic(path: str, data: bytes, expect: Optional[os.stat_result] = None) -> None:
    """Replace the file at `path` with `data` so that a crash leaves the old or the new file.

    A symlink is followed (its target is replaced). `expect` is the stat taken when
    the file was read: if the file changed since, nothing is written (OSError).
    """
    st = os.stat(os.path.realpath(path))
    if expect is not None and (st.st_mtime_ns, st.st_size) != (expect.st_mtime_ns, expect.st_size):
        raise OSError(f"{path} changed while it was being fixed; not written")
    out = AtomicFile(path, "fix")
    out.file.write(data)
    pause = os.environ.get(PAUSE_ENV)
    out.commit(sync=True, before_rename=(lambda: time.sleep(float(pause))) if pause else None)


def unified_diff(name: str, old: bytes, new: bytes) -> str:
    """A unified diff of the two versions ('' when equal); input text is shown as it is."""
    if old == new:
        return ""
    a = _LINES.findall(_decode(old)[1])
    b = _LINES.findall(_decode(new)[1])
    lines = []
    old_name, new_name = (name, name) if os.path.isabs(name) or name.startswith("<") else (f"a/{name}", f"b/{name}")
    if len(a) == len(b):  # fixes replace values within lines: linear time (difflib is quadratic here)
        diff_lines = _same_length_diff(a, b, printable_keep_tabs(old_name), printable_keep_tabs(new_name))
    else:
        diff_lines = difflib.unified_diff(a, b, fromfile=printable_keep_tabs(old_name), tofile=printable_keep_tabs(new_name), n=1)
    for line in diff_lines:
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        body = printable_keep_tabs(body)
        lines.append(body + ending if ending else body + "\n\\ No newline at end of file\n")
    return "".join(lines)


def _range(start: int, length: int) -> str:
    return str(start + 1) if length == 1 else f"{start + 1 if length else start},{length}"


def _same_length_diff(a: List[str], b: List[str], old_name: str, new_name: str, context: int = 1) -> Iterator[str]:
    """`difflib.unified_diff(a, b, n=context)` for two lists of equal length, in linear time."""
    changed = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if not changed:
        return
    yield f"--- {old_name}\n"
    yield f"+++ {new_name}\n"
    n = len(a)
    groups: List[List[int]] = [[changed[0]]]
    for i in changed[1:]:
        if i - groups[-1][-1] > 2 * context + 1:
            groups.append([i])
        else:
            groups[-1].append(i)
    for group in groups:
        start = max(0, group[0] - context)
        stop = min(n, group[-1] + context + 1)
        yield f"@@ -{_range(start, stop - start)} +{_range(start, stop - start)} @@\n"
        i = start
        while i < stop:
            if a[i] == b[i]:
                yield " " + a[i]
                i += 1
                continue
            j = i
            while j < stop and a[j] != b[j]:
                j += 1
            for k in range(i, j):
                yield "-" + a[k]
            for k in range(i, j):
                yield "+" + b[k]
            i = j


def printable_keep_tabs(text: str) -> str:
    """`report.safe.printable`, but tabs (JSON whitespace) stay as they are."""
    from .report.safe import printable

    return "\t".join(printable(part) for part in text.split("\t"))


# -- the run ------------------------------------------------------------------------------
class FileFixed:
    """Marks, in `run()`'s stream, what fixing a file did (before the file's findings)."""

    def __init__(self, result: FixedFile):
        self.result = result


def _read(path: str) -> Tuple[bytes, Optional[os.stat_result]]:
    """The bytes to fix, and the stat of a regular file (None for standard input, a pipe
    or a device: those are never written)."""
    import sys

    if path == "-":
        return _read_stream(sys.stdin.buffer), None
    st = stat_input(path)
    try:
        with open(path, "rb") as f:
            if stat.S_ISREG(st.st_mode):
                return f.read(), st
            return _read_stream(f), None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


_CHUNK = 1 << 20


def _read_stream(f) -> bytes:
    """All of a pipe or device, unless its first bytes cannot start a JSON array, an object
    or NDJSON: then only those, which the check reports (J001/J002 at the first byte), so
    that `/dev/zero` or `yes |` cannot fill the memory."""
    chunks = [read_available(f, _CHUNK)]
    start = chunks[0][len(UTF8_BOM):] if chunks[0].startswith(UTF8_BOM) else chunks[0]
    start = start.lstrip(b" \t\r\n")
    if start and start[:1] not in (b"[", b"{"):
        return chunks[0]
    while chunks[-1]:
        chunks.append(read_available(f, _CHUNK))
    return b"".join(chunks)


def stream_factory_for(path: str, settings: Settings) -> StreamFactory:
    """The stream class `api.run` would use for `path` (NDJSON or a JSON array)."""
    try:
        from .source.ndjson import NdjsonStream, input_format
    except ImportError:  # pragma: no cover - NDJSON input not available
        return ArrayStream
    return NdjsonStream if input_format(path, getattr(settings, "input_format", None)) == "ndjson" else ArrayStream


def run(paths: Sequence[str], settings: Settings, selection: Optional[Selection] = None, write: bool = True,
        stream_factory: Optional[StreamFactory] = None) -> Iterator[Union[Finding, "FileFixed", Any]]:
    """Like `api.run`, fixing each file first.

    Yields, per file: a `FileFixed`, then the findings that remain (of the fixed
    content), then an `api.FileDone`. With `write`, changed files named on the
    command line are replaced atomically; standard input is never written (its
    findings are those of the input as it is). Without `write` (`--diff`), nothing
    is written and the findings are those that would remain.
    """
    from .api import FileDone

    selection = selection or resolve(settings)
    checker = Checker(settings, selection)  # the reporting checker: cross-file state as in a plain run
    for path in paths:
        data, st = _read(path)
        name = "<stdin>" if path == "-" else path
        factory = stream_factory or stream_factory_for(path, settings)
        result = fix_bytes(data, name, settings, selection, factory)
        result.path = None if path == "-" else path
        final = result.fixed
        if write and result.changed:
            if path == "-":
                result.note = "standard input is never written (use --diff to see the fixes)"
                final = data
            elif st is None:
                result.note = "not a regular file, so never written (use --diff to see the fixes)"
                final = data
            else:
                try:
                    write_atomic(path, result.fixed, st)
                    result.written = True
                except OSError as exc:
                    result.note = f"not written: {exc.strerror or exc}"
                    final = data
        result.checked = final
        yield FileFixed(result)
        summary = FileSummary(name)
        stream = _stream_of(final, factory)
        for finding in checker.check_stream(name, stream):
            summary.count(finding.severity)
            yield finding
        summary.rows = stream.rows
        yield FileDone(summary)


__all__ = ["FixedFile", "FileFixed", "Edit", "fix_bytes", "apply_edits", "plan_edit", "write_atomic", "unified_diff", "run", "PAUSE_ENV"]
