"""A known data-row field has the wrong JSON type.

What it checks
    ``global_key``, ``external_id`` and ``media_type`` are strings;
    ``attachments``, ``metadata_fields`` and ``embeddings`` are arrays;
    ``row_data`` is a string or an object. Types come from ``schemas/row.schema.json``.

Why it matters
    Data-row fields are strings in Labelbox; the SDK fails with "Attachments must
    be a list" and similar errors, and a number as ``global_key`` is rejected.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "global_key": 12}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "global_key": "12"}]
"""
from ..model import Problem
from ._schema import row_schema_issues

CODE = "R004"
NAME = "wrong-type"
SEVERITY = "error"


def check(row, ctx):
    for issue in row_schema_issues(row, CODE):
        hint = ""
        if issue.path and issue.path[-1] in ("global_key", "external_id") and isinstance(issue.instance, (int, float)):
            hint = f': write it as a string, "{issue.instance}"'
        elif issue.path and issue.path[-1] in ("attachments", "metadata_fields", "embeddings") and isinstance(issue.instance, dict):
            hint = ": wrap the object in [ ... ]"
        yield Problem(issue.path, issue.message + hint)
