"""The top-level value is not an array of data rows.

What it checks
    The file is one JSON array: ``[ {row}, {row}, ... ]``. A single object gets
    the hint to wrap it in ``[ ... ]``.

Why it matters
    Labelbox import files and ``dataset.create_data_rows(...)`` take a list of
    data rows (import format pages). A bare object is not an import file.

FAIL::

    {"row_data": "https://example.com/a.jpg"}

PASS::

    [{"row_data": "https://example.com/a.jpg"}]
"""
CODE = "J004"
NAME = "top-level-not-array"
SEVERITY = "error"
