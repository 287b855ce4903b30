"""`media_type` is not an import media type.

What it checks
    ``media_type`` is one of IMAGE, VIDEO, TEXT, AUDIO, HTML, PDF, DICOM, TMS_GEO,
    TMS_SIMPLE, CONVERSATIONAL. The closest one is suggested. Values that only
    differ in case are R006's. The SDK's other MediaType members (POINT_CLOUD,
    LLM, LLM_PROMPT_CREATION, LLM_PROMPT_RESPONSE_CREATION, UNKNOWN, UNSUPPORTED)
    are project kinds, not import media types, and are reported as such.

Why it matters
    The server fails the row with "Found invalid media type".

FAIL::

    [{"row_data": "https://example.com/a.jpg", "media_type": "PICTURE"}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE"}]
"""

from ..model import Problem
from ..suggest import closest
from ..row import MEDIA_TYPES, NON_IMPORT_MEDIA_TYPES
from ._schema import row_schema_issues

CODE = "R005"
NAME = "unknown-media-type"
SEVERITY = "error"

_ALIASES = {"IMG": "IMAGE", "PICTURE": "IMAGE", "PHOTO": "IMAGE", "JPG": "IMAGE", "PNG": "IMAGE", "MP4": "VIDEO",
            "MOVIE": "VIDEO", "TXT": "TEXT", "DOCUMENT": "PDF", "MP3": "AUDIO", "WAV": "AUDIO", "GEO": "TMS_GEO",
            "TMS": "TMS_GEO", "TILED": "TMS_GEO", "CONVERSATION": "CONVERSATIONAL", "CHAT": "CONVERSATIONAL"}


def check(row, ctx):
    for issue in row_schema_issues(row, CODE):
        value = issue.instance
        if not isinstance(value, str) or value.upper() in MEDIA_TYPES:  # R004 / R006
            continue  # a case variant: R006
        if value.upper() in NON_IMPORT_MEDIA_TYPES:
            msg = f"media_type '{value}' is a Labelbox project kind, not an import media type; use one of: {', '.join(MEDIA_TYPES)}"
        else:
            guess = _ALIASES.get(value.upper().replace("-", "_")) or closest(value.upper(), MEDIA_TYPES, 0.6)
            hint = f"did you mean '{guess}'?" if guess else f"use one of: {', '.join(MEDIA_TYPES)}"
            msg = f"media_type '{value}' is not a Labelbox import media type: {hint}"
        yield Problem(issue.path, msg)
