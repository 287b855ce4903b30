"""An attachment's IAM path belongs to a different integration than the row's asset.

What it checks
    With ``[tool.lbx-validate.integrations]`` configured: each attachment URL
    covered by an integration is covered by the same integration as the row's
    asset URL (when that is covered too). Without configuration only what is
    certain is used: a ``gs://`` attachment (always an IAM path, of the GCS
    integration for its bucket) on a row whose asset is in another bucket or on
    another provider. Signed URLs are never IAM paths.

Why it matters
    "When using an IAM delegated access path, the attachment must utilize the same
    cloud storage integration as the data row to which the asset is attached"
    (attachments pages). A dataset has one integration, and a GCS integration
    covers one bucket: the attachment will not load.

Configuration::

    [tool.lbx-validate.integrations]
    prod-s3 = ["s3://acme-images", "https://cdn.acme.com/private/"]
    gcs-archive = ["gs://acme-archive"]

FAIL::

    [{"row_data": "gs://acme-images/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE", "value": "gs://other-bucket/b.jpg"}]}]

PASS::

    [{"row_data": "gs://acme-images/a.jpg", "media_type": "IMAGE",
      "attachments": [{"type": "IMAGE", "value": "gs://acme-images/b.jpg"}]}]
"""
from .. import urls
from ..integrations import default_iam, for_settings, mentions_gs
from ..model import Problem

CODE = "I001"
NAME = "attachment-integration-mismatch"
SEVERITY = "error"
# The fast path may skip this rule on clean rows under default settings: clean rows hold https URLs only: with no integrations configured nothing here applies.
QUIET_ON_CLEAN = True


def _integrations(ctx):
    return for_settings(ctx.settings)


def check(row, ctx):
    if "attachments" not in row.value:
        return
    integ = _integrations(ctx)
    if not integ.configured and not mentions_gs(row.value):
        return  # unconfigured, only gs:// attachments are certainly IAM paths
    asset = row.asset_url()
    if asset is None:
        return
    if integ.configured:
        yield from _configured(row, asset, integ)
    else:
        yield from _unconfigured(row, asset)


def _configured(row, asset, integ):
    asset_integration = integ.of(asset.value)
    if asset_integration is None:
        return
    for ref in row.urls():
        if ref.role != "attachment":
            continue
        other = integ.of(ref.value)
        if other is not None and other != asset_integration:
            yield Problem(ref.path, f"attachment is an IAM path of integration '{other}' but the row's asset uses '{asset_integration}': "
                                    "an attachment must use the same cloud storage integration as its data row")


def _unconfigured(row, asset):
    if urls.is_signed(asset.value):
        return
    asset_loc = urls.storage_location(asset.value)
    if asset_loc is None:
        return
    for ref in row.urls():
        if ref.role != "attachment":
            continue
        iam = default_iam(ref.value)
        if iam is None:
            continue
        att_loc = urls.storage_location(ref.value)
        if asset_loc.provider != "gcs" or asset_loc.bucket != att_loc.bucket:
            where = f"bucket '{asset_loc.bucket}'" if asset_loc.provider == "gcs" else f"{_PROVIDER_NAMES[asset_loc.provider]} ({asset_loc.bucket})"
            yield Problem(ref.path, f"gs:// attachment in bucket '{att_loc.bucket}' is an IAM path of another integration than the row's asset on {where}: "
                                    "host the attachment with the asset's integration, or use a signed or public URL")


_PROVIDER_NAMES = {"s3": "Amazon S3", "gcs": "Google Cloud Storage", "azure": "Azure Blob Storage"}
