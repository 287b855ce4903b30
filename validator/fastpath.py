"""The happy path: prove, with one compiled check, that no per-row rule can fire on a row.

Most rows of a real import are plain: an https URL of the declared media type, a
tidy global key, a few attachments and metadata fields. `CLEAN_ROW` is a JSON
Schema that accepts only such rows, deliberately stricter than any rule (https
only, no query string, ASCII letters and digits in names, the extension matching
the media type, no reserved metadata field other than a well-formed `split` or
`tag`...). `is_clean` accepts the rows CLEAN_ROW accepts that also have no two
metadata fields naming the same field and no two attachments with the same
value (uniqueness of a property across items, which JSON Schema cannot say:
M004, A009). When `is_clean` says a row is clean, the checker skips every rule
that is a pure function of the row (`skippable()`), and runs only the rules that
keep state across rows (K001's global-key index...).

The guarantee is structural, not a list kept by hand:
- which rules may be skipped is read from each rule's bytecode (`classify`): a rule
  that touches `ctx.run_state`, `ctx.file_state`, `ctx.file`, `row.index`,
  `row.file`, or hands `ctx` to other code always runs; one that reads only
  `ctx.settings` is skipped only when the run's rule settings are the defaults;
- a rule that keeps state only for rows CLEAN_ROW rejects (embeddings, gs://
  paths, configured key or schema files...), or reads the row's position only to
  word a finding, says so with `QUIET_ON_CLEAN = True` in its module: it is then
  skipped like a settings-reading rule, only when the run's rule settings are the
  defaults;
- tests/test_fastpath.py generates rows from `CLEAN_ROW` (hypothesis-jsonschema)
  and asserts that every skippable rule, including rules added later, yields
  nothing on them and touches no context. A new rule that can fire on a clean row
  fails that test: tighten `CLEAN_ROW` (or, for a property JSON Schema cannot
  express, `is_clean` and `distinct()` in that test).

`is_clean` is plain Python (no dependency); CLEAN_ROW, the JSON Schema it
implements (with the two uniqueness conditions), is what the tests generate rows
from and check it against.
"""
from __future__ import annotations

import dataclasses
import dis
import os
import sys
import types
from typing import Any, Callable, Dict, Iterable, Optional, Tuple

from .metadata_schema import RESERVED_BY_NAME
from .row import MEDIA_EXTENSIONS

# LBX_VALIDATE_NO_FASTPATH=1 runs every rule on every row (to compare, or to rule it out).
ENABLED = not os.environ.get("LBX_VALIDATE_NO_FASTPATH")

# Settings fields that only choose and grade rules, or say how to read the files and where
# the config came from; any other field is a rule input.
_NOT_RULE_INPUTS = frozenset({"select", "ignore", "extend_select", "per_file_ignores", "severity", "source", "root", "input_format", "jobs"})

_HOST = (
    r"(?:[a-z][a-z0-9\-]*[a-z0-9]\.s3\.[a-z][a-z]-[a-z]+-[1-3]\.amazonaws\.com"  # virtual-hosted S3
    r"|storage\.googleapis\.com/[a-z][a-z0-9\-]+[a-z0-9]"  # GCS, bucket in the path
    r"|[a-z]+\.blob\.core\.windows\.net/[a-z][a-z0-9\-]+[a-z0-9]"  # Azure, container in the path
    r"|(?:[a-z]+\.)+(?:com|net|org|io))"  # a plain public host name
)
_PATH = r"(?:/[A-Za-z0-9_\-]+)+(?:\.[A-Za-z0-9_\-]+)?"


_URL = {"type": "string", "maxLength": 1000, "pattern": rf"^https://{_HOST}{_PATH}\.[a-z0-9]{{2,4}}$"}


def _ends(*extensions: str) -> Dict[str, Any]:
    return {"pattern": rf"\.(?:{'|'.join(extensions)})$"}


# CONVERSATIONAL rows are never clean (their URL may be a .json of any shape).
_ASSET_EXTENSIONS = {m: e for m, e in MEDIA_EXTENSIONS.items() if m != "CONVERSATIONAL"}
_ATTACHMENT_EXTENSIONS = {
    "IMAGE": ("jpg", "jpeg", "png"),
    "VIDEO": ("mp4",),
    "AUDIO": ("mp3", "wav", "m4a"),
    "PDF_URL": ("pdf",),
    "HTML": ("html", "htm"),
    "TEXT_URL": ("txt", "md", "json", "csv"),
    "IMAGE_OVERLAY": ("png", "jpg", "jpeg"),
}
_NAME = {"type": "string", "maxLength": 100, "pattern": r"^[A-Za-z0-9][A-Za-z0-9 _.\-]*$"}
_KEY = {"type": "string", "maxLength": 200, "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.:/\-]*$"}
_RAW_TEXT = {"type": "string", "maxLength": 1000, "pattern": r"^[A-Za-z0-9][A-Za-z0-9 ,.\[\]()'\-]*$"}


def _when(key: str, value: str, then: Dict[str, Any]) -> Dict[str, Any]:
    return {"if": {"properties": {key: {"const": value}}, "required": [key]}, "then": {"properties": then}}


_ATTACHMENT = {
    "type": "object",
    "properties": {
        "type": {"enum": list(_ATTACHMENT_EXTENSIONS) + ["RAW_TEXT"]},
        "value": {"anyOf": [_URL, _RAW_TEXT]},
        "name": _NAME,
    },
    "required": ["type", "value"],
    "additionalProperties": False,
    "allOf": [_when("type", kind, {"value": _ends(*ext)}) for kind, ext in _ATTACHMENT_EXTENSIONS.items()]
    + [_when("type", "RAW_TEXT", {"value": _RAW_TEXT})],
}

_RESERVED_IDS = [
    "cko8sbczn0002h2dkdaxb5kal",  # split
    "cko8sbscr0003h2dk04w86hof",  # split: train
    "cko8sc2yr0004h2dk69aj5x63",  # split: valid
    "cko8scbz70005h2dkastwhgqt",  # split: test
    "cko8sdzv70006h2dk8jg64zvb",  # captureDateTime
    "ckpyije740000yxdk81pbgjdc",  # embedding
]  # tag (cko8s9r5v0001h2dk9elqdidh) takes any string: allowed
_RESERVED_NAME = r"^(?:[Tt][Aa][Gg]|[Ss][Pp][Ll][Ii][Tt]|[Cc][Aa][Pp][Tt][Uu][Rr][Ee][Dd][Aa][Tt][Ee][Tt][Ii][Mm][Ee]|[Ee][Mm][Bb][Ee][Dd][Dd][Ii][Nn][Gg])$"
_VALUE = {"type": "string", "maxLength": 200, "pattern": r"^[A-Za-z0-9][A-Za-z0-9 _.\-]*$"}
_METADATA = {
    "type": "object",
    "properties": {
        "schema_id": {"type": "string", "pattern": r"^c[a-z0-9]{24}$", "not": {"enum": _RESERVED_IDS}},
        "name": {
            "type": "string",
            "maxLength": 50,
            "pattern": r"^[A-Za-z][A-Za-z0-9_]*$",
            "not": {"pattern": _RESERVED_NAME, "not": {"enum": ["tag", "split"]}},
        },
        "value": _VALUE,
    },
    "required": ["value"],
    "oneOf": [{"required": ["schema_id"]}, {"required": ["name"]}],
    "additionalProperties": False,
    "allOf": [_when("name", "split", {"value": {"enum": ["train", "valid", "test"]}})],
}

CLEAN_ROW: Dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "a data row no per-row rule can fire on (the checker's fast path)",
    "type": "object",
    "properties": {
        "row_data": _URL,
        "media_type": {"enum": list(_ASSET_EXTENSIONS)},
        "global_key": _KEY,
        "external_id": _KEY,
        "attachments": {"type": "array", "maxItems": 10, "items": _ATTACHMENT},
        "metadata_fields": {"type": "array", "maxItems": 20, "items": _METADATA},
    },
    "required": ["row_data", "media_type"],
    "additionalProperties": False,
    "allOf": [_when("media_type", media, {"row_data": _ends(*ext)}) for media, ext in _ASSET_EXTENSIONS.items()]
    + [
        {
            "if": {"properties": {"media_type": {"const": "IMAGE"}}},
            "else": {"properties": {"attachments": {"items": {"properties": {"type": {"not": {"const": "IMAGE_OVERLAY"}}}}}}},
        }
    ],
}


# -- the compiled check: CLEAN_ROW as straight-line Python ---------------------------
# jsonschema-rs spends ~13 us on such a row (it walks Python objects keyword by
# keyword); this predicate accepts the same rows, less those that repeat a metadata
# field or an attachment value, in ~5 us. tests/test_fastpath.py checks that whatever
# it accepts, CLEAN_ROW accepts, and that it rejects only such repeats besides.
import re as _re


def _py(pattern: str) -> "_re.Pattern[str]":
    # JSON Schema's `$` is the end of the string; Python's also matches before a final newline
    return _re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)


_KEY_RE = _py(_KEY["pattern"])
_NAME_RE = _py(_NAME["pattern"])
_RAW_RE = _py(_RAW_TEXT["pattern"])
_VALUE_RE = _py(_VALUE["pattern"])
_SCHEMA_ID_RE = _py(_METADATA["properties"]["schema_id"]["pattern"])
_FIELD_RE = _py(_METADATA["properties"]["name"]["pattern"])
_RESERVED_NAME_RE = _py(_RESERVED_NAME)
_RESERVED_ID_SET = frozenset(_RESERVED_IDS)
# _URL["pattern"] split at the last "/" (the same language): the directory
# part repeats across rows and is looked up in a memo; the file name is matched on its own.
_DIR_RE = _py(rf"^https://{_HOST}(?:/[A-Za-z0-9_\-]+)*$")
_FILE_RE = _re.compile(r"/[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)?\.[a-z0-9]{2,4}\Z")


class _Memo(dict):
    """str -> does it pass `test`: the answer for a value seen before is one dict lookup.

    Imports repeat directories, metadata values, schema ids and names across rows;
    past `_MEMO_SIZE` entries new values are tested but not remembered.
    """

    __slots__ = ("test",)

    def __init__(self, test: Callable[[str], bool]):
        super().__init__()
        self.test = test

    def __missing__(self, value: str) -> bool:
        ok = self.test(value)
        if len(self) < _MEMO_SIZE:
            self[value] = ok
        return ok


_MEMO_SIZE = 4096
_dir_ok = _Memo(lambda d: _DIR_RE.match(d) is not None)
_value_ok = _Memo(lambda v: len(v) <= 200 and _VALUE_RE.match(v) is not None)
_name_ok = _Memo(lambda n: len(n) <= 100 and _NAME_RE.match(n) is not None)
_sid_ok = _Memo(lambda sid: _SCHEMA_ID_RE.match(sid) is not None and sid not in _RESERVED_ID_SET)
_field_ok = _Memo(
    lambda n: len(n) <= 50 and _FIELD_RE.match(n) is not None and (_RESERVED_NAME_RE.match(n) is None or n in ("tag", "split"))
)


def _url_ok(url: str) -> bool:
    """Does _URL["pattern"] match `url`? (memoized directory, then the file name)"""
    cut = url.rfind("/")
    return len(url) <= 1000 and _dir_ok[url[:cut]] and _FILE_RE.match(url, cut) is not None


_KEY_FIELDS = ("global_key", "external_id")
_ROW_KEYS = frozenset(CLEAN_ROW["properties"])
_ATT_KEYS = frozenset(_ATTACHMENT["properties"])
_META_KEYS = frozenset(_METADATA["properties"])
_SPLITS = frozenset(("train", "valid", "test"))
_RESERVED_ID_OF = {name: RESERVED_BY_NAME[name].schema_id for name in ("tag", "split")}  # the reserved names CLEAN_ROW allows
_ASSET_EXT = {m: tuple("." + e for e in ext) for m, ext in _ASSET_EXTENSIONS.items()}
_ATT_EXT = {k: tuple("." + e for e in ext) for k, ext in _ATTACHMENT_EXTENSIONS.items()}
_str = str


def is_clean(row: Any) -> bool:
    """Does CLEAN_ROW accept `row`, with distinct metadata fields and attachment values? (No per-row rule can fire on it.)"""
    if not isinstance(row, dict):
        return False
    if not row.keys() <= _ROW_KEYS:
        return False
    media = row.get("media_type")
    data = row.get("row_data")
    if type(media) is not _str or type(data) is not _str or media not in _ASSET_EXT:
        return False
    if not data.endswith(_ASSET_EXT[media]) or not _url_ok(data):
        return False
    for key in _KEY_FIELDS:
        if key in row:
            value = row[key]
            if type(value) is not _str or len(value) > 200 or _KEY_RE.match(value) is None:
                return False
    if "attachments" in row:
        items = row["attachments"]
        if type(items) is not list or len(items) > 10:
            return False
        for att in items:
            if not isinstance(att, dict) or not att.keys() <= _ATT_KEYS:
                return False
            kind = att.get("type")
            value = att.get("value")
            if type(kind) is not _str or type(value) is not _str:
                return False
            if kind == "RAW_TEXT":
                if len(value) > 1000 or _RAW_RE.match(value) is None:
                    return False
            else:
                ext = _ATT_EXT.get(kind)
                if ext is None or (kind == "IMAGE_OVERLAY" and media != "IMAGE"):
                    return False
                if not value.endswith(ext) or not _url_ok(value):
                    return False
            if "name" in att:
                name = att["name"]
                if type(name) is not _str or not _name_ok[name]:
                    return False
        # A009's _distinct_values and (below) M004's _distinct_plain_fields, inlined: calling them
        # cost 1-2 us more per clean row. tests/test_fastpath.py holds is_clean to the same condition.
        if len(items) > 1 and len({att["value"].strip() for att in items}) < len(items):
            return False  # two attachments with one value: A009 may fire
    if "metadata_fields" in row:
        items = row["metadata_fields"]
        if type(items) is not list or len(items) > 20:
            return False
        fields = set()  # the field each item sets: its schema id, or its name
        for field in items:
            if not isinstance(field, dict) or not field.keys() <= _META_KEYS:
                return False
            value = field.get("value")
            if type(value) is not _str or not _value_ok[value]:
                return False
            if "schema_id" in field:
                if "name" in field:
                    return False
                sid = field["schema_id"]
                if type(sid) is not _str or not _sid_ok[sid]:
                    return False
                fields.add(sid)
            elif "name" in field:
                name = field["name"]
                if type(name) is not _str or not _field_ok[name]:
                    return False
                if name == "split" and value not in _SPLITS:
                    return False
                fields.add(_RESERVED_ID_OF.get(name, name))
            else:
                return False
        if len(fields) < len(items):
            return False  # two items set one field: M004 may fire
    return True


# -- which rules may be skipped -------------------------------------------------------
PURE, SETTINGS, STATEFUL = "pure", "settings", "stateful"
_ROW_STATE = frozenset({"index", "file"})


def classify(check: Callable) -> str:
    """PURE (a function of the row's value), SETTINGS (also reads ctx.settings) or STATEFUL.

    Read from the bytecode of `check` and of the functions of its module it may
    call: every use of `ctx` must be `ctx.settings`, and `row.index`/`row.file`
    must not be read. Anything else (cross-row state, handing `ctx` on) is STATEFUL.
    """
    code = check.__code__
    if code.co_argcount < 2:
        return STATEFUL
    row_name, ctx_name = code.co_varnames[0], code.co_varnames[1]
    kind = PURE
    for sub in _code_objects(code):
        uses = _uses(sub, ctx_name)
        if any(attr != "settings" for attr in uses):
            return STATEFUL
        if uses:
            kind = SETTINGS
        if any(attr in _ROW_STATE for attr in _uses(sub, row_name, _ROW_STATE) if attr is not None):
            return STATEFUL
    module = sys.modules.get(check.__module__)
    if module is not None and check.__module__.startswith("validator.rules."):  # its helpers may be handed the row
        for value in vars(module).values():
            if isinstance(value, types.FunctionType) and value.__module__ == check.__module__ and value is not check:
                for sub in _code_objects(value.__code__):
                    arguments = sub.co_varnames[: sub.co_argcount]
                    for name in (n for n in ("row", "ctx") if n in arguments):  # no other argument matters here
                        uses = _uses(sub, name, _ROW_STATE if name == "row" else None)
                        if name == "ctx" and any(a != "settings" for a in uses):
                            return STATEFUL
                        if name == "ctx" and uses:
                            kind = SETTINGS
                        if name == "row" and any(a in _ROW_STATE for a in uses):
                            return STATEFUL
    return kind


def _code_objects(code: types.CodeType) -> Iterable[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


_LOADS = frozenset({"LOAD_FAST", "LOAD_DEREF", "LOAD_FAST_CHECK", "LOAD_FAST_AND_CLEAR", "LOAD_CLOSURE"})
_ATTRS = frozenset({"LOAD_ATTR", "LOAD_METHOD"})


def _uses(code: types.CodeType, name: str, only: Optional[frozenset] = None) -> list:
    """For each load of `name`: the attribute read from it, or None for any other use."""
    out: list = []
    if name not in code.co_varnames and name not in code.co_cellvars and name not in code.co_freevars:
        return out
    if only is not None and not only.intersection(code.co_names):
        return out  # none of the attributes asked about is read in this code
    instructions = [i for i in dis.get_instructions(code) if i.opname not in ("CACHE", "EXTENDED_ARG", "NOP")]
    for n, ins in enumerate(instructions):
        if ins.opname in _LOADS and ins.argval == name:
            if ins.opname == "LOAD_CLOSURE":
                continue  # handed to a nested function: that code object is read too
            nxt = instructions[n + 1] if n + 1 < len(instructions) else None
            out.append(nxt.argval if nxt is not None and nxt.opname in _ATTRS else None)
    return out


def default_rule_settings(settings: Any) -> bool:
    """Do the settings that rules read all have their default values?"""
    try:
        defaults = type(settings)()
    except Exception:  # pragma: no cover
        return False
    for f in dataclasses.fields(settings):
        if f.name not in _NOT_RULE_INPUTS and getattr(settings, f.name) != getattr(defaults, f.name):
            return False
    return True


def skippable(rule: Any, settings: Any) -> bool:
    """May `rule` be skipped on a row `is_clean` accepts, under `settings`?"""
    if rule.check is None or rule.opt_in:
        return False
    if getattr(sys.modules.get(rule.check.__module__), "QUIET_ON_CLEAN", False):
        return default_rule_settings(settings)
    kind = classify(rule.check)
    return kind == PURE or (kind == SETTINGS and default_rule_settings(settings))


__all__ = ["CLEAN_ROW", "is_clean", "classify", "skippable", "PURE", "SETTINGS", "STATEFUL"]
