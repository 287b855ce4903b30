"""An attachment `type` that is not an attachment type.

What it checks
    The ``type`` of each attachment is one of ``IMAGE``, ``VIDEO``, ``AUDIO``,
    ``RAW_TEXT``, ``TEXT_URL``, ``HTML``, ``IMAGE_OVERLAY``, ``PDF_URL``,
    ``CAMERA_IMAGE``, written exactly so (upper case).

Why it matters
    The SDK's ``AttachmentType`` has exactly these values and refuses others
    (``AssetAttachment.validate_attachment_type``); the retired ``TEXT`` was
    removed in SDK 3.51, although ``003_8f1ac50be0bc6a98.txt`` still shows it.
    The attachment type table is in ``000_bcdac60c1f9def49.txt``.

Decisions
    Fixable. ``TEXT`` (any case) becomes ``RAW_TEXT`` when its value is text and
    ``TEXT_URL`` when it is a URL of a text file (or of a file without an
    extension); a URL of another kind of file gets the type for its extension
    (``.jpg`` -> ``IMAGE``). A value that starts like a URL but holds whitespace
    (``https://example.com/field notes.txt``, or a sentence that starts with a
    link) gets no fix: either type could be meant, and ``RAW_TEXT`` would hide a
    broken URL. Case and separator variants (``raw_text``,
    ``Raw-Text``, ``image overlay``) and the unambiguous short forms ``PDF``,
    ``OVERLAY`` and ``TEXTURL`` are fixed to the canonical value, because the
    server's lookup is exact. Anything else gets the closest type as a
    suggestion, without a fix. A missing ``type`` is A001's; a ``type`` that is
    not a string is reported here.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "TEXT", "value": "Field 12, June 2022"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "RAW_TEXT", "value": "Field 12, June 2022"}]}]
"""
import re

from .. import urls
from ..model import Fix, Problem
from ..suggest import closest
from ..row import ATTACHMENT_TYPES
from ..schemas import json_type

CODE = "A002"
NAME = "unknown-attachment-type"
SEVERITY = "error"
FIXABLE = True

_TYPES = frozenset(ATTACHMENT_TYPES)
_SEPARATORS = re.compile(r"[\s\-]+")
_ALIASES = {"PDF": "PDF_URL", "OVERLAY": "IMAGE_OVERLAY", "TEXTURL": "TEXT_URL", "RAWTEXT": "RAW_TEXT",
            "IMAGEOVERLAY": "IMAGE_OVERLAY", "PDFURL": "PDF_URL", "CAMERAIMAGE": "CAMERA_IMAGE"}
TEXT_EXTENSIONS = ("txt", "md", "json", "csv")
_TYPE_BY_EXTENSION = {"png": "IMAGE", "jpg": "IMAGE", "jpeg": "IMAGE", "mp4": "VIDEO", "mp3": "AUDIO", "wav": "AUDIO",
                      "m4a": "AUDIO", "pdf": "PDF_URL", "html": "HTML", "htm": "HTML"}
_LIST = ", ".join(ATTACHMENT_TYPES)


def check(row, ctx):
    if "attachments" not in row.value:
        return
    for i, att in row.attachments():
        if "type" not in att:
            continue
        kind = att["type"]
        if isinstance(kind, str) and kind in _TYPES:
            continue
        path = ("attachments", i, "type")
        if not isinstance(kind, str):
            yield Problem(path, f"attachment type must be a string, not {json_type(kind)}: use one of {_LIST}")
            continue
        shown = urls.shorten(kind, 40)
        canon = _SEPARATORS.sub("_", kind.strip().upper())
        canon = _ALIASES.get(canon, canon)
        if canon == "TEXT":
            fixed, why = _retired_text(att.get("value"))
            if fixed is None:
                yield Problem(path, f"attachment type '{shown}' was retired: {why}")
            else:
                yield Problem(path, f"attachment type '{shown}' was retired: {why}, use \"{fixed}\"",
                              fix=Fix(fixed, f"replace the retired attachment type TEXT with {fixed}"))
        elif canon in _TYPES:
            yield Problem(path, f"attachment type '{shown}' must be written \"{canon}\" (Labelbox matches types exactly)",
                          fix=Fix(canon, f"write the attachment type as {canon}"))
        else:
            close = closest(canon, ATTACHMENT_TYPES, 0.6)
            hint = f"did you mean \"{close}\"? " if close else ""
            yield Problem(path, f"'{shown}' is not an attachment type: {hint}use one of {_LIST}")


def _retired_text(value):
    """(replacement type, reason) for the retired TEXT type; (None, advice) when the value
    could be either (a URL with whitespace in it, or text that starts with a link)."""
    text = value.strip() if isinstance(value, str) else ""
    if text and urls.looks_like_url(text) and any(c.isspace() for c in text):
        return None, ('its value starts like a URL but holds whitespace: use "TEXT_URL" if it is the URL of a text file '
                      '(and percent-encode the whitespace, \' \' -> %20), or "RAW_TEXT" if it is text to show')
    if text and urls.looks_like_url(text):
        ext = urls.extension(text)
        if ext is None or ext in TEXT_EXTENSIONS:
            return "TEXT_URL", "to show the text of the file at this URL"
        other = _TYPE_BY_EXTENSION.get(ext)
        if other:
            return other, f"this URL is a .{ext} file; to show it"
        return "TEXT_URL", "to show the text of the file at this URL"
    return "RAW_TEXT", "for text written in the attachment"
