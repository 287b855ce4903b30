"""More than 30,000 rows with `metadata_fields` in one file.

What it checks
    The number of rows of one file whose ``metadata_fields`` is a non-empty
    array, against ``max-metadata-rows`` (default 30,000). Reported once, at the
    ``metadata_fields`` key of the first row over the limit, while the file
    streams.

Why it matters
    "If you are including metadata in the same call, 30k is the limits"
    (``003_8f1ac50be0bc6a98.txt``, on ``dataset.create_data_rows``).

Decisions
    Rows with an empty ``metadata_fields`` array carry no metadata and are not
    counted. A warning, like L001; the remedy is
    ``lbx-validate split --max-metadata-rows``.

FAIL (with max-metadata-rows = 30000, a file of 30,001 rows with metadata)::

    [{"row_data": "https://example.com/0.jpg", "metadata_fields": [{"name": "tag", "value": "a"}]}, "..."]

PASS::

    [{"row_data": "https://example.com/a.jpg", "metadata_fields": [{"name": "tag", "value": "a"}]}]
"""
from ..model import Problem

CODE = "L002"
NAME = "too-many-metadata-rows"
SEVERITY = "warning"


class _Count:
    __slots__ = ("n",)

    def __init__(self):
        self.n = 0


def check(row, ctx):
    # A plain function, not a generator: it runs on every row with metadata, and nearly always returns ().
    fields = row.value.get("metadata_fields")
    if not isinstance(fields, list) or not fields:
        return ()
    count = ctx.file_state(CODE, _Count)
    count.n += 1
    limit = ctx.settings.max_metadata_rows
    if count.n != limit + 1:
        return ()
    if ctx.python_api:
        hint = f"pass at most {limit:,} rows with metadata to one create_data_rows call"
    else:
        hint = f"split it with `lbx-validate split {_name(row.file)} --max-metadata-rows {limit}`"
    return [Problem(("metadata_fields",), f"this file has more than {limit:,} rows with metadata_fields (this row is the first past "
                                        f"the limit): Labelbox allows at most {limit:,} rows with metadata per upload; {hint}", on_key=True)]


def _name(file):
    return "FILE" if file.startswith("<") else file
