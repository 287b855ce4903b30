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


GOOD = {"row_data": URL, "global_key": "a", "media_type": "IMAGE"}


@pytest.mark.parametrize("number,words", [(float("nan"), "NaN is not a JSON number"), (float("-inf"), "-Infinity is not"),
                                          (10**30, "does not fit in 64 bits"), (-(2**63), "does not fit in 64 bits"),
                                          (10**5000, "<16610-bit integer>")],
                         ids=["nan", "-inf", "10**30", "-2**63", "10**5000"])
def test_numbers_json_cannot_carry_are_j007_as_in_a_file(number, words):
    row = dict(GOOD, metadata_fields=[{"name": "tag", "value": "x"}, {"schema_id": "clx0c4m3r0004abcdxyz01234", "value": number}])
    (f,) = [f for f in check_rows([GOOD, row]) if f.code == "J007"]
    assert (f.pointer, f.row, f.line) == ("/1/metadata_fields/1/value", 1, None) and words in f.message
    assert not [f for f in check_rows([dict(GOOD, x=2**63 - 1)]) if f.code == "J007"]  # the largest integer JSON keeps
    assert not check_rows([row], ignore=("J007",), select=("J",))


def test_non_string_keys_are_checked_as_json_dumps_writes_them():
    got = check_rows([{**GOOD, 1: "x", None: 2, False: 3}])
    assert sorted((f.code, f.pointer) for f in got) == [("R002", "/0/1"), ("R002", "/0/false"), ("R002", "/0/null")]
    with pytest.raises(ValueError, match=r"row 0 has a key of type tuple at /attachments/0: JSON object keys must be strings"):
        check_rows([dict(GOOD, attachments=[{"type": "RAW_TEXT", "value": "x", (1, 2): 3}])])


@pytest.mark.parametrize("value", [b"IMAGE", {1, 2}, object()])
def test_values_json_has_no_type_for_are_findings_not_crashes(value):
    (f,) = check_rows([dict(GOOD, media_type=value)])
    assert (f.code, f.pointer) == ("R004", "/0/media_type") and f"not a Python {type(value).__name__}" in f.message
