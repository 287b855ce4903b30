"""A pre-signed URL that has expired, or expires soon.

What it checks
    Pre-signed URLs and when they stop working: AWS SigV4 (``X-Amz-Date`` +
    ``X-Amz-Expires``), Google Cloud Storage V4 (``X-Goog-Date`` +
    ``X-Goog-Expires``), Azure SAS (``se=``, with ``sig=``), and the older
    ``Expires=<unix time>`` form of AWS SigV2, GCS V2 and CloudFront (with
    ``Signature``). Expired: error. Expiring within ``--signed-url-min-validity``
    (default 7 days, configurable as ``signed-url-min-validity``): warning.

Why it matters
    Signed URLs are one of the ways to import assets (every media import page),
    but Labelbox fetches an asset each time a labeler opens it, not once at
    import: an expired URL imports without an error and then shows a broken
    asset. The clock is the machine's, or ``--now ISO8601`` for reproducible runs.

Decisions
    A signed URL whose expiry cannot be read (an ``X-Amz-Date`` that is not
    ``YYYYMMDDTHHMMSSZ``, an ``X-Amz-Expires`` that is not a number of seconds,
    or is over 604800, the AWS and GCS maximum of 7 days) is an error too: the
    storage service rejects it. The warning window is a validity at the time of
    the check; it says nothing about how long labeling will take, so choose it to
    match your project.

FAIL::

    [{"row_data": "https://acme.s3.us-east-1.amazonaws.com/a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20200101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abc123",
      "media_type": "IMAGE"}]

PASS::

    [{"row_data": "https://acme.s3.us-east-1.amazonaws.com/a.jpg", "media_type": "IMAGE"}]
"""
import datetime as dt
import re

from .. import urls
from ..model import Problem, Severity

CODE = "U005"
NAME = "expired-signed-url"
SEVERITY = "error"

_HINT = re.compile(r"[?&](?:x-amz-expires|x-goog-expires|se|expires)=", re.I)
_STAMP = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\Z")
_MAX_SECONDS = 604800
_UTC = dt.timezone.utc


def check(row, ctx):
    for ref in row.urls():
        value = ref.value
        if "?" not in value or not _HINT.search(value):
            continue
        if ref.role == "attachment" and not urls.scheme_of(value.strip()):
            continue  # not a URL at all: A008
        found = expiry(value.strip())
        if found is None:
            continue
        kind, when, trouble = found
        if trouble:
            yield Problem(ref.path, f"{kind} URL {trouble}, so the storage service will reject it: sign the URL again")
            continue
        now = ctx.settings.clock()
        if now.tzinfo is None:
            now = now.replace(tzinfo=_UTC)
        left = when - now
        stamp = _stamp(when)
        if left.total_seconds() <= 0:
            yield Problem(ref.path,
                          f"{kind} URL expired at {stamp}, {_span(-left)} before the check: Labelbox fetches the file when a "
                          "labeler opens the row, so it will not load; sign it again with a longer expiry, or use IAM delegated access")
        elif left < ctx.settings.signed_url_min_validity:
            yield Problem(ref.path,
                          f"{kind} URL expires at {stamp}, in {_span(left)} (less than the {_span(ctx.settings.signed_url_min_validity)} "
                          "minimum validity): labelers opening the row later will see a broken asset; sign it with a longer expiry, "
                          "or use IAM delegated access", severity=Severity.WARNING)


def expiry(url):
    """(kind, expires_at, trouble) of a signed URL, or None when it is not one we can date."""
    params = dict(urls.query_params(url))
    if "x-amz-expires" in params or "x-amz-date" in params:
        return _v4("AWS signed", params.get("x-amz-date"), params.get("x-amz-expires"), "X-Amz")
    if "x-goog-expires" in params or "x-goog-date" in params:
        return _v4("Google Cloud Storage signed", params.get("x-goog-date"), params.get("x-goog-expires"), "X-Goog")
    if "se" in params and "sig" in params:
        when = _iso(params["se"])
        if when is None:
            return ("Azure SAS", None, f"has an expiry se={urls.shorten(params['se'], 40)!r} that is not an ISO 8601 time")
        return ("Azure SAS", when, None)
    if "expires" in params and ("signature" in params or "x-goog-signature" in params):
        raw = params["expires"]
        if not raw.isdigit() or len(raw) > 12:
            return ("signed", None, f"has Expires={urls.shorten(raw, 40)!r}, which is not a Unix time")
        try:
            return ("signed", dt.datetime.fromtimestamp(int(raw), _UTC), None)
        except (OverflowError, OSError, ValueError):  # past year 9999: it never expires in practice
            return None
    return None


def _v4(kind, date, seconds, prefix):
    if date is None or seconds is None:
        missing = f"{prefix}-Date" if date is None else f"{prefix}-Expires"
        return (kind, None, f"lacks {missing}")
    m = _STAMP.match(date)
    start = None
    if m:
        try:
            start = dt.datetime(*map(int, m.groups()), tzinfo=_UTC)
        except ValueError:
            start = None
    if start is None:
        return (kind, None, f"has {prefix}-Date={urls.shorten(date, 40)!r}, which is not a YYYYMMDDTHHMMSSZ time")
    if not seconds.isdigit() or len(seconds) > 9:
        return (kind, None, f"has {prefix}-Expires={urls.shorten(seconds, 40)!r}, which is not a number of seconds")
    if not 1 <= int(seconds) <= _MAX_SECONDS:
        return (kind, None, f"has {prefix}-Expires={seconds}, outside 1..{_MAX_SECONDS} seconds (7 days)")
    try:
        return (kind, start + dt.timedelta(seconds=int(seconds)), None)
    except OverflowError:  # signed on 9999-12-31: expiring past year 9999 is never, in practice
        return None


def _iso(text):
    try:
        when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=_UTC)


def _stamp(when):
    """`when` in UTC as 2026-02-01T00:00:00Z (an Azure se= may carry an offset), four-digit year."""
    try:
        when = when.astimezone(_UTC)
    except (OverflowError, ValueError):  # year 1 or 9999 with an offset: shown as written
        pass
    suffix = "Z" if when.utcoffset() == dt.timedelta(0) else when.strftime("%z")
    return f"{when.year:04d}-{when:%m-%dT%H:%M:%S}{suffix}"


def _span(delta):
    seconds = int(delta.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
