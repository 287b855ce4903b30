"""Helpers shared by the tests."""
import json
import os
import subprocess
import sys
import tempfile

from validator import check_file
from validator.config import Settings


def findings(text, name="import.json", **options):
    """Check `text` (str or bytes) written to a temporary file; returns the findings."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, name)
        with open(path, "wb") as f:
            f.write(data)
        settings = Settings().with_options(**options)
        return check_file(path, settings).findings


def codes(text, **options):
    return [f.code for f in findings(text, **options)]


def only(text, code, **options):
    """The findings with `code`."""
    return [f for f in findings(text, **options) if f.code == code]


def where(f):
    """(code, pointer, line, column) of a finding."""
    return (f.code, f.pointer, f.line, f.column)


def rows(*objs, indent=None):
    """An import file holding these rows."""
    return json.dumps(list(objs), indent=indent)


def run_cli(*args, input=None, cwd=None, env=None):
    """Run `python -m validator ARGS` in a subprocess; returns CompletedProcess (text)."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE", "NO_COLOR")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "validator", *map(str, args)], input=input, capture_output=True,
                          text=True, cwd=cwd, env=full_env, timeout=120)


def start_cli(*args, **popen_options):
    """Start `python -m validator ARGS` (Popen, text), with SIGINT and SIGTERM at their defaults in
    the child: a test runner started in the background ignores SIGINT, and its children inherit
    that, so a test's Ctrl-C would never arrive."""
    import signal

    def default_signals():
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    return subprocess.Popen([sys.executable, "-m", "validator", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=default_signals, **popen_options)


def at(text, needle, nth=0):
    """(line, column) of the nth occurrence of `needle` in `text`, columns in code points.

    An oracle independent of the validator's locator: tests compare findings with it.
    """
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    before = text[:pos]
    return before.count("\n") + 1, pos - (before.rfind("\n") + 1) + 1


def doc(*rows):
    """An import file pretty-printed like a typical export: one key per line."""
    return json.dumps(list(rows), indent=2, ensure_ascii=False)
