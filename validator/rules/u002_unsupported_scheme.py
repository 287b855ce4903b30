"""A URL whose scheme is not `https` (or `gs` for Google Cloud IAM paths).

What it checks
    Every URL in a row (``row_data``, URL fields of an object ``row_data``,
    URL-typed attachment values, tile and text-layer URLs) starts with
    ``https://``, or ``gs://`` for a Google Cloud Storage IAM path. ``s3://`` gets
    the virtual-hosted https form as the hint, ``http://`` the https one.

Why it matters
    Labelbox takes "https URLs only" for assets stored in the cloud
    (``004_a3f56cb6944fa143.txt``, import data rows); the SDK itself refuses
    ``s3://`` ("s3 assets must start with 'https'", ``DataRowCreateItem``), and
    the attachment type table asks for an "HTTPS or IAM delegated access path".
    Any other scheme uploads, then never loads for labelers.

Decisions
    Boundaries, so one defect gives one finding: a value with no scheme at all
    is U004's (asset) or A008's (attachment); ``file://`` and other local paths
    are R014's (``row_data``) or A008's (attachments); a blank value is R001's or
    A003's. A ``host:port`` start (``example.com:443/a.jpg``) is not a scheme.
    The scheme is compared case-insensitively (``HTTPS://`` passes). No automatic
    fix: the https form of an ``s3://`` path needs the bucket's region, and an
    ``http://`` server may not serve https.

FAIL::

    [{"row_data": "s3://acme-images/cats/1.jpg", "media_type": "IMAGE"}]

PASS::

    [{"row_data": "https://acme-images.s3.us-east-1.amazonaws.com/cats/1.jpg", "media_type": "IMAGE"}]
"""
from .. import urls
from ..model import Problem

CODE = "U002"
NAME = "unsupported-scheme"
SEVERITY = "error"

_LOCAL = ("file",)
_AZURE = ("az", "azure", "wasb", "wasbs", "abfs", "abfss")


def check(row, ctx):
    for ref in row.urls():
        value = ref.value
        if value.startswith("https://") or value.startswith("gs://"):
            continue
        value = value.strip()
        scheme = urls.scheme_of(value)
        if not scheme or scheme in urls.SUPPORTED_SCHEMES or scheme in _LOCAL:
            continue
        yield Problem(ref.path, _message(value, scheme))


def _message(value, scheme):
    shown = urls.shorten(value)
    if scheme == "s3":
        loc = urls.storage_location(value)
        if loc and loc.bucket:
            hint = f"https://{loc.bucket}.s3.<region>.amazonaws.com/{loc.key}"
            return (f"'{shown}' is an s3:// path, which Labelbox cannot load: use the virtual-hosted https URL "
                    f"{urls.shorten(hint, 120)} (with the bucket's region)")
        return f"'{shown}' is an s3:// path, which Labelbox cannot load: use the https://<bucket>.s3.<region>.amazonaws.com/<key> URL"
    if scheme == "http":
        return (f"'{shown}' uses http: Labelbox loads only https URLs; serve it over https "
                f"({urls.shorten('https' + value[4:], 120)})")
    if scheme in ("gcs", "gcp", "gsutil"):
        return f"'{shown}' uses the scheme '{scheme}:': Google Cloud Storage IAM paths are written gs://<bucket>/<object>"
    if scheme in _AZURE:
        return (f"'{shown}' uses the scheme '{scheme}:', which Labelbox cannot load: use the "
                "https://<account>.blob.core.windows.net/<container>/<blob> URL")
    if scheme == "data":
        return "inline data: URLs are not supported: upload the file to cloud storage and use its https URL"
    return (f"'{shown}' uses the scheme '{urls.shorten(scheme, 20)}:', which Labelbox does not load: "
            "use an https URL (or a gs:// IAM path)")
