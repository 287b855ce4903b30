"""Configuration: `[tool.lbx-validate]` in pyproject.toml or `.lbx-validate.toml`,
discovered from the current directory upward (first one wins), merged with CLI
options. TOML only, nothing evaluated. Every problem is a `ConfigError` naming the
file, the key and what is wrong (exit code 2).
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import math
import os
import re
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache, wraps
from pathlib import Path as FsPath
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from . import rules as registry
from .model import Severity
from .suggest import closest

CONFIG_FILES = (".lbx-validate.toml", "pyproject.toml")
DEFAULT_MIN_VALIDITY = dt.timedelta(days=7)
FAMILIES = "JRUAIKML"  # the rule families of RULES.md, valid selectors even before they have rules
INPUT_FORMATS = ("auto", "json", "ndjson")


class ConfigError(Exception):
    """Bad configuration or option: the message names the file, key and problem."""


def file_setting(what: str, maxsize: int) -> Callable[[Callable[[str], Any]], Callable[[str], Any]]:
    """Decorator for `read(path)`, the reader of a file a setting names (a key list, a metadata
    schema): the value is cached per path, size and modification time, so an edited file is read
    again, and a file that cannot be read is a ConfigError naming `what`."""

    def decorate(read: Callable[[str], Any]) -> Callable[[str], Any]:
        @lru_cache(maxsize=maxsize)
        def cached(_abs: str, _size: int, _mtime: int, path: str) -> Any:
            try:
                return read(path)
            except OSError as exc:
                raise unreadable(path, what, exc) from None

        @wraps(read)
        def load(path: str) -> Any:
            try:
                st = os.stat(path)
            except OSError as exc:
                raise unreadable(path, what, exc) from None
            return cached(os.path.abspath(path), st.st_size, st.st_mtime_ns, path)

        return load

    return decorate


def unreadable(path: str, what: str, exc: OSError) -> ConfigError:
    return ConfigError(f"{path}: {what} cannot be read: {exc.strerror or exc}")


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
    input_format: str = "auto"  # auto (by extension), json or ndjson
    jobs: Optional[int] = None  # processes for several files (None: one per core; --jobs wins)
    source: Optional[str] = None  # the config file these came from
    root: Optional[str] = None  # its directory: per-file-ignores patterns are relative to it

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
    root: Optional[str] = None

    def for_file(self, path: str) -> FrozenSet[str]:
        codes = self.enabled
        if not self.per_file:
            return codes
        names = _match_names(path, self.root)
        for pattern, ignored in self.per_file:
            if _glob_match(names, pattern):
                codes = codes - ignored
        return codes


def _match_names(path: str, root: Optional[str]) -> Tuple[str, ...]:
    """The spellings of `path` a per-file-ignores pattern is matched against.

    The path as given (without a leading ./), relative to the config file's
    directory and to the current directory when it lies under them, and the
    file name alone.
    """
    if path in ("-", "<stdin>"):
        return ("-", "<stdin>")
    names = [os.path.normpath(path)]
    absolute = os.path.abspath(path)
    for base in (root, os.getcwd()):
        if base:
            rel = os.path.relpath(absolute, base)
            if not rel.startswith(".."):
                names.append(rel)
    names.append(absolute)
    names.append(os.path.basename(path))
    return tuple(dict.fromkeys(n.replace(os.sep, "/") for n in names))


def _glob_match(names: Tuple[str, ...], pattern: str) -> bool:
    pattern = pattern.replace(os.sep, "/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    alternatives = (pattern, pattern[3:]) if pattern.startswith("**/") else (pattern,)
    return any(fnmatch.fnmatchcase(n, p) for n in names for p in alternatives)


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
        if family or (len(sel) == 1 and sel.upper() in FAMILIES):
            codes.update(family)
            continue
        raise ConfigError(f"{where}: unknown rule {sel!r}{_did_you_mean(sel)} (use a code like U001, a name like forbidden-url-character, or a family letter like U; `lbx-validate rules` lists them)")
    return frozenset(codes), frozenset(explicit)


def _did_you_mean(sel: str) -> str:
    close = closest(sel.lower().replace("_", "-"), tuple(r.name for r in registry.all_rules()), 0.6)
    return f": did you mean {close!r}?" if close else ""


def check_selectors(selectors: Iterable[str], where: str) -> Tuple[str, ...]:
    """`selectors` as a tuple, after making sure every one names rules."""
    values = tuple(selectors)
    expand(values, where)
    return values


def resolve(settings: Settings, where: str = "options") -> Selection:
    selected, explicit = expand(settings.select, f"{where}: select")
    extra, extra_explicit = expand(settings.extend_select, f"{where}: extend-select")
    ignored, _ = expand(settings.ignore, f"{where}: ignore")
    explicit = explicit | extra_explicit
    opt_in = {r.code for r in registry.all_rules() if r.opt_in}
    enabled = {c for c in selected | extra if c not in opt_in or c in explicit} - ignored
    per_file = tuple((pattern, expand(codes, f"{where}: per-file-ignores.{pattern!r}")[0]) for pattern, codes in settings.per_file_ignores)
    return Selection(frozenset(enabled), per_file, settings.root)


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
    """Whether a pyproject.toml is ours to read: it has the table, a table misspelling its name
    (`[tool.lbx_validate]`), or is broken; the last two are reported rather than skipped silently."""
    try:
        tool = _read_toml(path).get("tool", {})
    except ConfigError:
        return True
    return isinstance(tool, dict) and ("lbx-validate" in tool or _misspelt_table(tool) is not None)


def _misspelt_table(tool: Dict[str, Any]) -> Optional[str]:
    """The name of a `[tool.X]` table that looks like a misspelt `lbx-validate` (`lbx_validate`,
    `LBX-Validate`, `lbx-validator`, `lbxvalidate`), when there is no `[tool.lbx-validate]`."""
    if not isinstance(tool, dict) or "lbx-validate" in tool:
        return None
    for name in tool:
        squashed = re.sub(r"[-_.\s]", "", str(name).lower())
        if squashed == "lbxvalidate":
            return str(name)
        # a looser likeness only for names that say lbx or labelbox: [tool.validate] is someone else's
        if closest(squashed, ("lbxvalidate",), 0.9) or (
            ("lbx" in squashed or "labelbox" in squashed) and closest(squashed, ("lbxvalidate",), 0.8)
        ):
            return str(name)
    return None


def _read_toml(path: FsPath) -> Dict[str, Any]:
    if sys.version_info >= (3, 11):  # imported here: a run with no config file never needs it
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: the file is not UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load(path: FsPath) -> Settings:
    """The settings of a config file. pyproject.toml: its `[tool.lbx-validate]` table. Any other file
    (`.lbx-validate.toml`, `--config FILE`): its top level, or, read as pyproject.toml is, a file that
    holds nothing but a `[tool.lbx-validate]` table; both at once is an error, not a silent choice."""
    data = _read_toml(path)
    tool = data.get("tool")
    ours = isinstance(tool, dict) and "lbx-validate" in tool
    misspelt = _misspelt_table(tool) if isinstance(tool, dict) else None
    if misspelt is not None:
        also = "" if path.name == "pyproject.toml" else " (or the settings at the top level of this file, without a table)"
        raise ConfigError(f"{path}: [tool.{_toml_key(misspelt)}] is not a table this tool reads: did you mean [tool.lbx-validate]?{also}")
    if path.name == "pyproject.toml":
        table = tool.get("lbx-validate") if isinstance(tool, dict) else None
    elif ours:
        stray = [k for k in data if k != "tool"]
        if stray:
            raise ConfigError(
                f"{path}: {_toml_key(stray[0])}: a top-level setting beside a [tool.lbx-validate] table (put every setting "
                "at the top level of this file, as documented, or every one in the table; not some in each)"
            )
        table = tool["lbx-validate"]
    else:
        table = data
    if table is None:
        return Settings(source=str(path))
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.lbx-validate] must be a table")
    return from_table(table, str(path), base=path.parent.resolve())


_KEYS = {
    "select", "ignore", "extend-select", "per-file-ignores", "severity", "integrations", "metadata-schema",
    "existing-keys", "signed-url-min-validity", "max-rows", "max-metadata-rows", "jobs",
}


def from_table(table: Dict[str, Any], where: str, base: Optional[FsPath] = None) -> Settings:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        close = closest(str(unknown[0]).replace("_", "-"), tuple(sorted(_KEYS)), 0.6)
        hint = f": did you mean {close!r}?" if close else ""
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}{hint} (known keys: {', '.join(sorted(_KEYS))})")
    s = Settings(source=where, root=str(base) if base else None)
    opts: Dict[str, Any] = {}
    for key in ("select", "ignore", "extend-select"):
        if key in table:
            opts[key.replace("-", "_")] = check_selectors(_str_list(table[key], where, key), f"{where}: {key}")
    if "per-file-ignores" in table:
        pfi = _table(table["per-file-ignores"], where, "per-file-ignores")
        pairs_pfi = []
        for k, v in pfi.items():
            key = f"per-file-ignores.{_toml_key(k)}"
            pairs_pfi.append((str(k), check_selectors(_str_list(v, where, key), f"{where}: {key}")))
        opts["per_file_ignores"] = tuple(pairs_pfi)
    if "severity" in table:
        opts["severity"] = _severities(_table(table["severity"], where, "severity"), where)
    if "integrations" in table:
        integ = _table(table["integrations"], where, "integrations")
        opts["integrations"] = tuple(
            (str(k), _prefixes(_str_list(v, where, f"integrations.{_toml_key(k)}"), where, f"integrations.{_toml_key(k)}"))
            for k, v in integ.items()
        )
    for key in ("metadata-schema", "existing-keys"):
        if key in table:
            value = table[key]
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: {key} must be a file path string")
            opts[key.replace("-", "_")] = str((base / value) if base else value)
    if "signed-url-min-validity" in table:
        opts["signed_url_min_validity"] = parse_duration(table["signed-url-min-validity"], f"{where}: signed-url-min-validity")
    for key in ("max-rows", "max-metadata-rows", "jobs"):
        if key in table:
            value = table[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{where}: {key} must be a positive integer, not {value!r}")
            opts[key.replace("-", "_")] = value
    return s.with_options(**opts)


def _severities(sev: Dict[str, Any], where: str) -> Tuple[Tuple[str, Severity], ...]:
    """(code, level) pairs of a `severity` table. Each rule gets the level of the most specific key
    that covers it, whatever the order of the keys: its code or name, then the longest family prefix
    (`U00` before `U0` before `U`), then `ALL`. Two keys as specific as each other that cover a rule
    with different levels (its code and its name, `U` and `u`) are an error."""
    candidates: Dict[str, List[Tuple[int, Severity, str]]] = {}
    for k, v in sev.items():
        key = f"severity.{_toml_key(k)}"
        level = _SEVERITY_ALIASES.get(v.strip().lower()) if isinstance(v, str) else None
        if level is None:
            raise ConfigError(f"{where}: {key}: {v!r} is not a severity (use \"error\", \"warning\" or \"info\")")
        codes, _ = expand([str(k)], f"{where}: {key}")
        rank = _specificity(str(k))
        for code in codes:
            candidates.setdefault(code, []).append((rank, level, key))
    pairs = []
    for code in sorted(candidates):
        best = max(rank for rank, _, _ in candidates[code])
        winners = [(level, key) for rank, level, key in candidates[code] if rank == best]
        for level, key in winners[1:]:
            if level is not winners[0][0]:
                raise ConfigError(
                    f"{where}: {key}: {level.value!r} conflicts with {winners[0][1]} = {winners[0][0].value!r} "
                    f"(both set {code} and neither is more specific; keep one)"
                )
        pairs.append((code, winners[0][0]))
    return tuple(pairs)


def _specificity(selector: str) -> int:
    """How specific a selector `expand` accepts is: ALL 0, a family prefix its length (U 1, U0 2,
    U00 3), a rule's code or name more than any prefix."""
    sel = selector.strip()
    if sel.upper() == "ALL":
        return 0
    if registry.lookup(sel):
        return 10
    return len(sel)


_SEVERITY_ALIASES = {"error": Severity.ERROR, "warning": Severity.WARNING, "warn": Severity.WARNING, "info": Severity.INFO}
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: Any) -> str:
    key = str(key)
    return key if _BARE_KEY.match(key) else '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _str_list(value: Any, where: str, key: str) -> Tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings, not {_toml_type(value)}")
    return tuple(value)


def _table(value: Any, where: str, key: str) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key} must be a table, not {_toml_type(value)}")
    return value


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list with a non-string item" if value and not all(isinstance(v, str) for v in value) else "an array"
    return f"a {type(value).__name__}"


def _prefixes(values: Tuple[str, ...], where: str, key: str) -> Tuple[str, ...]:
    for v in values:
        if "://" not in v or v.endswith("://"):
            raise ConfigError(
                f"{where}: {key}: {v!r} is not a location prefix (use s3://bucket[/prefix], gs://bucket[/prefix], "
                "azure://account/container[/prefix] or an https:// URL prefix)"
            )
    return values


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "": 86400}


def parse_duration(value: Any, where: str) -> dt.timedelta:
    """`7d`, `36h`, `90m`, `3600s`, `2w`, or a bare number of days."""
    bad = ConfigError(f"{where}: {value!r} is not a duration (examples: 7d, 36h, 90m, 3600s, 2w)")
    if isinstance(value, bool):
        raise bad
    if isinstance(value, (int, float)):
        seconds = float(value) * 86400
    else:
        m = _DURATION.match(str(value)) if isinstance(value, str) else None
        if not m:
            raise bad
        seconds = float(m.group(1)) * _UNITS[m.group(2)]
    if math.isnan(seconds) or seconds < 0:
        raise bad
    try:
        return dt.timedelta(seconds=seconds)
    except OverflowError:
        raise ConfigError(f"{where}: {value!r} is too long a duration") from None


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
    if config and path.name == "pyproject.toml" and not _has_table(path):
        raise ConfigError(f"{path}: has no [tool.lbx-validate] table")
    return load(path)


def codes_of(selectors: Sequence[str]) -> List[str]:
    return sorted(expand(selectors, "options")[0])
