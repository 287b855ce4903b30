"""A `RAW_TEXT` attachment whose whole value is a URL of a text file.

What it checks
    ``RAW_TEXT`` attachments whose value is nothing but a URL whose file
    extension is ``txt``, ``md``, ``json`` or ``csv``.

Why it matters
    "If passing a hyperlink, we will show a clickable hyperlink. If you want to
    display text from a URL endpoint, please use the TEXT_URL type"
    (``000_bcdac60c1f9def49.txt``, attachment type table). Labelers see a link
    they have to open instead of the text.

Decisions
    Info, not a warning: a link can be what you want. Links to other pages
    (``https://www.wikipedia.org/``, no text-file extension) are not reported,
    because a clickable hyperlink is exactly what RAW_TEXT shows for them. Not
    fixable automatically: changing the type changes what labelers see, so the
    choice is yours.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "RAW_TEXT", "value": "https://example.com/notes/field-12.txt"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "TEXT_URL", "value": "https://example.com/notes/field-12.txt"}]}]
"""
from .. import urls
from ..model import Problem

CODE = "A010"
NAME = "raw-text-url"
SEVERITY = "info"

TEXT_EXTENSIONS = ("txt", "md", "json", "csv")


def check(row, ctx):
    if "attachments" not in row.value:
        return
    for i, att in row.attachments():
        kind = att.get("type")
        value = att.get("value")
        if kind != "RAW_TEXT" and (not isinstance(kind, str) or kind.upper() != "RAW_TEXT"):
            continue
        if not isinstance(value, str) or ":" not in value:
            continue
        body = value.strip()
        if not urls.looks_like_url(body) or any(c.isspace() for c in body):
            continue
        if urls.url_extension(body) in TEXT_EXTENSIONS:
            yield Problem(("attachments", i, "value"),
                          "RAW_TEXT value is a link to a text file: labelers see the link, not the text; "
                          "use type TEXT_URL to show the file's contents")
