"""The terminal format: `file:line:column: CODE [severity] message`, grouped by file.

Findings of one file are printed together (a blank line between files). Options
(from the CLI): `color` (ANSI colours; the CLI decides from `--color`, the
terminal and NO_COLOR), `show_source` (the offending source line with a caret
under the column, read lazily from the file), `statistics` (counts per rule
instead of the findings) and `quiet` (no summary). The summary lists the count of
each rule, then one line of totals. Every value from the input is printed through
`safe.printable`, so control characters and escape sequences are shown escaped.
"""
from __future__ import annotations

from typing import Optional, Tuple

from ..model import FileSummary, Finding, Severity
from . import Reporter, Totals
from .safe import printable
from .source_lines import SourceLines

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
DIM = "\x1b[2m"
SEVERITY_COLORS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}
CODE_COLOR = "\x1b[1m"
CARET_COLOR = "\x1b[1;31m"


def location(f: Finding) -> str:
    where = printable(f.file)
    if f.line is not None:
        where += f":{f.line}:{f.column}"
    return where


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(totals: Totals) -> str:
    parts = [_count(totals.errors, "error"), _count(totals.warnings, "warning")]
    if totals.infos:
        parts.append(_count(totals.infos, "info"))
    files = _count(totals.files, "file")
    rows = _count(totals.rows, "row")
    if not (totals.errors or totals.warnings or totals.infos):
        return f"All clear: {rows} in {files} checked, no findings."
    return f"Found {', '.join(parts)} in {files} ({rows})."


def rule_counts(totals: Totals):
    """(count, code, name) per rule, most frequent first."""
    from .. import rules as registry

    names = registry.by_code()
    out = []
    for code, n in sorted(totals.by_code.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = names.get(code)
        out.append((n, code, rule.name if rule else ""))
    return out


class TextReporter(Reporter):
    def start(self, tool_version: str) -> None:
        self._color = bool(self.options.get("color"))
        self._show_source = bool(self.options.get("show_source"))
        self._statistics = bool(self.options.get("statistics"))
        self._quiet = bool(self.options.get("quiet"))
        self._file: Optional[str] = None
        self._printed_any = False
        self._source: Optional[SourceLines] = None
        self._text: Optional[Tuple[str, bytes]] = None  # (file, its text) given by source()

    def source(self, name: str, data: bytes) -> None:
        self._text = (name, data)

    def _paint(self, style: str, text: str) -> str:
        return f"{style}{text}{RESET}" if self._color else text

    def finding(self, f: Finding) -> None:
        if self._statistics:
            return
        if f.file != self._file:
            self._switch_file(f.file)
            if self._printed_any:
                self.out.write("\n")
        self._printed_any = True
        sev = f.severity
        line = (
            f"{self._paint(BOLD, location(f))}: {self._paint(CODE_COLOR, f.code)} "
            f"{self._paint(SEVERITY_COLORS[sev], '[' + sev.value + ']')} {printable(f.message)}\n"
        )
        self.out.write(line)
        if self._show_source and f.line is not None and f.column is not None and self._source is not None:
            shown = self._source.snippet(f.line, f.column)
            if shown is not None:
                text, caret = shown
                gutter = str(f.line)
                self.out.write(f"{self._paint(DIM, gutter + ' |')} {text}\n")
                self.out.write(f"{self._paint(DIM, ' ' * len(gutter) + ' |')} {' ' * caret}{self._paint(CARET_COLOR, '^')}\n")

    def _switch_file(self, name: str) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None
        self._file = name
        text = self._text[1] if self._text and self._text[0] == name else None
        self._text = None
        if self._show_source and (text is not None or name != "<stdin>"):
            self._source = SourceLines(name, text)

    def file_done(self, summary: FileSummary) -> None:
        if summary.path == self._file:
            if self._source is not None:
                self._source.close()
                self._source = None
            self._file = None

    def finish(self, totals: Totals) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None
        counts = rule_counts(totals)
        if counts and (self._statistics or not self._quiet):
            if self._printed_any:
                self.out.write("\n")
            width = max(len(str(n)) for n, _, _ in counts)
            for n, code, name in counts:
                self.out.write(f"{n:>{width}}  {self._paint(CODE_COLOR, code)}  {name}\n")
        if not self._quiet:
            self.out.write(self._paint(BOLD, summary_line(totals)) + "\n")
