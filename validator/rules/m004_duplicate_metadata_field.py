"""The same metadata field appears twice on one row.

What it checks
    Within one row's ``metadata_fields``: the same field twice, by the same
    ``schema_id`` or the same ``name``; reserved fields also when one names them
    by ``name`` and the other by their schema id. With ``--metadata-schema FILE``
    names and schema ids are resolved through the file, and enum fields the file
    declares ``"multiple": true`` may repeat with different options (the same
    option twice is still reported). Reported at the later occurrence.

Why it matters
    The import fails for the row: "A schemaId can only be specified once per
    DataRow" (server error, seen in the SDK's ``test_task_errors`` integration
    test, which puts the tag schema id on one row twice).

FAIL::

    [{"row_data": "https://example.com/a.jpg",
      "metadata_fields": [{"name": "tag", "value": "sunny"},
                          {"schema_id": "cko8s9r5v0001h2dk9elqdidh", "value": "dry"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg",
      "metadata_fields": [{"name": "tag", "value": "sunny"},
                          {"name": "split", "value": "train"}]}]
"""
from .. import metadata_schema
from ..model import Problem

CODE = "M004"
NAME = "duplicate-metadata-field"
SEVERITY = "error"
# The fast path may skip this rule on rows it accepts (no two items set one field) under default
# settings: the schema file is read only with --metadata-schema; the row index only words a finding.
QUIET_ON_CLEAN = True


def check(row, ctx):
    items = row.value.get("metadata_fields")
    if not isinstance(items, list) or len(items) < 2:
        return
    schema = None
    if ctx.settings.metadata_schema:
        path = ctx.settings.metadata_schema
        schema = ctx.run_state("metadata-schema", lambda: metadata_schema.load(path))
    elif _distinct_plain_fields(items):
        return
    seen = {}
    for i, item in row.metadata_fields():
        field = schema.resolve(item) if schema else metadata_schema.reserved_field(item)
        sid, name = item.get("schema_id"), item.get("name")
        if field is not None:
            ident = field.key
        elif isinstance(sid, str):
            ident = sid
        elif isinstance(name, str):
            ident = f"name:{name}"
        else:
            continue
        if field is not None and field.multiple:
            value = item.get("value")
            ident = (ident, value if isinstance(value, str) else repr(value))
        first = seen.setdefault(ident, i)
        if first == i:
            continue
        key = "schema_id" if isinstance(sid, str) else "name"
        label = f"'{field.name}'" if field is not None else (f"'{name}'" if key == "name" else f"'{sid}'")
        what = "option of the multi-option field " + label if isinstance(ident, tuple) else "field " + label
        yield Problem(("metadata_fields", i, key), f"metadata {what} is already set on this row by metadata field {first} "
                                                   f"(/{row.index}/metadata_fields/{first}): a field may appear once per data row; "
                                                   "keep one of them")


# Without a schema file, what the loop in `check` compares per item: the schema id,
# else the reserved field a name stands for (its key is its schema id), else "name:" + name.
_KEY_BY_NAME = {name: field.key for name, field in metadata_schema.RESERVED_BY_NAME.items()}
assert not any(f.multiple for f in metadata_schema.RESERVED) and all(f.key == f.schema_id for f in metadata_schema.RESERVED)


def _distinct_plain_fields(items):
    """No two items name the same field: nothing to report (without a schema file).

    The common case, settled with one pass and a set instead of the resolution
    and bookkeeping `check` does per item.
    """
    idents = []
    for item in items:
        if not isinstance(item, dict):
            return False
        sid = item.get("schema_id")
        if isinstance(sid, str):
            idents.append(sid)
            continue
        name = item.get("name")
        if not isinstance(name, str):
            return False
        idents.append(_KEY_BY_NAME.get(name) or "name:" + name)
    return len(set(idents)) == len(idents)
