"""The array holds no data rows.

What it checks
    The top-level array is empty (``[]``).

Why it matters
    An empty import does nothing; usually an export or a filter upstream failed.

FAIL::

    []

PASS::

    [{"row_data": "https://example.com/a.jpg"}]
"""
CODE = "J008"
NAME = "empty-import"
SEVERITY = "warning"
