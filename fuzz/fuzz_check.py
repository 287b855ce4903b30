"""Coverage-guided fuzz target (atheris): the whole check of a byte string.

The bytes are checked as an import file (sniffing, streaming parse, diagnosis of
syntax errors, every rule, locations) and the findings rendered by every report
format; the JSON and SARIF reports must parse as JSON, JUnit as XML, and the GitHub report
must be one workflow command per finding and a summary line. Any exception is a crash.

    python fuzz/fuzz_check.py -max_total_time=60 CORPUS_DIR   # seeds: fixtures/
    python fuzz/fuzz_check.py --seeds                           # run the seeds once, no atheris

.ci/run runs it for a bounded time after the tests (fuzz/run.sh).
"""
import io
import json
import os
import sys
from xml.etree import ElementTree


def _imports():
    from validator.checker import Checker
    from validator.model import FileSummary
    from validator.report import FORMATS, Totals, reporter_class
    from validator.source.stream import ArrayStream

    return Checker, FileSummary, FORMATS, Totals, reporter_class, ArrayStream


if __name__ == "__main__" and "--seeds" not in sys.argv:
    import atheris

    with atheris.instrument_imports():
        Checker, FileSummary, FORMATS, Totals, reporter_class, ArrayStream = _imports()
else:
    Checker, FileSummary, FORMATS, Totals, reporter_class, ArrayStream = _imports()

_FORMATS = list(FORMATS)  # text, json, sarif, junit, github


def check(data: bytes) -> None:
    stream = ArrayStream(io.BytesIO(data), lambda: io.BytesIO(data))
    found = list(Checker().check_stream("fuzz.json", stream))
    summary = FileSummary("fuzz.json")
    for f in found:
        assert f.code and f.message, f
        assert f.line is None or (f.line >= 1 and f.column >= 1), f
        summary.count(f.severity)
    summary.rows = stream.rows
    for fmt in _FORMATS:
        out = io.StringIO()
        reporter = reporter_class(fmt)(out)
        totals = Totals()
        reporter.start("fuzz")
        for f in found:
            reporter.finding(f)
        totals.add_file(summary)
        reporter.file_done(summary)
        reporter.finish(totals)
        if fmt in ("json", "sarif"):
            json.loads(out.getvalue())
        elif fmt == "junit":
            ElementTree.fromstring(out.getvalue().encode("utf-8"))
        elif fmt == "github":  # one workflow command per finding, then the summary: no value adds a line
            lines = out.getvalue().splitlines()
            assert len(lines) == len(found) + 1 and all(line.startswith("::") for line in lines[:-1]), lines


def seeds(root):
    for d, _, names in os.walk(root):
        for n in sorted(names):
            if n.endswith((".json", ".ndjson", ".jsonl")):
                yield os.path.join(d, n)


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    if "--seeds" in sys.argv:
        n = 0
        for p in seeds(os.path.join(here, "..", "fixtures")):
            with open(p, "rb") as f:
                check(f.read())
            n += 1
        print(f"{n} seeds checked")
        return
    import atheris

    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
