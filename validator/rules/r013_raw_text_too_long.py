"""A TEXT row's raw-text `row_data` is longer than 64K characters.

What it checks
    A TEXT row whose ``row_data`` is the text itself (not a URL, not a local file
    path) and is longer than 65,536 characters. Rows without ``media_type``
    are checked too when their ``row_data`` can only be raw text (it is neither
    a URL nor a file path). Characters are Unicode code points, as Labelbox
    counts them in the editor.

Why it matters
    The Labelbox limits page caps raw text passed directly in ``row_data`` at
    64K characters; the import text data page says text files may be up to
    16 MB. Longer text belongs in a ``.txt`` file referenced by URL.

Decisions
    "64K" is read as 64 × 1024 = 65,536 characters. A warning, not an error:
    the two Labelbox pages disagree (64K vs 16 MB), so the upload may succeed;
    hosting the text as a file is safe either way.

FAIL (note)::

    A TEXT row whose row_data is 70,000 characters of text, e.g.
    {"row_data": "lorem ipsum ... (70,000 characters)", "media_type": "TEXT"}

PASS::

    [{"row_data": "A short review: the product works as described.", "media_type": "TEXT"}]
"""
from ..model import Problem
from ..row import is_local_path, is_url_row_data

CODE = "R013"
NAME = "raw-text-too-long"
SEVERITY = "warning"

LIMIT = 64 * 1024


def check(row, ctx):
    data = row.value.get("row_data")
    if not isinstance(data, str) or len(data) <= LIMIT:
        return
    media = row.media_type
    if media != "TEXT" and (media is not None or "media_type" in row.value):
        return
    if is_url_row_data(data, "TEXT") or (is_local_path(data) and "\n" not in data):
        return
    yield Problem(
        ("row_data",),
        f"raw text in row_data is {len(data):,} characters, over Labelbox's 64K ({LIMIT:,}) character limit for "
        "text passed directly: put the text in a UTF-8 .txt file and use its URL as row_data",
    )

