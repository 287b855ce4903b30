"""`--jobs N`: check the files of a run in worker processes and merge their results.

Each worker checks one file with a fresh `Checker` (every rule, as a sequential run
does) and returns plain data: the file's findings, its summary and, for each
cross-file rule (a rule module with `cross_file_key(row)` and `CROSS_FILE_FIELDS`:
K001, K003, K006), the set of keys its rows have and the "slim" rows, the declared
fields of the rows that have one. The parent takes the files in command-line order:

- When no key of a file meets a key of an earlier file, the worker's findings are
  what a sequential run finds (a cross-file rule then only sees the file's own
  rows), and they are emitted as they are. This is the common case: a few set
  operations per file.
- Otherwise that rule is run again in this process, through the normal `Checker`
  with a selection of just that code, over the slim rows of every file in order
  with one run context, so its messages and `related` are exactly those of a
  sequential run. Its findings replace the worker's for that file; the line and
  column come from the worker's finding at the same (code, row, pointer), or,
  for a finding the worker did not have, from reading the file again up to the
  last such row.

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
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union

from . import rules as registry
from .api import FileDone, _normalize, _one_file
from .checker import Checker
from .config import ConfigError, Selection, Settings
from .model import FileSummary, Finding, Path, to_pointer
from .source.files import InputError, open_input
from .source.ndjson import NdjsonStream, input_format
from .source.stream import ArrayStream, SourceRow

Fields = Tuple[str, ...]
SlimRows = List[Tuple[int, Dict[str, Any]]]  # (row index, {declared field: value}), in file order


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
    keys: Dict[str, Set[str]] = field(default_factory=dict)  # rule code -> cross_file_key values
    slim: Dict[Fields, SlimRows] = field(default_factory=dict)  # declared fields -> slim rows
    error: Optional[Exception] = None  # InputError / ConfigError, raised after `findings`


class _Watch:
    """Sits between the row stream and the checker of a worker: notes which findings
    come from the parser, and collects the cross-file keys and slim rows."""

    def __init__(self, rules: Sequence[CrossRule]):
        self.rules = rules
        self.keys: Dict[str, Set[str]] = {r.code: set() for r in rules}
        self.slim: Dict[Fields, SlimRows] = {r.fields: [] for r in rules}
        self.rows = 0  # rows handed to the checker so far
        self.at_row = False  # the last item handed over was a row (not a parser problem)
        self._stream: Any = None

    def wrap(self, stream: Any) -> "_Watch":
        self._stream = stream
        return self

    def __iter__(self):
        keyed = [(self.keys[r.code], r.key) for r in self.rules]
        groups = list(self.slim.items())
        same: Dict[str, str] = {}  # equal keys as one object: pickled once
        for item in self._stream:
            if type(item) is SourceRow:
                self.at_row = True
                self.rows += 1
                value = item.value
                if keyed and isinstance(value, dict):
                    for fields, slim in groups:
                        part = {f: _plain(value[f]) for f in fields if f in value}
                        if part:
                            slim.append((item.index, part))
                    for keys, key in keyed:
                        k = key(value)
                        if k is not None:
                            keys.add(same.setdefault(k, k))
            else:
                self.at_row = False
            yield item

    def locate(self, row: int, wanted):
        return self._stream.locate(row, wanted)


def _plain(value: Any) -> Any:
    """The value without the parser's dict subclass (which cannot be pickled)."""
    return value if type(value) in (str, int, float, bool) or value is None else _normalize(value)


def _init_worker(cwd: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    os.chdir(cwd)  # a forkserver started earlier may sit elsewhere; paths are relative to the run


def check_one(path: str, settings: Settings, selection: Selection) -> FileResult:
    """Check one file (in a worker process)."""
    name = "<stdin>" if path == "-" else path
    enabled = selection.for_file(name)
    watch = _Watch([r for r in cross_file_rules() if r.code in enabled])
    result = FileResult(name)
    findings, source_at = result.findings, result.source_at
    try:
        for item in _one_file(Checker(settings, selection), path, watch=watch.wrap):
            if type(item) is FileDone:
                result.summary = item.summary
                continue
            if not watch.at_row:
                source_at[len(findings)] = watch.rows
            findings.append(item)
    except (InputError, ConfigError) as exc:
        result.error = exc
    result.keys = {code: keys for code, keys in watch.keys.items() if keys}
    result.slim = watch.slim
    return result


# -- the parent ------------------------------------------------------------------------------------
def run(paths: Sequence[str], settings: Settings, selection: Selection, jobs: int) -> Iterator[Union[Finding, FileDone]]:
    """`api.run`'s stream for `paths`, checked by `jobs` worker processes."""
    merger = _Merger(settings, selection)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_init_worker, initargs=(os.getcwd(),))
    futures: List[Future] = []
    finished = False
    try:
        futures = [pool.submit(check_one, path, settings, selection) for path in paths]
        for path, future in zip(paths, futures):
            yield from merger.add(path, future.result())
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:  # an input error, Ctrl-C, or the reader went away: stop the workers now
            _stop(pool, futures)


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # Workers fork from a server that has imported the validator and every rule once.
        rule_modules = sorted({r.check.__module__ for r in registry.all_rules() if r.check is not None})
        ctx.set_forkserver_preload([__name__, *rule_modules])
        return ctx
    return multiprocessing.get_context("spawn")


def _stop(pool: ProcessPoolExecutor, futures: Sequence[Future]) -> None:
    for f in futures:
        f.cancel()
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
    else:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                process.terminate()
            except Exception:  # already gone
                pass
    pool.shutdown(wait=False, cancel_futures=True)


class _SlimStream:
    """Slim rows as a row stream for `Checker.check_stream`. Locations come from `located`
    ({(row, pointer): (line, column)}, the worker's findings); the others are noted in
    `missing` ({row: [(path, on_key)]}) and left empty."""

    def __init__(self, slim: SlimRows, located: Optional[dict]):
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


class _Cross:
    """One cross-file rule, seen from the parent.

    A rule's state for one key depends only on the rows with that key (that is what
    `cross_file_key` promises), so the findings of a row whose key no earlier file
    has are the worker's. The rows whose key an earlier file has ("shared" keys) are
    checked again here, by the rule alone, after the earlier rows with that key, in
    file order: the first time a key is shared, the earlier files' rows with it are
    fed first (their findings are already out, and were right).
    """

    def __init__(self, rule: CrossRule, settings: Settings, selection: Selection):
        self.rule = rule
        self.settings = settings
        self.selection = selection
        self.seen: Optional[Set[str]] = None  # keys of the files so far
        self.hot: Set[str] = set()  # keys whose rows so far have been fed to `checker`
        self.checker: Optional[Checker] = None
        self.index: Optional[Dict[str, List[Tuple[int, int, dict]]]] = None  # key -> (file number, row, slim row)

    def add(self, number: int, path: str, result: FileResult, earlier: Sequence[Tuple[str, Dict[Fields, SlimRows]]],
            names: Sequence[str]) -> Tuple[List[Finding], Set[int]]:
        """(this rule's findings, the rows they replace the worker's findings of) for file `number`."""
        rule = self.rule
        keys = result.keys.get(rule.code)
        shared: Set[str] = set()
        if keys:
            if self.seen is None:
                self.seen = keys
            else:
                if not self.seen.isdisjoint(keys):
                    shared = keys & self.seen
                self.seen |= keys
        slim = result.slim.get(rule.fields, [])
        found: List[Finding] = []
        rows: Set[int] = set()
        if shared:
            if self.index is None:
                self.index = {}
                for n, (_, groups) in enumerate(earlier):
                    self._index(n, groups.get(rule.fields, []))
            self._feed_earlier(shared - self.hot, names)
            self.hot |= shared
            key = rule.key
            mine = [(i, v) for i, v in slim if key(v) in shared]
            rows = {i for i, _ in mine}
            located = {(f.row, f.pointer): (f.line, f.column) for f in result.findings if f.code == rule.code and f.row in rows}
            stream = _SlimStream(mine, located)
            found = list(self._checker().check_stream(result.name, stream))
            if stream.missing:
                where = locate_rows(path, self.settings.input_format, stream.missing)
                found = [_placed(f, where) if f.line is None else f for f in found]
        if self.index is not None:
            self._index(number, slim)
        return found, rows

    def _checker(self) -> Checker:
        if self.checker is None:
            self.checker = Checker(self.settings, replace(self.selection, enabled=self.selection.enabled & {self.rule.code}))
        return self.checker

    def _index(self, number: int, slim: SlimRows) -> None:
        index, key = self.index, self.rule.key
        assert index is not None
        for i, v in slim:
            k = key(v)
            if k is not None:
                index.setdefault(k, []).append((number, i, v))

    def _feed_earlier(self, keys: Set[str], names: Sequence[str]) -> None:
        """Run the rule on the earlier rows with these keys, file by file (for its state)."""
        assert self.index is not None
        by_file: Dict[int, SlimRows] = {}
        for k in keys:
            for number, i, v in self.index.get(k, ()):
                by_file.setdefault(number, []).append((i, v))
        checker = self._checker()
        for number in sorted(by_file):
            for _ in checker.check_stream(names[number], _SlimStream(sorted(by_file[number], key=lambda r: r[0]), None)):
                pass


class _Merger:
    def __init__(self, settings: Settings, selection: Selection):
        self.cross = [_Cross(r, settings, selection) for r in cross_file_rules() if r.code in selection.enabled]
        self.names: List[str] = []  # the files so far
        self.earlier: List[Tuple[str, Dict[Fields, SlimRows]]] = []  # their slim rows, until every rule has its index

    def add(self, path: str, result: FileResult) -> Iterator[Union[Finding, FileDone]]:
        """The findings and FileDone of the next file (or its findings, then its error)."""
        number = len(self.names)
        self.names.append(result.name)
        new: List[Finding] = []
        drop: Dict[str, Set[int]] = {}
        for cross in self.cross:
            found, rows = cross.add(number, path, result, self.earlier, self.names)
            if rows:
                drop[cross.rule.code] = rows
                new.extend(found)
        if all(c.index is not None for c in self.cross):
            self.earlier.clear()
        else:
            self.earlier.append((result.name, result.slim))
        findings = result.findings
        if drop:
            findings = _merge(findings, result.source_at, drop, new)
        yield from findings
        if result.error is not None:
            raise result.error
        summary = result.summary
        assert summary is not None
        if drop:
            summary = FileSummary(summary.path, summary.rows)
            for f in findings:
                summary.count(f.severity)
        yield FileDone(summary)


def _placed(f: Finding, where: Dict[Tuple[int, str], Tuple[Optional[int], Optional[int]]]) -> Finding:
    pos = where.get((f.row, f.pointer))
    return f if pos is None else replace(f, line=pos[0], column=pos[1])


def locate_rows(path: str, requested_format: str, wanted: Dict[int, List[Tuple[Path, bool]]]) -> Dict[Tuple[int, str], Tuple[Optional[int], Optional[int]]]:
    """{(row, pointer): (line, column)} of the (path, on_key) places `wanted` asks for in
    each row, read from the file again (up to the last row asked for)."""
    out: Dict[Tuple[int, str], Tuple[Optional[int], Optional[int]]] = {}
    last = max(wanted)
    raw, reopen = open_input(path)
    try:
        stream: Any = NdjsonStream(raw, reopen) if input_format(path, requested_format) == "ndjson" else ArrayStream(raw, reopen)
        for item in stream:
            if type(item) is not SourceRow or item.index not in wanted:
                continue
            for (p, _on_key), pos in stream.locate(item.index, wanted[item.index]).items():
                out.setdefault((item.index, f"/{item.index}{to_pointer(p)}"), pos)
            if item.index >= last:
                break
    finally:
        raw.close()
    return out


def _order(f: Finding):
    return (f.line or 0, f.column or 0, f.code)  # as Checker._row sorts a row's findings


def _merge(findings: List[Finding], source_at: Dict[int, int], drop: Dict[str, Set[int]], new: List[Finding]) -> List[Finding]:
    """The worker's findings without those of the rows `drop` names for each code, with `new` (the
    parent's) put where a sequential run has them: with their row's findings, sorted as Checker._row sorts."""
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
            if row not in drop.get(findings[i].code, ()):
                block.append(findings[i])
            i += 1
        if p < len(pending) and pending[p] == row:
            block.extend(by_row[row])
            block.sort(key=_order)
            p += 1
        out.extend(block)
    rows_before(sys.maxsize)
    return out


__all__ = ["run", "check_one", "jobs_for", "default_jobs", "cross_file_rules", "locate_rows", "FileResult"]
