"""A `global_key` is already taken in your organization (`--existing-keys FILE`).

What it checks
    With ``--existing-keys FILE`` (or ``existing-keys`` in the configuration):
    each row's ``global_key`` against the keys listed in FILE, compared
    case-insensitively. FILE holds one key per line, or a JSON array of strings;
    the README section "Existing keys and metadata schema files" shows how to
    export it with the Labelbox SDK. Without the option the rule does nothing.

Why it matters
    "A data row will not be imported if its global keys are duplicated to
    existing data rows" (import image data page, ``004_a3f56cb6944fa143.txt``);
    global keys are unique in the organization and case-insensitive (global
    keys page). The upload only tells you afterwards, row by row.

Decisions
    The keys are stored as 64-bit hashes of the lower-cased keys in sorted
    arrays (8 bytes a key; see ``validator/keyfile.py``), so files with millions
    of keys load in seconds and bounded memory. An unreadable or malformed file
    is a configuration error (exit code 2), not a finding.

FAIL (with --existing-keys holding "cat-1")::

    [{"row_data": "https://example.com/a.jpg", "global_key": "CAT-1"}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "global_key": "cat-2"}]
"""
from .. import keyfile
from ..model import Problem

CODE = "K004"
NAME = "existing-global-key"
SEVERITY = "error"
# The fast path may skip this rule on clean rows under default settings: the key file is read only when --existing-keys is set (not a default setting).
QUIET_ON_CLEAN = True


def check(row, ctx):
    path = ctx.settings.existing_keys
    if not path:
        return
    key = row.value.get("global_key")
    if not isinstance(key, str) or not key:
        return
    keys = ctx.run_state(CODE, lambda: keyfile.load(path))
    if key in keys:
        yield Problem(("global_key",), f"global key '{key}' already exists in your organization (listed in {path}; keys are "
                                       "case-insensitive): Labelbox will not import this row; choose a new key, or update the "
                                       "existing data row instead")
