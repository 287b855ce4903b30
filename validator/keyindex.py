"""First use of each key across a run, in bounded memory (K001, K003, K006).

A run may hold millions of rows, each with a global key. The index keeps, per key,
only its 64-bit hash and where it was first used, packed in one int
(`pack(file number, row)`). It starts as a dict, the fastest thing Python has;
past SPILL keys it moves into an open-addressing table of two `array('q')`, about
16 to 48 bytes a key instead of about 110 (the dict entry, the hash as an int
object, the position as another). A 2M-row file then stays within the memory
budget of issue 6. K001 and K003 share one index of lower-cased global keys
(`note_global_key`); K003 adds a small dict for the keys it had to sanitize.

Two different keys with the same 64-bit hash would be taken for one: with 2M keys
the odds are about 1 in 10 million per run. Python's string hash is salted per
process, so hashes never leave the process that made them.
"""
from __future__ import annotations

from array import array
from typing import Any, Dict, List, Optional, Tuple

SPILL = 200_000
_ROW_BITS = 40
_ROW_MASK = (1 << _ROW_BITS) - 1


def pack(file_no: int, row: int) -> int:
    return file_no << _ROW_BITS | row


def unpack(packed: int) -> Tuple[int, int]:
    return packed >> _ROW_BITS, packed & _ROW_MASK


class FirstUse:
    """hash -> packed position of its first use; file names kept once."""

    __slots__ = ("_dict", "_keys", "_values", "_mask", "_size", "files", "_file_no", "_last_file", "_spill_at")

    def __init__(self, spill: int = SPILL):
        self._dict: Optional[Dict[int, int]] = {}
        self._keys = self._values = array("q")
        self._mask = self._size = 0
        self.files: List[str] = []
        self._file_no: Dict[str, int] = {}
        self._last_file: Tuple[Optional[str], int] = (None, 0)
        self._spill_at = spill

    def file_no(self, name: str) -> int:
        last, no = self._last_file
        if name is last:
            return no
        no = self._file_no.get(name)
        if no is None:
            no = self._file_no[name] = len(self.files)
            self.files.append(name)
        self._last_file = (name, no)
        return no

    def setdefault(self, key_hash: int, here: int) -> int:
        """The position stored for `key_hash`, storing `here` first if it is new."""
        key_hash = key_hash or 1  # 0 marks an empty slot of the table
        table = self._dict
        if table is not None:
            first = table.setdefault(key_hash, here)
            if len(table) > self._spill_at:
                self._spill()
            return first
        return self._probe(key_hash, here)

    def get(self, key_hash: int) -> Optional[int]:
        """The position stored for `key_hash`, or None (nothing is stored)."""
        key_hash = key_hash or 1
        if self._dict is not None:
            return self._dict.get(key_hash)
        i = self._slot(key_hash)
        return self._values[i] if self._keys[i] else None

    def first_use(self, packed: int) -> Tuple[str, int]:
        """(file name, row) of a packed position."""
        file_no, row = unpack(packed)
        return self.files[file_no], row

    def __len__(self) -> int:
        return len(self._dict) if self._dict is not None else self._size

    # -- the compact table ----------------------------------------------------------
    def _spill(self) -> None:
        items, self._dict = self._dict, None
        self._resize(len(items) * 4)
        for key_hash, here in items.items():
            self._probe(key_hash, here)

    def _resize(self, slots: int) -> None:
        size = 1 << max(4, (slots - 1).bit_length())
        old_keys, old_values = self._keys, self._values
        keys = self._keys = array("q", bytes(8 * size))
        values = self._values = array("q", bytes(8 * size))
        mask = self._mask = size - 1
        for key_hash, here in zip(old_keys, old_values):  # every key is new here: no compare needed
            if key_hash:
                i = key_hash & mask
                while keys[i]:
                    i = (i + 1) & mask
                keys[i] = key_hash
                values[i] = here

    def _slot(self, key_hash: int) -> int:
        """The slot holding `key_hash`, or the empty one where it belongs (linear probing)."""
        keys, mask = self._keys, self._mask
        i = key_hash & mask
        while True:
            found = keys[i]
            if found == key_hash or not found:
                return i
            i = (i + 1) & mask

    def _probe(self, key_hash: int, here: int) -> int:
        keys, mask = self._keys, self._mask
        i = key_hash & mask
        while True:  # _slot, inlined: this runs once per row past SPILL keys
            found = keys[i]
            if found == key_hash:
                return self._values[i]
            if not found:
                break
            i = (i + 1) & mask
        keys[i] = key_hash
        self._values[i] = here
        self._size += 1
        if self._size * 3 > 2 * mask:  # keep the load under 2/3
            self._resize(2 * (mask + 1))
        return here


class GlobalKeys(FirstUse):
    """The run's index of lower-cased global keys, shared by K001 and K003, so that
    a key costs one slot however many rules look at it."""

    __slots__ = ("_noted_row", "_noted")

    def __init__(self):
        super().__init__()
        self._noted_row: Any = None  # the last row noted (held, so no other row can be it)...
        self._noted: Tuple[int, int, int] = (-1, -1, 0)  # ...and its (here, first, key hash)


def note_global_key(row: Any, ctx: Any, key: str) -> Tuple[int, int, int]:
    """(this row's packed position, the packed first use of its lower-cased key, that key's hash).

    Notes the key once per row, whichever rule asks first (K001 and K003 both do):
    hashes of lower-cased keys index the run-wide `GlobalKeys`.
    """
    index = ctx.run_state("global-keys", GlobalKeys)
    if index._noted_row is row:
        return index._noted
    here = pack(index.file_no(row.file), row.index)
    key_hash = hash(key.lower())
    index._noted_row = row
    noted = index._noted = (here, index.setdefault(key_hash, here), key_hash)
    return noted


def row_in(file: str, row: int, current: str) -> str:
    """How a finding in `current` names a row: "row 12", or "row 12 of other.json"."""
    return f"row {row}" + ("" if file == current else f" of {file}")
