"""Configuration: `[tool.lbx-validate]` in pyproject.toml or `.lbx-validate.toml`,
discovered from the current directory upward (first one wins), merged with CLI
options. TOML only, nothing evaluated. Every problem is a `ConfigError` naming the
file, the key and what is wrong (exit code 2).
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path as FsPath
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from . import rules as registry
from .model import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILES = (".lbx-validate.toml", "pyproject.toml")
DEFAULT_MIN_VALIDITY = dt.timedelta(days=7)


class ConfigError(Exception):
    """Bad configuration or option: the message names the file, key and problem."""


@dataclass(frozen=True)
class Settings:
    select: Tuple[str, ...] = ("ALL",)
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    severity: Tuple[Tuple[str, Severity], ...] = ()
    integrations: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    metadata_schema: Optional[str] = None
    existing_keys: Optional[str] = None
    signed_url_min_validity: dt.timedelta = DEFAULT_MIN_VALIDITY
    max_rows: int = 150_000
    max_metadata_rows: int = 30_000
    now: Optional[dt.datetime] = None
    source: Optional[str] = None  # the config file these came from

    def with_options(self, **options: Any) -> "Settings":
        return replace(self, **{k: v for k, v in options.items() if v is not None})

    def clock(self) -> dt.datetime:
        return self.now or dt.datetime.now(dt.timezone.utc)

    @property
    def severity_overrides(self) -> Dict[str, Severity]:
        return dict(self.severity)

    @property
    def integration_map(self) -> Dict[str, Tuple[str, ...]]:
        return dict(self.integrations)


@dataclass(frozen=True)
class Selection:
    """The resolved set of enabled rule codes, with per-file exceptions."""

    enabled: FrozenSet[str]
    per_file: Tuple[Tuple[str, FrozenSet[str]], ...] = field(default=())

    def for_file(self, path: str) -> FrozenSet[str]:
        codes = self.enabled
        for pattern, ignored in self.per_file:
            if _glob_match(path, pattern):
                codes = codes - ignored
        return codes


def _glob_match(path: str, pattern: str) -> bool:
    norm = path.replace(os.sep, "/")
    return fnmatch.fnmatch(norm, pattern) or fnmatch.fnmatch(os.path.basename(norm), pattern)


def expand(selectors: Iterable[str], where: str) -> Tuple[FrozenSet[str], FrozenSet[str]]:
    """(codes, codes named explicitly) for codes, names, family letters or ALL."""
    codes, explicit = set(), set()
    all_rules = registry.all_rules()
    for raw in selectors:
        sel = str(raw).strip()
        if not sel:
            continue
        if sel.upper() == "ALL":
            codes.update(r.code for r in all_rules)
            continue
        rule = registry.lookup(sel)
        if rule:
            codes.add(rule.code)
            explicit.add(rule.code)
            continue
        family = [r.code for r in all_rules if r.code.startswith(sel.upper())] if re.fullmatch(r"[A-Za-z]\d{0,2}", sel) else []
        if family:
            codes.update(family)
            continue
        raise ConfigError(f"{where}: unknown rule {sel!r} (use a code like U001, a name like forbidden-url-character, or a family letter like U)")
    return frozenset(codes), frozenset(explicit)


def resolve(settings: Settings, where: str = "options") -> Selection:
    selected, explicit = expand(settings.select, f"{where}: select")
    extra, extra_explicit = expand(settings.extend_select, f"{where}: extend-select")
    ignored, _ = expand(settings.ignore, f"{where}: ignore")
    explicit = explicit | extra_explicit
    opt_in = {r.code for r in registry.all_rules() if r.opt_in}
    enabled = {c for c in selected | extra if c not in opt_in or c in explicit} - ignored
    per_file = tuple((pattern, expand(codes, f"{where}: per-file-ignores")[0]) for pattern, codes in settings.per_file_ignores)
    return Selection(frozenset(enabled), per_file)


# -- files ------------------------------------------------------------------------------


def discover(start: Optional[str] = None) -> Optional[FsPath]:
    """The first config file from `start` (default: cwd) upward that has our table."""
    here = FsPath(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and not _has_table(candidate):
                    continue
                return candidate
    return None


def _has_table(path: FsPath) -> bool:
    try:
        return "lbx-validate" in _read_toml(path).get("tool", {})
    except ConfigError:
        return True  # report the broken file rather than skipping it silently


def _read_toml(path: FsPath) -> Dict[str, Any]:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load(path: FsPath) -> Settings:
    data = _read_toml(path)
    table = data.get("tool", {}).get("lbx-validate") if path.name == "pyproject.toml" else data
    if path.name != "pyproject.toml" and "tool" in data and isinstance(data["tool"], dict) and "lbx-validate" in data["tool"]:
        table = data["tool"]["lbx-validate"]
    if table is None:
        return Settings(source=str(path))
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.lbx-validate] must be a table")
    return from_table(table, str(path), base=path.parent)


_KEYS = {
    "select", "ignore", "extend-select", "per-file-ignores", "severity", "integrations", "metadata-schema",
    "existing-keys", "signed-url-min-validity", "max-rows", "max-metadata-rows",
}


def from_table(table: Dict[str, Any], where: str, base: Optional[FsPath] = None) -> Settings:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    s = Settings(source=where)
    opts: Dict[str, Any] = {}
    for key in ("select", "ignore", "extend-select"):
        if key in table:
            opts[key.replace("-", "_")] = _str_list(table[key], where, key)
    if "per-file-ignores" in table:
        pfi = _table(table["per-file-ignores"], where, "per-file-ignores")
        opts["per_file_ignores"] = tuple((str(k), _str_list(v, where, f"per-file-ignores.{k}")) for k, v in pfi.items())
    if "severity" in table:
        sev = _table(table["severity"], where, "severity")
        pairs = []
        for k, v in sev.items():
            rule = registry.lookup(str(k))
            if rule is None:
                raise ConfigError(f"{where}: severity: unknown rule {k!r}")
            try:
                pairs.append((rule.code, Severity(str(v).lower())))
            except ValueError:
                raise ConfigError(f"{where}: severity.{k}: {v!r} is not one of error, warning, info") from None
        opts["severity"] = tuple(pairs)
    if "integrations" in table:
        integ = _table(table["integrations"], where, "integrations")
        opts["integrations"] = tuple((str(k), _str_list(v, where, f"integrations.{k}")) for k, v in integ.items())
    for key in ("metadata-schema", "existing-keys"):
        if key in table:
            value = table[key]
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: {key} must be a file path string")
            opts[key.replace("-", "_")] = str((base / value) if base else value)
    if "signed-url-min-validity" in table:
        opts["signed_url_min_validity"] = parse_duration(table["signed-url-min-validity"], f"{where}: signed-url-min-validity")
    for key in ("max-rows", "max-metadata-rows"):
        if key in table:
            value = table[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{where}: {key} must be a positive integer, not {value!r}")
            opts[key.replace("-", "_")] = value
    return s.with_options(**opts)


def _str_list(value: Any, where: str, key: str) -> Tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def _table(value: Any, where: str, key: str) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key} must be a table")
    return value


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "": 86400}


def parse_duration(value: Any, where: str) -> dt.timedelta:
    """`7d`, `36h`, `90m`, `3600s`, `2w`, or a bare number of days."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.timedelta(days=value)
    m = _DURATION.match(str(value))
    if not m:
        raise ConfigError(f"{where}: {value!r} is not a duration (examples: 7d, 36h, 90m)")
    return dt.timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2)])


def parse_now(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"--now: {value!r} is not an ISO 8601 date-time (example: 2026-01-31T12:00:00Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def settings_for(config: Optional[str], isolated: bool) -> Settings:
    if isolated:
        return Settings()
    path = FsPath(config) if config else discover()
    if path is None:
        return Settings()
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    return load(path)


def codes_of(selectors: Sequence[str]) -> List[str]:
    return sorted(expand(selectors, "options")[0])
