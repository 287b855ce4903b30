"""The Python API and the run loop the CLI drives.

`check_rows(rows)` checks dicts built in code before `dataset.create_data_rows`;
`check_file(path)` checks an import file and returns a `Report`. `run()` checks
several files in one run (cross-file rules share state) and streams findings.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from .checker import Checker
from .config import Selection, Settings, resolve
from .model import FileSummary, Finding, Path, Problem, Severity, to_pointer
from .source.diagnose import INT64, python_number_problem
from .source.files import InputError, open_input
from .source.reader import ReadFailed
from .source.stream import ArrayStream
from .source.ndjson import NdjsonStream, input_format


@dataclass
class Report:
    files: List[FileSummary] = field(default_factory=list)
    findings: List[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    def has_errors(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


class FileDone:
    """Marks the end of one file in `run()`'s stream."""

    def __init__(self, summary: FileSummary):
        self.summary = summary


def _settings(settings: Optional[Settings], options: dict) -> Settings:
    base = settings or Settings()
    return base.with_options(**options) if options else base


def run(paths: Sequence[str], settings: Settings, selection: Optional[Selection] = None, progress: Any = None,
        jobs: Optional[int] = 1) -> Iterator[Union[Finding, FileDone]]:
    """Findings of every file in order, each file closed by a `FileDone`.

    Raises InputError for a file that cannot be opened or read. `progress`
    (optional, see `report/progress.py`): `progress.open(name, raw)` returns the
    byte stream to read (it may count what is read), `progress.attach(stream)`
    gets the row stream (its `rows` attribute is the count so far).

    `jobs`: processes to check the files with (None: one per core, when several
    files are given; see `parallel.jobs_for`). The stream is the same whatever
    the number; with more than one, `progress` is not used.
    """
    selection = selection or resolve(settings)
    if jobs != 1 and (len(paths) > 1 or jobs is not None):  # the default for one file: no workers to import (~40 ms)
        from . import parallel

        n = parallel.jobs_for(paths, jobs)
        if n > 1:
            yield from parallel.run(paths, settings, selection, n)
            return
    checker = Checker(settings, selection)
    for path in paths:
        yield from _one_file(checker, path, progress)


def _one_file(checker: Checker, path: str, progress: Any = None, watch: Any = None) -> Iterator[Union[Finding, FileDone]]:
    """`watch` (optional): called with the row stream, returns the stream to check (parallel.py)."""
    raw, reopen = open_input(path)
    name = "<stdin>" if path == "-" else path
    if progress is not None:
        raw = progress.open(name, raw)
    summary = FileSummary(name)
    try:
        if input_format(path, checker.settings.input_format) == "ndjson":
            stream = NdjsonStream(raw, reopen)
        else:
            stream = ArrayStream(raw, reopen)
        if progress is not None:
            progress.attach(stream)
        try:
            for finding in checker.check_stream(name, stream if watch is None else watch(stream)):
                summary.count(finding.severity)
                yield finding
        except ReadFailed as exc:
            raise InputError(f"{name}: read failed: {exc}") from None
        summary.rows = stream.rows
    finally:
        raw.close()
    yield FileDone(summary)


def check_file(path: str, settings: Optional[Settings] = None, **options: Any) -> Report:
    """Check one import file; returns every finding and the file's summary."""
    report = Report()
    for item in run([path], _settings(settings, options)):
        if isinstance(item, FileDone):
            report.files.append(item.summary)
        else:
            report.findings.append(item)
    return report


def check_rows(rows: Iterable[Any], settings: Optional[Settings] = None, **options: Any) -> List[Finding]:
    """Check rows given as Python objects (what `create_data_rows` takes).

    Pointers are relative to the list (`/12/attachments/3/value`); line and column
    are None. Values the SDK accepts in such dicts, like `datetime` metadata
    values, are accepted (they are checked as the ISO 8601 text the SDK sends).
    A row that contains itself (a circular reference) raises ValueError.
    """
    checker = Checker(_settings(settings, options))
    return list(checker.check_values((_normalize(r, i) for i, r in enumerate(rows)), "<rows>"))


_DONE = object()  # on the stack: every value inside the container below was copied
_KEY_TEXT = {True: "true", False: "false", None: "null"}  # json.dumps spells these keys so
_INF = float("inf")


def _normalize(value: Any, row: int = 0) -> Tuple[Any, List[Problem]]:
    """A JSON-shaped copy (datetimes as ISO 8601 strings, tuples as lists, keys as the
    strings `json.dumps` makes of them), and a J007 problem for each number that
    `json.dumps` would write as no JSON number (NaN, Infinity) or past 64 bits.

    Iterative, so a deeply nested value cannot exhaust the Python stack. A container
    inside itself, or a key `json.dumps` refuses (a tuple, bytes...), raises ValueError,
    as the SDK's JSON encoding of the row would; one object used twice, side by side,
    is copied twice.
    """
    root: List[Any] = [None]
    numbers: List[Problem] = []
    # (value, its parent's copy, its key there, its parent's node); a node is (parent's node, key):
    # paths are built only for the rare bad number, not for every value
    stack: List[Tuple[Any, Any, Any, Any]] = [(value, root, 0, None)]
    open_ids: set = set()  # the containers being copied: the current one and those around it
    while stack:
        item, parent, key, up = stack.pop()
        if item is _DONE:
            open_ids.discard(parent)
            continue
        t = type(item)
        if t is str or item is None:
            parent[key] = item
            continue
        if isinstance(item, (dict, list, tuple)):
            if id(item) in open_ids:
                raise ValueError(f"row {row} contains itself (a circular reference at key {key!r}): "
                                 "rows must be plain JSON-shaped values, as create_data_rows sends them")
            open_ids.add(id(item))
            stack.append((_DONE, id(item), None, None))
            node = (up, key) if up is not None else ()  # the row itself: the empty path
            if isinstance(item, dict):
                keys = [k if isinstance(k, str) else _key_text(k, row, _path(node)) for k in item]
                copy: Any = dict.fromkeys(keys)  # keeps the key order
                stack.extend((v, copy, k, node) for k, v in zip(keys, item.values()))
            else:
                copy = [None] * len(item)
                stack.extend((v, copy, i, node) for i, v in enumerate(item))
        elif isinstance(item, (dt.datetime, dt.date)):
            copy = item.isoformat()
        else:
            copy = item
            if t is float:
                suspect = not -_INF < item < _INF  # NaN compares False too
            elif t is int:
                suspect = not INT64[0] <= item <= INT64[1]
            else:
                suspect = isinstance(item, (int, float))  # subclasses: numpy floats, IntEnum...
            message = suspect and python_number_problem(item)
            if message:
                numbers.append(Problem(_path((up, key)), message))
        parent[key] = copy
    numbers.reverse()  # the stack visits the values back to front: document order
    return root[0], numbers


def _path(node: Any) -> Path:
    """The path of a node (parent's node, key); () is the row."""
    parts = []
    while node:
        node, key = node
        parts.append(key)
    return tuple(reversed(parts))


def _key_text(key: Any, row: int, path: Path) -> str:
    """The string `json.dumps` makes of a non-string key, or ValueError where it refuses one."""
    if key is None or isinstance(key, bool):
        return _KEY_TEXT[key]
    if isinstance(key, (int, float)):
        return json.dumps(key)
    raise ValueError(f"row {row} has a key of type {type(key).__name__} at {to_pointer(path) or 'the top'}: "
                     "JSON object keys must be strings, as create_data_rows sends them")


def exit_code(report_errors: int, report_warnings: int, strict: bool = False, exit_zero: bool = False) -> int:
    if exit_zero:
        return 0
    return 1 if report_errors or (strict and report_warnings) else 0


__all__ = ["Report", "FileDone", "run", "check_file", "check_rows", "exit_code", "InputError", "Severity"]
