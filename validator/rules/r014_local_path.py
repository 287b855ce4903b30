"""`row_data` is a local file path, which an import file cannot carry.

What it checks
    A string ``row_data`` that names a file on someone's disk: an absolute
    path (``/data/img.jpg``, ``~/img.jpg``), a relative one (``./img.jpg``,
    ``../img.jpg``), a Windows path (``C:\\data\\img.jpg``, ``\\\\server\\share``)
    or a ``file://`` URL.

Why it matters
    Labelbox fetches assets from URLs ("https URLs only", or an IAM delegated
    access path: import image data page, ``004_a3f56cb6944fa143.txt``); the web
    uploader cannot read files on your machine. Only the Python SDK uploads a
    local ``row_data`` ("row_data can be ... a local file path",
    ``003_8f1ac50be0bc6a98.txt``; ``upload_if_necessary`` in
    ``descriptor_file_creator.py``), and direct upload has limits: "256 MB max
    file size", and "Direct upload currently does not support adding additional
    metadata and attachments" (``004_a3f56cb6944fa143.txt``).

Decisions
    In a file: a warning saying to upload the file to cloud storage and use its
    URL. Through the Python API (``check_rows``) a local path is legitimate
    (the SDK uploads it), so only the caveats remain: ``info`` with the 256 MB
    limit, raised to a warning when the row carries ``metadata_fields`` or
    ``attachments``, which direct upload would drop. The file itself is never
    opened or looked up: the check stays offline and deterministic.

FAIL::

    [{"row_data": "/home/ann/images/cat.jpg", "media_type": "IMAGE"}]

PASS::

    [{"row_data": "https://example.com/images/cat.jpg", "media_type": "IMAGE"}]
"""
from ..model import Problem, Severity
from ..row import is_local_path

CODE = "R014"
NAME = "local-path"
SEVERITY = "warning"
# The fast path may skip this rule on clean rows under default settings: clean rows' row_data is an https URL, never a local path (whatever ctx.python_api says).
QUIET_ON_CLEAN = True

_CAVEATS = "direct upload takes files up to 256 MB and does not import metadata_fields or attachments"


def check(row, ctx):
    data = row.value.get("row_data")
    if not isinstance(data, str) or not is_local_path(data) or "\n" in data:
        return
    if ctx.python_api:
        dropped = [k for k in ("metadata_fields", "attachments") if row.value.get(k)]
        if dropped:
            yield Problem(
                ("row_data",),
                f"row_data is a local file, which the SDK uploads directly, but {_CAVEATS}: this row's "
                f"{' and '.join(dropped)} would be lost; upload the file to cloud storage and use its URL instead",
                severity=Severity.WARNING,
            )
        else:
            yield Problem(
                ("row_data",),
                f"row_data is a local file, which the SDK uploads directly; note that {_CAVEATS}",
                severity=Severity.INFO,
            )
        return
    yield Problem(
        ("row_data",),
        "row_data is a local file path, which an import file cannot carry (Labelbox and the web uploader read assets "
        "from URLs only): upload the file to cloud storage and use its https URL (or IAM path); "
        f"the Python SDK can upload local files, but {_CAVEATS}",
    )

