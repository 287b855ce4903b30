"""A URL-typed attachment whose value is not a URL.

What it checks
    Attachments of every type but ``RAW_TEXT`` (``IMAGE``, ``VIDEO``,
    ``AUDIO``, ``TEXT_URL``, ``HTML``, ``IMAGE_OVERLAY``, ``PDF_URL``,
    ``CAMERA_IMAGE``) hold a URL: their value starts with a scheme
    (``https://``, ``gs://``). A bare host name (``example.com/a.jpg``) gets
    the full URL as a hint, a local file path says it cannot be read, and text
    suggests ``RAW_TEXT``.

Why it matters
    The attachment type table gives every type but ``RAW_TEXT`` a "URL ...
    (HTTPS or IAM delegated access path)" (``000_bcdac60c1f9def49.txt``).
    Labelbox fetches the value as a URL when a labeler opens the row; anything
    else shows a broken attachment. Unlike ``row_data``, attachment files are not
    uploaded by the SDK, so a local path never works.

Decisions
    Boundaries, so one defect gives one finding: this rule owns attachment
    values with no scheme at all, including local paths (``/data/a.png``,
    ``C:\\a.png``, ``file://``; R014 covers only ``row_data``). A value with a
    scheme is the U rules' (U002 for ``s3://``, ``http://``, ``ftp://``...;
    U004 for ``https:/x``). Empty values are A003's, an unknown ``type`` A002's;
    a case variant of a URL type (``image``) is still checked.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE", "value": "images/side-view.jpg"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE", "value": "https://example.com/images/side-view.jpg"}]}]
"""
from .. import urls
from ..model import Problem
from ..row import URL_ATTACHMENT_TYPES, is_local_path

CODE = "A008"
NAME = "attachment-not-url"
SEVERITY = "error"

_FAST = ("https://", "gs://")



def check(row, ctx):
    if "attachments" not in row.value:
        return
    for i, att in row.attachments():
        kind = att.get("type")
        value = att.get("value")
        if not isinstance(kind, str) or not isinstance(value, str) or value.startswith(_FAST):
            continue
        body = value.strip()
        if not body or urls.scheme_of(body) and not is_local_path(body):
            continue
        kind = kind.upper()
        if kind not in URL_ATTACHMENT_TYPES:
            continue
        shown = urls.shorten(body)
        if is_local_path(body):
            message = (f"{kind} attachment value '{shown}' is a local file path: Labelbox cannot read files on your "
                       "disk (and the SDK does not upload attachment files); upload it to cloud storage and use its https URL")
        elif urls.looks_like_bare_host(body):
            message = f"{kind} attachment value '{shown}' has no scheme: write the full URL, https://{shown}"
        elif any(c.isspace() for c in body):
            message = (f"{kind} attachment value '{shown}' is text, not a URL: {_an(kind)} {kind} attachment needs an https URL "
                       "(or IAM path) of the file; to attach text, use type RAW_TEXT")
        else:
            message = (f"{kind} attachment value '{shown}' is not a URL: write the file's full https URL "
                       "(or its gs:// IAM path)")
        yield Problem(("attachments", i, "value"), message)


def _an(word):
    return "an" if word[0] in "AEIOU" else "a"
