"""A smoke run of the benchmark runner at tiny sizes, so it cannot rot.

No timing is asserted: the table's shape and the generator's determinism are."""
import json
import shutil
import subprocess
import sys

import pytest

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


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="counting instructions needs valgrind")
def test_instruction_counts_compare_this_tree_with_a_revision(tmp_path):
    path = tmp_path / "rows.json"
    generate.write(str(path), 40, defects=0.2)
    out = subprocess.run([sys.executable, "-m", "benchmarks.instructions", str(path), "--against", "HEAD"],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    here, then, ratio = out.stdout.splitlines()
    count = lambda line: int(line.split(": ")[1].split()[0].replace(",", ""))  # noqa: E731
    assert here.startswith("this tree: ") and then.startswith("HEAD: ") and count(here) > 0 and count(then) > 0
    assert ratio == f"ratio (this tree / HEAD): {count(here) / count(then):.3f}"
    clean = subprocess.run(["git", "status", "--porcelain", "validator"], cwd=REPO, capture_output=True, text=True).stdout == ""
    if clean:  # the same code twice (as in CI): callgrind counts agree to well under 1%
        assert abs(count(here) / count(then) - 1) < 0.01
    assert "against" not in subprocess.run(["git", "worktree", "list"], cwd=REPO, capture_output=True, text=True).stdout


def test_floor_stages_read_every_row_and_print_one_line_each(tmp_path, capsys):
    from benchmarks import floor

    path = tmp_path / "rows.json"
    generate.write(str(path), 50, defects=0.2)
    for _, stage in floor.STAGES + floor.REFERENCES[:2]:
        assert stage(path) == 50, stage.__name__
    assert floor.ijson_items(path) == 50
    assert floor.main([str(path), "--repeat", "1"]) == 0
    lines = [l for l in capsys.readouterr().out.splitlines() if l.startswith("| ")]
    assert lines[0] == "| stage | seconds | ijson.items, same rounds | x ijson.items |"
    names = [name for name, _ in floor.STAGES + floor.REFERENCES]
    assert [l.split(" | ")[0][2:] for l in lines[1:]] == names
    assert all(l.endswith("x |") or l.endswith("not installed |") for l in lines[1:])
