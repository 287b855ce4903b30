"""Rows with locations in, findings out.

The checker runs the enabled rules on each row as it streams, asks the source for
line and column only when a row has something to report, and applies severity
overrides. Cross-row state (global keys, integrations...) lives in the run
`Context`, so several files checked in one run share it.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from . import rules as registry
from .config import Selection, Settings, resolve
from .model import Finding, Problem, Related, Severity, in_row, to_pointer
from .row import Row
from .rules.j006_duplicate_key import problem as duplicate_key
from .source.stream import ArrayStream, SourceProblem, SourceRow

# The fast path starts after this many rows: a small file (a pre-commit run) does
# not pay for classifying the rules; the findings are the same either way.
_FAST_AFTER = 32

Locate = Callable[[int, Sequence[Tuple[Any, bool]]], Dict[Tuple[Any, bool], Tuple[int, int]]]


# Skip the fast-path predicate (~3-10 us a row) unless it spares at least this many rules.
_WORTH_SKIPPING = 6
_NO_FAST_PATH: list = []  # falsy: rows always get every rule


class Context:
    """What rules may know beyond the row: settings, the current file, shared state."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.file = "<rows>"
        self.python_api = False  # rows came as Python objects, not from a file
        self._run: Dict[str, Any] = {}
        self._file: Dict[str, Any] = {}

    def run_state(self, code: str, factory: Callable[[], Any]) -> Any:
        """State kept across all files of the run (e.g. the global-key index)."""
        state = self._run.get(code)
        if state is None:
            state = self._run[code] = factory()
        return state

    def file_state(self, code: str, factory: Callable[[], Any]) -> Any:
        """State kept for the current file only."""
        state = self._file.get(code)
        if state is None:
            state = self._file[code] = factory()
        return state

    def start_file(self, name: str) -> None:
        self.file = name
        self._file = {}


class Checker:
    def __init__(self, settings: Optional[Settings] = None, selection: Optional[Selection] = None):
        self.settings = settings or Settings()
        self.selection = selection or resolve(self.settings)
        self.context = Context(self.settings)
        self._overrides = self.settings.severity_overrides
        self._rules_for: Dict[frozenset, Tuple[list, list, frozenset]] = {}
        self._is_clean: Optional[Callable[[Any], bool]] = None  # fastpath.is_clean, once a file is long enough

    def _rules(self, file: str):
        enabled = self.selection.for_file(file)
        cached = self._rules_for.get(enabled)
        if cached is None:
            chosen = [r for r in registry.all_rules() if r.code in enabled and r.check is not None]
            any_row = [r for r in chosen if getattr(_module_of(r), "ANY_ROW", False)]
            object_rows = [r for r in chosen if r not in any_row]
            cached = self._rules_for[enabled] = (object_rows, any_row, enabled, None)
        return cached

    def _on_clean(self, enabled: frozenset) -> list:
        """The rules to run on a row fastpath.is_clean accepts (an object): those that can
        still report or keep state there. Classified lazily: small files never need it."""
        object_rows, any_row, _, on_clean = self._rules_for[enabled]
        if on_clean is None:
            from . import fastpath  # the classification below is what a small file (a pre-commit run) skips

            self._is_clean = fastpath.is_clean
            every = any_row + object_rows
            on_clean = [r for r in every if not fastpath.skippable(r, self.settings)] if fastpath.ENABLED else every
            if len(every) - len(on_clean) < _WORTH_SKIPPING:
                on_clean = _NO_FAST_PATH  # the predicate would cost more than the rules it saves
            self._rules_for[enabled] = (object_rows, any_row, enabled, on_clean)
        return on_clean

    # -- files ---------------------------------------------------------------------
    def check_stream(self, name: str, stream: ArrayStream) -> Iterator[Finding]:
        """Findings for one file, in file order."""
        object_rules, any_rules, enabled, on_clean = self._rules(name)
        self.context.start_file(name)
        row_check = self._row
        is_clean = self._is_clean
        locate = stream.locate
        for item in stream:
            if type(item) is SourceRow:
                value = item.value
                if on_clean is None and item.index >= _FAST_AFTER:
                    on_clean = self._on_clean(enabled)
                    is_clean = self._is_clean
                clean = is_clean(value) if on_clean else None
                rules, anys = (on_clean, ()) if clean else (object_rules, any_rules)
                found = row_check(name, item.index, value, item.duplicates, rules, anys, enabled, locate, clean)
                if found:
                    yield from found
            elif item.code in enabled:
                yield self._source_finding(name, item)

    def check_values(self, rows: Iterable[Tuple[Any, Sequence[Problem]]], name: str = "<rows>") -> Iterator[Finding]:
        """Findings for Python rows (the API): pointers, no line or column. Each row comes
        with the J007 problems its copy found (numbers JSON cannot carry)."""
        object_rules, any_rules, enabled, on_clean = self._rules(name)
        self.context.start_file(name)
        self.context.python_api = True
        is_clean = self._is_clean
        try:
            for index, (value, numbers) in enumerate(rows):
                if on_clean is None and index >= _FAST_AFTER:
                    on_clean = self._on_clean(enabled)
                    is_clean = self._is_clean
                clean = is_clean(value) if on_clean else None
                rules, anys = (on_clean, ()) if clean else (object_rules, any_rules)
                yield from self._row(name, index, value, [], rules, anys, enabled, None, clean, numbers)
        finally:
            self.context.python_api = False

    # -- one row -------------------------------------------------------------------------
    def _row(self, file, index, value, duplicates, object_rules, any_rules, enabled, locate: Optional[Locate], clean=None,
             numbers: Sequence[Problem] = ()) -> List[Finding]:
        found: List[Tuple[registry.Rule, Problem]] = []
        if duplicates and "J006" in enabled:
            j006 = registry.by_code()["J006"]
            found.extend((j006, duplicate_key(path, key)) for path, key in duplicates)
        if numbers and "J007" in enabled:  # the API's rows (a file's are the parser's to report)
            j007 = registry.by_code()["J007"]
            found.extend((j007, problem) for problem in numbers)
        row = Row(index, value, file, clean)
        ctx = self.context
        for rule in any_rules:
            for problem in rule.check(row, ctx):
                found.append((rule, problem))
        if isinstance(value, dict):
            for rule in object_rules:
                for problem in rule.check(row, ctx):
                    found.append((rule, problem))
        if not found:
            return []
        wanted = [(p.path, p.on_key) for _, p in found]
        related = {}  # a related place in this row -> its path: its text is at hand to locate it
        for _, p in found:
            also = p.related
            if also is not None and also.row == index and also.file == file:
                found_at = in_row(also.pointer, index, value)
                if found_at is not None:
                    related[also] = found_at[0]
                    wanted.append((found_at[0], False))
        where = locate(index, wanted) if locate else {}
        out = []
        for rule, p in found:
            line, col = where.get((p.path, p.on_key), (None, None))
            severity = self._overrides.get(rule.code) or p.severity or rule.severity
            also = p.related
            if related and also in related:
                also = Related(also.file, also.row, also.pointer, *where.get((related[also], False), (None, None)))
            out.append(Finding(rule.code, rule.name, severity, file, index, f"/{index}{to_pointer(p.path)}", line, col, p.message, also, p.fix))
        out.sort(key=lambda f: (f.line or 0, f.column or 0, f.code))
        return out

    def _source_finding(self, file: str, item: SourceProblem) -> Finding:
        rule = registry.by_code()[item.code]
        severity = self._overrides.get(rule.code) or rule.severity
        pointer = f"/{item.row}{to_pointer(item.path)}" if item.row is not None else ""
        return Finding(rule.code, rule.name, severity, file, item.row, pointer, item.line, item.column, item.message)


def _module_of(rule: registry.Rule):
    import sys

    return sys.modules[rule.check.__module__] if rule.check else None

