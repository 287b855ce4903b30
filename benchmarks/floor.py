"""Where the time of a check goes, layer by layer, against the parse floor of targets 1 and 6.

    python -m benchmarks.floor                   # the 150,000-row benchmark file
    python -m benchmarks.floor FILE --repeat 5

Each stage runs the project's own code over the same file in this one process and
adds one layer to the stage before it: the source layer (rows with what locates
them), the fast-path predicate on every row, the checker with the default rules.
Times are medians of --repeat runs, taken in turn with the baseline (`ijson.items`,
the floor targets 1 and 6 are measured against), so both see the same drift.
Start-up and the report are left out: `benchmarks.run` measures the whole command.

The reference lines are not layers of the check: what a Python loop over the
rows pays just to have them, with the standard library's C decoder and, if it
is installed, msgspec's. They bound what any pure-Python design of the per-row
checks can reach.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import ijson

from validator import fastpath
from validator.checker import Checker
from validator.config import Settings
from validator.source.diagnose import noting_decoder
from validator.source.stream import ArrayStream, SourceRow

from .run import FULL, data_file

_WS = re.compile(r"[ \t\n\r]*")
_SEPARATOR = re.compile(r"[ \t\n\r]*([,\]])[ \t\n\r]*")


def _open(path: Path):
    return open(path, "rb")


def ijson_items(path: Path) -> int:
    with _open(path) as f:
        return sum(1 for _ in ijson.items(f, "item", use_float=True))


def source_layer(path: Path) -> int:
    with _open(path) as f:
        return sum(1 for item in ArrayStream(f, lambda: _open(path)) if type(item) is SourceRow)


def with_predicate(path: Path) -> int:
    is_clean, rows = fastpath.is_clean, 0
    with _open(path) as f:
        for item in ArrayStream(f, lambda: _open(path)):
            if type(item) is SourceRow:
                is_clean(item.value)
                rows += 1
    return rows


def with_rules(path: Path) -> int:
    checker = Checker(Settings())
    with _open(path) as f:
        stream = ArrayStream(f, lambda: _open(path))
        for _ in checker.check_stream(str(path), stream):
            pass
    return stream.rows


def _rows_with(decode: Callable[[str, int], Tuple[object, int]], text: str) -> int:
    """Rows of a whole array read one at a time by `decode(text, pos) -> (value, end)`."""
    pos, rows, match = _WS.match(text, text.index("[") + 1).end(), 0, _SEPARATOR.match
    while True:
        _, end = decode(text, pos)
        rows += 1
        sep = match(text, end)
        if sep.group(1) == "]":
            return rows
        pos = sep.end()


def stdlib_decoder(path: Path) -> int:
    return _rows_with(json.JSONDecoder().raw_decode, path.read_text("utf-8"))


def stdlib_decoder_noting(path: Path) -> int:
    return _rows_with(noting_decoder([]).raw_decode, path.read_text("utf-8"))


def msgspec_decoder(path: Path) -> Optional[int]:
    try:
        import msgspec
    except ImportError:
        return None
    rows = msgspec.json.Decoder(List[msgspec.Raw]).decode(path.read_bytes())
    decode = msgspec.json.Decoder().decode
    for raw in rows:
        decode(raw)
    return len(rows)


STAGES: List[Tuple[str, Callable[[Path], Optional[int]]]] = [
    ("source layer (ArrayStream: rows, J006/J007 notes, positions)", source_layer),
    ("+ fast-path predicate on every row (fastpath.is_clean)", with_predicate),
    ("+ checker, default rules (no report, no start-up)", with_rules),
]
REFERENCES: List[Tuple[str, Callable[[Path], Optional[int]]]] = [
    ("reference: stdlib C decoder, row by row, no hooks", stdlib_decoder),
    ("reference: stdlib C decoder with the J006/J007 hooks", stdlib_decoder_noting),
    ("reference: msgspec, rows split then decoded (not a dependency)", msgspec_decoder),
]


def _time(fn: Callable[[Path], Optional[int]], path: Path) -> Optional[float]:
    start = time.perf_counter()
    if fn(path) is None:
        return None
    return time.perf_counter() - start


def measure(path: Path, repeat: int) -> List[Tuple[str, Optional[float], float]]:
    """(stage, median seconds or None if unavailable, median seconds of ijson.items in the same rounds)."""
    out = []
    for name, fn in STAGES + REFERENCES:
        times: Dict[str, List[float]] = {"stage": [], "floor": []}
        for _ in range(repeat):
            t = _time(fn, path)
            if t is None:
                break
            times["stage"].append(t)
            times["floor"].append(_time(ijson_items, path) or 0.0)
        stage = statistics.median(times["stage"]) if times["stage"] else None
        floor = statistics.median(times["floor"]) if times["floor"] else float("nan")
        out.append((name, stage, floor))
    return out


def render(rows: Sequence[Tuple[str, Optional[float], float]]) -> str:
    lines = ["| stage | seconds | ijson.items, same rounds | x ijson.items |", "|---|---|---|---|"]
    for name, stage, floor in rows:
        if stage is None:
            lines.append(f"| {name} | - | - | not installed |")
        else:
            lines.append(f"| {name} | {stage:.2f} | {floor:.2f} | {stage / floor:.2f}x |")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("file", nargs="?", help=f"an import file (default: the {FULL['rows']:,}-row benchmark file)")
    p.add_argument("--repeat", type=int, default=3, help="runs per stage (median); default 3")
    a = p.parse_args(argv)
    path = Path(a.file) if a.file else data_file(FULL["rows"])
    rows = measure(path, a.repeat)
    print(render(rows))
    print(f"\n{path.name}, Python {sys.version.split()[0]}, median of {a.repeat} run(s); target 1 allows 2.0x for the whole command.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
