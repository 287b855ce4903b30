"""The run-wide first-use index (validator/keyindex.py) behaves like dict.setdefault,
before and after it spills into its compact table."""
from hypothesis import given, settings, strategies as st

from validator.keyindex import FirstUse, pack, unpack


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-(2**63), 2**63 - 1) | st.integers(-3, 3), st.integers(0, 2**40 - 1)), max_size=300), st.integers(1, 40))
def test_first_use_is_dict_setdefault(ops, spill):
    index, reference = FirstUse(spill=spill), {}
    for key_hash, here in ops:
        expected = reference.setdefault(key_hash or 1, here)  # hash 0 shares the slot marker with 1
        assert index.setdefault(key_hash, here) == expected
    assert len(index) == len(reference)
    assert all(index.get(key_hash) == here for key_hash, here in reference.items())  # resizes lost nothing


def test_a_large_index_is_compact():
    index = FirstUse(spill=1000)
    n = 100_000
    for i in range(n):
        assert index.setdefault(hash(f"key-{i}"), pack(0, i)) == pack(0, i)
    assert index.setdefault(hash("key-777"), pack(1, 5)) == pack(0, 777)
    table_bytes = index._keys.itemsize * len(index._keys) + index._values.itemsize * len(index._values)
    assert table_bytes <= 48 * n  # two 8-byte slots a key at a load of at least 1/3 (a dict: ~110 bytes a key)


def test_file_numbers_and_packing():
    index = FirstUse()
    assert [index.file_no(f) for f in ("a.json", "b.json", "a.json")] == [0, 1, 0]
    assert index.files == ["a.json", "b.json"]
    assert unpack(pack(3, 2**40 - 1)) == (3, 2**40 - 1)
