"""The JSON report: the stable machine contract (version 1), streamed.

    {"version": 1, "tool": {"name": "lbx-validate", "version": "..."},
     "findings": [{"code", "name", "severity", "file", "row", "pointer", "line",
                   "column", "message", "related"?}],
     "files": [{"path", "rows", "errors", "warnings", "infos"}],
     "summary": {"files", "rows", "errors", "warnings", "infos"}}

Findings are written as they are found, so memory does not grow with their
number. Output is ASCII (non-ASCII escaped), valid whatever the input holds.
"""
from __future__ import annotations

import json
from dataclasses import fields
from typing import Any, Dict, List

from ..model import FileSummary, Finding, Related
from . import Reporter, Totals

VERSION = 1
_RELATED = tuple(f.name for f in fields(Related))  # asdict(), without its deep copy (a finding in three has one)


def finding_dict(f: Finding) -> Dict[str, Any]:
    out: Dict[str, Any] = {
        "code": f.code, "name": f.name, "severity": f.severity.value, "file": f.file, "row": f.row,
        "pointer": f.pointer, "line": f.line, "column": f.column, "message": f.message,
    }
    if f.related is not None:
        r = f.related
        out["related"] = {name: getattr(r, name) for name in _RELATED}
    return out


class JsonReporter(Reporter):
    def start(self, tool_version: str) -> None:
        head = {"version": VERSION, "tool": {"name": "lbx-validate", "version": tool_version}}
        self.out.write(json.dumps(head)[:-1] + ', "findings": [')
        self._first = True
        self._files: List[Dict[str, Any]] = []

    def finding(self, f: Finding) -> None:
        self.out.write(("\n  " if self._first else ",\n  ") + json.dumps(finding_dict(f)))
        self._first = False

    def file_done(self, s: FileSummary) -> None:
        self._files.append({"path": s.path, "rows": s.rows, "errors": s.errors, "warnings": s.warnings, "infos": s.infos})

    def finish(self, totals: Totals) -> None:
        summary = {"files": totals.files, "rows": totals.rows, "errors": totals.errors, "warnings": totals.warnings, "infos": totals.infos}
        self.out.write(("\n" if not self._first else "") + '], "files": ' + json.dumps(self._files) + ', "summary": ' + json.dumps(summary) + "}\n")
