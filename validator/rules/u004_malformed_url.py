"""A URL-typed value that is not a well-formed URL with a host.

What it checks
    Every URL in a row (``row_data`` of URL media types, URL fields of an object
    ``row_data``, URL-typed attachment values, tile and text-layer URLs) parses
    as a URL: no leading or trailing whitespace; a scheme followed by ``//``; a
    host (``https``) or bucket (``gs``) that is a valid name (letters, digits,
    ``-``, ``_``, dots between non-empty labels; or an IP address); a numeric
    port from 0 to 65535 (an empty port, ``https://example.com:/a.jpg``, is
    allowed, as RFC 3986 allows it); and for ``gs://`` an object path after the bucket.

Why it matters
    Labelbox fetches every asset and attachment by URL when a labeler opens the
    row; a value that is not a URL cannot be fetched, and the row shows a broken
    asset. Labelbox asks for "https URLs" or IAM delegated access paths
    (``004_a3f56cb6944fa143.txt``; attachment type table in
    ``000_bcdac60c1f9def49.txt``), and "if the URL doesn't load properly in your
    browser, it won't load in Labelbox" (attachments pages).

Decisions
    Boundaries, so one defect gives one finding: a scheme other than https/gs/http
    is U002's (only its URL is checked there); an attachment value with no scheme
    at all is A008's (attachment-not-url), while a ``row_data`` or ``pdf_url``
    without a scheme is reported here; characters RFC 2396 excludes (space, ``#``,
    ``{``...) are U001's and non-ASCII characters U006's, even in the host;
    local paths are R014's; blank values are R001's or A003's. TEXT rows (and rows
    without ``media_type``) may hold raw text: a ``row_data`` there is only read
    as a URL when it is one token starting with ``scheme://``. A ``gs://`` value
    that names only a bucket is malformed: an asset is an object.

FAIL::

    [{"row_data": "https:/acme-images.s3.us-east-1.amazonaws.com/cats/1.jpg", "media_type": "IMAGE"}]

PASS::

    [{"row_data": "https://acme-images.s3.us-east-1.amazonaws.com/cats/1.jpg", "media_type": "IMAGE"}]
"""
import ipaddress
import re
from functools import lru_cache

from .. import urls
from ..model import Problem

CODE = "U004"
NAME = "malformed-url"
SEVERITY = "error"

# The happy path: an https URL with a plain host name (no label ends in '-') and optional port of up to 4 digits
# (a 5-digit one may be past 65535: the slow path decides), then nothing, or a path/query/fragment without whitespace.
# Two steps, not one pattern ending in (?:[/?#]\S*)?\Z: on a URL with a space in its path that pattern backtracked
# through every character (4.5 us).
_FAST_HOST = re.compile(r"https://[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.?(?::\d{1,4})?")
_SPACE = re.compile(r"\s")
_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_\-]*[A-Za-z0-9_])?\Z")
_BUCKET = re.compile(r"[a-z0-9][a-z0-9._\-]*[a-z0-9]\Z")
# Characters that are other rules' business (U001 forbidden, U006 non-ASCII).
_OTHERS = re.compile(r'[\x00-\x20"#<>\\^`{|}\x7f\[\]%]|[^\x00-\x7f]')
_CHECKED = ("https", "http", "gs")


def check(row, ctx):
    for ref in row.urls():
        value = ref.value
        if fast_ok(value):
            continue
        message = problem(value, ref.role == "attachment")
        if message:
            yield Problem(ref.path, message)


def fast_ok(value):
    """Is `value` plainly well formed (https, a host name, no whitespace)? Then `problem` is None."""
    m = _FAST_HOST.match(value)
    if m is None:
        return False
    end = m.end()
    return end == len(value) or (value[end] in "/?#" and _SPACE.search(value, end) is None)


def problem(value, attachment=False):
    """What is malformed about a URL-typed value, or None."""
    body = value.strip()
    if not body:
        return None  # R001 / A003
    if body != value:
        where = "leading and trailing" if value[0].isspace() and value[-1].isspace() else ("leading" if value[0].isspace() else "trailing")
        return f"URL has {where} whitespace, so Labelbox cannot fetch it: remove it ('{urls.shorten(body)}')"
    scheme = urls.scheme_of(body)
    if not scheme:
        if attachment:
            return None  # A008
        if body.startswith("//"):
            return f"'{urls.shorten(body)}' has no scheme: write the full URL, https:{urls.shorten(body)}"
        if urls.looks_like_bare_host(body):
            return f"'{urls.shorten(body)}' has no scheme: write the full URL, https://{urls.shorten(body)}"
        return f"'{urls.shorten(body)}' is not a URL: write the https URL of the file (or its gs:// IAM path)"
    if scheme not in _CHECKED:
        return None  # U002
    rest = body[len(scheme) + 1:]
    if not rest.startswith("//"):
        fixed = scheme + "://" + rest.lstrip("/\\")
        return f"'{urls.shorten(body)}' is malformed: '{scheme}:' must be followed by '//' ({urls.shorten(fixed)})"
    span = urls.authority_span(body)
    authority = body[span[0]:span[1]]
    if scheme == "gs":
        return _gs(body, authority, span)
    hspan = urls.host_span(body)
    host = body[hspan[0]:hspan[1]]
    if not host:
        return f"'{urls.shorten(body)}' has no host name: write https://<host>/<path>"
    port = body[hspan[1]:span[1]]
    if port[1:] and not (port[1:].isascii() and port[1:].isdigit()):
        return f"URL port '{urls.shorten(port[1:], 20)}' is not a number: remove it or write the host as <host>:<port>"
    if port[1:] and int(port[1:]) > 65535:
        return f"URL port {urls.shorten(port[1:], 20)} is out of range (0-65535): fix or remove the port"
    return _host(host)


@lru_cache(maxsize=1024)  # an import names a few hosts, each in thousands of rows
def _host(host):
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1] if host.endswith("]") else "x")
        except ValueError:
            return f"host '{urls.shorten(host)}' is not a valid IPv6 address"
        return None
    if _OTHERS.search(host):
        return None  # U001 / U006
    name = host[:-1] if host.endswith(".") else host
    for label in name.split("."):
        if not label:
            return f"host name '{urls.shorten(host)}' has an empty label (two dots in a row, or a leading dot): fix the host name"
        if not _LABEL.match(label):
            return (f"host name '{urls.shorten(host)}' is not valid: host names hold only letters, digits, '-' and dots "
                    "(a '-' may not start or end a label)")
    return None


def _gs(body, authority, span):
    if not authority:
        return f"'{urls.shorten(body)}' has no bucket: write gs://<bucket>/<object>"
    if _OTHERS.search(authority):
        return None  # U001 / U006
    if not _BUCKET.match(authority) or ".." in authority:
        return (f"'{urls.shorten(authority)}' is not a Cloud Storage bucket name: bucket names hold only lower-case "
                "letters, digits, '-', '_' and '.' (write gs://<bucket>/<object>)")
    if not body[span[1]:].lstrip("/"):
        return f"'{urls.shorten(body)}' names a bucket, not a file: write gs://{authority}/<object>"
    return None
