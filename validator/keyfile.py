"""The `--existing-keys FILE` loader (rule K004): global keys already taken in the
organization, millions of them, in bounded memory.

File formats (UTF-8, an optional byte-order mark is ignored):

- one key per line (`\\n` or `\\r\\n`; empty lines are skipped; nothing else is
  stripped, since a key with surrounding spaces is a different key), or
- a JSON array of strings (the file's first non-blank character is `[`),
  streamed with ijson so the array never sits in memory as Python strings.

What is stored: not the keys, but a 64-bit hash of each lower-cased key (global
keys are case-insensitive; the same folding as K001), kept in sorted
`array('q')` runs of at most `RUN` hashes: 8 bytes per key once loaded, and one
run's sort (about 40 MB for 2^20 keys) at the peak while loading. A look-up is a
binary search in each run. Python's `hash()` of a string is 64-bit SipHash,
randomised per process, which is fine because the set is built and queried in
the same process; a false "already exists" needs a 64-bit collision (about 1 in
10^8 for a million keys against a 150,000-row file).

Errors are `ConfigError`s naming the file and the problem (exit code 2).
"""
from __future__ import annotations

import os
from array import array
from bisect import bisect_left
from typing import Iterable, List

from .config import ConfigError, file_setting

RUN = 1 << 20  # hashes per sorted run


def key_hash(key: str) -> int:
    """The stored form of a key: 64-bit hash of the case-folded key."""
    return hash(key.lower())


class KeySet:
    """Membership of case-folded keys by 64-bit hash, 8 bytes per key."""

    def __init__(self, hashes: Iterable[int] = ()):
        self._runs: List[array] = []
        self._pending: List[int] = []
        self.count = 0
        self.extend(hashes)
        self.finish()

    def extend(self, hashes: Iterable[int]) -> None:
        self._pending.extend(hashes)
        if len(self._pending) >= RUN:
            self.finish()

    def finish(self) -> None:
        """Sort what was added since the last run into a new run."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        pending.sort()
        run = array("q", pending)
        del pending
        self._runs.append(run)
        self.count += len(run)

    def __len__(self) -> int:
        return self.count

    def __contains__(self, key: str) -> bool:
        h = key_hash(key)
        for run in self._runs:
            i = bisect_left(run, h)
            if i < len(run) and run[i] == h:
                return True
        return False

    @property
    def nbytes(self) -> int:
        return sum(r.itemsize * len(r) for r in self._runs)


@file_setting("existing-keys file", maxsize=2)
def load(path: str) -> KeySet:
    """The keys of `path` (cached per path, size and modification time)."""
    keys = KeySet()
    with open(path, "rb") as f:
        head = f.read(4096)
        f.seek(0)
        if head.startswith(b"\xef\xbb\xbf"):
            f.read(3)
        if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[":
            _json_keys(f, path, keys)
        else:
            _line_keys(f, path, keys)
    keys.finish()
    return keys


_BLOCK = 1 << 20


def _line_keys(f, path: str, keys: KeySet) -> None:
    """One key per line, read and hashed a block at a time (the loop is in C)."""
    rest = b""
    lines_before = 0
    while True:
        block = f.read(_BLOCK)
        data = rest + block
        if block:
            cut = data.rfind(b"\n") + 1
            data, rest = data[:cut], data[cut:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = lines_before + data.count(b"\n", 0, exc.start) + 1
            raise ConfigError(f"{path}:{line}: existing-keys file is not UTF-8 (one key per line, or a JSON array of strings)") from None
        lines_before += text.count("\n")
        keys.extend(map(hash, filter(None, text.replace("\r\n", "\n").lower().split("\n"))))
        if not block:
            return


def _json_keys(f, path: str, keys: KeySet) -> None:
    import ijson

    index = 0
    batch: List[int] = []
    try:
        for index, item in enumerate(ijson.items(f, "item")):
            if not isinstance(item, str):
                raise ConfigError(f"{path}: existing-keys JSON array element {index} is {_kind(item)}, not a string: "
                                  "the file must be a JSON array of global keys, or one key per line")
            batch.append(hash(item.lower()))
            if len(batch) >= 65536:
                keys.extend(batch)
                batch = []
        keys.extend(batch)
    except ijson.JSONError as exc:
        raise ConfigError(f"{path}: existing-keys file starts with '[' but is not a valid JSON array of strings "
                          f"(after element {index}): {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: existing-keys file is not UTF-8") from None


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
