"""SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer), streamed.

One run; `tool.driver.rules` lists every rule (so `ruleIndex` is known before
the first result) with its documentation as `help` (text and Markdown). Results
are written as they arrive, so memory does not grow with their number.

Locations: `artifactLocation.uri` is relative to the repository root
(`GITHUB_WORKSPACE`, else the nearest `.git` upward from the current directory)
with `uriBaseId` `%SRCROOT%`; files outside it get an absolute `file:` URI.
Columns count Unicode code points (`run.columnKind`), like every report here.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List

from ..model import Finding, Severity
from . import Reporter, Totals, artifact_uri, repository_root
from .safe import printable

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/labelbox-import-validator/"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
BASE_ID = "%SRCROOT%"

_HEADINGS = ("What it checks", "Why it matters", "Decisions")
_LITERAL = re.compile(r"^([A-Z][A-Za-z ]*(?:\([^)]*\))?)::\s*$")
_DOUBLE_TICKS = re.compile(r"``(.+?)``")


def _inline(text: str) -> str:
    return _DOUBLE_TICKS.sub(r"`\1`", text)


def doc_markdown(doc: str) -> str:
    """A rule docstring as Markdown: headings bold, ``code`` as `code`, examples fenced."""
    out: List[str] = []
    lines = doc.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        literal = _LITERAL.match(line)
        if literal:
            block: List[str] = []
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith("    ")):
                block.append(lines[i][4:])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            while block and not block[0].strip():
                block.pop(0)
            out += [f"**{literal.group(1)}**", "", "```json" if literal.group(1) in ("FAIL", "PASS") else "```", *block, "```", ""]
            continue
        if line.strip() in _HEADINGS and not line.startswith(" "):
            out += [f"**{line.strip()}**", ""]
        elif line.startswith("    "):
            out.append(_inline(line[4:]))
        else:
            out.append(_inline(line))
        i += 1
    return "\n".join(out).strip() + "\n"


def full_description(doc: str, summary: str) -> str:
    """The "What it checks" paragraph as one line of text (the summary when there is none)."""
    lines = doc.splitlines()
    try:
        start = [l.strip() for l in lines].index("What it checks") + 1
    except ValueError:
        return summary
    body: List[str] = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        body.append(line.strip())
    text = " ".join(" ".join(body).split())
    return _inline(text) or summary


def rule_descriptor(rule) -> Dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _inline(rule.summary)},
        "fullDescription": {"text": full_description(rule.doc, rule.summary)},
        "help": {"text": rule.doc, "markdown": doc_markdown(rule.doc)},
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": not rule.opt_in},
        "properties": {"tags": ["labelbox", "import"], "fixable": rule.fixable, "opt-in": rule.opt_in},
    }


class SarifReporter(Reporter):
    def start(self, tool_version: str) -> None:
        from .. import rules as registry

        rules = registry.all_rules()
        self._index = {r.code: i for i, r in enumerate(rules)}
        self._root = repository_root()
        self._artifacts: Dict[str, Dict[str, Any]] = {}
        driver = {
            "name": "lbx-validate",
            "version": tool_version,
            "semanticVersion": tool_version,
            "informationUri": INFORMATION_URI,
            "rules": [rule_descriptor(r) for r in rules],
        }
        run = {
            "tool": {"driver": driver},
            "originalUriBaseIds": {BASE_ID: {"uri": _dir_uri(self._root)}},
            "columnKind": "unicodeCodePoints",
        }
        head = json.dumps({"$schema": SCHEMA_URI, "version": "2.1.0"})[:-1]
        self.out.write(head + ', "runs": [' + json.dumps(run)[:-1] + ', "results": [')
        self._first = True

    def _artifact(self, file: str) -> Dict[str, Any]:
        """The artifactLocation of a file, made once per file (it is only read after)."""
        artifact = self._artifacts.get(file)
        if artifact is None:
            uri, relative = artifact_uri(file, self._root)
            artifact = self._artifacts[file] = {"uri": uri}
            if relative and file != "<stdin>":
                artifact["uriBaseId"] = BASE_ID
        return artifact

    def _location(self, file: str, line, column, primary: bool = True) -> Dict[str, Any]:
        physical: Dict[str, Any] = {"artifactLocation": self._artifact(file)}
        if line is not None and line >= 1:
            region = {"startLine": line}
            if column is not None and column >= 1:
                region["startColumn"] = column
            physical["region"] = region
        elif primary:
            # a finding about the whole file: GitHub code scanning wants a line, so the first one
            physical["region"] = {"startLine": 1, "startColumn": 1}
        return {"physicalLocation": physical}

    def finding(self, f: Finding) -> None:
        location = self._location(f.file, f.line, f.column)
        if f.pointer or f.row is not None:
            location["logicalLocations"] = [{"fullyQualifiedName": f.pointer or "/", "kind": "element"}]
        result: Dict[str, Any] = {"ruleId": f.code}
        if f.code in self._index:
            result["ruleIndex"] = self._index[f.code]
        result.update({
            "level": LEVELS[f.severity],
            "message": {"text": printable(f.message)},
            "locations": [location],
            "properties": {"pointer": f.pointer, "row": f.row, "severity": f.severity.value},
        })
        if f.related is not None:
            r = f.related
            related = self._location(r.file, r.line, r.column, primary=False)
            related["id"] = 1
            related["message"] = {"text": f"first use (row {r.row}, {printable(r.pointer)})" if r.row is not None else "first use"}
            result["relatedLocations"] = [related]
        self.out.write(("\n" if self._first else ",\n") + json.dumps(result))
        self._first = False

    def finish(self, totals: Totals) -> None:
        invocation = {"executionSuccessful": True}
        self.out.write(("\n" if not self._first else "") + '], "invocations": [' + json.dumps(invocation) + "]}]}\n")


def _dir_uri(root: str) -> str:
    from pathlib import Path

    uri = Path(root).as_uri()
    return uri if uri.endswith("/") else uri + "/"
