"""A `global_key` has characters Labelbox may replace with `_`.

What it checks
    Global keys made only of letters a-z and A-Z, digits, space and
    ``! _ . * ' ( ) & $ @ = ; / : + , ? -``. Any other character (``#``, ``%``,
    ``~``, non-ASCII letters...) is reported with the key Labelbox would make of
    it. When two different keys of the run become the same key once those
    characters are replaced by ``_`` (compared case-insensitively), the later one
    is reported with the row and pointer of the other: that is a collision.

Why it matters
    The global keys page lists the allowed characters and says others may be
    sanitized to ``_``: the key you look up later is then not the key you wrote,
    and ``a#1`` and ``a%1`` both become ``a_1``, so one of the two rows is refused
    as a duplicate.

Decisions
    A warning, because Labelbox says the characters *may* be sanitized. Exact
    duplicates (case-insensitive) are K001's and not repeated here. A key with
    only allowed characters is reported when it equals the sanitized form of an
    earlier key, because that is where the collision becomes visible while
    streaming.

FAIL::

    [{"row_data": "https://example.com/a.jpg", "global_key": "field#7"}]

FAIL::

    [{"row_data": "https://example.com/a.jpg", "global_key": "field_7"},
     {"row_data": "https://example.com/b.jpg", "global_key": "field#7"}]

PASS::

    [{"row_data": "https://example.com/a.jpg", "global_key": "farm/field-7 (north).jpg"}]
"""
import re

from ..keyindex import FirstUse, pack, unpack
from ..model import Problem, Related

CODE = "K003"
NAME = "global-key-characters"
SEVERITY = "warning"

_DISALLOWED = re.compile(r"[^A-Za-z0-9!_.*'()&$@=;/:+,?\- ]")

# --jobs (validator/parallel.py) checks each file in its own process, then compares these keys
# across the files and re-runs this rule over the declared fields only where they meet.
CROSS_FILE_FIELDS = ("global_key",)


def cross_file_key(value):
    """The key under which a row meets rows of other files here: its lower-cased sanitized global key
    (what `check` indexes by)."""
    key = value.get("global_key")
    return _DISALLOWED.sub("_", key).lower() if isinstance(key, str) and key else None


class SanitizedIndex(FirstUse):
    """hash(sanitized lower-cased key) -> packed first use (validator/keyindex.py).

    A key with only allowed characters is its own sanitized form; for a first use
    whose key had to be sanitized, `sanitized` also keeps (hash(lower-cased key), key):
    few keys need it, so most cost what K001's index costs.
    """

    __slots__ = ("sanitized",)

    def __init__(self):
        super().__init__()
        self.sanitized = {}


def _show(ch):
    return f"'{ch}'" if ch.isprintable() else f"U+{ord(ch):04X}"


def check(row, ctx):
    key = row.value.get("global_key")
    if not isinstance(key, str) or not key:
        return
    bad = _DISALLOWED.findall(key)
    sanitized = _DISALLOWED.sub("_", key) if bad else key
    index = ctx.run_state(CODE, SanitizedIndex)
    folded_hash = hash(key.lower())
    sanitized_hash = hash(sanitized.lower()) if bad else folded_hash
    here = pack(index.file_no(row.file), row.index)
    first = index.setdefault(sanitized_hash, here)
    if first == here:
        other = None
        if bad:
            index.sanitized[sanitized_hash] = (folded_hash, key)
    else:  # a clean first key is its own sanitized form
        other = (*unpack(first), *index.sanitized.get(sanitized_hash, (sanitized_hash, None)))
    collides = other is not None and other[2] != folded_hash
    if not bad and not (collides and other[3] is not None):
        return
    related = None
    if bad:
        chars = ", ".join(dict.fromkeys(_show(c) for c in bad))
        message = (f"global key '{key}' has characters outside those Labelbox allows (letters, digits, space and "
                   f"! _ . * ' ( ) & $ @ = ; / : + , ? -): {chars}; Labelbox may replace them with '_', making it '{sanitized}'")
        if collides:
            message += f", the same key as row {_where(index, other, row.file)} has"
            related = _related(index, other)
        message += ": use only allowed characters" + (" and make the two keys distinct" if collides else "")
    else:
        message = (f"global key '{key}' is what the key '{other[3]}' of row {_where(index, other, row.file)} becomes once "
                   "Labelbox replaces its disallowed characters with '_': the two keys would collide; rename one of them")
        related = _related(index, other)
    yield Problem(("global_key",), message, related=related)


def _where(index, other, file):
    name = index.files[other[0]]
    return f"{other[1]}" + ("" if name == file else f" of {name}") + f" (/{other[1]}/global_key)"


def _related(index, other):
    return Related(index.files[other[0]], other[1], f"/{other[1]}/global_key")
