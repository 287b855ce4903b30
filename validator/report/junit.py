"""JUnit XML for GitLab, Jenkins and other CI test views.

One `<testsuite>` per checked file, one `<testcase>` per finding: errors and
warnings carry a `<failure>`, infos pass with the message in `<system-out>`; a
file without findings gets one passing testcase. The suite's counts come before
its testcases, so each file's testcases are buffered in a spooled temporary file
(memory up to 1 MiB, then disk), and the whole document likewise for the root
totals: memory stays flat whatever the number of findings.

The output is ASCII: untrusted text has control, escape and bidi characters shown
escaped (`safe.printable`), characters XML 1.0 cannot hold replaced, markup
escaped, and everything non-ASCII written as character references.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from typing import IO

from ..model import FileSummary, Finding, Severity
from . import Reporter, Totals
from .safe import printable

_SPOOL = 1 << 20
# Not allowed in XML 1.0 documents even as character references.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
_MARKUP = str.maketrans(_ESCAPES)


def xml_text(value: str) -> str:
    """Untrusted `value` as XML 1.0 character data or attribute content (ASCII).

    Character by character, so xml_text(a + b) == xml_text(a) + xml_text(b)."""
    text = printable(value)
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("\ufffd", text)
    text = text.translate(_MARKUP)
    return text if text.isascii() else text.encode("ascii", "xmlcharrefreplace").decode("ascii")


class JunitReporter(Reporter):
    def start(self, tool_version: str) -> None:
        self._doc: IO[str] = tempfile.SpooledTemporaryFile(_SPOOL, mode="w+", encoding="ascii", newline="\n")
        self._suite: IO[str] = self._new_suite()
        self._tests = self._failures = 0
        self._suite_tests = self._suite_failures = 0

    @staticmethod
    def _new_suite() -> IO[str]:
        return tempfile.SpooledTemporaryFile(_SPOOL, mode="w+", encoding="ascii", newline="\n")

    def finding(self, f: Finding) -> None:
        where = f"{f.line}:{f.column}" if f.line is not None else "file"
        name = xml_text(f"{f.code} {f.pointer or '/'} ({where})")
        classname = xml_text(f"{f.code} {f.name}")
        attrs = f'name="{name}" classname="{classname}" file="{xml_text(f.file)}"'
        if f.line is not None:
            attrs += f' line="{f.line}"'
        location = f"{f.file}:{f.line}:{f.column}" if f.line is not None else f.file
        message = xml_text(f.message)
        detail = f"{xml_text(location)}: {f.code} [{f.severity.value}] {message}\n{xml_text('pointer: ' + (f.pointer or '/'))}"
        self._suite_tests += 1
        if f.severity is Severity.INFO:
            body = f"<system-out>{detail}</system-out>"
        else:
            self._suite_failures += 1
            body = f'<failure type="{f.code}" message="{message}">{detail}</failure>'
        self._suite.write(f"    <testcase {attrs}>\n      {body}\n    </testcase>\n")

    def file_done(self, s: FileSummary) -> None:
        path = xml_text(s.path)
        if self._suite_tests == 0:
            self._suite.write(f'    <testcase name="no findings ({s.rows} rows)" classname="lbx-validate" file="{path}"/>\n')
            self._suite_tests = 1
        self._doc.write(
            f'  <testsuite name="{path}" tests="{self._suite_tests}" failures="{self._suite_failures}" errors="0" skipped="0">\n'
        )
        self._suite.seek(0)
        shutil.copyfileobj(self._suite, self._doc)
        self._suite.close()
        self._doc.write("  </testsuite>\n")
        self._tests += self._suite_tests
        self._failures += self._suite_failures
        self._suite = self._new_suite()
        self._suite_tests = self._suite_failures = 0

    def finish(self, totals: Totals) -> None:
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(f'<testsuites name="lbx-validate" tests="{self._tests}" failures="{self._failures}" errors="0">\n')
        self._doc.seek(0)
        shutil.copyfileobj(self._doc, self.out)
        self._doc.close()
        self._suite.close()
        self.out.write("</testsuites>\n")
