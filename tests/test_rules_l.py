"""L001-L002: rows per upload."""
import json

from validator import check_rows
from util import only, run_cli, where


def doc(rows):
    return "[\n" + ",\n".join("  " + json.dumps(r) for r in rows) + "\n]\n"


def row(i, meta=False):
    r = {"row_data": f"https://example.com/{i}.jpg", "global_key": f"k{i}"}
    if meta:
        r["metadata_fields"] = [{"name": "tag", "value": "x"}]
    return r


def test_l001_once_at_the_first_row_over_the_limit():
    text = doc([row(i) for i in range(6)] + ["not a row"])
    found = only(text, "L001", max_rows=4)
    assert [where(f) for f in found] == [("L001", "/4", 6, 3)]
    assert "more than 4 data rows" in found[0].message and "lbx-validate split" in found[0].message
    assert "--max-rows 4" in found[0].message and found[0].severity == "warning"
    assert "(row 4, counting from 0, is the first past the limit)" in found[0].message  # rows count from 0, as in pointers


def test_l001_counts_non_object_elements_too():
    text = doc([row(0), 7, row(2)])
    assert [where(f) for f in only(text, "L001", max_rows=2)] == [("L001", "/2", 4, 3)]


def test_l001_passes_at_the_limit():
    assert only(doc([row(i) for i in range(4)]), "L001", max_rows=4) == []


def test_l001_default_limit_is_150000_and_python_api_hint():
    rows = [{"row_data": "https://example.com/a.jpg"}] * 150_001
    found = [f for f in check_rows(rows, select=("L001",))]
    assert [(f.code, f.pointer) for f in found] == [("L001", "/150000")]
    assert "create_data_rows" in found[0].message


def test_l002_counts_rows_with_metadata():
    rows = [row(0, True), row(1), row(2, True), {"row_data": "https://example.com/3.jpg", "metadata_fields": []}, row(4, True), row(5, True)]
    text = doc(rows)
    found = only(text, "L002", max_metadata_rows=2)
    assert [where(f) for f in found] == [("L002", "/4/metadata_fields", 6, 65)]
    assert "--max-metadata-rows 2" in found[0].message and "more than 2 rows with metadata_fields" in found[0].message


def test_l002_passes_at_the_limit():
    assert only(doc([row(0, True), row(1, True), row(2)]), "L002", max_metadata_rows=2) == []


def test_l002_counts_per_file(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(doc([row(0, True), row(1, True)]))
    b.write_text(doc([row(2, True), row(3, True)]))
    config = tmp_path / ".lbx-validate.toml"
    config.write_text("max-metadata-rows = 2\n")
    r = run_cli("check", "--config", config, "--format", "json", a, b)
    assert r.returncode == 0, r.stderr
    assert [f for f in json.loads(r.stdout)["findings"] if f["code"] == "L002"] == []
