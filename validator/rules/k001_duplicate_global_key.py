"""A `global_key` is used more than once (in a file, or across the files of a run).

What it checks
    Global keys are unique, compared case-insensitively, across every file checked
    in one run. Each later occurrence is reported with the file, row and pointer
    of the first.

Why it matters
    "Global keys are enforced to be unique in your org"; with duplicates in one
    payload, none of the duplicated rows is imported (global keys page, import
    image data page). Keys are case-insensitive.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "global_key": "cat-1"},
     {"row_data": "https://example.com/b.jpg", "global_key": "CAT-1"}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "global_key": "cat-1"},
     {"row_data": "https://example.com/b.jpg", "global_key": "cat-2"}]
"""
from ..keyindex import GlobalKeys, note_global_key, row_in
from ..model import Problem, Related

CODE = "K001"
NAME = "duplicate-global-key"
SEVERITY = "error"

# --jobs (validator/parallel.py) checks each file in its own process, then compares these keys
# across the files and re-runs this rule over the declared fields only where they meet.
CROSS_FILE_FIELDS = ("global_key",)


def cross_file_key(value):
    """The key under which a row meets rows of other files here: its lower-cased global key."""
    key = value.get("global_key")
    return key.lower() if isinstance(key, str) and key else None


def check(row, ctx):
    # A plain function, not a generator: it runs on every row with a key, and nearly always returns ().
    key = row.value.get("global_key")
    if not isinstance(key, str) or not key:
        return ()
    here, first, _ = note_global_key(row, ctx, key)
    if first == here:
        return ()
    return [_repeat(row, ctx, key, first)]


def _repeat(row, ctx, key, first):
    file, first_row = ctx.run_state("global-keys", GlobalKeys).first_use(first)
    return Problem(
        ("global_key",),
        f"global key '{key}' is already used by {row_in(file, first_row, row.file)} (/{first_row}/global_key); global keys must be unique "
        "(case-insensitive), and Labelbox imports none of the duplicated rows",
        related=Related(file, first_row, f"/{first_row}/global_key"),
    )
