"""A metadata string value is longer than 4,096 characters.

What it checks
    Every string ``value`` in ``metadata_fields``: at most 4,096 characters
    (Unicode code points, as Python counts them).

Why it matters
    The SDK refuses longer values before uploading: "String fields cannot exceed
    4096 characters" (``labelbox.schema.data_row_metadata``, ``String``
    ``max_length=4096``); the metadata page gives the same limit.

Decisions
    Checked on every string value, whatever its field's kind: no reserved or
    enum value is that long, so a long string is always a string field's.

FAIL (a 4,097-character tag)::

    [{"row_data": "https://example.com/a.jpg", "metadata_fields": [{"name": "tag", "value": "xxxx...(4,097 characters)"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "metadata_fields": [{"name": "tag", "value": "a short note"}]}]
"""
from ..model import Problem

CODE = "M003"
NAME = "metadata-string-too-long"
SEVERITY = "error"
MAX_LENGTH = 4096


def check(row, ctx):
    if "metadata_fields" not in row.value:
        return
    for i, item in row.metadata_fields():
        value = item.get("value")
        if isinstance(value, str) and len(value) > MAX_LENGTH:
            yield Problem(("metadata_fields", i, "value"), f"metadata value is {len(value):,} characters long; Labelbox allows at most "
                                                           f"{MAX_LENGTH:,} in a string field: shorten it, or attach the text as a "
                                                           "RAW_TEXT attachment instead")
