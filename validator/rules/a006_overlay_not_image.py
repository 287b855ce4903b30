"""An `IMAGE_OVERLAY` value that is not a PNG or JPG image.

What it checks
    The file extension of each ``IMAGE_OVERLAY`` attachment URL: ``png``,
    ``jpg`` or ``jpeg``. Another extension is an error; a URL without an
    extension is a warning (the file may still be an image, but nothing shows
    it).

Why it matters
    "Only images may be attached as overlays", and the attachment type table
    asks for the "URL of the image layer (PNG/JPG)" (``000_bcdac60c1f9def49.txt``,
    ``001_7af38bbad5eed976.txt``). Another format (TIFF, GeoTIFF, WebP) is not
    drawn over the asset.

Decisions
    Only URL values are looked at: a value that is not a URL is A008's, an empty
    one A003's. The type is matched case-insensitively (``image_overlay`` is
    A002's to fix). Extensions are compared case-insensitively, after removing
    the query and fragment, so signed URLs are judged by their path. A007 does
    not check overlays, so each defect is reported once.

FAIL::

    [{"row_data": "https://example.com/field.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE_OVERLAY", "value": "https://example.com/ndvi.tif"}]}]

PASS::

    [{"row_data": "https://example.com/field.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE_OVERLAY", "value": "https://example.com/ndvi.png"}]}]
"""
from .. import urls
from ..model import Problem, Severity

CODE = "A006"
NAME = "overlay-not-image"
SEVERITY = "error"

IMAGE_EXTENSIONS = ("png", "jpg", "jpeg")


def check(row, ctx):
    if "attachments" not in row.value:
        return
    for ref in row.urls():
        if ref.attachment_type != "IMAGE_OVERLAY":
            continue
        value = ref.value.strip()
        if not urls.scheme_of(value):
            continue  # A008
        ext = urls.url_extension(value)
        if ext in IMAGE_EXTENSIONS:
            continue
        if ext is None:
            yield Problem(ref.path, "IMAGE_OVERLAY URL has no file extension: overlays must be PNG or JPG images; "
                                    "make sure it serves one (a .png or .jpg name makes it certain)", severity=Severity.WARNING)
        else:
            yield Problem(ref.path, f"IMAGE_OVERLAY points to a .{urls.shorten(ext, 8)} file: only PNG and JPG images can be "
                                    "overlays; convert the layer to PNG (or JPG)")
