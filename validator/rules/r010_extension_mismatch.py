"""The asset's file extension contradicts the row's `media_type`.

What it checks
    For rows that declare ``media_type``, the extension of the asset URL
    (``row_data``, or ``row_data.pdf_url`` for a PDF object) is one the media
    type takes: IMAGE ``jpg``/``jpeg``/``png``/``bmp``; VIDEO ``mp4``; AUDIO
    ``mp3``/``wav``/``m4a``; PDF ``pdf``; HTML ``html``/``htm``; DICOM ``dcm``;
    CONVERSATIONAL (a URL) ``json``; TEXT (a URL) ``txt``. When the extension
    belongs to another media type, the message names it.

Why it matters
    Each import page lists the file formats its media type supports (import
    image data page: "Supported file formats: JPG, PNG, and BMP"; video, audio,
    document, HTML, DICOM, text and conversational pages likewise). An asset of
    another format uploads, then fails to render for labelers, or the row was
    given the wrong ``media_type``.

Decisions
    No extension (``.../render?id=3``), a purely numeric one (``photo.123``) or a
    row without ``media_type``: no finding, there is nothing to contradict.
    Query strings and fragments are ignored and the extension is compared case-
    insensitively. TMS rows (tile URL templates), raw-text TEXT rows and local
    paths (R014) are not checked.

FAIL::

    [{"row_data": "https://example.com/clips/intro.mp4", "media_type": "IMAGE"}]

PASS::

    [{"row_data": "https://example.com/clips/intro.mp4", "media_type": "VIDEO"}]
"""
from .. import urls
from ..model import Problem
from ..row import MEDIA_BY_EXTENSION
from ..row import MEDIA_EXTENSIONS

CODE = "R010"
NAME = "extension-mismatch"
SEVERITY = "warning"

EXTENSIONS = MEDIA_EXTENSIONS
_WORDS = {"IMAGE": "a JPG, PNG or BMP image", "VIDEO": "an MP4 video", "AUDIO": "an MP3, WAV or M4A audio file",
          "PDF": "a PDF document", "HTML": "an HTML page", "DICOM": "a DICOM (.dcm) file",
          "CONVERSATIONAL": "a conversation .json file", "TEXT": "a .txt text file"}


def check(row, ctx):
    media = row.media_type
    allowed = EXTENSIONS.get(media)
    if allowed is None:
        return
    data = row.value.get("row_data")
    if isinstance(data, str):
        ref = row.asset_url()
        if ref is None or ref.path != ("row_data",):
            return
        path, url = ref.path, ref.value
    elif isinstance(data, dict) and media == "PDF" and isinstance(data.get("pdf_url"), str):
        path, url = ("row_data", "pdf_url"), data["pdf_url"]
    else:
        return
    ext = urls.extension(url.strip())
    if ext is None or ext in allowed or ext.isdigit():
        return
    other = MEDIA_BY_EXTENSION.get(ext)
    if other is None and ext == "json":
        other = "CONVERSATIONAL"
    if other and other != media:
        hint = f"a .{ext} file is {other} media: set \"media_type\": \"{other}\", or point it at {_WORDS[media]}"
    else:
        hint = f"{media} rows take {', '.join('.' + e for e in allowed)}: point it at {_WORDS[media]}, or fix media_type"
    yield Problem(path, f"{media} row, but the asset's file extension is '.{ext}': {hint}")
