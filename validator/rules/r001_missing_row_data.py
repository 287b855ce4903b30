"""`row_data` is absent, null, empty or blank.

What it checks
    Every row has ``row_data``, and it is not ``null``, ``""`` (or only
    whitespace) or ``{}``.

Why it matters
    ``row_data`` is the asset itself. The SDK refuses such rows before upload
    (``DataRowCreateItem.is_empty``: "Some items have an empty payload"); the web
    uploader fails them.

Decisions
    A row in a legacy form (``conversationalData``, top-level ``tileLayerUrl``)
    has no ``row_data`` of its own: the SDK builds it; R003 reports the form
    (``schemas/row.schema.json`` requires ``row_data`` only outside those forms).

FAIL::

    [{"global_key": "a"}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "global_key": "a"}]
"""
from ..model import Problem
from ._schema import row_schema_issues

CODE = "R001"
NAME = "missing-row-data"
SEVERITY = "error"


def check(row, ctx):
    for issue in row_schema_issues(row, CODE):
        if issue.keyword == "required":
            yield Problem((), "the row has no row_data: add the asset URL (or text, or object) as row_data")
        else:
            yield Problem(issue.path, f"row_data is {_describe(issue.instance)}: put the asset URL (or text, or object) in it")


def _describe(value):
    if value is None:
        return "null"
    if isinstance(value, str):
        return "an empty string" if not value else "only whitespace"
    return "an empty object"

