"""An attachment URL whose file extension contradicts its type.

What it checks
    The file extension of URL-typed attachments against their type: ``IMAGE``
    png/jpg/jpeg; ``VIDEO`` mp4; ``AUDIO`` mp3/wav/m4a; ``PDF_URL`` pdf;
    ``HTML`` html/htm; ``TEXT_URL`` txt/md/json/csv. A URL without an extension
    is not reported.

Why it matters
    Each attachment type is rendered by its own viewer (the attachment type
    table in ``000_bcdac60c1f9def49.txt``: "URL of Image (PNG/JPG)", "URL of
    Video (MP4)", "URL of the PDF file"...). A video attached as ``IMAGE`` or a
    PDF attached as ``TEXT_URL`` does not display.

Decisions
    ``IMAGE_OVERLAY`` is A006's; ``CAMERA_IMAGE`` and ``RAW_TEXT`` are not
    checked (RULES.md gives them no extension list). For ``HTML`` the
    extensions of server-side pages (php, asp, aspx, jsp, cgi, shtml, xhtml) are
    accepted, since they serve HTML. The message names the type the extension
    suggests when there is one. Values that are not URLs are A008's.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE", "value": "https://example.com/drone.mp4"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "VIDEO", "value": "https://example.com/drone.mp4"}]}]
"""
from .. import urls
from ..model import Problem

CODE = "A007"
NAME = "attachment-extension-mismatch"
SEVERITY = "warning"

EXTENSIONS = {
    "IMAGE": ("png", "jpg", "jpeg"),
    "VIDEO": ("mp4",),
    "AUDIO": ("mp3", "wav", "m4a"),
    "PDF_URL": ("pdf",),
    "HTML": ("html", "htm", "php", "asp", "aspx", "jsp", "cgi", "shtml", "xhtml"),
    "TEXT_URL": ("txt", "md", "json", "csv"),
}
_NAMES = {"IMAGE": "PNG or JPG images", "VIDEO": "MP4 videos", "AUDIO": "MP3, WAV or M4A audio", "PDF_URL": "PDF files",
          "HTML": "HTML pages", "TEXT_URL": "text files (txt, md, json, csv)"}
_SUGGEST = {ext: kind for kind, exts in EXTENSIONS.items() for ext in exts}


def check(row, ctx):
    if "attachments" not in row.value:
        return
    for ref in row.urls():
        allowed = EXTENSIONS.get(ref.attachment_type)
        if allowed is None:
            continue
        value = ref.value.strip()
        if not urls.scheme_of(value):
            continue  # A008
        ext = urls.url_extension(value)
        if ext is None or ext in allowed:
            continue
        other = _SUGGEST.get(ext)
        hint = f"use type {other}" if other else "check that the file is the right one"
        yield Problem(ref.path, f"{ref.attachment_type} attachment points to a .{urls.shorten(ext, 8)} file, but "
                                f"{ref.attachment_type} attachments show {_NAMES[ref.attachment_type]}: {hint}")
