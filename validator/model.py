"""Small immutable values that flow from the checker to the reporters."""
from __future__ import annotations

import enum
from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from typing import Any, Optional, Tuple, Union

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
    try:
        return _pointer(path)
    except TypeError:  # a list (unhashable), not a tuple
        return _pointer(tuple(path))


@lru_cache(maxsize=4096)  # the same few paths recur in every row: 1.2 us -> 0.2 a finding
def _pointer(path: Path) -> str:
    return "".join("/" + escape_pointer_part(p) for p in path)


def in_row(pointer: str, index: int, row: Any) -> Optional[Tuple[Path, Any]]:
    """(path within the row, the value there) of a document pointer into row `index`
    (`/12/attachments/3` with index 12), or None when it names another row or nothing."""
    parts = pointer.split("/")
    if parts[0] or len(parts) < 2 or parts[1] != str(index):
        return None
    path: list = []
    value = row
    for part in parts[2:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and part in value:
            path.append(part)
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            path.append(int(part))
            value = value[int(part)]
        else:
            return None
    return tuple(path), value


def _frozen(cls):
    """`dataclass(frozen=True)` with an `__init__` that fills the instance's `__dict__` in one step.

    A frozen dataclass's own sets each field through `object.__setattr__`: 2.0 us for a
    Finding, against 0.7 this way. Rules and the checker make one Problem and one Finding
    per finding, and a file where every row is wrong has hundreds of thousands. Same
    signature, defaults and immutability; `dataclasses.replace` uses it.
    """
    cls = dataclass(frozen=True, init=False)(cls)
    params, names = [], []
    for f in fields(cls):
        assert f.default_factory is MISSING, "a default factory needs the generated __init__"
        params.append(f.name if f.default is MISSING else f"{f.name}=_defaults[{f.name!r}]")
        names.append(f"{f.name}={f.name}")
    source = f"def __init__(self, {', '.join(params)}):\n    self.__dict__.update({', '.join(names)})\n"
    scope = {"_defaults": {f.name: f.default for f in fields(cls)}}
    exec(source, scope)  # as dataclasses builds its own __init__
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {**{f.name: f.type for f in fields(cls)}, "return": None}
    cls.__init__ = init
    return cls


@_frozen
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


@_frozen
class Related:
    """Another place a finding refers to (the first occurrence of a duplicate)."""

    file: str
    row: Optional[int]
    pointer: str
    line: Optional[int] = None
    column: Optional[int] = None


@_frozen
class Fix:
    """Replace the JSON value at the finding's location with `replacement` (a Python value)."""

    replacement: object
    description: str


@_frozen
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
