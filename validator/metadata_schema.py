"""The organization's metadata ontology: the `--metadata-schema FILE` loader (rule
M005, and M004's multi-option exception) and Labelbox's reserved fields (M002).

File format: a JSON array of fields (UTF-8):

    [{"name": "camera", "schema_id": "clx0c4m3r0000abcdxyz01234", "kind": "string"},
     {"name": "weather", "schema_id": "clx0c4m3r0001abcdxyz01234", "kind": "enum", "multiple": true,
      "options": [{"name": "sunny", "schema_id": "clx0c4m3r0002abcdxyz01234"},
                  {"name": "rain", "schema_id": "clx0c4m3r0003abcdxyz01234"}]}]

- `schema_id` may also be spelled `id`, `uid` or `schemaId` (so the SDK's
  `DataRowMetadataSchema` fields and the raw `customMetadataOntology` GraphQL
  answer load as they are);
- `kind` is one of `string`, `number`, `datetime`, `enum`, `embedding`, or the
  SDK's `CustomMetadataString`... spelling (case-insensitive);
- `options` (enum fields only): objects with `name` and `schema_id`;
- `multiple: true` (optional, enum fields): the field may appear on one row more
  than once, with different options (M004 then only reports a repeated option);
- other keys (`reserved`, `parent`...) are ignored.

The reserved fields (`tag`, `split`, `captureDateTime`, `embedding`) are always
known, whether or not the file lists them. Errors are `ConfigError`s naming the
file, the field and the problem (exit code 2).
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

from .config import ConfigError, file_setting

KINDS = ("string", "number", "datetime", "enum", "embedding")
_KIND_ALIASES = {k: k for k in KINDS}
_KIND_ALIASES.update({f"custommetadata{k}": k for k in KINDS})

# Reserved metadata schema ids: the same in every organization. Source: the
# Labelbox SDK's integration tests (labelbox-python tests/integration/
# test_data_row_metadata.py: TEXT_SCHEMA_ID (tag), SPLIT_SCHEMA_ID, TRAIN_SPLIT_ID,
# TEST_SPLIT_ID, CAPTURE_DT_SCHEMA_ID, EMBEDDING_SCHEMA_ID); the valid option's id
# from Labelbox's own reserved-schema table (RESERVED_METADATA_SCHEMA_SPLIT_VALID_CUID).
TAG_ID = "cko8s9r5v0001h2dk9elqdidh"
SPLIT_ID = "cko8sbczn0002h2dkdaxb5kal"
SPLIT_OPTIONS = {"train": "cko8sbscr0003h2dk04w86hof", "valid": "cko8sc2yr0004h2dk69aj5x63", "test": "cko8scbz70005h2dkastwhgqt"}
CAPTURE_DATETIME_ID = "cko8sdzv70006h2dk8jg64zvb"
EMBEDDING_ID = "ckpyije740000yxdk81pbgjdc"
EMBEDDING_DIMS = 128


@dataclass(frozen=True)
class Field:
    name: str
    schema_id: Optional[str]
    kind: str
    options_by_name: Dict[str, Optional[str]] = field(default_factory=dict)  # name -> option id
    option_ids: Dict[str, str] = field(default_factory=dict)  # option id -> name
    multiple: bool = False
    reserved: bool = False

    @property
    def key(self) -> str:
        """Identity of the field on a row (schema id, else name)."""
        return self.schema_id or f"name:{self.name}"


RESERVED = (
    Field("tag", TAG_ID, "string", reserved=True),
    Field("split", SPLIT_ID, "enum", dict(SPLIT_OPTIONS), {v: k for k, v in SPLIT_OPTIONS.items()}, reserved=True),
    Field("captureDateTime", CAPTURE_DATETIME_ID, "datetime", reserved=True),
    Field("embedding", EMBEDDING_ID, "embedding", reserved=True),
)
RESERVED_BY_ID = {f.schema_id: f for f in RESERVED}
RESERVED_BY_NAME = {f.name: f for f in RESERVED}


class MetadataSchema:
    """Fields by schema id and by name, and enum options by id."""

    def __init__(self, fields: Tuple[Field, ...] = ()):
        self.by_id: Dict[str, Field] = {}
        self.by_name: Dict[str, Field] = {}
        self.option_parent: Dict[str, Field] = {}
        # Reserved fields are Labelbox's: the built-in definitions win over the file's copy.
        own = tuple(f for f in fields if f.schema_id not in RESERVED_BY_ID and f.name not in RESERVED_BY_NAME)
        for f in own + RESERVED:
            if f.schema_id:
                self.by_id[f.schema_id] = f
            self.by_name.setdefault(f.name, f)
            for oid in f.option_ids:
                self.option_parent[oid] = f
        self.count = len(fields)

    def resolve(self, item: Dict[str, Any]) -> Optional[Field]:
        """The field a metadata item names (schema_id first, as the SDK does)."""
        sid = item.get("schema_id")
        if isinstance(sid, str):
            return self.by_id.get(sid)
        name = item.get("name")
        if isinstance(name, str):
            return RESERVED_BY_NAME.get(name) or self.by_name.get(name)
        return None


def reserved_field(item: Dict[str, Any]) -> Optional[Field]:
    """The reserved field a metadata item names, by schema id or by name."""
    sid = item.get("schema_id")
    if isinstance(sid, str):
        return RESERVED_BY_ID.get(sid)
    name = item.get("name")
    return RESERVED_BY_NAME.get(name) if isinstance(name, str) else None


@file_setting("metadata-schema file", maxsize=4)
def load(path: str) -> MetadataSchema:
    """The schema in `path` (cached per path, size and modification time)."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: metadata-schema file is not UTF-8") from None
    except ValueError as exc:
        raise ConfigError(f"{path}: metadata-schema file is not valid JSON: {exc}") from None
    return parse(data, path)


def parse(data: Any, where: str = "metadata-schema") -> MetadataSchema:
    if isinstance(data, dict) and isinstance(data.get("fields"), list):
        data = data["fields"]
    if not isinstance(data, list):
        raise ConfigError(f"{where}: a metadata schema must be a JSON array of fields "
                          '({"name", "schema_id", "kind", "options"?}), not a JSON ' + _json_kind(data))
    fields = []
    ids: Dict[str, int] = {}
    names: Dict[str, int] = {}
    for i, item in enumerate(data):
        f = _field(item, f"{where}: field {i}")
        if f.schema_id in ids:
            raise ConfigError(f"{where}: field {i}: schema id {f.schema_id!r} is also field {ids[f.schema_id]}'s")
        if f.name in names:
            raise ConfigError(f"{where}: field {i}: name {f.name!r} is also field {names[f.name]}'s (metadata field names are unique)")
        if f.schema_id:
            ids[f.schema_id] = i
        names[f.name] = i
        fields.append(f)
    return MetadataSchema(tuple(fields))


def _field(item: Any, where: str) -> Field:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: must be an object with name, schema_id and kind, not a JSON {_json_kind(item)}")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: 'name' must be a non-empty string")
    where = f"{where} ({name})"
    sid = _schema_id(item, where)
    kind_raw = item.get("kind")
    kind = _KIND_ALIASES.get(str(kind_raw).lower()) if isinstance(kind_raw, str) else None
    if kind is None:
        raise ConfigError(f"{where}: 'kind' must be one of {', '.join(KINDS)}, not {kind_raw!r}")
    options_raw = item.get("options") or []
    if not isinstance(options_raw, list):
        raise ConfigError(f"{where}: 'options' must be an array of {{name, schema_id}} objects")
    if options_raw and kind != "enum":
        raise ConfigError(f"{where}: only enum fields have options (kind is {kind})")
    by_name: Dict[str, Optional[str]] = {}
    by_id: Dict[str, str] = {}
    for j, opt in enumerate(options_raw):
        owhere = f"{where}: option {j}"
        if isinstance(opt, str):
            opt = {"name": opt}
        if not isinstance(opt, dict) or not isinstance(opt.get("name"), str):
            raise ConfigError(f"{owhere}: must be an object with 'name' and 'schema_id'")
        oid = _schema_id(opt, owhere)
        by_name[opt["name"]] = oid
        if oid:
            by_id[oid] = opt["name"]
    multiple = item.get("multiple", False)
    if not isinstance(multiple, bool):
        raise ConfigError(f"{where}: 'multiple' must be true or false")
    return Field(name, sid, kind, by_name, by_id, multiple and kind == "enum", bool(item.get("reserved", False)))


def _schema_id(item: Dict[str, Any], where: str) -> Optional[str]:
    for key in ("schema_id", "schemaId", "id", "uid"):
        if key in item:
            value = item[key]
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: '{key}' must be a non-empty string")
            return value
    return None


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


# -- values ------------------------------------------------------------------------------

# ISO 8601 date-times (module docstrings of M002 and M005, "Decisions"): a calendar date,
# optionally a time of at least hours and minutes with an optional fraction of a second, and
# optionally a UTC offset; all in the extended format (2024-05-01T12:30:00Z) or all in the basic
# one (20240501T123000Z), never a mix. Groups: 1-3 date, 4-6 time, 7 offset (8, 9 its hours, minutes).
_OFFSET = r"([Zz]|[+-]([0-9]{2})(?::?([0-9]{2}))?)?"
_ISO_DATETIMES = (
    re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?" + _OFFSET + r")?\Z"),
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?:[Tt]([0-9]{2})([0-9]{2})(?:([0-9]{2})(?:[.,][0-9]+)?)?" + _OFFSET + r")?\Z"),
)
_DATETIME_EXAMPLES = "write it like \"2024-05-01T12:30:00Z\" or \"2024-05-01T14:30:00+02:00\""


def datetime_problem(value: Any) -> Optional[Tuple[str, bool]]:
    """(what is wrong, is it only a warning) for a datetime metadata value, or None."""
    if not isinstance(value, str):
        return (f"must be an ISO 8601 date-time string such as \"2024-05-01T12:30:00Z\", not {_what(value)}", False)
    text = value.strip()
    m = _ISO_DATETIMES[0].match(text) or _ISO_DATETIMES[1].match(text)
    if not m or not _valid_date_time(m):
        return (f"{_short(value)} is not an ISO 8601 date-time: {_DATETIME_EXAMPLES}", False)
    if m.group(7) is None:
        return (f"{_short(value)} has no UTC offset, so Labelbox reads it as UTC: add 'Z' or the offset (\"+02:00\") if it is local time", True)
    if m.group(8) is not None and (int(m.group(8)) > 23 or (m.group(9) is not None and int(m.group(9)) > 59)):
        return (f"{_short(value)} has the UTC offset {m.group(7)}, which is out of range (offsets are below 24 hours, "
                f"minutes below 60; the SDK fails converting it to UTC): {_DATETIME_EXAMPLES}", False)
    return None


def _valid_date_time(m) -> bool:
    """A real calendar date (2024-02-30 is not), hours 0-23, minutes and seconds 0-59."""
    import datetime as dt

    try:
        dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return False
    if m.group(4) is not None:
        if int(m.group(4)) > 23 or int(m.group(5)) > 59 or (m.group(6) is not None and int(m.group(6)) > 59):
            return False
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def value_problem(f: Field, item: Dict[str, Any]) -> Optional[Tuple[str, bool]]:
    """(what is wrong with the item's value for field `f`, warning only?), or None.

    The item's value is not None (M001 reports null values)."""
    value = item.get("value")
    label = f"metadata field '{f.name}'"
    if f.kind == "string":
        if not isinstance(value, str):
            return (f"{label} is a string field: its value must be a string, not {_what(value)}", False)
        return None
    if f.kind == "number":
        if _is_number(value):
            return None
        if isinstance(value, str):
            try:
                if math.isfinite(float(value)):
                    return None  # the SDK converts numeric strings with float()
            except ValueError:
                pass
        return (f"{label} is a number field: its value must be a finite number, not {_what(value)}", False)
    if f.kind == "datetime":
        p = datetime_problem(value)
        return (f"{label}: {p[0]}", p[1]) if p else None
    if f.kind == "embedding":
        if not isinstance(value, list):
            return (f"{label} is an embedding: its value must be an array of {EMBEDDING_DIMS} numbers, not {_what(value)}", False)
        if len(value) != EMBEDDING_DIMS:
            return (f"{label} is an embedding of {EMBEDDING_DIMS} numbers, but this one has {len(value)}", False)
        bad = next((i for i, x in enumerate(value) if not _is_number(x)), None)
        if bad is not None:
            return (f"{label}: element {bad} of the embedding is {_short(value[bad])}, not a finite number", False)
        return None
    if f.kind == "enum":
        return _enum_problem(f, item, value, label)
    return None


def _enum_problem(f: Field, item: Dict[str, Any], value: Any, label: str) -> Optional[Tuple[str, bool]]:
    names = ", ".join(f.options_by_name) or "(none listed)"
    if not isinstance(value, str):
        return (f"{label} is an enum: its value must be one of its options ({names}), not {_what(value)}", False)
    by_schema_id = isinstance(item.get("schema_id"), str)
    if value in f.option_ids:
        return None
    if value in f.options_by_name:
        if not by_schema_id:
            return None
        oid = f.options_by_name[value]
        instead = f"use the option's schema id \"{oid}\"" if oid else "use the option's schema id"
        return (f"{label} is given by schema_id, so its value must be an option's schema id, not the option name {_short(value)}: "
                f"{instead}, or write {{\"name\": \"{f.name}\", \"value\": \"{value}\"}}", False)
    return (f"{label} has no option {_short(value)}: use one of {names}" + (" (by schema id when the field is given by schema_id)" if by_schema_id else ""), False)


def _short(value: Any, limit: int = 60) -> str:
    """A scalar as JSON, cut to `limit` characters; a container as "an object" or "an array"."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= limit else text[: limit - 3] + "..."
    return "an array" if isinstance(value, (list, tuple)) else "an object"


def _what(value: Any) -> str:
    """A value named after "not" in a message: `number 12`, `string "x"`, `null`, `an object`, `an array`."""
    if value is None or not isinstance(value, (str, int, float, bool)):
        return _short(value)
    return f"{_json_kind(value)} {_short(value)}"
