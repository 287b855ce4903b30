"""A metadata field does not match your organization's metadata schema (`--metadata-schema FILE`).

What it checks
    With ``--metadata-schema FILE`` (or ``metadata-schema`` in the
    configuration), each metadata field against the schema: the ``schema_id`` or
    ``name`` exists (a schema id of an enum *option* used as the field's is
    reported with the right form); the value fits the field's kind (string;
    number; ISO 8601 datetime; enum: an option's schema id, or, when the field is
    given by ``name``, the option's name; embedding: 128 numbers). The README
    section "Existing keys and metadata schema files" gives the file format and
    how to export it with the Labelbox SDK. Without the option the rule does
    nothing.

Why it matters
    The SDK resolves every field against the organization's ontology before
    uploading and stops at the first mismatch: "There is no metadata with name
    ...", "Schema Id ... not found in ontology", "There is no enum option by
    name ...", "An Option id should not be set as the Schema id"
    (``labelbox.schema.data_row_metadata.DataRowMetadataOntology``).

Decisions
    Reserved fields are M002's and skipped here. A number field accepts numeric
    strings (``"3.5"``), which the SDK converts with ``float()``. A datetime
    field takes the ISO 8601 date-times M002 takes for ``captureDateTime``
    (extended ``2024-05-01T12:30:00Z`` or basic ``20240501T123000Z``, not mixed;
    a real date and time; ``Z``/``z`` or an offset ``+hh:mm``, ``+hhmm``, ``+hh``
    below 24 hours); without a UTC offset it is a warning, as in M002. A
    misspelt name gets the closest known name as a suggestion.

FAIL (with --metadata-schema listing a string field "camera")::

    [{"row_data": "https://example.com/a.jpg", "metadata_fields": [{"name": "camara", "value": "nikon"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "metadata_fields": [{"name": "tag", "value": "nikon"}]}]
"""

from .. import metadata_schema
from ..model import Problem, Severity
from ..suggest import closest

CODE = "M005"
NAME = "metadata-schema-mismatch"
SEVERITY = "error"
# The fast path may skip this rule on clean rows under default settings: the schema is read only when --metadata-schema is set (not a default setting).
QUIET_ON_CLEAN = True


def check(row, ctx):
    path = ctx.settings.metadata_schema
    if not path or "metadata_fields" not in row.value:
        return
    schema = ctx.run_state("metadata-schema", lambda: metadata_schema.load(path))
    for i, item in row.metadata_fields():
        sid, name = item.get("schema_id"), item.get("name")
        if isinstance(sid, str):
            field = schema.by_id.get(sid)
            if field is None:
                parent = schema.option_parent.get(sid)
                if parent is not None:
                    option = parent.option_ids[sid]
                    yield Problem(("metadata_fields", i, "schema_id"),
                                  f"'{sid}' is the schema id of option '{option}' of the enum field '{parent.name}', not of a field: "
                                  f"write {{\"schema_id\": \"{parent.schema_id}\", \"value\": \"{sid}\"}}")
                else:
                    yield Problem(("metadata_fields", i, "schema_id"),
                                  f"metadata schema id '{sid}' is not in your organization's metadata schema ({path}): "
                                  "use the id of an existing field, or create the field in Labelbox first")
                continue
        elif isinstance(name, str):
            field = schema.resolve(item)
            if field is None:
                close = closest(name, tuple(schema.by_name), 0.75)
                hint = f"did you mean '{close}'?" if close else "create the field in Labelbox first, or fix the name"
                yield Problem(("metadata_fields", i, "name"),
                              f"there is no metadata field named '{name}' in your organization's metadata schema ({path}): {hint}")
                continue
        else:
            continue
        if field.reserved or item.get("value") is None:
            continue
        p = value_problem = metadata_schema.value_problem(field, item)
        if value_problem:
            yield Problem(("metadata_fields", i, "value"), p[0], severity=Severity.WARNING if p[1] else None)
