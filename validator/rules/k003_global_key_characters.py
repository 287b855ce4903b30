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

from ..keyindex import GlobalKeys, note_global_key, row_in
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


class Sanitized(dict):
    """hash(sanitized lower-cased key) -> (packed first use, hash(lower-cased key), key),
    for keys that had to be sanitized only: few, so a dict. Keys with allowed
    characters only are their own sanitized form; their first uses are in the run's
    shared global-key index (validator/keyindex.py), the one K001 uses."""


def _show(ch):
    return f"'{ch}'" if ch.isprintable() else f"U+{ord(ch):04X}"


def check(row, ctx):
    # A plain function, not a generator: it runs on every row with a key, and nearly always returns ().
    key = row.value.get("global_key")
    if not isinstance(key, str) or not key:
        return ()
    here, _, folded_hash = note_global_key(row, ctx, key)
    if _DISALLOWED.search(key) is None:
        sanitized_keys = ctx.run_state(CODE, Sanitized)
        if not sanitized_keys or folded_hash not in sanitized_keys:
            return ()  # an allowed key only collides with an earlier key that had to be sanitized into it
    return list(_problems(row, ctx, key, here, folded_hash))


def _problems(row, ctx, key, here, folded_hash):
    bad = _DISALLOWED.findall(key)
    sanitized = _DISALLOWED.sub("_", key) if bad else key
    sanitized_hash = hash(sanitized.lower()) if bad else folded_hash
    other = _first_with(sanitized_hash, ctx)
    if other is None or other[0] == here:
        other = None
        if bad:
            ctx.run_state(CODE, Sanitized)[sanitized_hash] = (here, folded_hash, key)
    collides = other is not None and other[1] != folded_hash
    if not bad and not (collides and other[2] is not None):
        return
    related = None
    if bad:
        chars = ", ".join(dict.fromkeys(_show(c) for c in bad))
        message = (f"global key '{key}' has characters outside those Labelbox allows (letters, digits, space and "
                   f"! _ . * ' ( ) & $ @ = ; / : + , ? -): {chars}; Labelbox may replace them with '_', making it '{sanitized}'")
        if collides:
            message += f", the same key as {_where(ctx, other, row.file)} has"
            related = _related(ctx, other)
        message += ": use only allowed characters" + (" and make the two keys distinct" if collides else "")
    else:
        message = (f"global key '{key}' is what the key '{other[2]}' of {_where(ctx, other, row.file)} becomes once "
                   "Labelbox replaces its disallowed characters with '_': the two keys would collide; rename one of them")
        related = _related(ctx, other)
    yield Problem(("global_key",), message, related=related)


def _first_with(sanitized_hash, ctx):
    """(packed position, hash(lower-cased key), key or None) of the first key whose
    sanitized lower-cased form has this hash: a sanitized key, or a key that needed none."""
    earlier = ctx.run_state(CODE, Sanitized).get(sanitized_hash)
    clean = ctx.run_state("global-keys", GlobalKeys).get(sanitized_hash)
    if clean is not None and (earlier is None or clean < earlier[0]):
        return (clean, sanitized_hash, None)  # a clean key's lower-cased form is its sanitized form
    return earlier


def _where(ctx, other, file):
    name, first_row = ctx.run_state("global-keys", GlobalKeys).first_use(other[0])
    return f"{row_in(name, first_row, file)} (/{first_row}/global_key)"


def _related(ctx, other):
    name, first_row = ctx.run_state("global-keys", GlobalKeys).first_use(other[0])
    return Related(name, first_row, f"/{first_row}/global_key")
