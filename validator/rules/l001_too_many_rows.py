"""More than 150,000 data rows in one file.

What it checks
    The number of data rows (array elements, or NDJSON lines holding rows) in
    one file, against ``max-rows`` (default 150,000). Reported once, at the first
    row over the limit, while the file streams.

Why it matters
    "We recommended uploading up to 150k data rows at one time with the
    dataset.create_data_rows methods" (``003_8f1ac50be0bc6a98.txt``; limits
    page): one file is one upload task, and larger tasks are slow or time out.

Decisions
    A warning: the upload can succeed, but split it. The limit comes from the
    ``max-rows`` setting, so the check and ``lbx-validate split --max-rows`` agree.

FAIL (with max-rows = 150000, a file of 150,001 rows)::

    [{"row_data": "https://example.com/0.jpg"}, "... 150,000 more rows ..."]

PASS::

    [{"row_data": "https://example.com/a.jpg", "global_key": "a"}]
"""
from ..model import Problem

CODE = "L001"
NAME = "too-many-rows"
SEVERITY = "warning"
ANY_ROW = True  # count every array element, objects or not


def check(row, ctx):
    # A plain function, not a generator: it runs on every row, and nearly always returns ().
    limit = ctx.settings.max_rows
    if row.index != limit:
        return ()
    if ctx.python_api:
        hint = f"pass at most {limit:,} rows to one create_data_rows call (split the list into chunks)"
    else:
        hint = f"split it with `lbx-validate split {_name(row.file)} --max-rows {limit}` and upload the parts one after another"
    return [Problem((), f"this file has more than {limit:,} data rows (row {row.index:,}, counting from 0, is the first past the limit): Labelbox recommends at most "
                      f"{limit:,} per upload; {hint}")]


def _name(file):
    return "FILE" if file.startswith("<") else file
