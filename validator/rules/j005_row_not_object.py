"""An element of the array is not an object.

What it checks
    Every element of the top-level array is a JSON object (a data row).

Why it matters
    In the SDK, a string row is a local file path to upload, and anything that is
    neither a dict nor a string is silently dropped by ``create_data_rows``; in an
    import file neither makes a data row.

FAIL::

    ["https://example.com/a.jpg"]

PASS::

    [{"row_data": "https://example.com/a.jpg"}]
"""
from ..model import Problem
from ..schemas import json_type

CODE = "J005"
NAME = "row-not-object"
SEVERITY = "error"
ANY_ROW = True  # runs on every element, not only on objects
QUIET_ON_CLEAN = True  # reads row.index only to word a finding; a clean row is an object


def check(row, ctx):
    # A plain function, not a generator: it runs on every row, and nearly always returns ().
    value = row.value
    if isinstance(value, dict):
        return ()
    if isinstance(value, str):
        hint = 'wrap it as {"row_data": ...}; string rows are local file paths in the SDK, not import-file rows'
    else:
        hint = 'every element must be a data row object like {"row_data": ...}'
    return [Problem((), f"row {row.index} is {json_type(value)}, not an object: {hint}")]
