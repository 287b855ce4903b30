"""Report formats: one module per format, each a `Reporter` subclass.

A reporter receives findings as they stream (`finding`), each file's summary
(`file_done`) and the run's totals (`finish`). It writes only to the text stream
it was given; escaping untrusted values is its job (see `safe.py`).
"""
from __future__ import annotations

import importlib
import os
from functools import lru_cache
from typing import Dict, Optional, TextIO, Tuple, Type
from urllib.parse import quote

from ..model import FileSummary, Finding

FORMATS = {
    "text": "text:TextReporter",
    "json": "json_report:JsonReporter",
    "sarif": "sarif:SarifReporter",
    "junit": "junit:JunitReporter",
    "github": "github:GithubReporter",
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

    def source(self, name: str, data: bytes) -> None:
        """The text whose findings follow, when it is not the file on disk (--diff: the fixed text)."""

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


def repository_root() -> str:
    """The directory report paths are made relative to.

    `GITHUB_WORKSPACE` when set (GitHub Actions), else the nearest directory from
    the current one upward that holds `.git`, else the current directory.
    """
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace and os.path.isdir(workspace):
        return os.path.realpath(workspace)
    here = os.path.realpath(os.getcwd())
    probe = here
    while True:
        if os.path.exists(os.path.join(probe, ".git")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return here
        probe = parent


@lru_cache(maxsize=256)
def relative_path(name: str, root: str) -> Optional[str]:
    """`name` relative to `root` with '/' separators, or None when it lies outside (or is stdin)."""
    if name == "<stdin>":
        return None
    try:
        full = os.path.realpath(os.path.abspath(name))
        if os.path.commonpath([full, root]) != root:
            return None
        return os.path.relpath(full, root).replace(os.sep, "/")
    except (ValueError, OSError):  # different drives; a name the OS cannot encode
        return None


@lru_cache(maxsize=256)
def artifact_uri(name: str, root: str) -> Tuple[str, bool]:
    """(URI, relative?) for a checked file: repository-relative when possible, else a file: URI."""
    rel = relative_path(name, root)
    if rel is not None:
        return quote(rel, safe="/-._~!$&'()*+,;=@", errors="surrogateescape"), True
    if name == "<stdin>":
        return "stdin", True
    from pathlib import Path

    try:
        return Path(os.path.abspath(name)).as_uri(), False
    except (ValueError, OSError):
        return quote(name, safe="/", errors="replace"), True
