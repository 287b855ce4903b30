"""The Python API: rows built in code, and files."""
import datetime as dt

import pytest

from validator import Severity, check_file, check_rows
from conftest import FIXTURES

URL = "https://example.com/a.jpg"


def test_check_rows_pointers_are_relative_to_the_list_and_have_no_position():
    got = check_rows([{"row_data": URL}, {"row_data": URL + "#x", "global_key": "k"}])
    (f,) = [f for f in got if f.code == "U001"]
    assert (f.row, f.pointer, f.line, f.column, f.file) == (1, "/1/row_data", None, None, "<rows>")
    assert f.severity is Severity.ERROR


def test_check_rows_accepts_datetime_metadata_like_the_sdk():
    rows = [{
        "row_data": URL, "global_key": "a", "media_type": "IMAGE",
        "metadata_fields": [{"name": "captureDateTime", "value": dt.datetime(2022, 6, 1, 12, 0, tzinfo=dt.timezone.utc)}],
    }]
    assert [f for f in check_rows(rows) if f.severity is Severity.ERROR] == []


def test_check_rows_flags_non_dict_rows():
    got = check_rows([{"row_data": URL}, "path/to/local.jpg", 3])
    assert [(f.code, f.pointer) for f in got if f.code == "J005"] == [("J005", "/1"), ("J005", "/2")]


def test_check_rows_accepts_options():
    rows = [{"row_data": URL + "#x"}]
    assert not check_rows(rows, ignore=("U001",))


def test_check_file_report():
    report = check_file(str(FIXTURES / "example.json"))
    assert report.rows == 5 and report.errors == len([f for f in report.findings if f.severity is Severity.ERROR])
    assert report.has_errors()
    assert report.files[0].path.endswith("example.json")


def test_seed_samples_check_clean_of_errors():
    for path in sorted((FIXTURES / "seeds").glob("*.json")):
        report = check_file(str(path))
        errors = [(f.code, f.pointer, f.message) for f in report.findings if f.severity is Severity.ERROR]
        assert errors == [], f"{path.name}: {errors}"


def test_a_row_that_contains_itself_is_a_value_error_not_a_hang():
    row = {"row_data": URL, "attachments": []}
    row["attachments"].append(row)
    with pytest.raises(ValueError, match=r"row 1 contains itself .*circular reference at key 0"):
        check_rows([{"row_data": URL}, row])
    nested = {"a": 1}
    nested["a"] = [nested]
    with pytest.raises(ValueError, match="row 0 contains itself"):
        check_rows([{"row_data": URL, "metadata_fields": [{"name": "x", "value": nested}]}])


def test_one_object_used_twice_in_a_row_is_not_a_cycle():
    shared = {"type": "RAW_TEXT", "value": "note"}
    got = check_rows([{"row_data": URL, "global_key": "k", "attachments": [shared, shared]}])
    assert [f.code for f in got] == ["A009"]  # the repeated attachment, reported once
