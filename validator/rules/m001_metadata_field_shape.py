"""A metadata field is not `{"schema_id" or "name", "value"}`.

What it checks
    Each element of ``metadata_fields``: it is an object; it has ``schema_id``
    or ``name`` (strings); it has a ``value`` that is not ``null``; it has no
    other keys (``schemaId`` gets the hint ``schema_id``). Having both
    ``schema_id`` and ``name`` is a warning: the SDK uses ``schema_id`` and
    ignores ``name``.

Why it matters
    The SDK's ``parse_upsert_metadata`` raises "must have a 'value' key" and
    "must have either 'schema_id' or 'name' key" for the first such field and
    stops the whole upload; the metadata page says the value "should not be
    null". Unknown keys are dropped silently by the SDK, so a misspelt
    ``schemaId`` loses the field.

Decisions
    ``metadata_fields`` that is not an array is R004's. Reported at the
    offending key (unknown keys, ``name``), at ``value`` (null) or at the
    field's ``{`` (not an object, missing keys).

FAIL::

    [{"row_data": "https://example.com/a.jpg",
      "metadata_fields": [{"schemaId": "cko8s9r5v0001h2dk9elqdidh", "value": "sunny"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg",
      "metadata_fields": [{"schema_id": "cko8s9r5v0001h2dk9elqdidh", "value": "sunny"}]}]
"""
from ..model import Problem, Severity

CODE = "M001"
NAME = "metadata-field-shape"
SEVERITY = "error"

_KEYS = ("schema_id", "name", "value")
_HINTS = {"schemaId": "schema_id", "schemaid": "schema_id", "schema": "schema_id", "id": "schema_id", "schema_name": "name",
          "fieldName": "name", "field": "name", "key": "name", "values": "value", "Value": "value", "Name": "name"}
_SHAPE = '{"schema_id" or "name", "value"}'


def check(row, ctx):
    items = row.value.get("metadata_fields")
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        here = ("metadata_fields", i)
        if not isinstance(item, dict):
            yield Problem(here, f"metadata field must be an object {_SHAPE}, not {_kind(item)}")
            continue
        hinted = set()
        for key in item:
            if key in _KEYS:
                continue
            hint = _HINTS.get(key)
            if hint:
                hinted.add(hint)
                yield Problem(here + (key,), f"unknown metadata field key '{key}': did you mean '{hint}'? (the SDK ignores unknown keys, "
                                             "so this one is lost)", on_key=True)
            else:
                yield Problem(here + (key,), f"unknown metadata field key '{key}': a metadata field has only schema_id or name, and value",
                              on_key=True)
        has_id, has_name = "schema_id" in item, "name" in item
        if not has_id and not has_name and "schema_id" not in hinted and "name" not in hinted:
            yield Problem(here, f"metadata field has neither 'schema_id' nor 'name': name the field ({_SHAPE})")
        for key in ("schema_id", "name"):
            if key in item and (not isinstance(item[key], str) or not item[key].strip()):
                yield Problem(here + (key,), f"metadata field '{key}' must be a non-empty string, not {_kind(item[key])}")
        if has_id and has_name:
            yield Problem(here + ("name",), "metadata field has both schema_id and name: the SDK uses schema_id and ignores name; "
                                            "keep one of them", severity=Severity.WARNING, on_key=True)
        if "value" not in item:
            if "value" not in hinted:
                yield Problem(here, f"metadata field has no 'value': add it ({_SHAPE}), or drop the field")
        elif item["value"] is None:
            yield Problem(here + ("value",), "metadata value is null: Labelbox needs a value; drop the field to leave it unset")


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string" if value else "an empty string"
    if isinstance(value, list):
        return "an array"
    return "an object"
