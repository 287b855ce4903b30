"""Small immutable values that flow from the checker to the reporters."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional, Tuple, Union

PathPart = Union[str, int]
Path = Tuple[PathPart, ...]


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


def escape_pointer_part(part: PathPart) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def to_pointer(path: Path) -> str:
    """RFC 6901 JSON pointer for a path of keys and indexes."""
    return "".join("/" + escape_pointer_part(p) for p in path)


@dataclass(frozen=True)
class Problem:
    """What a rule (or the source layer) reports, before it becomes a Finding.

    `path` is relative to the row (or to the document for file-level problems).
    `on_key` points the location at the key rather than the value.
    `severity` overrides the rule's default for this one problem.
    """

    path: Path
    message: str
    severity: Optional[Severity] = None
    on_key: bool = False
    related: Optional["Related"] = None
    fix: Optional["Fix"] = None


@dataclass(frozen=True)
class Related:
    """Another place a finding refers to (the first occurrence of a duplicate)."""

    file: str
    row: Optional[int]
    pointer: str
    line: Optional[int] = None
    column: Optional[int] = None


@dataclass(frozen=True)
class Fix:
    """Replace the JSON value at the finding's location with `replacement` (a Python value)."""

    replacement: object
    description: str


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: Severity
    file: str
    row: Optional[int]
    pointer: str
    line: Optional[int]
    column: Optional[int]
    message: str
    related: Optional[Related] = None
    fix: Optional[Fix] = field(default=None, compare=False)

    def sort_key(self):
        return (self.file, self.line or 0, self.column or 0, self.code)


@dataclass
class FileSummary:
    path: str
    rows: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0

    def count(self, severity: Severity) -> None:
        if severity is Severity.ERROR:
            self.errors += 1
        elif severity is Severity.WARNING:
            self.warnings += 1
        else:
            self.infos += 1
