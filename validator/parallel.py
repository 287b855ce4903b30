"""`--jobs N`: check the files of a run in worker processes and merge their results.

Each worker checks one file at a time with a fresh `Checker` (every rule, as a
sequential run does) and returns plain data: the file's findings, its summary and, for the
cross-file rules (rule modules with `cross_file_key(row)` and `CROSS_FILE_FIELDS`:
K001, K003, K006), the set of keys its rows have. Rules that read the same field are
taken as one group, because they may share run state (K001 and K003 share the run's
index of global keys); a group's keys are the union of its rules' keys. The parent
takes the files in command-line order:

- When no key of a file is a key of an earlier file, the worker's findings are
  what a sequential run finds (the cross-file rules only see the file's own rows),
  and they are emitted as they are. This is the common case: a few set operations
  per file.
- From the first file whose keys meet an earlier file's, that group's rules run
  again in this process, through the normal `Checker` with a selection of just
  those codes and one run context, over the "slim" rows of every file in order
  (from the first file, once), so messages and `related` are exactly those of a
  sequential run. Slim rows are the declared fields of the rows that have one,
  read from the files again then (sending them from every worker cost more than
  the re-reading they would save, which the common case never needs); a file
  changed since its worker read it gives the findings of its new content here.
  For each file whose keys meet an earlier file's, these findings replace the
  worker's of those codes; line and column come from the worker's
  finding with the same (code, row, pointer), or, for a finding the worker did
  not have, from reading the file again up to the last such row.

The output (findings, their order, summaries, errors) is that of `api.run` with
one process. Not used for standard input, FIFOs or devices (a worker cannot
read them, and they cannot be read twice); `api.run` checks those runs in
this process. Each file's findings are held in memory until its turn.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import stat
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from multiprocessing import forkserver
from typing import Any, Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

from . import rules as registry
from .api import FileDone, _normalize, _one_file
from .checker import Checker
from .config import ConfigError, Selection, Settings
from .model import FileSummary, Finding, Path, to_pointer
from .source.files import InputError, open_input
from .source.ndjson import NdjsonStream, input_format
from .source.stream import ArrayStream, SourceRow

Fields = Tuple[str, ...]


class Slim:
    """The slim rows of a file for one group, by column: `rows[n]` is the index of the n-th
    row that has one of the fields, `columns[f][n]` its value of `fields[f]` (ABSENT when it
    has not that field). Columns of strings, not a dict a row: the garbage collector would
    walk a container a row on every full collection."""

    __slots__ = ("fields", "rows", "columns")

    def __init__(self, fields: Fields):
        self.fields = fields
        self.rows: List[int] = []
        self.columns: List[List[Any]] = [[] for _ in fields]

    def __getstate__(self):
        return (self.fields, self.rows, self.columns)

    def __setstate__(self, state):
        self.fields, self.rows, self.columns = state

    def __iter__(self) -> Iterator[Tuple[int, Dict[str, Any]]]:
        """(row index, {field: value}) in file order."""
        fields, columns = self.fields, self.columns
        for n, index in enumerate(self.rows):
            yield index, {f: col[n] for f, col in zip(fields, columns) if col[n] is not ABSENT}


class _Absent:
    """A field the row does not have (None is JSON null)."""

    def __reduce__(self):
        return "ABSENT"  # pickled as this module's singleton

    def __repr__(self):
        return "ABSENT"


ABSENT = _Absent()


# -- how many jobs -------------------------------------------------------------------------
# Starting the workers costs about 0.25 s (a fresh interpreter importing the validator once),
# about what checking 1 MB takes on one core: by default, files totalling less than this are
# checked in this process. An explicit `jobs` is always honoured.
PARALLEL_MIN_BYTES = 2 << 20


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def default_jobs(files: int, total_bytes: Optional[int] = None) -> int:
    """One job per core (at most one a file) when several files are given, else 1; also 1 when
    `total_bytes` is known and under PARALLEL_MIN_BYTES."""
    if files < 2 or (total_bytes is not None and total_bytes < PARALLEL_MIN_BYTES):
        return 1
    return max(1, min(cores(), files))


def jobs_for(paths: Sequence[str], jobs: Optional[int]) -> int:
    """The number of processes to check `paths` with: 1 means the sequential run.

    `jobs` None means `default_jobs` for the files' total size. Standard input,
    FIFOs and devices (anything that exists and is neither a regular file nor a
    directory) mean 1: a worker cannot read what this process was given.
    """
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1):
        raise ValueError(f"jobs must be a positive integer, not {jobs!r}")
    if len(paths) < 2 or jobs == 1:
        return 1
    total = 0
    for path in paths:
        if path == "-":
            return 1
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            continue  # missing or unreadable: the worker reports it as the sequential run would
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            return 1
        total += st.st_size if stat.S_ISREG(st.st_mode) else 0
    return default_jobs(len(paths), total) if jobs is None else min(jobs, len(paths))


# -- the cross-file rules ------------------------------------------------------------------------
@dataclass(frozen=True)
class CrossRule:
    code: str
    key: Callable[[dict], Optional[str]]
    fields: Fields


@dataclass(frozen=True)
class Group:
    """Cross-file rules that read the same fields: checked again together, since they may share state."""

    rules: Tuple[CrossRule, ...]
    fields: Fields  # the union of the rules' fields; also names the group

    @property
    def codes(self) -> FrozenSet[str]:
        return frozenset(r.code for r in self.rules)


@lru_cache(maxsize=1)
def cross_file_rules() -> Tuple[CrossRule, ...]:
    """The rules whose state spans the files of a run: their modules define `cross_file_key`."""
    out = []
    for rule in registry.all_rules():
        module = sys.modules.get(rule.check.__module__) if rule.check is not None else None
        key = getattr(module, "cross_file_key", None)
        if key is not None:
            out.append(CrossRule(rule.code, key, tuple(module.CROSS_FILE_FIELDS)))
    return tuple(out)


def groups(codes: Optional[FrozenSet[str]] = None) -> Tuple[Group, ...]:
    """The cross-file rules (those among `codes`), grouped: rules that share a field are in one group."""
    found: List[List[CrossRule]] = []
    for rule in cross_file_rules():
        if codes is not None and rule.code not in codes:
            continue
        joined = [g for g in found if any(set(rule.fields) & set(r.fields) for r in g)]
        merged = [r for g in joined for r in g] + [rule]
        found = [g for g in found if g not in joined] + [merged]
    return tuple(Group(tuple(g), tuple(dict.fromkeys(f for r in g for f in r.fields))) for g in found)


# -- the worker ------------------------------------------------------------------------------------
@dataclass
class FileResult:
    """What a worker sends back for one file: plain data only (strings, never hash() values)."""

    name: str
    findings: List[Finding] = field(default_factory=list)
    # findings[i] for i in `source_at` came from the parser (J-family), after `source_at[i]` rows;
    # every other finding belongs to the row `finding.row`, in the order of Checker._row.
    source_at: Dict[int, int] = field(default_factory=dict)
    summary: Optional[FileSummary] = None
    keys: Dict[Fields, Set[str]] = field(default_factory=dict)  # group -> its rules' cross_file_key values
    error: Optional[Exception] = None  # InputError / ConfigError, raised after `findings`


class _Watch:
    """Sits between the row stream and the checker of a worker: notes which findings
    come from the parser, and collects each group's keys."""

    _BATCH = 4096  # rows whose keys are taken together (a C-level map per key function)

    def __init__(self, groups: Sequence[Tuple[Fields, Sequence[CrossRule]]]):
        self.groups = groups  # (group fields, its rules)
        self.keys: Dict[Fields, Set[str]] = {fields: set() for fields, _ in groups}
        # per group, the declared fields' values of the rows that have one, keys not taken yet: values,
        # not the rows, which the garbage collector would walk while they wait
        self._pending: Dict[Fields, list] = {fields: [] for fields, _ in groups}
        self.rows = 0  # rows handed to the checker so far
        self.at_row = False  # the last item handed over was a row (not a parser problem)
        self._stream: Any = None

    def wrap(self, stream: Any) -> "_Watch":
        self._stream = stream
        return self

    def __iter__(self):
        # per group: its fields, the append of its pending values (a key is a function of the declared fields)
        todo = [(fields, self._pending[fields].append) for fields, _ in self.groups]
        for item in self._stream:
            if type(item) is SourceRow:
                self.at_row = True
                self.rows += 1
                if not self.rows & 511:
                    if _stop_requested is not None and _stop_requested.is_set():
                        raise Stopped()
                    if not self.rows % self._BATCH:
                        self.take_keys()
                value = item.value
                if todo and isinstance(value, dict):
                    for fields, add in todo:
                        if len(fields) == 1:
                            if fields[0] in value:
                                add(value[fields[0]])
                        elif any(f in value for f in fields):
                            add(tuple(value.get(f, ABSENT) for f in fields))
            else:
                self.at_row = False
            yield item

    def take_keys(self) -> None:
        """Add the pending rows' keys to each group's set."""
        for fields, rules in self.groups:
            pending = self._pending[fields]
            if pending:
                if len(fields) == 1:
                    rows = [{fields[0]: v} for v in pending]
                else:
                    rows = [{f: v for f, v in zip(fields, values) if v is not ABSENT} for values in pending]
                for rule in rules:
                    self.keys[fields].update(map(rule.key, rows))
                pending.clear()

    def locate(self, row: int, wanted):
        return self._stream.locate(row, wanted)


def _plain(value: Any) -> Any:
    """The value without the parser's dict subclass."""
    return value if type(value) in (str, int, float, bool) or value is None else _normalize(value)


class Stopped(Exception):
    """The parent asked the workers to stop (an input error, Ctrl-C): the file is abandoned."""


_stop_requested: Any = None  # in a worker: the run's multiprocessing Event, set when the parent stops


def _init_worker(cwd: str, stop: Any) -> None:
    global _stop_requested
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    os.chdir(cwd)  # a forkserver started earlier may sit elsewhere; paths are relative to the run
    _stop_requested = stop


def _checked(path: str, settings: Settings, selection: Selection, result: FileResult) -> Iterator[Tuple[Any, Optional[int]]]:
    """The file's findings and FileDone as they are found, each with, for a parser finding,
    the number of rows before it (else None). At the end, even on an error, `result` has
    the file's keys and slim rows."""
    name = "<stdin>" if path == "-" else path
    enabled = selection.for_file(name)
    # Every key of a group when one of its rules runs here: rules that share state may note
    # a row under each other's keys (K003 notes the lower-cased key in K001's index).
    watch = _Watch([(g.fields, g.rules) for g in groups(selection.enabled) if g.codes & enabled])
    try:
        for item in _one_file(Checker(settings, selection), path, watch=watch.wrap):
            yield item, (None if watch.at_row or type(item) is FileDone else watch.rows)
    finally:
        watch.take_keys()
        for keys in watch.keys.values():
            keys.discard(None)  # rows whose value has no key
        result.keys = {fields: keys for fields, keys in watch.keys.items() if keys}


def check_one(path: str, settings: Settings, selection: Selection) -> FileResult:
    """Check one file (in a worker process)."""
    result = FileResult("<stdin>" if path == "-" else path)
    findings, source_at = result.findings, result.source_at
    try:
        for item, after in _checked(path, settings, selection, result):
            if type(item) is FileDone:
                result.summary = item.summary
                continue
            if after is not None:
                source_at[len(findings)] = after
            findings.append(item)
    except (InputError, ConfigError) as exc:
        result.error = exc
    return result


# -- the parent ------------------------------------------------------------------------------------
def run(paths: Sequence[str], settings: Settings, selection: Selection, jobs: int) -> Iterator[Union[Finding, FileDone]]:
    """`api.run`'s stream for `paths`, checked by `jobs` worker processes.

    This process only merges and writes. (Checking the first file here as well gained
    little, and with the pool's threads running, Ctrl-C in the middle of the parser's
    callbacks could surface as a SystemError instead of KeyboardInterrupt.)
    """
    merger = _Merger(settings, selection)
    context = _context()
    stop = context.Event()
    pool: Optional[ProcessPoolExecutor] = None
    finished = False
    try:
        with _sigint_deferred():
            pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(os.getcwd(), stop))
            futures = [pool.submit(check_one, path, settings, selection) for path in paths]
        for path, future in zip(paths, futures):
            yield from merger.add(path, future.result())
        finished = True
    finally:
        if pool is None:
            pass
        elif finished:
            pool.shutdown(wait=True)
        else:  # an input error, Ctrl-C, or the reader went away: stop the workers now.
            # They stop themselves (within 512 rows): a killed worker can leave the pool's
            # thread reading half a result forever, and 3.11's pool then fails in its thread.
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)


class _sigint_deferred:
    """Ctrl-C (or SIGTERM) while the workers start is raised once they have: a worker still
    starting when this process exits cannot open the pool's locks and prints a traceback."""

    _SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __enter__(self):
        self.caught = None
        self.previous = {}
        if threading.current_thread() is threading.main_thread():
            self.previous = {sig: signal.signal(sig, self._catch) for sig in self._SIGNALS}
        return self

    def _catch(self, signum, frame):
        self.caught = self.caught or signum

    def __exit__(self, *exc):
        for sig, previous in self.previous.items():
            signal.signal(sig, previous)
        if self.caught:  # to the handler restored: KeyboardInterrupt, the CLI's Terminated... Also when the
            signal.raise_signal(self.caught)  # start failed: a SIGTERM to the group kills the forkserver (EOFError)
        return False


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    # Workers fork from a server that has imported the validator and every rule once.
    rule_modules = sorted({r.check.__module__ for r in registry.all_rules() if r.check is not None})
    ctx.set_forkserver_preload([__name__, *rule_modules])
    # Started with SIGINT ignored, which it keeps (and hands to the workers): Ctrl-C while
    # it imports would otherwise print its KeyboardInterrupt traceback. The parent only
    # ignores it for the fork and exec, not while the server imports.
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, previous)
    return ctx


class _SlimStream:
    """Slim rows as a row stream for `Checker.check_stream`. Locations come from `located`
    ({(row, pointer): (line, column)}, the worker's findings); the others are noted in
    `missing` ({row: [(path, on_key)]}) and left empty."""

    def __init__(self, slim: Iterable[Tuple[int, Dict[str, Any]]], located: Optional[dict]):
        self._slim = slim
        self._located = located
        self.rows = 0
        self.missing: Dict[int, list] = {}

    def __iter__(self):
        for index, value in self._slim:
            self.rows += 1
            yield SourceRow(index, value, [])

    def locate(self, row: int, wanted):
        out = {}
        if self._located is None:
            return out
        for path, on_key in wanted:
            where = self._located.get((row, f"/{row}{to_pointer(path)}"))
            if where is None:
                self.missing.setdefault(row, []).append((path, on_key))
            else:
                out[(path, on_key)] = where
        return out


class _Recheck:
    """One group of cross-file rules, seen from the parent (see the module's docstring)."""

    def __init__(self, group: Group, settings: Settings, selection: Selection):
        self.group = group
        self.settings = settings
        self.selection = selection
        self.seen: Optional[Set[str]] = None  # keys of the files so far
        self.checker: Optional[Checker] = None  # from the first file whose keys meet an earlier file's

    def add(self, result: FileResult, earlier: Sequence[FileResult]) -> Optional[Tuple[List[Finding], Dict[int, list]]]:
        """The group's findings for the next file when they replace the worker's (else None),
        with the places ({row: [(path, on_key)]}) whose line and column are still to find."""
        fields = self.group.fields
        keys = result.keys.get(fields)
        meets = bool(keys) and self.seen is not None and not self.seen.isdisjoint(keys)
        if keys:
            if self.seen is None:
                self.seen = set(keys)
            else:
                self.seen |= keys
        if self.checker is None:
            if not meets:
                return None
            codes = self.selection.enabled & self.group.codes
            self.checker = Checker(self.settings, replace(self.selection, enabled=codes))
            for before in earlier:
                self._feed(before, None)
        if not meets:
            self._feed(result, None)  # the state is all that is wanted: the worker's findings are right
            return None
        codes = self.group.codes
        located = {(f.row, f.pointer): (f.line, f.column) for f in result.findings if f.code in codes}
        return self._feed(result, located)

    def _feed(self, result: FileResult, located: Optional[dict]) -> Tuple[List[Finding], Dict[int, list]]:
        assert self.checker is not None
        try:
            slim: Iterable = slim_rows(result.name, self.settings.input_format, self.group.fields)
        except InputError:
            slim = ()  # gone since its worker read it (which reported any error): as a file without rows
        stream = _SlimStream(slim, located)
        found = list(self.checker.check_stream(result.name, stream))
        return (found if located is not None else []), stream.missing


class _Merger:
    def __init__(self, settings: Settings, selection: Selection):
        self.settings = settings
        self.rechecks = [_Recheck(g, settings, selection) for g in groups(selection.enabled)]
        self.earlier: List[FileResult] = []  # the files so far (their slim rows), until every group has its checker

    def add(self, path: str, result: FileResult) -> Iterator[Union[Finding, FileDone]]:
        """The findings and FileDone of the next file (or its findings, then its error)."""
        new: List[Finding] = []
        replaced: Set[str] = set()
        missing: Dict[int, list] = {}
        for recheck in self.rechecks:
            redone = recheck.add(result, self.earlier)
            if redone is not None:
                replaced |= recheck.group.codes
                new.extend(redone[0])
                for row, places in redone[1].items():
                    missing.setdefault(row, []).extend(places)
        if missing:  # findings the worker did not have: read the file once more for their places
            where = locate_rows(path, self.settings.input_format, missing)
            new = [_placed(f, where) if f.line is None else f for f in new]
        if any(r.checker is None for r in self.rechecks):
            self.earlier.append(replace(result, findings=[], source_at={}, keys={}))
        else:
            self.earlier.clear()
        return self._emit(result, replaced, new)

    def _emit(self, result: FileResult, replaced: Set[str], new: List[Finding]) -> Iterator[Union[Finding, FileDone]]:
        findings = result.findings
        if replaced:
            findings = _merge(findings, result.source_at, replaced, new)
        yield from findings
        if result.error is not None:
            raise result.error
        summary = result.summary
        assert summary is not None
        if replaced:
            summary = FileSummary(summary.path, summary.rows)
            for f in findings:
                summary.count(f.severity)
        yield FileDone(summary)


def _placed(f: Finding, where: Dict[Tuple[int, str], Tuple[Optional[int], Optional[int]]]) -> Finding:
    pos = where.get((f.row, f.pointer))
    return f if pos is None else replace(f, line=pos[0], column=pos[1])


def _reread(path: str, requested_format: str) -> Iterator[Tuple[Any, SourceRow]]:
    """(stream, row) for each row of the file, read again."""
    raw, reopen = open_input(path)
    try:
        stream: Any = NdjsonStream(raw, reopen) if input_format(path, requested_format) == "ndjson" else ArrayStream(raw, reopen)
        for item in stream:
            if type(item) is SourceRow:
                yield stream, item
    finally:
        raw.close()


def slim_rows(path: str, requested_format: str, fields: Fields) -> Slim:
    """The slim rows of a file for the group with these fields (the file is read again)."""
    slim = Slim(fields)
    add_values = [c.append for c in slim.columns]
    for _, item in _reread(path, requested_format):
        value = item.value
        if isinstance(value, dict) and any(f in value for f in fields):
            slim.rows.append(item.index)
            for f, add_value in zip(fields, add_values):
                add_value(_plain(value[f]) if f in value else ABSENT)
    return slim


def locate_rows(path: str, requested_format: str, wanted: Dict[int, List[Tuple[Path, bool]]]) -> Dict[Tuple[int, str], Tuple[Optional[int], Optional[int]]]:
    """{(row, pointer): (line, column)} of the (path, on_key) places `wanted` asks for in
    each row, read from the file again (up to the last row asked for)."""
    out: Dict[Tuple[int, str], Tuple[Optional[int], Optional[int]]] = {}
    last = max(wanted)
    rows = _reread(path, requested_format)
    try:
        for stream, item in rows:
            if item.index not in wanted:
                continue
            for (p, _on_key), pos in stream.locate(item.index, wanted[item.index]).items():
                out.setdefault((item.index, f"/{item.index}{to_pointer(p)}"), pos)
            if item.index >= last:
                break
    finally:
        rows.close()
    return out


def _order(f: Finding):
    return (f.line or 0, f.column or 0, f.code)  # as Checker._row sorts a row's findings


def _merge(findings: List[Finding], source_at: Dict[int, int], codes: Set[str], new: List[Finding]) -> List[Finding]:
    """The worker's findings without those of `codes`, with `new` (the parent's, rows only) put
    where a sequential run has them: with their row's findings, sorted as Checker._row sorts."""
    by_row: Dict[int, List[Finding]] = {}
    for f in new:
        by_row.setdefault(f.row, []).append(f)  # type: ignore[arg-type]
    pending = sorted(by_row)
    out: List[Finding] = []
    p, i, n = 0, 0, len(findings)

    def rows_before(limit: int) -> None:
        nonlocal p
        while p < len(pending) and pending[p] < limit:
            out.extend(sorted(by_row[pending[p]], key=_order))
            p += 1

    while i < n:
        f = findings[i]
        after = source_at.get(i)
        if after is not None:  # a parser finding, after `after` rows
            rows_before(after)
            out.append(f)
            i += 1
            continue
        row = f.row
        rows_before(row)
        block = []
        while i < n and i not in source_at and findings[i].row == row:
            if findings[i].code not in codes:
                block.append(findings[i])
            i += 1
        if p < len(pending) and pending[p] == row:
            block.extend(by_row[row])
            block.sort(key=_order)
            p += 1
        out.extend(block)
    rows_before(sys.maxsize)
    return out


__all__ = ["run", "check_one", "jobs_for", "default_jobs", "cross_file_rules", "groups", "locate_rows", "FileResult"]
