"""An attachment `value` that is not a non-empty string.

What it checks
    The ``value`` of each attachment is a string with something other than
    whitespace in it: not ``null``, a number, an object, ``""`` or ``"   "``.

Why it matters
    The SDK refuses it ("Attachment value must be a non-empty string",
    ``AssetAttachment.validate_attachment_value``), and attachments "can only be
    updated to non-empty values" (attachments pages). Labelers would see an empty
    attachment.

Decisions
    A missing ``value`` is A001's. Whitespace-only text counts as empty for every
    type, ``RAW_TEXT`` included. A number is not converted: Labelbox stores
    strings, so write ``"12"``.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "RAW_TEXT", "value": "  "}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "RAW_TEXT", "value": "Field 12, June 2022"}]}]
"""
from ..model import Problem
from ..schemas import json_type

CODE = "A003"
NAME = "empty-attachment-value"
SEVERITY = "error"


def check(row, ctx):
    if "attachments" not in row.value:
        return
    for i, att in row.attachments():
        if "value" not in att:
            continue
        value = att["value"]
        if isinstance(value, str):
            if value and not value.isspace():
                continue
            what = "empty" if not value else "only whitespace"
            yield Problem(("attachments", i, "value"), f"attachment value is {what}: Labelbox requires a non-empty string; "
                                                       "fill it in or remove the attachment")
        elif value is None:
            yield Problem(("attachments", i, "value"), "attachment value is null: Labelbox requires a non-empty string; "
                                                       "fill it in or remove the attachment")
        else:
            yield Problem(("attachments", i, "value"), f"attachment value is {json_type(value)}: Labelbox requires a non-empty "
                                                       "string (a URL, or the text itself for RAW_TEXT)")
