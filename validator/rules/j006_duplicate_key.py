"""An object repeats a key.

What it checks
    No object in a row (the row itself, row_data, attachments, metadata fields...)
    has the same key twice. The finding points at the repeated key.

Why it matters
    RFC 8259 §4 says names SHOULD be unique; parsers, Labelbox's included, keep
    only the last value silently, so the first one is lost without a word.
    Found while streaming: the parser notes every repeated key as it builds objects.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "global_key": "a", "global_key": "b"}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "global_key": "a"}]
"""
from ..model import Problem

CODE = "J006"
NAME = "duplicate-key"
SEVERITY = "error"


def problem(path, key):
    """The finding for `key` repeated in the object at `path` (the parser notes the repeats)."""
    return Problem(path + (key,), f"key '{key}' appears more than once in this object; JSON keeps only the last value, "
                                  "so the others are lost", on_key=True)
