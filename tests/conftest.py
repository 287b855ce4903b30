"""Test-wide guarantees: no network, inputs never modified."""
import hashlib
import os
import socket
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"


class NetworkBlocked(RuntimeError):
    pass


def _blocked(*args, **kwargs):
    raise NetworkBlocked("network access attempted during tests")


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    """The whole session runs with sockets unable to connect or resolve names."""
    mp = pytest.MonkeyPatch()
    mp.setattr(socket.socket, "connect", _blocked)
    mp.setattr(socket.socket, "connect_ex", _blocked)
    mp.setattr(socket, "create_connection", _blocked)
    mp.setattr(socket, "getaddrinfo", _blocked)
    yield
    mp.undo()


@pytest.fixture
def write(tmp_path):
    """write(text_or_bytes, name='import.json') -> path of a new input file."""

    def _write(content, name="import.json"):
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return _write


@pytest.fixture
def unchanged(request):
    """unchanged(*paths): assert at teardown that these files are byte-identical."""
    digests = {}

    def _watch(*paths):
        for p in paths:
            digests[Path(p)] = hashlib.sha256(Path(p).read_bytes()).hexdigest()

    yield _watch
    for p, digest in digests.items():
        assert hashlib.sha256(p.read_bytes()).hexdigest() == digest, f"{p} was modified"


# -- inputs are never modified ------------------------------------------------------
# Every CLI invocation in the suite (a subprocess running `-m validator` or an
# `lbx-validate*` executable, or click's CliRunner on validator.cli) has each file
# named on its command line hashed when it starts; at the end of the test every
# one must be byte-identical. Files the command is asked to write are exempt: the
# argument of -o/--output/--out-dir, and the FILES of `--fix` (which rewrites
# them on purpose; tests/test_fix.py checks that).

_WRITES_NEXT = {"-o", "--output", "--out-dir"}
_READS_NEXT = {"--config", "--existing-keys", "--metadata-schema"}


def _cli_inputs(args, cwd=None):
    """The existing regular files an lbx-validate command line names as inputs."""
    args = [os.fsdecode(a) if isinstance(a, (bytes, os.PathLike)) else str(a) for a in args]
    fixing = "--fix" in args
    out, skip = [], False
    for i, a in enumerate(args):
        if skip:
            skip = False
            continue
        if a in _WRITES_NEXT:
            skip = True
            continue
        if a.startswith("-") and "=" in a:
            name, _, a = a.partition("=")
            if name in _WRITES_NEXT:
                continue
        path = Path(cwd or ".") / a
        try:
            regular = path.is_file()
        except (OSError, ValueError):
            regular = False
        if not regular:
            continue
        if fixing and (i == 0 or args[i - 1] not in _READS_NEXT):
            continue  # a FILE that --fix rewrites on purpose
        out.append(path.resolve())
    return out


def _is_validator_command(argv):
    if isinstance(argv, (str, bytes, os.PathLike)):
        return False
    argv = [str(a) for a in argv]
    if argv and os.path.basename(argv[0]).startswith("lbx-validate"):
        return True
    return any(a == "-m" and b == "validator" for a, b in zip(argv, argv[1:]))


class InputWatch:
    """Digests of the files given to CLI runs; `check` compares them with the disk."""

    def __init__(self):
        self.digests = {}

    def watch(self, paths):
        return {p: self.digests.setdefault(p, _digest(p)) for p in paths}

    def check(self, digests=None):
        digests = self.digests if digests is None else digests
        changed = [str(p) for p, d in digests.items() if p.exists() and _digest(p) != d]
        assert not changed, f"the validator modified its input file(s): {changed}"


def _digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@pytest.fixture(autouse=True)
def inputs_unchanged(monkeypatch):
    """Autouse: every file a CLI run was given is unchanged when the run ends.

    subprocess.run and CliRunner.invoke are checked as soon as they return (a test
    may change the file afterwards, e.g. by applying a --diff); a bare Popen is
    checked when the test ends.
    """
    watch = InputWatch()
    real_run, real_init = subprocess.run, subprocess.Popen.__init__
    in_run, at_teardown = [], {}

    def run(args, *a, **kw):
        if not _is_validator_command(args):
            return real_run(args, *a, **kw)
        digests = watch.watch(_cli_inputs(list(args)[1:], kw.get("cwd")))
        in_run.append(True)
        try:
            result = real_run(args, *a, **kw)
        finally:
            in_run.pop()
        watch.check(digests)
        return result

    def popen_init(self, args, *a, **kw):
        if not in_run and _is_validator_command(args):
            at_teardown.update(watch.watch(_cli_inputs(list(args)[1:], kw.get("cwd"))))
        real_init(self, args, *a, **kw)

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(subprocess.Popen, "__init__", popen_init)
    from click.testing import CliRunner

    real_invoke = CliRunner.invoke

    def invoke(self, cli, args=None, *a, **kw):
        digests = watch.watch(_cli_inputs(list(args))) if args is not None and not isinstance(args, str) else {}
        result = real_invoke(self, cli, args, *a, **kw)
        watch.check(digests)
        return result

    monkeypatch.setattr(CliRunner, "invoke", invoke)
    yield watch
    watch.check(at_teardown)
