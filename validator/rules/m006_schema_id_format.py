"""A metadata `schema_id` is not a Labelbox schema id (25 lowercase letters and digits, starting with `c`).

What it checks
    Each string ``schema_id`` in ``metadata_fields`` has the shape of a
    Labelbox id (a cuid): exactly 25 characters, lowercase ``a-z`` and ``0-9``,
    starting with ``c``, like ``cko8s9r5v0001h2dk9elqdidh``.

Why it matters
    The SDK types schema ids as ``SchemaId`` (a 25-character string) and looks
    them up in the organization's ontology; anything else is "not found in
    ontology" and stops the upload. A field *name* put in ``schema_id`` is the
    usual cause: use ``"name"`` for names.

Decisions
    A warning, since only the ontology (M005, with ``--metadata-schema``) knows
    for sure. When the value looks like a name (not id-shaped at all), the
    message suggests ``"name"``.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "metadata_fields": [{"schema_id": "tag", "value": "sunny"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "metadata_fields": [{"schema_id": "cko8s9r5v0001h2dk9elqdidh", "value": "sunny"}]}]
"""
import re

from ..model import Problem

CODE = "M006"
NAME = "schema-id-format"
SEVERITY = "warning"

_CUID = re.compile(r"c[a-z0-9]{24}")


def check(row, ctx):
    if "metadata_fields" not in row.value:
        return
    for i, item in row.metadata_fields():
        sid = item.get("schema_id")
        if not isinstance(sid, str) or not sid or _CUID.fullmatch(sid):
            continue
        detail = f"{len(sid)} characters" if len(sid) != 25 else "not all lowercase letters and digits starting with 'c'"
        hint = (f"if '{sid}' is the field's name, write {{\"name\": \"{sid}\", ...}} instead"
                if len(sid) < 25 or not sid.isalnum() else "copy the schema id from Labelbox (Schema > Metadata)")
        yield Problem(("metadata_fields", i, "schema_id"), f"schema_id '{sid}' is not a Labelbox schema id (25 lowercase letters and "
                                                           f"digits starting with 'c'; this is {detail}): {hint}")
