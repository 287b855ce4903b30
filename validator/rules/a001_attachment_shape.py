"""An attachment that is not an object `{"type", "value", "name"?}`.

What it checks
    Each element of ``attachments`` is an object with ``type`` and ``value``,
    no keys other than ``type``, ``value`` and ``name``, and ``name``, when
    present, a string. Misspelt keys get the right one (``attachment_type`` ->
    ``type``, ``url`` -> ``value``...).

Why it matters
    The SDK refuses an attachment without ``type`` or ``value`` ("Must provide a
    `type` key for each attachment", ``AssetAttachment.validate_attachment_json``)
    and the attachments pages define exactly ``type``, ``value`` and the optional
    ``name`` (``000_bcdac60c1f9def49.txt``, JSON format). Other keys are
    rejected by the import or silently lost.

Decisions
    ``attachments`` that is not an array is R004's. What ``type`` holds is
    A002's, what ``value`` holds is A003's (empty) and A008's (not a URL). A
    misspelt key that stands for a missing required key (``attachment_value``
    without ``value``) is reported once, at the misspelt key. ``"name": null``
    is reported: RULES.md asks for a string when ``name`` is present; leave the
    key out instead.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"attachment_type": "IMAGE", "value": "https://example.com/b.jpg"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE", "value": "https://example.com/b.jpg", "name": "side view"}]}]
"""
from .. import urls
from ..model import Problem
from ..schemas import json_type

CODE = "A001"
NAME = "attachment-shape"
SEVERITY = "error"

_KEYS = ("type", "value", "name")
_SUGGEST = {
    "attachment_type": "type", "attachmenttype": "type", "kind": "type", "attachment-type": "type", "mediatype": "type",
    "media_type": "type",
    "attachment_value": "value", "attachmentvalue": "value", "attachment-value": "value", "url": "value", "uri": "value",
    "link": "value", "href": "value", "src": "value", "text": "value", "content": "value", "data": "value", "row_data": "value",
    "attachment_name": "name", "attachmentname": "name", "attachment-name": "name", "title": "name", "label": "name",
}


def check(row, ctx):
    items = row.value.get("attachments")
    if not items or not isinstance(items, list):
        return
    for i, att in enumerate(items):
        if not isinstance(att, dict):
            yield Problem(("attachments", i), f"attachment {i} is {json_type(att)}: each attachment must be an object "
                                              '{"type": ..., "value": ...} (with an optional "name")')
            continue
        if "type" in att and "value" in att and (len(att) == 2 or (len(att) == 3 and isinstance(att.get("name"), str))):
            continue  # the happy path
        yield from _shape(i, att)


def _shape(i, att):
    covered = set()
    for key in att:
        if key in _KEYS:
            continue
        low = str(key).lower()
        want = _SUGGEST.get(low) or (low if low in _KEYS else None)
        if want and want not in att:
            covered.add(want)
            yield Problem(("attachments", i, key), f"attachment key '{urls.shorten(str(key), 40)}' should be '{want}'", on_key=True)
        elif want:
            yield Problem(("attachments", i, key), f"unknown attachment key '{urls.shorten(str(key), 40)}' beside '{want}': remove it "
                                                   "(attachments take only 'type', 'value' and 'name')", on_key=True)
        else:
            yield Problem(("attachments", i, key), f"unknown attachment key '{urls.shorten(str(key), 40)}': attachments take only "
                                                   "'type', 'value' and 'name'; remove it", on_key=True)
    for key in ("type", "value"):
        if key not in att and key not in covered:
            what = "its attachment type (IMAGE, VIDEO, RAW_TEXT, TEXT_URL...)" if key == "type" else "the URL or text to attach"
            yield Problem(("attachments", i), f"attachment {i} lacks '{key}': add \"{key}\" with {what}")
    if "name" in att and not isinstance(att["name"], str):
        yield Problem(("attachments", i, "name"), f"attachment name must be a string, not {json_type(att['name'])}: "
                                                  "write it as text or remove \"name\"")
