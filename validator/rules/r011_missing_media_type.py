"""A row has no `media_type` (opt-in advice).

What it checks
    Rows without a ``media_type`` key. When the ``row_data`` file extension
    implies a type, the message names it, so the fix is one copy and paste.
    Off unless selected (``--extend-select R011``).

Why it matters
    ``media_type`` is optional, but every import page describes it as the
    "optional media type to provide better validation and error messaging"
    (import image data page, ``004_a3f56cb6944fa143.txt``; conversational,
    document and geospatial import pages). Without it Labelbox infers the type,
    its errors are vaguer, and this validator cannot check the ``row_data``
    shape (R007) against the intended type.

Decisions
    Opt-in and ``info``: leaving the field out is legitimate. A row whose
    ``media_type`` is present but wrong is R004/R005/R006's, not this rule's.
    The finding points at the row's opening ``{``.

FAIL::

    [{"row_data": "https://example.com/a.jpg"}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE"}]
"""
from ..model import Problem

CODE = "R011"
NAME = "missing-media-type"
SEVERITY = "info"
OPT_IN = True


def check(row, ctx):
    if "media_type" in row.value:
        return
    inferred = row.effective_media_type()
    hint = f"add \"media_type\": \"{inferred}\" (inferred from the file extension)" if inferred else \
        "add \"media_type\" with the row's media type (IMAGE, VIDEO, TEXT, ...)"
    yield Problem((), f"row has no media_type, so Labelbox has to infer it and reports problems more vaguely: {hint}")
