"""Row locations when rows cross chunk boundaries (hypothesis).

On the ijson path (the quick path hands files it cannot vouch for to it), the
stream reads 16 KiB chunks; a row with findings is located from the chunk
where the row before it completed. Here chunks are a few bytes long, so that
boundaries fall inside strings, escapes, keys and between rows, and every row's
(line, column) is compared with an oracle that knows nothing of the locator:
the stdlib decoder hopping from row to row over the text.
"""
import io
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from validator.source.scan import BracketProfile
from validator.source.stream import ArrayStream, SourceRow

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# strings full of what confuses a structure scanner: brackets, quotes, escapes, commas
tricky = st.text(alphabet=st.sampled_from(list('ab[]{},:"\\ é\n\t') + ["\u2028", "😀"]), max_size=12)
scalars = st.none() | st.booleans() | st.integers(-1000, 1000) | st.floats(allow_nan=False, allow_infinity=False) | tricky
values = st.recursive(scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(tricky, c, max_size=3), max_leaves=8)
object_rows = st.dictionaries(tricky, values, max_size=4)
any_rows = object_rows | values


def row_starts(text):
    """Character offset of each row's first character, by hopping with the stdlib decoder."""
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    starts = []
    while True:
        while text[pos] in " \t\n\r,":
            pos += 1
        if text[pos] == "]":
            return starts
        starts.append(pos)
        pos = decoder.raw_decode(text, pos)[1]


def line_col(text, pos):
    before = text[:pos]
    return before.count("\n") + 1, pos - (before.rfind("\n") + 1) + 1


def located(data, chunk_size, quick=False):
    """Row positions through ijson alone (the locator), or the quick path (blocks of `chunk_size`)."""
    stream = ArrayStream(io.BytesIO(data), lambda: io.BytesIO(data), chunk_size=chunk_size, block_size=chunk_size, quick=quick)
    out = []
    for item in stream:
        assert type(item) is SourceRow, item
        where = stream.locate(item.index, [((), False)])
        out.append(where[((), False)])
    return out


@FAST
@given(st.lists(any_rows, min_size=1, max_size=8), st.sampled_from([None, 0, 1, 2]), st.booleans(), st.integers(4, 96), st.booleans())
def test_every_row_is_located_exactly(rows, indent, ascii_only, chunk_size, quick):
    text = json.dumps(rows, indent=indent, ensure_ascii=ascii_only)
    expected = [line_col(text, p) for p in row_starts(text)]
    assert located(text.encode("utf-8"), chunk_size, quick) == expected


@FAST
@given(st.lists(object_rows, min_size=1, max_size=8), st.sampled_from([None, 2]), st.integers(4, 64))
def test_object_rows_are_located_exactly(rows, indent, chunk_size):
    # on the ijson path, all-object files are located with BracketProfile for every row after the first
    text = json.dumps(rows, indent=indent, ensure_ascii=False)
    expected = [line_col(text, p) for p in row_starts(text)]
    assert located(text.encode("utf-8"), chunk_size) == expected


def string_state(data):
    """For each byte offset: is it inside a JSON string (a byte-by-byte oracle)?"""
    inside, escaped, states = False, False, []
    for b in data:
        states.append(inside)
        if inside:
            if escaped:
                escaped = False
            elif b == 0x5C:
                escaped = True
            elif b == 0x22:
                inside = False
        elif b == 0x22:
            inside = True
    return states


@FAST
@given(st.lists(object_rows, min_size=1, max_size=6), st.sampled_from([None, 1]), st.data())
def test_bracket_profile_finds_the_kth_row_close(rows, indent, data):
    raw = json.dumps(rows, indent=indent, ensure_ascii=False).encode("utf-8")
    text = raw.decode("utf-8")
    # byte offset just after each row's closing brace
    ends = []
    decoder = json.JSONDecoder()
    for start in row_starts(text):
        end = decoder.raw_decode(text, start)[1]
        ends.append(len(text[:end].encode("utf-8")))
    states = string_state(raw)
    a = data.draw(st.integers(1, len(raw) - 1))
    if states[a] and raw[a - 1] == 0x5C:
        return  # a window starting inside an escape: the locator never asks for one
    b = data.draw(st.integers(a + 1, len(raw)))
    closes = [e - a for e in ends if a < e <= b]
    profile = BracketProfile(raw[a:b], states[a])
    k = data.draw(st.integers(1, len(closes) + 1))
    if not profile.usable:  # the window lies inside one string: no row closes there
        assert not closes
        return
    if not closes:
        return  # the quick path is asked only about chunks where rows completed
    got = profile.row_close(k)
    assert got == (closes[k - 1] if k <= len(closes) else None)
