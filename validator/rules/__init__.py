"""The rule registry: one module per rule in this package.

A rule module defines CODE, NAME and SEVERITY, documents itself in its docstring
(first line: one-line summary; then what, why with the Labelbox source, FAIL and
PASS examples), and usually a `check(row, ctx)` generator that yields `Problem`s
(any iterable will do: a few rules that run on every clean row are plain functions
returning () or a list, which costs a fraction of a generator's set-up).
Optional: OPT_IN = True (off unless selected), FIXABLE = True, SOURCE = True for
problems the parser itself reports (J-family: the module only documents them).

Adding a rule means adding one module here (and its tests); nothing else changes.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Dict, List, Optional, Tuple

from ..model import Severity

_MODULE_NAME = re.compile(r"^[a-z]\d{3}_[a-z0-9_]+$")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: Optional[Callable]
    opt_in: bool = False
    fixable: bool = False

    @property
    def family(self) -> str:
        return self.code[0]


@lru_cache(maxsize=1)
def all_rules() -> Tuple[Rule, ...]:
    """Every rule, sorted by code."""
    rules: List[Rule] = []
    for info in pkgutil.iter_modules(__path__):
        if not _MODULE_NAME.match(info.name):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        rules.append(_rule_from(module))
    rules.sort(key=lambda r: r.code)
    return tuple(rules)


def _rule_from(module) -> Rule:
    doc = (module.__doc__ or "").strip()
    summary = doc.splitlines()[0].strip() if doc else ""
    return Rule(
        code=module.CODE,
        name=module.NAME,
        severity=Severity(module.SEVERITY),
        summary=summary,
        doc=doc,
        check=getattr(module, "check", None),
        opt_in=getattr(module, "OPT_IN", False),
        fixable=getattr(module, "FIXABLE", False),
    )


@lru_cache(maxsize=1)
def by_code() -> Dict[str, Rule]:
    return {r.code: r for r in all_rules()}


@lru_cache(maxsize=1)
def by_name() -> Dict[str, Rule]:
    return {r.name: r for r in all_rules()}


def lookup(code_or_name: str) -> Optional[Rule]:
    key = code_or_name.strip()
    return by_code().get(key.upper()) or by_name().get(key.lower())
