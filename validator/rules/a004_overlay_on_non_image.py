"""An `IMAGE_OVERLAY` attachment on a row that is not an image.

What it checks
    Rows with ``IMAGE_OVERLAY`` attachments are IMAGE rows. Without
    ``media_type``, the type is inferred from the ``row_data`` file extension; when
    it cannot be inferred, a warning asks to declare ``"media_type": "IMAGE"``.
    Reported once per row, at the first overlay.

Why it matters
    "Image overlays ... may only be attached to image assets" (attachments pages,
    "Image overlay limits"). On other rows the overlay is rejected or never shown.

Decisions
    The type is compared in any case: ``image_overlay`` is an overlay too (A002
    reports the spelling). Only string types count.

FAIL::

    [{"row_data": "https://example.com/clip.mp4", "media_type": "VIDEO",
      "attachments": [{"type": "IMAGE_OVERLAY", "value": "https://example.com/layer.png"}]}]

PASS::

    [{"row_data": "https://example.com/photo.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE_OVERLAY", "value": "https://example.com/layer.png"}]}]
"""
from ..model import Problem, Severity

CODE = "A004"
NAME = "overlay-on-non-image"
SEVERITY = "error"


def check(row, ctx):
    if "attachments" not in row.value:
        return
    overlays = row.overlays()
    if not overlays:
        return
    media = row.effective_media_type()
    path = ("attachments", overlays[0], "type")
    if media == "IMAGE":
        return
    count = f"{len(overlays)} IMAGE_OVERLAY attachment{'s' if len(overlays) > 1 else ''}"
    if media is not None:
        yield Problem(path, f"{count} on a {media} row: image overlays may only be attached to IMAGE rows; remove them or use another attachment type")
    elif "media_type" not in row.value:
        yield Problem(path, f"{count} on a row whose media type cannot be inferred: overlays need an IMAGE row, so add \"media_type\": \"IMAGE\"", severity=Severity.WARNING)

