"""An attachment is on a different cloud storage provider than its row's asset.

What it checks
    Only when no integrations are configured, and only when enabled (opt-in):
    each unsigned attachment URL in S3, GCS or Azure Blob storage whose provider
    differs from that of the row's unsigned asset URL.

Why it matters
    If both are IAM delegated access paths they cannot share one integration,
    and "the attachment must utilize the same cloud storage integration as the
    data row to which the asset is attached" (attachments pages,
    ``000_bcdac60c1f9def49.txt``, ``001_7af38bbad5eed976.txt``). From the URLs
    alone it cannot be known whether they are IAM paths or public objects.

Decisions
    Info and opt-in, because public buckets make the mix legitimate. ``gs://``
    attachments are left to I001, which knows they are IAM paths. With
    ``[tool.lbx-validate.integrations]`` configured, I001 and I004 give the exact
    answer and this heuristic stays silent.

FAIL::

    [{"row_data": "https://acme.s3.us-east-1.amazonaws.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE", "value": "https://storage.googleapis.com/acme/b.jpg"}]}]

PASS::

    [{"row_data": "https://acme.s3.us-east-1.amazonaws.com/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE", "value": "https://acme.s3.us-east-1.amazonaws.com/b.jpg"}]}]
"""
from .. import urls
from ..integrations import default_iam, for_settings
from ..model import Problem

CODE = "I003"
NAME = "mixed-storage-providers"
SEVERITY = "info"
OPT_IN = True

_PROVIDER_NAMES = {"s3": "Amazon S3", "gcs": "Google Cloud Storage", "azure": "Azure Blob Storage"}


def check(row, ctx):
    if "attachments" not in row.value:
        return
    asset = row.asset_url()
    if asset is None or urls.is_signed(asset.value):
        return
    asset_loc = urls.storage_location(asset.value)
    if asset_loc is None:
        return
    if for_settings(ctx.settings).configured:
        return
    for ref in row.urls():
        if ref.role != "attachment" or default_iam(ref.value) is not None or urls.is_signed(ref.value):
            continue
        loc = urls.storage_location(ref.value)
        if loc is not None and loc.provider != asset_loc.provider:
            yield Problem(ref.path, f"attachment is on {_PROVIDER_NAMES[loc.provider]} but the row's asset is on "
                                    f"{_PROVIDER_NAMES[asset_loc.provider]}: if both are IAM delegated access paths they cannot share "
                                    "one integration and the attachment will not load; host it with the asset, or use a signed "
                                    "or public URL")
