"""Open an input (a path, or `-` for standard input) for streaming and re-reading.

A syntax error is diagnosed by reading the file again from the start. Regular
files are simply reopened; standard input, pipes and devices are copied to a
spooled temporary file as they are read, so the copy can be re-read.
"""
from __future__ import annotations

import os
import stat
import sys
from typing import BinaryIO, Callable, Iterable, Tuple


class InputError(Exception):
    """The input cannot be opened or read (exit code 2)."""


def read_available(raw: BinaryIO, size: int = -1) -> bytes:
    """Up to `size` bytes, returning as soon as a pipe has some (b"" only at the end).

    A buffered `read(size)` on a pipe waits, in C, until `size` bytes have come: a Ctrl-C
    or SIGTERM that arrives with a write is then not acted on until the pipe gives more.
    """
    read1 = getattr(raw, "read1", None)
    return read1(size) if read1 is not None and size > 0 else raw.read(size)


class _Tee:
    """Read from a stream and keep a copy of everything read."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        import tempfile  # only standard input and FIFOs need it: ~6 ms of start-up otherwise

        self.copy = tempfile.SpooledTemporaryFile(max_size=32 << 20)

    def read(self, size: int = -1) -> bytes:
        data = read_available(self._raw, size)
        if data:
            self.copy.write(data)
        return data

    def reopen(self) -> BinaryIO:
        self.copy.flush()
        self.copy.seek(0)
        return _Unclosable(self.copy)

    def close(self) -> None:
        self.copy.close()
        if self._raw is not sys.stdin.buffer:
            self._raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Unclosable:
    """The spooled copy, handed out for re-reading without being closed."""

    def __init__(self, f):
        self._f = f

    def read(self, size: int = -1) -> bytes:
        return self._f.read(size)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


def check_inputs(names: Iterable[str]) -> None:
    """Raise InputError for the first name that is missing or a directory: checked before
    any report is written, so that a typo in the last name costs no half-written report."""
    for name in names:
        if name != "-":
            stat_input(name)


def stat_input(name: str) -> os.stat_result:
    """os.stat of an input path; InputError with a one-line reason if missing or a directory."""
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{name}: is a directory (give the import files themselves)")
    return st


def open_input(name: str) -> Tuple[BinaryIO, Callable[[], BinaryIO]]:
    """(stream, reopen) for a path or '-'. Raises InputError with a one-line reason."""
    if name == "-":
        tee = _Tee(sys.stdin.buffer)
        return tee, tee.reopen  # type: ignore[return-value]
    st = stat_input(name)
    try:
        raw = open(name, "rb")
    except OSError as exc:
        raise InputError(f"{name}: cannot open: {exc.strerror or exc}") from None
    if stat.S_ISREG(st.st_mode):
        return raw, lambda: open(name, "rb")
    tee = _Tee(raw)  # a FIFO or a device: keep what was read
    return tee, tee.reopen  # type: ignore[return-value]
