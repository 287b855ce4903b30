"""The quick path (blocks.py, the C decoder) against the exact path (ijson), byte for byte.

Whatever the file, the stream must yield the same rows, duplicate-key notes,
problems and locations whether rows go through the quick path (here with blocks
of a few bytes, so that block ends fall everywhere) or through ijson alone. The
files are generated as JSON text, so that they can hold what the two parsers
might treat differently: repeated keys, numbers past 64 bits or a float's range,
NaN, surrogate escapes, deep nesting; and then they are cut short, or have bytes
inserted or replaced.
"""
import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from validator.source.stream import ArrayStream, SourceRow

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_chars = st.sampled_from(list('ab[]{},:" \\é\n\t/') + ["\u2028", "😀", "\x00", "\ud800"])
_escapes = st.sampled_from(["\\ud83d\\ude00", "\\ud800", "\\udc00x", "\\\\ud800\\udc00", "\\u00e9", "\\n", '\\"', "\\/"])


@st.composite
def json_string(draw):
    parts = draw(st.lists(st.one_of(_chars.map(lambda c: json.dumps(c)[1:-1]), _escapes), max_size=5))
    return '"' + "".join(parts) + '"'


_numbers = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["NaN", "-Infinity", "1e400", "-1E+309", "9223372036854775807", "9223372036854775808", "-9223372036854775807", "-9223372036854775808", "-0", "1.5e-400"]),
)
_scalars = st.one_of(json_string(), _numbers, st.sampled_from(["true", "false", "null"]))
_ws = st.sampled_from(["", " ", "\n", "\r\n  ", "\t"])


def _containers(children):
    keys = st.sampled_from(['"a"', '"b"', '"row_data"', '"\\u0061"']) | json_string()
    member = st.tuples(keys, _ws, children).map(lambda t: f"{t[0]}:{t[1]}{t[2]}")
    return st.lists(children, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]") | st.lists(member, max_size=4).map(
        lambda ms: "{" + ",".join(ms) + "}"
    )


values = st.recursive(_scalars, _containers, max_leaves=10)
rows_text = st.lists(st.tuples(_ws, values, _ws), max_size=6).map(lambda rs: "[" + ",".join(a + v + b for a, v, b in rs) + "]")


@st.composite
def files(draw):
    data = draw(st.tuples(_ws, rows_text, _ws).map("".join)).encode("utf-8", "surrogatepass")
    how = draw(st.sampled_from(["as is", "as is", "cut", "insert", "replace"]))
    if how == "cut" and data:
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif how in ("insert", "replace") and data:
        at = draw(st.integers(0, len(data) - 1))
        junk = draw(st.sampled_from([b",", b"]", b"[", b"{", b'"', b"\\", b"\xff", b"\xc3", b"\x0c", b"x", b"1", b" ,]"]))
        data = data[:at] + junk + data[at + (how == "replace") :]
    return data


def events(data, **options):
    """Everything the stream says about `data`: rows (value, notes, locations) and problems."""
    stream = ArrayStream(io.BytesIO(data), lambda: io.BytesIO(data), **options)
    out = []
    for item in stream:
        if type(item) is SourceRow:
            paths = [((), False)]
            if isinstance(item.value, dict):
                paths += [((key,), on_key) for key in item.value for on_key in (False, True)]
            paths += [(path + (key,), True) for path, key in item.duplicates]
            where = stream.locate(item.index, paths)
            out.append(("row", item.index, repr(item.value), item.duplicates, sorted(where.items(), key=repr)))
        else:
            out.append(("problem", item.code, item.message, item.line, item.column, item.row, item.path, item.fatal))
    return out, stream.rows


@SETTINGS
@given(files(), st.integers(1, 64))
@example(b'[{"a": 1, "a": 2}, 3]', 5)
@example(b'[1e400, 2]', 3)
@example(b'["\\ud800"]', 4)
@example(b'[{"a": 1}] x', 2)
@example(b'[1, 2, ]', 1)
@example(b'  [ ]  ', 1)
@example(b'[' + b'[' * 600 + b']' * 600 + b']', 50)
def test_the_quick_path_agrees_with_ijson(data, block_size):
    assert events(data, quick=True, block_size=block_size, chunk_size=block_size) == events(data, quick=False)


plain_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=8)
plain_scalars = st.none() | st.booleans() | st.integers(-(2**62), 2**62) | st.floats(allow_nan=False, allow_infinity=False) | plain_text
plain_values = st.recursive(plain_scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(plain_text, c, max_size=3), max_leaves=8)


@SETTINGS
@given(st.lists(plain_values, min_size=1, max_size=8), st.sampled_from([None, 0, 2]), st.booleans(), st.integers(1, 64))
def test_plain_files_are_read_by_the_quick_path_to_the_end(rows, indent, ascii_only, block_size):
    """A file without anything the paths might treat differently never reaches ijson."""
    data = json.dumps(rows, indent=indent, ensure_ascii=ascii_only).encode()
    stream = ArrayStream(io.BytesIO(data), lambda: None, block_size=block_size, chunk_size=block_size)
    assert [item.value for item in stream] == rows
    assert stream._reader is None  # ijson never started


def test_after_a_long_row_of_numbers_ijson_reads_on():
    """Embedding vectors parse faster with ijson: the quick path hands over after one."""
    vector = [i / 7 for i in range(768)]
    rows = [{"row_data": "https://a.com/a.jpg"}, {"row_data": "https://a.com/b.jpg", "v": vector}, {"row_data": "https://a.com/c.jpg"}]
    data = json.dumps(rows, indent=1).encode()
    stream = ArrayStream(io.BytesIO(data), lambda: io.BytesIO(data))
    assert [item.value for item in stream] == rows
    assert stream._base == 2  # ijson read the row after the vector, not before
    assert events(data) == events(data, quick=False)


# -- the depth limit and the rows before a too-deep one, however the file is read -------------
_EMBEDDING = {"row_data": "https://a.com/e.jpg", "v": [i / 7 for i in range(600)]}  # the quick path hands over after it


def _deep_file(levels, before):
    row = '{"row_data": "https://a.com/d.jpg", "x": ' + "[" * levels + "]" * levels + "}"
    return ("[\n" + "".join(json.dumps(r) + ",\n" for r in before) + row + "\n]").encode()


@pytest.mark.parametrize("levels", [510, 511])  # with the array and the row's object: depth 512 (allowed) and 513
@pytest.mark.parametrize("before", [[], [{"a": 1}] * 3, [_EMBEDDING], [_EMBEDDING, {"a": 1}], [{"a": 1}, {"n": float("nan")}]])
def test_depth_limit_and_earlier_rows_are_the_same_on_every_reading(levels, before):
    data = _deep_file(levels, before)
    readings = [events(data), events(data, quick=False), events(data, block_size=7, chunk_size=7),
                events(data, quick=False, chunk_size=7)]
    assert all(r == readings[0] for r in readings[1:])
    (found, _) = readings[0]
    if any(isinstance(r.get("n"), float) for r in before):  # NaN: J007 at that row stops the check
        assert [e[0] for e in found] == ["row", "problem"] and found[1][1] == "J007"
        return
    rows = [e for e in found if e[0] == "row"]
    assert len(rows) == len(before) + (levels == 510)  # every row before the deep one is read
    if levels == 511:
        assert found[-1][:2] == ("problem", "J001") and "nested more than 512" in found[-1][2]


@pytest.mark.parametrize("number", ["-9223372036854775808", "9223372036854775808"])
def test_an_integer_ijson_cannot_read_is_j007_on_every_reading(number):
    row = '{"row_data": "https://a.com/x.jpg", "global_key": ' + number + '}'
    alone, after = f"[\n{row}\n]".encode(), f"[\n{json.dumps(_EMBEDDING)},\n{row}\n]".encode()  # quick path; ijson's
    for found, _ in (events(alone), events(after), events(alone, quick=False)):
        problems = [e for e in found if e[0] == "problem"]
        assert [e[1] for e in problems] == ["J007"] and number in problems[0][2]
