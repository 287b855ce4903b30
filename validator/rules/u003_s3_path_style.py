"""An S3 URL in path style, or with the legacy dash-region host.

What it checks
    https S3 URLs whose bucket is in the path rather than the host name:
    ``https://s3.<region>.amazonaws.com/<bucket>/<key>``,
    ``https://s3-<region>.amazonaws.com/...`` and ``https://s3.amazonaws.com/...``
    (dual-stack and China endpoints too), and virtual-hosted URLs with the legacy
    dash-region host ``<bucket>.s3-<region>.amazonaws.com``.

Why it matters
    Labelbox's IAM delegated access (the S3 integration) reads objects by their
    virtual-hosted-style URL, ``https://<bucket>.s3.<region>.amazonaws.com/<key>``
    (``004_a3f56cb6944fa143.txt``, "virtual-hosted-style format"); AWS has
    deprecated path-style requests for new buckets.

Decisions
    Pre-signed URLs (``X-Amz-Signature``, ``Signature``) are not reported: they
    do not use IAM delegated access, and changing their host would break the
    signature. ``http://`` S3 URLs are reported here too (the scheme itself is
    U002's). Fixable where the bucket name is DNS-compatible without dots
    (3-63 lower-case letters, digits and ``-``): the fix is the virtual-hosted URL
    with the same region, key, query and fragment (``s3-external-1`` becomes
    ``us-east-1``; the global ``s3.amazonaws.com`` stays global). A bucket name
    with dots (or upper case) cannot be served virtual-hosted over https (the
    certificate does not match): the message says so, and there is no fix.

FAIL::

    [{"row_data": "https://s3.us-west-2.amazonaws.com/acme-images/cats/1.jpg", "media_type": "IMAGE"}]

PASS::

    [{"row_data": "https://acme-images.s3.us-west-2.amazonaws.com/cats/1.jpg", "media_type": "IMAGE"}]
"""
import re

from .. import urls
from ..model import Fix, Problem

CODE = "U003"
NAME = "s3-path-style"
SEVERITY = "warning"
FIXABLE = True

# Only path-style and dash-region hosts get past this (one match per URL on the happy path).
_CANDIDATE = re.compile(r"\s*https?://(?:[^/?#@]*@)?(?:s3(?:[.\-][^/?#]*)?|[^/?#]*\.s3-[^/?#]*)\.amazonaws\.com", re.I)
_REGION = r"[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d+|external-1"
_PATH_HOST = re.compile(rf"s3(?P<dual>\.dualstack)?(?:[.\-](?P<region>{_REGION}))?\.amazonaws\.com(?P<cn>\.cn)?\Z")
_DASH_HOST = re.compile(rf"(?P<bucket>.+)\.s3-(?P<region>{_REGION})\.amazonaws\.com(?P<cn>\.cn)?\Z")
_DNS_BUCKET = re.compile(r"[a-z0-9][a-z0-9\-]{1,61}[a-z0-9]\Z")
_IP_LIKE = re.compile(r"\d+\.\d+\.\d+\.\d+\Z")


def check(row, ctx):
    for ref in row.urls():
        value = ref.value
        if not _CANDIDATE.match(value):
            continue
        found = path_style(value.strip())
        if found:
            message, fix = found
            yield Problem(ref.path, message, fix=fix)


def path_style(url):
    """(message, fix) for a path-style or dash-region S3 URL, else None."""
    scheme = urls.scheme_of(url)
    if scheme not in ("https", "http"):
        return None
    hspan = urls.host_span(url)
    if hspan is None:
        return None
    host = url[hspan[0]:hspan[1]].lower()
    aspan = urls.authority_span(url)
    tail = url[aspan[1]:]  # "/bucket/key?query#fragment"
    m = _PATH_HOST.match(host)
    if m:
        if urls.is_signed(url):
            return None
        bucket_end = len(tail)
        for stop in "/?#":
            i = tail.find(stop, 1)
            if i >= 0:
                bucket_end = min(bucket_end, i)
        bucket = tail[1:bucket_end] if tail.startswith("/") else ""
        if not bucket:
            return None
        rest = tail[bucket_end:]
        kind = f"in path style (bucket '{urls.shorten(bucket, 63)}' in the path)"
    else:
        m = _DASH_HOST.match(host)
        if not m or urls.is_signed(url):
            return None
        bucket = m.group("bucket")
        rest = tail
        kind = f"with the legacy dash-region host '{urls.shorten(host)}'"
    region = m.group("region")
    if region == "external-1":
        region = "us-east-1"
    dual = ".dualstack" if m.groupdict().get("dual") else ""
    endpoint = f"s3{dual}.{region}" if region else f"s3{dual}"
    if not _DNS_BUCKET.match(bucket) or _IP_LIKE.match(bucket):
        return (f"S3 URL {kind}: IAM delegated access needs the virtual-hosted style "
                f"https://<bucket>.{endpoint}.amazonaws.com/<key>, which does not work over https for the bucket name "
                f"'{urls.shorten(bucket, 63)}' (dots or characters DNS names cannot hold): use a bucket with a DNS-compatible name, or signed URLs",
                None)
    fixed = f"{scheme}://{bucket}.{endpoint}.amazonaws.com{m.group('cn') or ''}{rest}"
    return (f"S3 URL {kind}: IAM delegated access needs the virtual-hosted style, {urls.shorten(fixed, 120)}",
            Fix(fixed, "rewrite the S3 URL in virtual-hosted style"))
