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
from functools import lru_cache
from typing import Iterable, Iterator, List

from .config import ConfigError

RUN = 1 << 20  # hashes per sorted run


def key_hash(key: str) -> int:
    """The stored form of a key: 64-bit hash of the case-folded key."""
    return hash(key.lower())


class KeySet:
    """Membership of case-folded keys by 64-bit hash, 8 bytes per key."""

    def __init__(self, hashes: Iterable[int] = ()):
        self._runs: List[array] = []
        self.count = 0
        pending: List[int] = []
        for h in hashes:
            pending.append(h)
            if len(pending) >= RUN:
                self._flush(pending)
                pending = []
        self._flush(pending)

    def _flush(self, pending: List[int]) -> None:
        if not pending:
            return
        pending.sort()
        run = array("q", pending)
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


def load(path: str) -> KeySet:
    """The keys of `path` (cached per path, size and modification time)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ConfigError(f"{path}: existing-keys file cannot be read: {exc.strerror or exc}") from None
    return _load(os.path.abspath(path), st.st_size, st.st_mtime_ns, path)


@lru_cache(maxsize=2)
def _load(_abs: str, _size: int, _mtime: int, path: str) -> KeySet:
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
            f.seek(0)
            start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
            if start == b"[":
                return KeySet(key_hash(k) for k in _json_keys(f, path))
            return KeySet(key_hash(k) for k in _line_keys(f, path))
    except OSError as exc:
        raise ConfigError(f"{path}: existing-keys file cannot be read: {exc.strerror or exc}") from None


def _line_keys(f, path: str) -> Iterator[str]:
    for number, raw in enumerate(f, 1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        line = raw.rstrip(b"\n").rstrip(b"\r")
        if not line:
            continue
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"{path}:{number}: existing-keys file is not UTF-8 (one key per line, or a JSON array of strings)") from None


def _json_keys(f, path: str) -> Iterator[str]:
    import ijson

    head = f.read(3)
    if head != b"\xef\xbb\xbf":
        f.seek(0)
    index = 0
    try:
        for index, item in enumerate(ijson.items(f, "item")):
            if not isinstance(item, str):
                raise ConfigError(f"{path}: existing-keys JSON array element {index} is {_kind(item)}, not a string: "
                                  "the file must be a JSON array of global keys, or one key per line")
            yield item
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
