"""Report formats: one module per format, each a `Reporter` subclass.

A reporter receives findings as they stream (`finding`), each file's summary
(`file_done`) and the run's totals (`finish`). It writes only to the text stream
it was given; escaping untrusted values is its job (see `safe.py`).
"""
from __future__ import annotations

import importlib
from typing import Dict, TextIO, Type

from ..model import FileSummary, Finding

FORMATS = {
    "text": "text:TextReporter",
    "json": "json_report:JsonReporter",
}


class Totals:
    def __init__(self):
        self.files = 0
        self.rows = 0
        self.errors = 0
        self.warnings = 0
        self.infos = 0
        self.by_code: Dict[str, int] = {}

    def add_file(self, s: FileSummary) -> None:
        self.files += 1
        self.rows += s.rows
        self.errors += s.errors
        self.warnings += s.warnings
        self.infos += s.infos


class Reporter:
    """Base class: override what the format needs."""

    def __init__(self, out: TextIO, **options):
        self.out = out
        self.options = options

    def start(self, tool_version: str) -> None:
        pass

    def finding(self, f: Finding) -> None:
        pass

    def file_done(self, summary: FileSummary) -> None:
        pass

    def finish(self, totals: Totals) -> None:
        pass


def reporter_class(fmt: str) -> Type[Reporter]:
    module_name, _, cls = FORMATS[fmt].partition(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, cls)
