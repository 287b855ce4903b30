"""Replace a file so that a crash or a stop leaves the old file or the new one, never a mix.

Used by `--fix` (the fixed import) and by the reports written with `--output`.
"""
from __future__ import annotations

import os
import tempfile
from typing import IO, Callable, Optional


class AtomicFile:
    """A file written beside `path` (beside a symlink's target) and renamed over it by
    `commit()`; `discard()`, or a failure in `commit()`, leaves `path` as it was.
    The temporary file is named `.lbx-<kind>-XXXXXXXX.tmp`: short, so any file name fits."""

    def __init__(self, path: str, kind: str, text: bool = False):
        self.path = path
        self.target = os.path.realpath(path)
        fd, self._tmp = tempfile.mkstemp(prefix=f".lbx-{kind}-", suffix=".tmp", dir=os.path.dirname(self.target))
        self.file: IO = os.fdopen(fd, "w", encoding="utf-8", newline="\n") if text else os.fdopen(fd, "wb")

    def commit(self, sync: bool = False, before_rename: Optional[Callable[[], None]] = None) -> None:
        """Rename the temporary file over the target, with the target's permissions (or, for a
        new file, those `open(path, "w")` gives); `sync` flushes file and directory to disk."""
        try:
            self.file.flush()
            if sync:
                os.fsync(self.file.fileno())
            self.file.close()
            os.chmod(self._tmp, _mode_for(self.target))  # mkstemp makes 0600
            if before_rename is not None:
                before_rename()
            os.replace(self._tmp, self.target)
        except BaseException:
            self.discard()
            raise
        if sync:
            _fsync_dir(os.path.dirname(self.target))

    def discard(self) -> None:
        self.file.close()
        try:
            os.unlink(self._tmp)
        except FileNotFoundError:
            pass  # committed


def _mode_for(target: str) -> int:
    try:
        return os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
