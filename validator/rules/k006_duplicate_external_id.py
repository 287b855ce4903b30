"""An `external_id` is used more than once (in a file, or across the files of a run).

What it checks
    ``external_id`` values (compared exactly, case-sensitive) across every file
    checked in one run. Each later occurrence is reported with the file, row and
    pointer of the first. The run remembers a 64-bit hash of each id and where it
    was first seen (one dict entry and one int per row), not the ids themselves.

Why it matters
    Labelbox allows duplicate external ids, but look-ups by external id
    (``dataset.data_row_for_external_id``) then return several rows or the
    wrong one ("might have multiple data rows", ``003_8f1ac50be0bc6a98.txt``).
    Use ``global_key`` when you need a unique handle.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "external_id": "img-1"},
     {"row_data": "https://example.com/b.jpg", "external_id": "img-1"}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "external_id": "img-1"},
     {"row_data": "https://example.com/b.jpg", "external_id": "img-2"}]
"""
from ..keyindex import FirstUse, pack, row_in
from ..model import Problem, Related

CODE = "K006"
NAME = "duplicate-external-id"
SEVERITY = "warning"

# --jobs (validator/parallel.py) checks each file in its own process, then compares these keys
# across the files and re-runs this rule over the declared fields only where they meet.
CROSS_FILE_FIELDS = ("external_id",)


def cross_file_key(value):
    """The key under which a row meets rows of other files here: its external id (case-sensitive)."""
    ext = value.get("external_id")
    return ext if isinstance(ext, str) and ext else None


def check(row, ctx):
    # A plain function, not a generator: it runs on every row with an id, and nearly always returns ().
    ext = row.value.get("external_id")
    if not isinstance(ext, str) or not ext:
        return ()
    index = ctx.run_state(CODE, FirstUse)
    here = pack(index.file_no(row.file), row.index)
    first = index.setdefault(hash(ext), here)
    if first == here:
        return ()
    return [_repeat(row, ext, index, first)]


def _repeat(row, ext, index, first):
    file, first_row = index.first_use(first)
    return Problem(
        ("external_id",),
        f"external id '{ext}' is already used by {row_in(file, first_row, row.file)} (/{first_row}/external_id): Labelbox accepts it, "
        "but look-ups by external id will return several data rows; make it unique, or use global_key as the unique handle",
        related=Related(file, first_row, f"/{first_row}/external_id"),
    )
