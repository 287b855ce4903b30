"""K002-K006: global keys and external ids; the --existing-keys loader."""
import json
import os

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from validator import check_rows
from validator.config import ConfigError
from validator.keyfile import KeySet, key_hash, load
from util import at, findings, only, run_cli, where


def doc(*rows):
    return "[\n" + ",\n".join("  " + json.dumps(r) for r in rows) + "\n]\n"


IMG = "https://example.com/a.jpg"


# -- K002 -------------------------------------------------------------------------------


@pytest.mark.parametrize("key, words", [
    ("", "empty"),
    ("   ", "blank"),
    (" cat", "starts or ends with whitespace"),
    ("cat\t", "starts or ends with whitespace"),
    ("big  cat", "two whitespace characters in a row at offset 3"),
    ("k" * 201, "201 characters long"),
])
def test_k002_fails(key, words):
    text = doc({"row_data": IMG}, {"row_data": IMG, "global_key": key})
    [f] = only(text, "K002")
    assert where(f) == ("K002", "/1/global_key", *at(text, json.dumps(key), 0 if key else 0))
    assert words in f.message


def test_k002_reports_all_problems_of_a_key_in_one_finding():
    text = doc({"row_data": IMG, "global_key": " a  b" + "c" * 200})
    [f] = only(text, "K002")
    assert "characters long" in f.message and "whitespace: strip it" in f.message and "in a row" in f.message


@pytest.mark.parametrize("key", ["cat-1", "k" * 200, "farm 7/field (north).jpg", "a b c"])
def test_k002_passes(key):
    assert only(doc({"row_data": IMG, "global_key": key}), "K002") == []


def test_k002_leaves_non_strings_to_r004():
    assert only(doc({"row_data": IMG, "global_key": 7}), "K002") == []


# -- K003 -------------------------------------------------------------------------------


def test_k003_names_the_characters_and_the_sanitized_key():
    text = doc({"row_data": IMG, "global_key": "field#7~é"})
    [f] = only(text, "K003")
    assert where(f) == ("K003", "/0/global_key", *at(text, '"field#7'))
    assert "'#', '~', 'é'" in f.message and "'field_7__'" in f.message
    assert f.severity == "warning"


def test_k003_reports_the_collision_of_two_sanitized_keys():
    text = doc({"row_data": IMG, "global_key": "a#1"}, {"row_data": IMG, "global_key": "A%1"})
    found = only(text, "K003")
    assert [where(f) for f in found] == [("K003", "/0/global_key", *at(text, '"a#1"')), ("K003", "/1/global_key", *at(text, '"A%1"'))]
    assert "same key as row 0 (/0/global_key)" in found[1].message
    assert found[1].related.pointer == "/0/global_key"
    assert "row" not in found[0].message.split("making it")[1]


def test_k003_reports_a_clean_key_that_an_earlier_key_becomes():
    text = doc({"row_data": IMG, "global_key": "a#1"}, {"row_data": IMG, "global_key": "a_1"})
    found = only(text, "K003")
    assert [where(f) for f in found] == [("K003", "/0/global_key", *at(text, '"a#1"')), ("K003", "/1/global_key", *at(text, '"a_1"'))]
    assert "the key 'a#1' of row 0" in found[1].message


def test_k003_reports_a_dirty_key_that_becomes_an_earlier_clean_key():
    text = doc({"row_data": IMG, "global_key": "a_1"}, {"row_data": IMG, "global_key": "a#1"})
    [f] = only(text, "K003")
    assert where(f) == ("K003", "/1/global_key", *at(text, '"a#1"'))
    assert "same key as row 0" in f.message


def test_k003_leaves_exact_duplicates_to_k001():
    text = doc({"row_data": IMG, "global_key": "a#1"}, {"row_data": IMG, "global_key": "A#1"})
    found = only(text, "K003")
    assert len(found) == 2 and all("same key" not in f.message for f in found)


def test_k003_passes_allowed_characters():
    key = "az AZ 09 !_.*'()&$@=;/:+,?-"
    assert only(doc({"row_data": IMG, "global_key": key}), "K003") == []


@hsettings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12))
def test_k003_fires_exactly_when_a_character_is_outside_the_allowed_set(key):
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!_.*'()&$@=;/:+,?- ")
    got = [f for f in check_rows([{"row_data": IMG, "global_key": key}]) if f.code == "K003"]
    assert bool(got) == any(c not in allowed for c in key)


# -- K004 -------------------------------------------------------------------------------


def test_k004_line_file(tmp_path):
    keys = tmp_path / "keys.txt"
    keys.write_text("\ufeffcat-1\r\n\r\ndog-2\n", encoding="utf-8")
    text = doc({"row_data": IMG, "global_key": "cat-0"}, {"row_data": IMG, "global_key": "CAT-1"}, {"row_data": IMG, "global_key": "dog-2"})
    found = only(text, "K004", existing_keys=str(keys))
    assert [where(f) for f in found] == [("K004", "/1/global_key", *at(text, '"CAT-1"')), ("K004", "/2/global_key", *at(text, '"dog-2"'))]
    assert "already exists in your organization" in found[0].message


def test_k004_json_array_file(tmp_path):
    keys = tmp_path / "keys.json"
    keys.write_text(' \n["cat-1", "dog-2"]', encoding="utf-8")
    text = doc({"row_data": IMG, "global_key": "dog-2"}, {"row_data": IMG, "global_key": "cat-3"})
    assert [where(f) for f in only(text, "K004", existing_keys=str(keys))] == [("K004", "/0/global_key", *at(text, '"dog-2"'))]


def test_k004_passes_new_keys_and_does_nothing_without_a_file(tmp_path):
    keys = tmp_path / "keys.txt"
    keys.write_text("cat-1\n", encoding="utf-8")
    text = doc({"row_data": IMG, "global_key": "cat-2"})
    assert only(text, "K004", existing_keys=str(keys)) == []
    assert only(doc({"row_data": IMG, "global_key": "cat-1"}), "K004") == []


@pytest.mark.parametrize("content, words", [
    ('["a", 3]', "element 1 is a number"),
    ('["a", "b"', "not a valid JSON array"),
    (b"caf\xe9\n", "not UTF-8"),
])
def test_k004_bad_files_are_config_errors_exit_2(tmp_path, content, words):
    keys = tmp_path / "keys.txt"
    keys.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ConfigError, match=words):
        load(str(keys))
    data = tmp_path / "import.json"
    data.write_text(doc({"row_data": IMG, "global_key": "a"}))
    r = run_cli("check", "--isolated", "--existing-keys", keys, data)
    assert r.returncode == 2 and words in r.stderr and str(keys) in r.stderr and r.stdout == ""


def test_k004_missing_file_is_exit_2(tmp_path):
    data = tmp_path / "import.json"
    data.write_text(doc({"row_data": IMG, "global_key": "a"}))
    r = run_cli("check", "--isolated", "--existing-keys", tmp_path / "nope.txt", data)
    assert r.returncode == 2 and "nope.txt" in r.stderr and "cannot be read" in r.stderr


def test_k004_cli_option_reports_the_key(tmp_path):
    keys = tmp_path / "keys.txt"
    keys.write_text("cat-1\n")
    data = tmp_path / "import.json"
    text = doc({"row_data": IMG, "global_key": "cat-1"})
    data.write_text(text)
    r = run_cli("check", "--isolated", "--existing-keys", keys, data)
    line, col = at(text, '"cat-1"')
    assert r.returncode == 1 and f"{data}:{line}:{col}: K004 [error] global key 'cat-1' already exists" in r.stdout


def test_keyset_many_runs_and_case_folding(monkeypatch):
    import validator.keyfile as kf

    monkeypatch.setattr(kf, "RUN", 7)
    ks = KeySet()
    for start in range(0, 50, 5):
        ks.extend(key_hash(f"Key-{i}") for i in range(start, start + 5))
    ks.finish()
    assert len(ks) == 50 and len(ks._runs) == 5
    assert all(f"key-{i}" in ks for i in range(50))
    assert "key-50" not in ks and "" not in ks


def test_keyfile_stores_eight_bytes_a_key_across_blocks_and_runs(tmp_path, monkeypatch):
    import validator.keyfile as kf

    monkeypatch.setattr(kf, "RUN", 50_000)
    monkeypatch.setattr(kf, "_BLOCK", 4096)  # keys straddle block boundaries
    path = tmp_path / "keys.txt"
    with open(path, "w", newline="") as f:
        for i in range(200_000):
            f.write(f"org/dataset-{i % 97}/image-{i:08d}.jpg" + ("\r\n" if i % 2 else "\n"))
    ks = load(str(path))
    assert len(ks) == 200_000 and ks.nbytes == 1_600_000 and len(ks._runs) >= 4
    assert all(f"ORG/dataset-{i % 97}/image-{i:08d}.JPG" in ks for i in range(0, 200_000, 997))
    assert "org/dataset-5/image-99999999.jpg" not in ks and "org/dataset-5/image-00000005.jp" not in ks


def test_keyfile_reports_the_line_of_bad_utf8(tmp_path, monkeypatch):
    import validator.keyfile as kf

    monkeypatch.setattr(kf, "_BLOCK", 16)
    path = tmp_path / "keys.txt"
    path.write_bytes(b"alpha\nbeta\ngamma\ndelta\nbad\xff\n")
    with pytest.raises(ConfigError, match=r"keys.txt:5: existing-keys file is not UTF-8"):
        load(str(path))


# -- K005 -------------------------------------------------------------------------------


def test_k005_is_opt_in_and_points_at_the_row():
    text = doc({"row_data": IMG, "global_key": "a"}, {"row_data": IMG, "global_key": None}, {"row_data": IMG})
    assert only(text, "K005") == []
    found = only(text, "K005", extend_select=("K005",))
    assert [where(f) for f in found] == [("K005", "/1", *at(text, "{", 1)), ("K005", "/2", *at(text, "{", 2))]
    assert found[0].severity == "info"


def test_k005_passes_rows_with_keys():
    assert only(doc({"row_data": IMG, "global_key": "a"}), "K005", extend_select=("K005",)) == []


# -- K006 -------------------------------------------------------------------------------


def test_k006_reports_later_uses_with_the_first():
    text = doc({"row_data": IMG, "external_id": "img-1"}, {"row_data": IMG, "external_id": "IMG-1"}, {"row_data": IMG, "external_id": "img-1"})
    [f] = only(text, "K006")
    assert where(f) == ("K006", "/2/external_id", *at(text, '"img-1"', 1))
    assert f.severity == "warning" and f.related.pointer == "/0/external_id" and "row 0" in f.message


def test_k006_across_files_of_one_run(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(doc({"row_data": IMG, "external_id": "x"}))
    b.write_text(doc({"row_data": IMG, "external_id": "x"}))
    r = run_cli("check", "--isolated", "--format", "json", a, b)
    report = json.loads(r.stdout)
    [f] = [f for f in report["findings"] if f["code"] == "K006"]
    assert (f["file"], f["pointer"], f["line"], f["column"]) == (str(b), "/0/external_id", *at(b.read_text(), '"x"'))
    assert f["related"]["file"] == str(a)


def test_k006_passes_distinct_ids():
    assert only(doc({"row_data": IMG, "external_id": "a"}, {"row_data": IMG, "external_id": "b"}), "K006") == []


def test_k004_existing_keys_from_the_config_file_relative_to_it(tmp_path):
    (tmp_path / "lb").mkdir()
    (tmp_path / "lb" / "keys.txt").write_text("cat-1\n")
    config = tmp_path / ".lbx-validate.toml"
    config.write_text('existing-keys = "lb/keys.txt"\n')
    data = tmp_path / "import.json"
    text = doc({"row_data": IMG, "global_key": "Cat-1"})
    data.write_text(text)
    r = run_cli("check", "--config", config, "--format", "json", data, cwd="/")
    [f] = [f for f in json.loads(r.stdout)["findings"] if f["code"] == "K004"]
    assert (f["pointer"], f["line"], f["column"]) == ("/0/global_key", *at(text, '"Cat-1"'))


# K003 against a reference model: one first-come index by sanitized lower-cased key.
import re as _re  # noqa: E402

_BAD = _re.compile(r"[^A-Za-z0-9!_.*'()&$@=;/:+,?\- ]")


def _k003_model(keys):
    first, out = {}, []
    for row, key in enumerate(keys):
        sanitized = _BAD.sub("_", key).lower()
        other = first.setdefault(sanitized, (row, key))
        collides = other[0] != row and other[1].lower() != key.lower()
        if _BAD.search(key):
            out.append((row, other[0] if collides else None))
        elif collides and _BAD.search(other[1]):
            out.append((row, other[0]))
    return out


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="aA_#%é", min_size=1, max_size=3), min_size=1, max_size=8))
def test_k003_matches_a_first_come_model(keys):
    rows = [{"row_data": f"https://example.com/{i}.jpg", "global_key": k} for i, k in enumerate(keys)]
    found = check_rows(rows, select=("K003",))
    got = [(int(f.pointer.split("/")[1]), f.related.row if f.related else None) for f in found]
    assert got == _k003_model(keys)
