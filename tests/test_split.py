"""`lbx-validate split`: upload-sized parts, rows byte for byte, never overwriting."""
import io
import json
import os

import pytest
from hypothesis import given, settings, strategies as st

from util import run_cli, start_cli
from validator import split as split_module
from validator.split import SplitError, array_rows, ndjson_rows, part_name, split

URL = "https://example.com/img/%d.jpg"
META = [{"name": "tag", "value": "x"}]


def make_rows(n, meta_every=0):
    return [dict({"row_data": URL % i, "global_key": "k%d" % i}, **({"metadata_fields": META} if meta_every and i % meta_every == 0 else {}))
            for i in range(n)]


def parts_of(tmp_path, stem, ext):
    return sorted(p for p in os.listdir(tmp_path) if p.startswith(stem + ".part") and p.endswith(ext))


# -- byte-exact row extraction ------------------------------------------------------------------


def test_array_rows_are_the_exact_bytes_with_their_lines():
    text = b'[\n  {"a": "x,]}\\"[",\n   "b": [1, {"c": 2}]},\n  "str", 12.50e1 ,\n  null, {"u": "\\u00e9\xc3\xa9"}\n]\n'
    got = [(row, line) for row, line, _ in array_rows(io.BytesIO(text), "f.json")]
    assert got == [
        (b'{"a": "x,]}\\"[",\n   "b": [1, {"c": 2}]}', 2),
        (b'"str"', 4), (b"12.50e1", 4), (b"null", 5), (b'{"u": "\\u00e9\xc3\xa9"}', 5),
    ]


_json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
              st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=8,
)


@settings(max_examples=80, deadline=None)
@given(values=st.lists(_json_value, max_size=6), indent=st.sampled_from([None, 0, 2]), read_size=st.integers(1, 50),
       ascii_=st.booleans())
def test_array_rows_property_exact_bytes_across_reads(values, indent, read_size, ascii_):
    """Every element comes back as exactly the bytes json.dumps wrote for it, wherever the reads cut."""
    text = json.dumps(values, indent=indent, ensure_ascii=ascii_).encode()
    mp = pytest.MonkeyPatch()
    mp.setattr(split_module, "READ_SIZE", read_size)
    try:
        got = [row for row, _, _ in array_rows(io.BytesIO(text), "f.json")]
    finally:
        mp.undo()
    assert [json.loads(r) for r in got] == values
    for r in got:  # each is a contiguous slice of the input
        assert r in text
    if indent is None:
        assert got == [json.dumps(v, ensure_ascii=ascii_).encode() for v in values]


@pytest.mark.parametrize("text,message", [
    (b'{"row_data": "x"}', "not an array"),
    (b'[{"row_data": "x"}, ', "ends inside the array"),
    (b'[{"row_data": "x"},]', "trailing comma"),
    (b'[{"row_data": "x"}] []', "after the closing"),
    (b'', "empty"),
    (b'[{"a": 1}, {"a" 2}]', "f.json:1: not valid JSON"),
    (b'[{"a": 1}\n {"a": 2}]', "f.json:2: expected ',' or ']' after the data row on line 1"),
    (b'[{"a": "caf\xe9"}]', "byte at offset 11 is not valid UTF-8"),
    (b'  \n ', "empty"),
    ('[{"a": 1}]'.encode("utf-16"), "UTF-16"),
    (b'[{"a": 1},\n {"a": "\\ud800"}]', "f.json:2: not valid JSON .'.ud800' is half of a UTF-16 surrogate pair"),  # check's J001
    (b'[{"a": NaN}]', "f.json:1: not valid JSON .NaN is not a JSON number"),
])
def test_broken_arrays_are_refused(text, message):
    with pytest.raises(SplitError, match=message):
        list(array_rows(io.BytesIO(text), "f.json"))


def test_ndjson_lines_json_does_not_take_are_refused():
    for line, message in ((b'{"a": "\\udc00"}', "'.udc00' is half of a UTF-16 surrogate pair"), (b'{"a": Infinity}', "Infinity is not a JSON number")):
        with pytest.raises(SplitError, match=f"f.ndjson:2: this line is not valid JSON .{message}"):
            list(ndjson_rows(io.BytesIO(b'{"a": 1}\n' + line), "f.ndjson"))


def test_ndjson_rows_keep_bytes_and_skip_blank_lines():
    data = b'{"a": 1}\r\n\n  {"b":  2}  \n{"c": 3}'
    assert list(ndjson_rows(io.BytesIO(data), "f.ndjson")) == [
        (b'{"a": 1}', 1, {"a": 1}), (b'  {"b":  2}  ', 3, {"b": 2}), (b'{"c": 3}', 4, {"c": 3})]


# -- the split ---------------------------------------------------------------------------------


def test_part_names():
    assert part_name("data/import.json", 1) == os.path.join("data", "import.part001.json")
    assert part_name("rows.ndjson", 12, "out") == os.path.join("out", "rows.part012.ndjson")
    assert part_name("noext", 2) == "noext.part002.json"


def test_split_by_rows_keeps_every_row_in_order(tmp_path, unchanged):
    rows = make_rows(10)
    src = tmp_path / "import.json"
    src.write_text(json.dumps(rows, indent=2))
    unchanged(src)
    result = split(str(src), max_rows=4)
    names = parts_of(tmp_path, "import", ".json")
    assert names == ["import.part001.json", "import.part002.json", "import.part003.json"]
    assert [p[1] for p in result.parts] == [4, 4, 2]
    back = [r for n in names for r in json.loads((tmp_path / n).read_text())]
    assert back == rows


def test_row_bytes_are_copied_exactly(tmp_path):
    row0 = '{"row_data":"https://example.com/a.jpg",  "n": 1.50E+2, "s": "caf\\u00e9"}'
    row1 = '{\n    "row_data": "https://example.com/é.jpg"\n  }'
    src = tmp_path / "import.json"
    src.write_text("[\n  %s,\n  %s\n]\n" % (row0, row1), encoding="utf-8")
    split(str(src), max_rows=1)
    assert (tmp_path / "import.part001.json").read_text(encoding="utf-8") == "[\n%s\n]\n" % row0
    assert (tmp_path / "import.part002.json").read_text(encoding="utf-8") == "[\n%s\n]\n" % row1


def test_split_by_metadata_rows(tmp_path):
    rows = make_rows(9, meta_every=2)  # rows 0,2,4,6,8 carry metadata
    src = tmp_path / "import.json"
    src.write_text(json.dumps(rows))
    result = split(str(src), max_rows=100, max_metadata_rows=2)
    assert [(p[1], p[2]) for p in result.parts] == [(4, 2), (4, 2), (1, 1)]
    back = [r for n in parts_of(tmp_path, "import", ".json") for r in json.loads((tmp_path / n).read_text())]
    assert back == rows


def test_empty_metadata_list_does_not_count(tmp_path):
    rows = [{"row_data": URL % i, "metadata_fields": []} for i in range(3)]
    src = tmp_path / "import.json"
    src.write_text(json.dumps(rows))
    assert [(p[1], p[2]) for p in split(str(src), max_metadata_rows=1).parts] == [(3, 0)]


def test_split_ndjson(tmp_path):
    rows = make_rows(5, meta_every=1)
    src = tmp_path / "rows.ndjson"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    result = split(str(src), max_rows=10, max_metadata_rows=2)
    names = parts_of(tmp_path, "rows", ".ndjson")
    assert names == ["rows.part001.ndjson", "rows.part002.ndjson", "rows.part003.ndjson"]
    assert (tmp_path / names[0]).read_text() == "\n".join(json.dumps(r) for r in rows[:2]) + "\n"
    assert result.rows == 5


def test_broken_row_is_refused_and_nothing_is_left_behind(tmp_path):
    src = tmp_path / "import.ndjson"
    src.write_text('{"row_data": "a"}\n{"row_data": "b"}\n{"row_data": \n')
    with pytest.raises(SplitError, match=r"import.ndjson:3: .*not valid JSON"):
        split(str(src), max_rows=1)
    assert parts_of(tmp_path, "import", ".ndjson") == []


def test_never_overwrites(tmp_path, unchanged):
    src = tmp_path / "import.json"
    src.write_text(json.dumps(make_rows(3)))
    (tmp_path / "import.part002.json").write_text("mine")
    unchanged(tmp_path / "import.part002.json")
    with pytest.raises(SplitError, match="import.part002.json: already exists"):
        split(str(src), max_rows=1)
    assert parts_of(tmp_path, "import", ".json") == ["import.part002.json"]


# -- the command --------------------------------------------------------------------------------


def test_cli_split_with_out_dir(tmp_path):
    src = tmp_path / "import.json"
    src.write_text(json.dumps(make_rows(5)))
    out = tmp_path / "out"
    out.mkdir()
    r = run_cli("split", src, "--max-rows", "2", "--out-dir", out)
    assert r.returncode == 0, r.stderr
    assert sorted(os.listdir(out)) == ["import.part001.json", "import.part002.json", "import.part003.json"]
    assert "Wrote 3 file(s), 5 rows" in r.stdout
    # the parts pass the check that the whole file failed with L001 at --max-rows 2
    assert run_cli("check", "--isolated", "--strict", "--select", "L001", "--max-rows", "2", src).returncode == 1
    for name in os.listdir(out):
        assert run_cli("check", "--isolated", "--strict", "--select", "L001", "--max-rows", "2", out / name).returncode == 0


def test_cli_split_refuses_to_overwrite_with_exit_2(tmp_path):
    src = tmp_path / "import.json"
    src.write_text(json.dumps(make_rows(2)))
    (tmp_path / "import.part001.json").write_text("keep")
    r = run_cli("split", src, "--max-rows", "1")
    assert r.returncode == 2
    assert "import.part001.json: already exists" in r.stderr
    assert (tmp_path / "import.part001.json").read_text() == "keep"


@pytest.mark.parametrize("args,message", [
    (["missing.json"], "no such file"),
    (["-"], "not standard input"),
    (["{src}", "--max-rows", "0"], "max-rows"),
    (["{src}", "--out-dir", "{tmp}/nope"], "does not exist"),
])
def test_cli_split_usage_errors_exit_2(tmp_path, args, message):
    src = tmp_path / "import.json"
    src.write_text(json.dumps(make_rows(2)))
    r = run_cli("split", *[a.format(src=src, tmp=tmp_path) for a in args], cwd=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr


def test_memory_is_bounded_by_a_block_and_a_row(tmp_path, monkeypatch):
    import tracemalloc

    monkeypatch.setattr(split_module, "READ_SIZE", 64 * 1024)
    src = tmp_path / "import.json"
    with open(src, "w") as f:
        f.write("[")
        for i in range(40_000):
            f.write(("," if i else "") + json.dumps({"row_data": URL % i, "global_key": "k%d" % i, "metadata_fields": META}, indent=2))
        f.write("]")
    assert src.stat().st_size > 6_000_000
    tracemalloc.start()
    try:
        result = split(str(src), max_rows=15_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [p[1] for p in result.parts] == [15_000, 15_000, 10_000]
    assert peak < 2_000_000, peak


def test_split_interrupted_exits_130_and_leaves_no_part(tmp_path):
    import signal
    import time

    fifo = tmp_path / "in.json"
    os.mkfifo(fifo)
    out_dir = tmp_path / "parts"
    out_dir.mkdir()
    proc = start_cli("split", fifo, "--max-rows", "1", "--out-dir", out_dir)
    with open(fifo, "wb") as writer:
        writer.write(b'[{"row_data": "https://example.com/a.jpg"}, {"row_data": "https://example.com/b.jpg"},')
        writer.flush()
        # Once it has read those bytes, the command waits for more. (A signal that lands in the
        # microseconds between a check for signals and the next blocking read is only acted on
        # when the read returns: CPython's own race, which a test must not depend on.)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err and "Aborted" not in err
    assert list(out_dir.iterdir()) == []
