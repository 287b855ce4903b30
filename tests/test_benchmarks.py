"""A smoke run of the benchmark runner at tiny sizes, so it cannot rot.

No timing is asserted: the table's shape and the generator's determinism are."""
import json
import subprocess
import sys

from conftest import REPO

from benchmarks import generate, run


def test_generator_is_deterministic_and_realistic(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    generate.write(str(a), 200, defects=0.1)
    generate.write(str(b), 200, defects=0.1)
    assert a.read_bytes() == b.read_bytes()
    rows = json.loads(a.read_text())
    assert len(rows) == 200
    assert {r.get("media_type") for r in rows} >= {"IMAGE", "VIDEO", "AUDIO"}
    assert any(a["type"] == "IMAGE_OVERLAY" for r in rows for a in r.get("attachments", []))
    assert any("metadata_fields" in r for r in rows)


def test_worst_case_rows_have_three_findings_each(tmp_path):
    from validator import check_file

    path = tmp_path / "worst.json"
    generate.write(str(path), 20, worst=True)
    report = check_file(str(path))
    per_row = {}
    for f in report.findings:
        per_row[f.row] = per_row.get(f.row, 0) + 1
    assert per_row == {i: 3 for i in range(20)}
    assert {f.code for f in report.findings} == {"U001", "R002"}


def test_runner_smoke(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--only", "1,4,5,6,7", "--data", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stderr
    lines = [l for l in out.stdout.splitlines() if l.startswith("| ")]
    assert lines[0].startswith("| target | figure | baseline | ratio | goal")
    targets = [l.split("|")[1].strip()[:2] for l in lines[1:]]
    assert targets == ["1.", "4.", "5.", "6.", "7."]
    assert "median of 1 run" in out.stdout
