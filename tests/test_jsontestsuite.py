"""A peer's test suite: every parsing case of JSONTestSuite through the checker.

tests/data/JSONTestSuite/ is a copy of nst/JSONTestSuite's test_parsing corpus
(MIT, see its LICENSE and SOURCE.md). `n_` files must be rejected: a J-family
error finding, exit 1. `y_` files are valid JSON: never J001/J002. `i_` files:
whatever the verdict, no crash. Each file is checked in a fresh subprocess with
a time limit and its peak memory measured, so a hang or a balloon fails the test.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "data" / "JSONTestSuite" / "test_parsing"
FILES = sorted(p.name for p in CORPUS.iterdir())

# One interpreter checks every file (start-up is most of the cost), each under an
# alarm, reporting (name, exit code, J codes, error count, seconds, peak RSS growth).
RUNNER = r"""
import json, resource, signal, sys, time
from pathlib import Path
from validator.api import check_file

def alarm(*_):
    raise TimeoutError("over the time limit")

signal.signal(signal.SIGALRM, alarm)
out = {}
for name in sys.argv[2:]:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    signal.alarm(10)
    try:
        report = check_file(str(Path(sys.argv[1]) / name))
        result = {"codes": sorted({f.code for f in report.findings}), "errors": report.errors}
    except BaseException as exc:
        result = {"crash": f"{type(exc).__name__}: {exc}"[:300]}
    signal.alarm(0)
    result["seconds"] = time.perf_counter() - t
    result["grew_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    out[name] = result
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def results():
    r = subprocess.run([sys.executable, "-c", RUNNER, str(CORPUS), *FILES], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout)


def test_the_corpus_is_complete():
    assert len(FILES) == 318
    assert (CORPUS.parent / "LICENSE").exists() and (CORPUS.parent / "SOURCE.md").exists()


@pytest.mark.parametrize("name", FILES)
def test_case(results, name):
    res = results[name]
    assert "crash" not in res, res["crash"]
    assert res["seconds"] < 5, f"{name} took {res['seconds']:.1f} s"
    assert res["grew_kb"] < 64 * 1024, f"{name} grew the process by {res['grew_kb'] // 1024} MB"
    codes = res["codes"]
    if name.startswith("n_"):
        assert any(c.startswith("J") for c in codes) and res["errors"] > 0, codes
    elif name.startswith("y_"):
        assert "J001" not in codes and "J002" not in codes, codes


@pytest.mark.parametrize("name", ["n_structure_100000_opening_arrays.json", "n_structure_open_array_object.json",
                                  "n_single_space.json", "n_structure_lone-invalid-utf-8.json"])
def test_adversarial_cases_through_the_cli_exit_1(name):
    r = subprocess.run([sys.executable, "-m", "validator", "check", "--format", "json", str(CORPUS / name)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    findings = json.loads(r.stdout)["findings"]
    assert findings and all(f["code"].startswith("J") and f["line"] >= 1 and f["column"] >= 1 for f in findings)
