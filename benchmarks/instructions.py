"""Compare two versions of the checker by instructions executed, not by seconds.

    python -m benchmarks.instructions FILE.json                  # this tree
    python -m benchmarks.instructions FILE.json --against HEAD~3  # this tree and a revision

A shared VM's speed drifts by tens of percent within minutes, so a 5% change cannot
be seen in wall times. valgrind's callgrind counts the instructions a program
executes, which the machine's load does not change: the same tree and input give
the same count to within a fraction of a percent. Each tree checks FILE in-process
(the CLI's reading and checking, no report) under callgrind, and a 2-row file the
same way; the difference is what FILE's rows cost. Counts are not times (a cache
miss costs no instruction), so confirm a change that matters in seconds with
`benchmarks.run`; this is for telling small changes apart. Needs valgrind.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional, Sequence

from . import generate

ROOT = Path(__file__).resolve().parent.parent

# The measured program: read and check one file, as the CLI does, without writing a report.
_CHECK = """
import sys
from validator.checker import Checker
from validator.source.files import open_input
from validator.source.stream import ArrayStream
raw, reopen = open_input(sys.argv[1])
with raw:
    sum(1 for _ in Checker().check_stream(sys.argv[1], ArrayStream(raw, reopen)))
"""


def instructions(tree: Path, path: Path) -> int:
    """Instructions callgrind counts for checking `path` with the validator in `tree`."""
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", _CHECK, str(path)],
        cwd=tree, env=dict(os.environ, PYTHONPATH=str(tree), PYTHONHASHSEED="0"), capture_output=True, text=True,
    )  # a fixed hash seed: the same sets and dicts, so the same instructions, run after run
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise RuntimeError(f"callgrind failed in {tree}:\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def rows_cost(tree: Path, path: Path, small: Path) -> int:
    """Instructions for `path` less those for a 2-row file: start-up and imports taken off."""
    # compiled once first: a module compiled in one of the two runs only would count there
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "validator")], check=True, capture_output=True)
    return instructions(tree, path) - instructions(tree, small)


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description="Instructions executed to check a file (callgrind), for this tree and a revision.")
    p.add_argument("file", help="an import file (JSON array)")
    p.add_argument("--against", metavar="REV", help="a git revision to compare with (checked out in a temporary worktree)")
    a = p.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed", file=sys.stderr)
        return 2
    path = Path(a.file).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "two-rows.json"
        generate.write(str(small), 2)
        here = rows_cost(ROOT, path, small)
        print(f"this tree: {here:,} instructions")
        if a.against:
            other = Path(tmp) / "against"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(other), a.against], check=True)
            try:
                then = rows_cost(other, path, small)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=True)
            print(f"{a.against}: {then:,} instructions")
            print(f"ratio (this tree / {a.against}): {here / then:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
