"""The same attachment twice on one row.

What it checks
    Two attachments of one row with the same ``type`` and the same ``value``.
    Reported at the later one, naming the first.

Why it matters
    Labelers see the attachment twice, and it is usually a sign of a join or
    merge gone wrong when the file was built (one attachment per source
    record). Each attachment is a separate object in Labelbox.

Decisions
    Types are compared in canonical form (``image`` and ``IMAGE`` are the same
    type; A002 reports the spelling); values are compared exactly, surrounding
    whitespace aside. Different ``name`` values do not make two attachments
    different: the content shown is the same. Only string types and values are
    compared (A001, A002, A003 report the rest).

FAIL::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE", "value": "https://example.com/b.jpg"},
                      {"type": "IMAGE", "value": "https://example.com/b.jpg"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE", "value": "https://example.com/b.jpg"},
                      {"type": "IMAGE_OVERLAY", "value": "https://example.com/b.jpg"}]}]
"""
from ..model import Problem, Related

CODE = "A009"
NAME = "duplicate-attachment"
SEVERITY = "warning"
# The fast path may skip this rule on rows it accepts (their attachment values are distinct):
# the row's index and file are read only to word a finding.
QUIET_ON_CLEAN = True


def check(row, ctx):
    items = row.value.get("attachments")
    if not isinstance(items, list) or len(items) < 2 or _distinct_values(items):
        return
    seen = {}
    for i, att in row.attachments():
        kind = att.get("type")
        value = att.get("value")
        if not isinstance(kind, str) or not isinstance(value, str):
            continue
        key = (kind.upper(), value.strip())
        first = seen.setdefault(key, i)
        if first == i:
            continue
        pointer = f"/{row.index}/attachments/{first}"
        yield Problem(("attachments", i),
                      f"this {key[0]} attachment repeats attachment {first} ({pointer}): same type and value, so labelers "
                      "see it twice; remove one",
                      related=Related(row.file, row.index, pointer))


def _distinct_values(items):
    """No two attachments share a (stripped) value, so none repeats another: the
    common case, settled with one set instead of the loop in `check`."""
    try:
        values = {item["value"].strip() for item in items}
    except (TypeError, KeyError, AttributeError):
        return False  # an item that is not an object with a string value: let `check` look
    return len(values) == len(items)
