"""NDJSON / JSON Lines input: one data row per line, pointers as if the lines were array elements."""
import io
import json

import pytest
from hypothesis import given, settings, strategies as st

from util import at, findings, only, run_cli, where
from validator.source import ndjson
from validator.source.ndjson import NdjsonStream, input_format
from validator.source.stream import SourceProblem, SourceRow

URL = "https://example.com/img/a.jpg"


def nd(*rows, blank_after=()):
    """NDJSON text holding these rows (a blank line after the rows whose index is in blank_after)."""
    out = []
    for i, r in enumerate(rows):
        out.append(r if isinstance(r, str) else json.dumps(r))
        if i in blank_after:
            out.append("")
    return "\n".join(out) + "\n"


# -- choosing the format -----------------------------------------------------------------------


@pytest.mark.parametrize("path,requested,expected", [
    ("a.ndjson", "auto", "ndjson"), ("a.JSONL", "auto", "ndjson"), ("a.json", "auto", "json"),
    ("-", "auto", "json"), ("-", "ndjson", "ndjson"), ("a.ndjson", "json", "json"), ("dir.ndjson/a.txt", "auto", "json"),
])
def test_input_format_by_extension_or_request(path, requested, expected):
    assert input_format(path, requested) == expected


# -- rows, pointers, lines --------------------------------------------------------------------


def test_pointers_and_lines_count_rows_not_blank_lines():
    text = nd({"row_data": URL}, {"row_data": "https://example.com/a b.jpg"}, blank_after=(0,))
    (f,) = only(text, "U001", name="import.ndjson")
    assert where(f) == ("U001", "/1/row_data", 3, at(text, '"https://example.com/a b')[1])
    assert f.row == 1


def test_key_findings_point_at_the_key_on_its_line():
    text = nd({"row_data": URL}, {"row_data": URL, "globalKey": "k"})
    (f,) = only(text, "R002", name="import.ndjson")
    assert where(f) == ("R002", "/1/globalKey", 2, at(text, '"globalKey"')[1])


def test_crlf_lines_and_indented_rows():
    text = '{"row_data": "%s"}\r\n\r\n   {"row_data": "%s", "extra": 1}\r\n' % (URL, URL)
    (f,) = only(text, "R002", name="import.ndjson")
    assert where(f) == ("R002", "/1/extra", 3, at(text, '"extra"')[1])


def test_a_bad_line_is_j001_at_its_line_and_the_rest_is_still_checked():
    text = nd({"row_data": URL}, '{"row_data": "%s" "media_type": "IMAGE"}' % URL, {"row_data": URL, "bad_key": 1})
    fs = findings(text, name="import.ndjson")
    assert [where(f) for f in fs] == [
        ("J001", "/1", 2, at(text, '"media_type"')[1]),
        ("R002", "/2/bad_key", 3, at(text, '"bad_key"')[1]),
    ]


def test_a_row_split_over_two_lines_says_each_row_must_be_on_one_line():
    text = '{"row_data": "%s",\n "global_key": "k"}\n' % URL
    fs = only(text, "J001", name="import.ndjson")
    assert [(f.line, f.pointer) for f in fs] == [(1, "/0"), (2, "/1")]
    assert "one line" in fs[0].message


def test_j006_duplicate_keys_are_found_per_line():
    text = nd({"row_data": URL}, '{"row_data": "%s", "attachments": [{"type": "RAW_TEXT", "value": "a", "value": "b"}]}' % URL)
    (f,) = only(text, "J006", name="import.ndjson")
    assert where(f) == ("J006", "/1/attachments/0/value", 2, at(text, '"value"', 1)[1])


def test_j006_does_not_leak_into_the_next_row():
    text = nd('{"row_data": "%s", "a": 1, "a": 2}' % URL, {"row_data": URL, "a": 1})
    assert [f.pointer for f in only(text, "J006", name="import.ndjson")] == ["/0/a"]


@pytest.mark.parametrize("literal,message", [("NaN", "NaN"), ("1e400", "overflows"), ("123456789012345678901234", "64 bits")])
def test_j007_on_a_line_and_later_rows_checked(literal, message):
    text = nd({"row_data": URL}, '{"row_data": "%s", "x": %s}' % (URL, literal), {"row_data": URL, "zz": 1})
    fs = findings(text, name="import.ndjson")
    assert [where(f) for f in fs] == [("J007", "/1", 2, at(text, literal)[1]), ("R002", "/2/zz", 3, at(text, '"zz"')[1])]
    assert message in fs[0].message


@pytest.mark.parametrize("escape", ["\\ud800", "\\udc00"])
def test_j001_a_lone_surrogate_escape_on_a_line_and_later_rows_checked(escape):
    text = nd('{"row_data": "%s", "global_key": "a%s", "x": "\\ud83d\\ude00"}' % (URL, escape), {"row_data": URL, "zz": 1})
    fs = findings(text, name="import.ndjson")
    assert [where(f) for f in fs] == [("J001", "/0", 1, at(text, escape)[1]), ("R002", "/1/zz", 2, at(text, '"zz"')[1])]
    assert fs[0].message.startswith(f"'{escape}' is half of a UTF-16 surrogate pair")


def test_j002_invalid_utf8_on_one_line_is_located_and_the_rest_checked():
    data = nd({"row_data": URL}).encode() + b'{"row_data": "https://example.com/caf\xe9.jpg"}\n' + nd({"row_data": URL, "zz": 1}).encode()
    fs = findings(data, name="import.ndjson")
    last = data.decode("latin-1")
    assert [where(f) for f in fs] == [("J002", "/1", 2, len('{"row_data": "https://example.com/caf') + 1), ("R002", "/2/zz", 3, at(last, '"zz"')[1])]
    assert "Latin-1" in fs[0].message


def test_j002_utf16_file_is_fatal_with_a_hint():
    (f,) = findings(nd({"row_data": URL}).encode("utf-16"), name="import.ndjson")
    assert (f.code, f.line, f.column) == ("J002", 1, 1) and "iconv" in f.message


def test_j003_bom_does_not_shift_columns():
    text = "\ufeff" + nd({"row_data": URL, "zz": 1})
    fs = findings(text, name="import.ndjson")
    assert [where(f) for f in fs] == [("J003", "", 1, 1), ("R002", "/0/zz", 1, at(text[1:], '"zz"')[1])]


def test_j005_a_line_that_is_not_an_object():
    text = nd({"row_data": URL}, '"local/path.jpg"')
    (f,) = only(text, "J005", name="import.ndjson")
    assert where(f) == ("J005", "/1", 2, 1)


@pytest.mark.parametrize("indent", [2, None])  # pretty-printed, or minified on one line
def test_a_json_array_given_as_ndjson_is_one_finding_with_a_hint(indent):
    text = json.dumps([{"row_data": URL}] * 3, indent=indent) + "\n"
    (f,) = findings(text, name="import.ndjson")
    assert where(f) == ("J001", "/0", 1, 1)
    assert "--input-format json" in f.message


def test_an_array_line_after_the_first_is_j005_not_the_hint():
    text = nd({"row_data": URL}, [{"row_data": URL}])
    (f,) = findings(text, name="import.ndjson")
    assert where(f) == ("J005", "/1", 2, 1)


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_a_file_without_rows_is_j008(text):
    (f,) = findings(text, name="import.ndjson")
    assert where(f) == ("J008", "", 1, 1)


def test_clean_file_passes_and_counts_rows():
    r = run_cli("check", "--isolated", "--format", "json", "-", "--input-format", "ndjson",
                input=nd({"row_data": URL}, {"row_data": URL}, blank_after=(0,)))
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["summary"]["rows"] == 2


def test_cli_input_format_overrides_the_extension(tmp_path):
    p = tmp_path / "rows.json"
    p.write_text(nd({"row_data": URL}, {"row_data": URL, "zz": 1}))
    r = run_cli("check", "--isolated", "--input-format", "ndjson", "--format", "json", p)
    assert r.returncode == 1
    (f,) = json.loads(r.stdout)["findings"]
    assert (f["code"], f["pointer"], f["line"]) == ("R002", "/1/zz", 2)
    r = run_cli("check", "--isolated", "--format", "json", p)  # auto: a .json file must be one array
    assert r.returncode == 1
    assert [f["code"] for f in json.loads(r.stdout)["findings"]] == ["J004"]


def test_jsonl_extension_is_ndjson(tmp_path):
    p = tmp_path / "rows.jsonl"
    p.write_text(nd({"row_data": URL}, {"row_data": URL}))
    r = run_cli("check", "--isolated", p)
    assert r.returncode == 0, r.stdout + r.stderr


# -- the stream itself ---------------------------------------------------------------------


def _items(data, read_size=None, monkeypatch=None):
    if read_size is not None:
        monkeypatch.setattr(ndjson, "READ_SIZE", read_size)
    stream = NdjsonStream(io.BytesIO(data))
    out = []
    for item in stream:
        if isinstance(item, SourceRow):
            loc = stream.locate(item.index, [((), False)])[((), False)]
            out.append(("row", item.index, item.value, item.duplicates, loc))
        else:
            assert isinstance(item, SourceProblem)
            out.append((item.code, item.row, item.line, item.column))
    return out, stream.rows


_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**15, 10**15), st.text(max_size=8))
_row = st.dictionaries(st.text(max_size=5), st.one_of(_scalar, st.lists(_scalar, max_size=3)), max_size=4)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.one_of(_row, st.just("{broken")), max_size=8), blanks=st.lists(st.booleans(), max_size=8),
       read_size=st.integers(1, 40), crlf=st.booleans())
def test_lines_split_across_reads_give_the_same_rows(rows, blanks, read_size, crlf):
    lines = []
    for i, r in enumerate(rows):
        lines.append(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False))
        if i < len(blanks) and blanks[i]:
            lines.append("  ")
    data = ("\r\n" if crlf else "\n").join(lines).encode()
    mp = pytest.MonkeyPatch()
    try:
        small, n_small = _items(data, read_size, mp)
    finally:
        mp.undo()
    big, n_big = _items(data)
    assert small == big
    assert n_big == len(rows)
    # rows come back in order, with the index of their non-blank line, located on that line
    got = [(i, v, loc[0]) for kind, i, v, *rest in big if kind == "row" for loc in [rest[1]]]
    expected_lines = [n + 1 for n, line in enumerate(lines) if line.strip()]
    want = [(i, r, expected_lines[i]) for i, r in enumerate(rows) if not isinstance(r, str)]
    assert got == want


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries({"row_data": st.sampled_from([URL, "https://example.com/a b.jpg", ""]),
                                            "global_key": st.sampled_from(["a", "b", "c"])},
                                           optional={"bogus": st.integers(0, 3)}), min_size=1, max_size=6))
def test_findings_match_the_array_form(rows):
    """Same codes, pointers and rows as the same rows in a JSON array; lines are the rows' lines."""
    array = findings(json.dumps(rows), name="import.json")
    lines = findings(nd(*rows), name="import.ndjson")
    key = lambda f: (f.code, f.pointer, f.row, f.message)  # noqa: E731
    assert sorted(map(key, array)) == sorted(map(key, lines))
    for f in lines:
        assert f.line == f.row + 1


def test_memory_is_bounded_by_a_block_and_a_line(tmp_path, monkeypatch):
    import tracemalloc

    monkeypatch.setattr(ndjson, "READ_SIZE", 64 * 1024)
    src = tmp_path / "rows.ndjson"
    with open(src, "w") as f:
        for i in range(40_000):
            f.write(json.dumps({"row_data": "https://example.com/%d.jpg" % i, "global_key": "k%d" % i}) + "\n")
    tracemalloc.start()
    try:
        with open(src, "rb") as raw:
            stream = NdjsonStream(raw)
            n = sum(1 for item in stream if isinstance(item, SourceRow))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 40_000 and stream.rows == 40_000
    assert peak < 1_000_000, peak
