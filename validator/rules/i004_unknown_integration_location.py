"""A cloud-storage URL that no configured integration covers.

What it checks
    Only with ``[tool.lbx-validate.integrations]`` configured: every unsigned URL
    in S3, GCS or Azure Blob storage (assets, attachments, tiles) that no
    configured integration covers. Other hosts and signed URLs are not checked.

Why it matters
    Once you list your integrations, a storage URL outside them is usually a
    typo in a bucket name, an object copied to the wrong bucket, or a missing
    entry in the configuration; Labelbox can only fetch a private object through
    the integration of its bucket (IAM delegated access pages).

Decisions
    A warning rather than an error: a public bucket needs no integration. Add
    its prefix to an integration, or ignore I004 for that file with
    ``per-file-ignores``. An https URL prefix covers a URL whose scheme and host
    match it in any case (they are case-insensitive) and whose path starts with
    the prefix's path exactly (paths are case-sensitive).

Configuration::

    [tool.lbx-validate.integrations]
    prod-s3 = ["s3://acme-images"]

FAIL (with the configuration above)::

    [{"row_data": "https://acme-imgaes.s3.us-east-1.amazonaws.com/a.jpg"}]

PASS::

    [{"row_data": "https://acme-images.s3.us-east-1.amazonaws.com/a.jpg"}]
"""
from .. import urls
from ..integrations import for_settings
from ..model import Problem

CODE = "I004"
NAME = "unknown-integration-location"
SEVERITY = "warning"

_PROVIDER_NAMES = {"s3": "S3 bucket", "gcs": "GCS bucket", "azure": "Azure container"}


def check(row, ctx):
    integ = for_settings(ctx.settings)
    if not integ.configured:
        return
    for ref in row.urls():
        if integ.of(ref.value) is not None or urls.is_signed(ref.value):
            continue
        loc = urls.storage_location(ref.value)
        if loc is None:
            continue
        names = ", ".join(f"'{n}'" for n in ctx.settings.integration_map)
        yield Problem(ref.path, f"URL is in {_PROVIDER_NAMES[loc.provider]} '{loc.bucket}', which none of the configured integrations "
                                f"({names}) covers: fix the bucket name, or add it to [tool.lbx-validate.integrations] "
                                "if it is an IAM path (a public bucket needs no integration)")
