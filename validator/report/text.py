"""The terminal format: `file:line:column: CODE [severity] message`, then a summary."""
from __future__ import annotations

from ..model import Finding
from . import Reporter, Totals
from .safe import printable


def location(f: Finding) -> str:
    where = printable(f.file)
    if f.line is not None:
        where += f":{f.line}:{f.column}"
    return where


class TextReporter(Reporter):
    def finding(self, f: Finding) -> None:
        self.out.write(f"{location(f)}: {f.code} [{f.severity.value}] {printable(f.message)}\n")

    def finish(self, totals: Totals) -> None:
        parts = [_count(totals.errors, "error"), _count(totals.warnings, "warning")]
        if totals.infos:
            parts.append(_count(totals.infos, "info"))
        files = _count(totals.files, "file")
        rows = _count(totals.rows, "row")
        if not (totals.errors or totals.warnings or totals.infos):
            self.out.write(f"All clear: {rows} in {files} checked, no findings.\n")
        else:
            self.out.write(f"Found {', '.join(parts)} in {files} ({rows}).\n")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
