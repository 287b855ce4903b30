"""More than 10 `IMAGE_OVERLAY` attachments on one row.

What it checks
    At most 10 attachments of type ``IMAGE_OVERLAY`` per row. Reported at the
    11th, with the total.

Why it matters
    "A maximum of 10 layers may be added per data row" (attachments pages).

Decisions
    The type is compared in any case: ``Image_Overlay`` counts as an overlay (A002
    reports the spelling). Only string types count.

FAIL (eleven overlays)::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE", "attachments": [
      {"type": "IMAGE_OVERLAY", "value": "https://example.com/1.png"}, {"type": "IMAGE_OVERLAY", "value": "https://example.com/2.png"},
      {"type": "IMAGE_OVERLAY", "value": "https://example.com/3.png"}, {"type": "IMAGE_OVERLAY", "value": "https://example.com/4.png"},
      {"type": "IMAGE_OVERLAY", "value": "https://example.com/5.png"}, {"type": "IMAGE_OVERLAY", "value": "https://example.com/6.png"},
      {"type": "IMAGE_OVERLAY", "value": "https://example.com/7.png"}, {"type": "IMAGE_OVERLAY", "value": "https://example.com/8.png"},
      {"type": "IMAGE_OVERLAY", "value": "https://example.com/9.png"}, {"type": "IMAGE_OVERLAY", "value": "https://example.com/10.png"},
      {"type": "IMAGE_OVERLAY", "value": "https://example.com/11.png"}]}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "media_type": "IMAGE", "attachments": [
      {"type": "IMAGE_OVERLAY", "value": "https://example.com/1.png", "name": "RGB"},
      {"type": "IMAGE_OVERLAY", "value": "https://example.com/2.png", "name": "CIR"}]}]
"""
from ..model import Problem

CODE = "A005"
NAME = "too-many-overlays"
SEVERITY = "error"
MAX_OVERLAYS = 10


def check(row, ctx):
    if "attachments" not in row.value:
        return
    overlays = row.overlays()
    if len(overlays) > MAX_OVERLAYS:
        yield Problem(
            ("attachments", overlays[MAX_OVERLAYS]),
            f"this row has {len(overlays)} IMAGE_OVERLAY attachments; Labelbox allows at most {MAX_OVERLAYS} per data row: "
            f"drop {len(overlays) - MAX_OVERLAYS} or split them across rows",
        )

