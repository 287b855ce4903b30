"""GitHub Actions workflow commands: one annotation per finding.

    ::error file=data/rows.json,line=13,col=17,title=U001::URL contains ...

Severities map to `error`, `warning` and `notice`. Input values are untrusted:
every text is first made printable (`safe.printable`: newlines, escapes and bidi
characters shown as escapes), then escaped the way the runner specifies (`%`,
CR and LF in the message; also `:` and `,` in properties), so nothing from the
input can end the line or start another workflow command. Paths are relative to
`GITHUB_WORKSPACE` (or the repository root), which is what annotations need.
"""
from __future__ import annotations

from ..model import Finding, Severity
from . import Reporter, Totals, relative_path, repository_root
from .safe import printable
from .text import summary_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return printable(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    def start(self, tool_version: str) -> None:
        self._root = repository_root()

    def finding(self, f: Finding) -> None:
        path = relative_path(f.file, self._root) or f.file
        props = f"file={escape_property(path)}"
        if f.line is not None:
            props += f",line={f.line},col={f.column}"
        props += f",title={escape_property(f.code)}"
        message = f"{f.message} [{f.name}, {f.pointer or '/'}]"
        self.out.write(f"::{COMMANDS[f.severity]} {props}::{escape_data(message)}\n")

    def finish(self, totals: Totals) -> None:
        self.out.write(f"lbx-validate: {summary_line(totals)}\n")
