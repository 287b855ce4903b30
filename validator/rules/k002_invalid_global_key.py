"""A `global_key` is empty, too long, or has stray whitespace.

What it checks
    A string ``global_key`` must not be empty or blank, must be at most 200
    characters, must not start or end with whitespace, and must not hold two
    whitespace characters in a row. All the problems of one key are reported in
    one finding, at the key's value.

Why it matters
    Labelbox rejects such keys (global keys page: allowed form; limits page:
    200 characters). Whitespace at the ends or doubled is invisible in the UI,
    so look-ups with ``client.get_data_row_ids_for_global_keys`` miss the row.

Decisions
    A ``global_key`` that is not a string is R004's; an absent one is K005's. An
    empty string is an error even though some Labelbox samples show
    ``"global_key": ""`` as a placeholder: it is not a usable key.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "global_key": " cat-1"}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "global_key": "cat-1"}]
"""
import re

from ..model import Problem

CODE = "K002"
NAME = "invalid-global-key"
SEVERITY = "error"
MAX_LENGTH = 200

_DOUBLE_SPACE = re.compile(r"\s\s")


def check(row, ctx):
    key = row.value.get("global_key")
    if not isinstance(key, str):
        return
    if not key.strip():
        what = "empty" if not key else "blank (only whitespace)"
        yield Problem(("global_key",), f"global key is {what}: give the row a unique key, or leave global_key out")
        return
    reasons = []
    if len(key) > MAX_LENGTH:
        reasons.append(f"is {len(key):,} characters long (Labelbox allows at most {MAX_LENGTH}): shorten it")
    if key[0].isspace() or key[-1].isspace():
        reasons.append("starts or ends with whitespace: strip it")
    m = _DOUBLE_SPACE.search(key.strip())
    if m:
        reasons.append(f"has two whitespace characters in a row at offset {m.start() + len(key) - len(key.lstrip())}: use a single space")
    if reasons:
        yield Problem(("global_key",), "global key " + "; it ".join(reasons))
