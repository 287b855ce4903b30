"""`media_type` matches an import media type only when case is ignored.

What it checks
    ``media_type`` is written exactly as Labelbox spells it: IMAGE, VIDEO, TEXT,
    AUDIO, HTML, PDF, DICOM, TMS_GEO, TMS_SIMPLE, CONVERSATIONAL. A value that
    only differs in case (``image``, ``Tms_Geo``) is reported here, with the
    canonical value as the fix; anything else is R005's.

Why it matters
    The SDK's ``MediaType`` lookup is lenient about case, but the import format
    pages only ever show the upper-case values ("media_type": "IMAGE") and the
    server's lookup is not documented to be lenient: a lower-case value may be
    rejected as an invalid media type, or ignored, losing the better validation
    and error messages the field is there for (import image data page,
    ``media_type`` row: "optional media type to provide better validation and
    error messaging").

Decisions
    A warning, not an error: the SDK accepts the value. The other rules already
    read the value case-insensitively, so a case variant is checked against the
    media type it names. Fixable: the replacement is the upper-case value.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "media_type": "image"}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE"}]
"""
from ..model import Fix, Problem
from ..row import MEDIA_TYPES

CODE = "R006"
NAME = "media-type-case"
SEVERITY = "warning"
FIXABLE = True

_CANONICAL = frozenset(MEDIA_TYPES)


def check(row, ctx):
    value = row.value.get("media_type")
    if not isinstance(value, str) or value in _CANONICAL:  # other types are R004's
        return
    canon = value.upper()
    if canon not in _CANONICAL:
        return  # not a media type at all: R005
    yield Problem(
        ("media_type",),
        f"media_type '{value}' is not written as Labelbox spells it: use '{canon}' (upper case)",
        fix=Fix(canon, f"write media_type as '{canon}'"),
    )
