"""M001-M006: metadata fields; the --metadata-schema loader."""
import datetime as dt
import json
import sys

import pytest
from hypothesis import example, given, settings as hsettings, strategies as st

from validator import check_rows
from validator.config import ConfigError
from validator.metadata_schema import SPLIT_OPTIONS, load, parse
from util import at, only, run_cli, where

TAG = "cko8s9r5v0001h2dk9elqdidh"
SPLIT = "cko8sbczn0002h2dkdaxb5kal"
CAPTURE = "cko8sdzv70006h2dk8jg64zvb"
EMBEDDING = "ckpyije740000yxdk81pbgjdc"
IMG = "https://example.com/a.jpg"

CAMERA = "clx0c4m3r0000abcdxyz01234"
WEATHER = "clx0c4m3r0001abcdxyz01234"
SUNNY = "clx0c4m3r0002abcdxyz01234"
RAIN = "clx0c4m3r0003abcdxyz01234"
SPEED = "clx0c4m3r0004abcdxyz01234"
TAKEN = "clx0c4m3r0005abcdxyz01234"
VEC = "clx0c4m3r0006abcdxyz01234"
SCHEMA = [
    {"name": "camera", "schema_id": CAMERA, "kind": "string"},
    {"name": "weather", "id": WEATHER, "kind": "CustomMetadataEnum", "multiple": True,
     "options": [{"name": "sunny", "id": SUNNY}, {"name": "rain", "schemaId": RAIN}]},
    {"name": "speed", "uid": SPEED, "kind": "number"},
    {"name": "taken", "schema_id": TAKEN, "kind": "datetime"},
    {"name": "vector", "schema_id": VEC, "kind": "embedding"},
]


def meta(*fields):
    """An import file of one row per argument (each a list of metadata fields), one field per line."""
    rows = []
    for fs in fields:
        inner = ",\n".join("    " + json.dumps(f) for f in fs)
        rows.append('  {"row_data": "%s", "metadata_fields": [\n%s\n  ]}' % (IMG, inner))
    return "[\n" + ",\n".join(rows) + "\n]\n"


@pytest.fixture
def schema_file(tmp_path):
    path = tmp_path / "metadata-schema.json"
    path.write_text(json.dumps(SCHEMA))
    return str(path)


# -- M001 ------------------------------------------------------------------------------


def test_m001_hints_schema_id_for_schemaId():
    text = meta([{"schemaId": TAG, "value": "x"}])
    [f] = only(text, "M001")
    assert where(f) == ("M001", "/0/metadata_fields/0/schemaId", *at(text, '"schemaId"'))
    assert "did you mean 'schema_id'" in f.message


@pytest.mark.parametrize("field, pointer, needle, words", [
    ({"value": "x"}, "/0/metadata_fields/0", '{"value"', "neither 'schema_id' nor 'name'"),
    ({"name": "tag"}, "/0/metadata_fields/0", '{"name"', "no 'value'"),
    ({"name": "tag", "value": None}, "/0/metadata_fields/0/value", "null", "metadata value is null"),
    ({"name": "tag", "value": "x", "extra": 1}, "/0/metadata_fields/0/extra", '"extra"', "unknown metadata field key 'extra'"),
    ({"name": 5, "value": "x"}, "/0/metadata_fields/0/name", "5", "'name' must be a non-empty string, not a number"),
    ("tag", "/0/metadata_fields/0", '"tag"', "must be an object"),
])
def test_m001_errors(field, pointer, needle, words):
    text = meta([field])
    [f] = only(text, "M001")
    assert where(f) == ("M001", pointer, *at(text, needle))
    assert words in f.message and f.severity == "error"


def test_m001_both_schema_id_and_name_is_a_warning_at_name():
    text = meta([{"schema_id": TAG, "name": "tag", "value": "x"}])
    [f] = only(text, "M001")
    assert where(f) == ("M001", "/0/metadata_fields/0/name", *at(text, '"name"'))
    assert f.severity == "warning" and "ignores name" in f.message


def test_m001_passes():
    assert only(meta([{"schema_id": TAG, "value": "x"}, {"name": "split", "value": "train"}]), "M001") == []


# -- M002 ------------------------------------------------------------------------------


@pytest.mark.parametrize("field, words", [
    ({"name": "tag", "value": 5}, "must be a string"),
    ({"schema_id": TAG, "value": ["a"]}, "must be a string"),
    ({"name": "split", "value": "training"}, "has no option \"training\": use one of train, valid, test"),
    ({"schema_id": SPLIT, "value": "train"}, 'use the option\'s schema id "cko8sbscr0003h2dk04w86hof"'),
    ({"name": "captureDateTime", "value": "yesterday"}, "not an ISO 8601 date-time"),
    ({"schema_id": CAPTURE, "value": "2024-02-30T10:00:00Z"}, "not an ISO 8601 date-time"),
    ({"name": "embedding", "value": [0.5] * 127}, "128 numbers, but this one has 127"),
    ({"schema_id": EMBEDDING, "value": [0.5] * 127 + ["x"]}, "element 127 of the embedding"),
])
def test_m002_errors(field, words):
    text = meta([field])
    [f] = only(text, "M002")
    assert where(f) == ("M002", "/0/metadata_fields/0/value", *at(text, '"value": ') [:1], at(text, '"value": ')[1] + 9)
    assert words in f.message and f.severity == "error"


def test_m002_capture_time_without_offset_is_a_warning():
    text = meta([{"name": "captureDateTime", "value": "2024-05-01T12:30:00"}])
    [f] = only(text, "M002")
    assert where(f) == ("M002", "/0/metadata_fields/0/value", *at(text, '"2024'))
    assert f.severity == "warning" and "reads it as UTC" in f.message


@pytest.mark.parametrize("field", [
    {"name": "tag", "value": "anything"},
    {"name": "split", "value": "valid"},
    {"name": "split", "value": SPLIT_OPTIONS["test"]},
    {"schema_id": SPLIT, "value": SPLIT_OPTIONS["train"]},
    {"schema_id": CAPTURE, "value": "2024-05-01T12:30:00.123+02:00"},
    {"name": "captureDateTime", "value": "2024-05-01T12:30:00Z"},
    {"name": "embedding", "value": [0.25] * 128},
    {"name": "custom", "value": 5},
])
def test_m002_passes(field):
    assert only(meta([field]), "M002") == []


def test_m002_datetime_objects_through_the_python_api():
    aware = dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone.utc)
    naive = dt.datetime(2024, 5, 1, 12)
    found = [f for f in check_rows([{"row_data": IMG, "metadata_fields": [{"name": "captureDateTime", "value": aware}]},
                                    {"row_data": IMG, "metadata_fields": [{"name": "captureDateTime", "value": naive}]}])
             if f.code == "M002"]
    assert [(f.pointer, f.severity) for f in found] == [("/1/metadata_fields/0/value", "warning")]


# -- datetimes (M002 captureDateTime, M005 datetime fields): ISO 8601 extended or basic ---------------

VALID_DATETIMES = [
    "20240501T123000Z",  # basic format
    "2024-05-01t12:30:00z",  # lower-case t and z (RFC 3339 5.6)
    "20240501t123000.250z",
    "20240501T1230+0200",
    "2024-05-01 12:30:00,5Z",
    "2024-05-01T12:30+02:00",
    "2024-05-01T12:30:00+23:59",
    "2024-05-01T12:30:00-0530",
    "2024-05-01T12:30:00+02",
    "2024-02-29T00:00:00-00:00",
]


@pytest.mark.parametrize("value", VALID_DATETIMES)
def test_m002_accepts_iso_8601_extended_and_basic_forms(value):
    assert only(meta([{"name": "captureDateTime", "value": value}]), "M002") == []


@pytest.mark.parametrize("value, words", [
    ("2024-05-01T12:30:00+25:00", "has the UTC offset +25:00, which is out of range"),
    ("2024-05-01T12:30:00-2400", "has the UTC offset -2400, which is out of range"),
    ("2024-05-01T12:30:00+02:60", "has the UTC offset +02:60, which is out of range"),
    ("2024-05-01T123000Z", "not an ISO 8601 date-time"),  # extended date, basic time: mixed
    ("20240501T12:30:00Z", "not an ISO 8601 date-time"),
    ("20240501 123000Z", "not an ISO 8601 date-time"),  # a space only in the extended format
    ("2024-05-01T24:00:00Z", "not an ISO 8601 date-time"),
    ("2024-05-01T12:30:60Z", "not an ISO 8601 date-time"),
    ("2024-05-01T12Z", "not an ISO 8601 date-time"),
    ("20230229T120000Z", "not an ISO 8601 date-time"),
    ("\uff12\uff10\uff12\uff14-05-01T12:30:00Z", "not an ISO 8601 date-time"),  # full-width digits
])
def test_m002_rejects_offsets_of_a_day_or_more_mixed_formats_and_impossible_times(value, words):
    text = meta([{"name": "captureDateTime", "value": value}])
    [f] = only(text, "M002")
    assert where(f) == ("M002", "/0/metadata_fields/0/value", *at(text, '"value": ')[:1], at(text, '"value": ')[1] + 9)
    assert words in f.message and f.severity == "error"


@pytest.mark.parametrize("value", ["20240501", "20240501T123000", "2024-05-01t12:30"])
def test_m002_basic_and_lower_case_forms_without_offset_are_warnings(value):
    text = meta([{"schema_id": CAPTURE, "value": value}])
    [f] = only(text, "M002")
    assert where(f) == ("M002", "/0/metadata_fields/0/value", *at(text, f'"{value}"'))
    assert f.severity == "warning" and "reads it as UTC" in f.message


def test_m005_datetime_fields_take_the_same_forms(schema_file):
    text = meta([{"name": "taken", "value": "20240501T123000Z"}, {"schema_id": TAKEN, "value": "2024-05-01t12:30:00z"},
                 {"name": "taken", "value": "2024-05-01T12:30:00+25:00"}])
    [f] = only(text, "M005", metadata_schema=schema_file)
    assert where(f) == ("M005", "/0/metadata_fields/2/value", *at(text, '"2024-05-01T12:30:00+25:00"'))
    assert "UTC offset +25:00, which is out of range" in f.message and f.severity == "error"


_offsets = st.one_of(
    st.sampled_from(["Z", "z", ""]),
    st.builds(lambda sign, h, m, form: sign + form.format(h=h, m=m), st.sampled_from("+-"), st.integers(0, 23),
              st.integers(0, 59), st.sampled_from(["{h:02d}:{m:02d}", "{h:02d}{m:02d}", "{h:02d}"])))


@hsettings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)), st.booleans(), st.sampled_from("Tt "),
       st.sampled_from(["minutes", "seconds", "fraction"]), _offsets)
def test_every_iso_8601_datetime_is_accepted_and_only_real_ones_are(moment, basic, sep, precision, offset):
    from validator.metadata_schema import datetime_problem

    date = moment.strftime("%Y%m%d" if basic else "%Y-%m-%d").zfill(8 if basic else 10)
    time = moment.strftime({"minutes": "%H:%M", "seconds": "%H:%M:%S", "fraction": "%H:%M:%S.%f"}[precision])
    if basic:
        time, sep = time.replace(":", ""), sep.strip() or "T"
    value = f"{date}{sep}{time}{offset}"
    problem = datetime_problem(value)
    if offset:
        assert problem is None, (value, problem)
    else:
        assert problem is not None and problem[1], value  # only the no-offset warning


_near_datetimes = st.one_of(
    st.text(st.sampled_from("0123456789-:Tt Zz+.,"), max_size=26),
    st.builds("".join, st.lists(st.sampled_from(["2024", "-05", "-01", "0501", "02", "29", "T", "t", " ", "12", ":30", "30", ":00", "00",
                                                 "60", "24", ".5", ",25", "Z", "z", "+02:00", "+0200", "-05", "+24:00", "+2359", "+02:60"]),
                                max_size=9)))


@pytest.mark.skipif(sys.version_info < (3, 11), reason="datetime.fromisoformat reads ISO 8601 (basic format, Z) from Python 3.11")
@hsettings(max_examples=600, deadline=None)
@given(_near_datetimes)
@example("20240501T123000Z")
@example("2024-05-01t12:30:00,5z")
@example("2024-05-01 12:30-2359")
@example("2024-05-01T12:30:00+24:00")
def test_what_datetime_problem_accepts_python_places_in_utc(value):
    """Accepted (or only warned about) means a real date and time with an offset below 24 hours: Python's
    ISO 8601 reader agrees and can convert it to UTC, as the SDK does with dateutil."""
    from validator.metadata_schema import datetime_problem

    problem = datetime_problem(value)
    if problem is None or problem[1]:
        moment = dt.datetime.fromisoformat(value.strip().upper().replace(" ", "T"))
        moment.replace(tzinfo=moment.tzinfo or dt.timezone.utc).astimezone(dt.timezone.utc)


# -- values named in messages: containers read "an object" / "an array" --------------------------------


@pytest.mark.parametrize("value, words", [
    ({"a": 1}, "must be a string, not an object"),
    (["a", "b"], "must be a string, not an array"),
    (12, "must be a string, not number 12"),
    (True, "must be a string, not boolean true"),
])
def test_m002_names_a_wrong_value_once(value, words):
    text = meta([{"name": "tag", "value": value}])
    [f] = only(text, "M002")
    assert where(f) == ("M002", "/0/metadata_fields/0/value", *at(text, '"value": ')[:1], at(text, '"value": ')[1] + 9)
    assert words in f.message and "object object" not in f.message and "array array" not in f.message


@pytest.mark.parametrize("field, words", [
    ({"name": "camera", "value": {"a": 1}}, "must be a string, not an object"),
    ({"name": "speed", "value": [1]}, "must be a finite number, not an array"),
    ({"name": "taken", "value": {"at": "noon"}}, "date-time string such as \"2024-05-01T12:30:00Z\", not an object"),
    ({"name": "weather", "value": ["sunny"]}, "must be one of its options (sunny, rain), not an array"),
    ({"name": "vector", "value": {"x": 1}}, "must be an array of 128 numbers, not an object"),
    ({"name": "speed", "value": "fast"}, "must be a finite number, not string \"fast\""),
])
def test_m005_names_a_wrong_value_once(schema_file, field, words):
    text = meta([field])
    [f] = only(text, "M005", metadata_schema=schema_file)
    assert where(f) == ("M005", "/0/metadata_fields/0/value", *at(text, '"value": ')[:1], at(text, '"value": ')[1] + 9)
    assert words in f.message


# -- M003 ------------------------------------------------------------------------------


def test_m003_fails_over_4096():
    text = meta([{"name": "tag", "value": "x" * 4096}, {"name": "note", "value": "é" * 4097}])
    [f] = only(text, "M003")
    assert where(f) == ("M003", "/0/metadata_fields/1/value", *at(text, '"\\u00e9'))
    assert "4,097 characters" in f.message


def test_m003_passes_4096():
    assert only(meta([{"name": "tag", "value": "x" * 4096}]), "M003") == []


# -- M004 ------------------------------------------------------------------------------


def test_m004_same_reserved_field_by_name_and_by_id():
    text = meta([{"name": "tag", "value": "a"}, {"name": "split", "value": "train"}, {"schema_id": TAG, "value": "b"}])
    [f] = only(text, "M004")
    assert where(f) == ("M004", "/0/metadata_fields/2/schema_id", *at(text, '"schema_id"') [:1], at(text, '"schema_id"')[1] + 13)
    assert "already set on this row by metadata field 0 (/0/metadata_fields/0)" in f.message


def test_m004_same_name_twice_without_schema():
    text = meta([{"name": "camera", "value": "a"}, {"name": "camera", "value": "b"}])
    [f] = only(text, "M004")
    assert where(f) == ("M004", "/0/metadata_fields/1/name", *at(text, '"camera"', 1))


def test_m004_multiple_enum_options_allowed_when_declared(schema_file):
    text = meta([{"name": "weather", "value": "sunny"}, {"schema_id": WEATHER, "value": RAIN}, {"schema_id": WEATHER, "value": RAIN}],
                [{"name": "camera", "value": "a"}, {"schema_id": CAMERA, "value": "b"}])
    found = only(text, "M004", metadata_schema=schema_file)
    assert [where(f) for f in found] == [
        ("M004", "/0/metadata_fields/2/schema_id", at(text, WEATHER, 1)[0], at(text, WEATHER, 1)[1] - 1),
        ("M004", "/1/metadata_fields/1/schema_id", at(text, CAMERA)[0], at(text, CAMERA)[1] - 1),
    ]
    assert "option of the multi-option field 'weather'" in found[0].message


def test_m004_passes_distinct_fields():
    assert only(meta([{"name": "tag", "value": "a"}, {"schema_id": SPLIT, "value": SPLIT_OPTIONS["valid"]}]), "M004") == []


# -- M005 ------------------------------------------------------------------------------


@pytest.mark.parametrize("field, key, words", [
    ({"name": "camara", "value": "x"}, "name", "no metadata field named 'camara'"),
    ({"schema_id": "clx0c4m3r9999abcdxyz01234", "value": "x"}, "schema_id", "is not in your organization's metadata schema"),
    ({"schema_id": SUNNY, "value": "x"}, "schema_id", "option 'sunny' of the enum field 'weather'"),
    ({"name": "camera", "value": 3}, "value", "string field"),
    ({"name": "speed", "value": "fast"}, "value", "number field"),
    ({"schema_id": SPEED, "value": True}, "value", "number field"),
    ({"name": "taken", "value": "05/01/2024"}, "value", "not an ISO 8601"),
    ({"name": "weather", "value": "snow"}, "value", "has no option \"snow\": use one of sunny, rain"),
    ({"schema_id": WEATHER, "value": "sunny"}, "value", "must be an option's schema id"),
    ({"name": "vector", "value": [1, 2]}, "value", "embedding of 128"),
])
def test_m005_errors(schema_file, field, key, words):
    text = meta([field])
    [f] = only(text, "M005", metadata_schema=schema_file)
    line, col = at(text, f'"{key}": ')
    assert where(f) == ("M005", f"/0/metadata_fields/0/{key}", line, col + len(key) + 4)
    assert words in f.message


def test_m005_suggests_the_closest_name(schema_file):
    [f] = only(meta([{"name": "camara", "value": "x"}]), "M005", metadata_schema=schema_file)
    assert "did you mean 'camera'?" in f.message


@pytest.mark.parametrize("field", [
    {"name": "camera", "value": "nikon"},
    {"schema_id": CAMERA, "value": "nikon"},
    {"name": "weather", "value": "rain"},
    {"name": "weather", "value": RAIN},
    {"schema_id": WEATHER, "value": SUNNY},
    {"name": "speed", "value": 3.5},
    {"name": "speed", "value": "3.5"},
    {"name": "taken", "value": "2024-05-01T12:30:00Z"},
    {"name": "vector", "value": [0] * 128},
    {"name": "split", "value": "train"},  # reserved: M002's, known without listing
    {"name": "tag", "value": "x"},
])
def test_m005_passes(schema_file, field):
    assert only(meta([field]), "M005", metadata_schema=schema_file) == []


def test_m005_does_nothing_without_a_schema():
    assert only(meta([{"name": "camara", "value": 3}]), "M005") == []


@pytest.mark.parametrize("data, words", [
    ({"name": "x"}, "JSON array of fields"),
    ([{"name": "a", "schema_id": CAMERA, "kind": "text"}], "'kind' must be one of string, number, datetime, enum, embedding"),
    ([{"schema_id": CAMERA, "kind": "string"}], "field 0: 'name' must be a non-empty string"),
    ([{"name": "a", "schema_id": CAMERA, "kind": "string"}, {"name": "b", "schema_id": CAMERA, "kind": "string"}], "is also field 0's"),
    ([{"name": "a", "schema_id": CAMERA, "kind": "string", "options": [{"name": "o"}]}], "only enum fields have options"),
])
def test_metadata_schema_file_errors(tmp_path, data, words):
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match=words):
        load(str(path))
    rows_file = tmp_path / "import.json"
    rows_file.write_text(meta([{"name": "tag", "value": "x"}]))
    r = run_cli("check", "--isolated", "--metadata-schema", path, rows_file)
    assert r.returncode == 2 and str(path) in r.stderr and r.stdout == ""


def test_metadata_schema_not_json_is_exit_2(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text("[{")
    rows_file = tmp_path / "import.json"
    rows_file.write_text(meta([{"name": "tag", "value": "x"}]))
    r = run_cli("check", "--isolated", "--metadata-schema", path, rows_file)
    assert r.returncode == 2 and "not valid JSON" in r.stderr


def test_metadata_schema_large_schema_lookups_are_dict_lookups():
    fields = [{"name": f"field-{i}", "schema_id": f"c{i:024d}", "kind": "enum",
               "options": [{"name": f"o{j}", "schema_id": f"c{i:012d}{j:012d}"} for j in range(5)]} for i in range(20_000)]
    schema = parse(fields)
    assert len(schema.by_id) == 20_000 + 4 and len(schema.option_parent) == 100_000 + 3
    assert schema.resolve({"name": "field-19999"}).schema_id == f"c{19999:024d}"


def test_m005_cli(tmp_path, schema_file):
    rows_file = tmp_path / "import.json"
    text = meta([{"name": "camera", "value": 7}])
    rows_file.write_text(text)
    r = run_cli("check", "--isolated", "--metadata-schema", schema_file, rows_file)
    line, col = at(text, "7}")
    assert r.returncode == 1 and f"{rows_file}:{line}:{col}: M005 [error] metadata field 'camera' is a string field" in r.stdout


# -- M006 ------------------------------------------------------------------------------


@pytest.mark.parametrize("sid, words", [
    ("tag", 'write {"name": "tag", ...} instead'),
    ("CKO8S9R5V0001H2DK9ELQDIDH", "not all lowercase"),
    ("xko8s9r5v0001h2dk9elqdidh", "not all lowercase"),
])
def test_m006_fails(sid, words):
    text = meta([{"schema_id": sid, "value": "x"}])
    [f] = only(text, "M006")
    assert where(f) == ("M006", "/0/metadata_fields/0/schema_id", *at(text, f'"{sid}"'))
    assert words in f.message and f.severity == "warning"


def test_m006_passes():
    assert only(meta([{"schema_id": TAG, "value": "x"}, {"name": "tag", "value": "y"}]), "M006") == []


# -- robustness ----------------------------------------------------------------------------

from hypothesis import example, given, settings as hsettings, strategies as st  # noqa: E402

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8)
    | st.sampled_from([TAG, SPLIT, CAPTURE, EMBEDDING, CAMERA, WEATHER, SUNNY, "tag", "split", "weather", "camera"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["schema_id", "name", "value", "schemaId", "x"]), children, max_size=4),
    max_leaves=12)


@hsettings(max_examples=150, deadline=None)
@given(fields=st.lists(_json, max_size=5), key=_json, ext=_json)
def test_i_k_m_l_rules_never_crash_on_arbitrary_values(tmp_path_factory, fields, key, ext):
    path = tmp_path_factory.getbasetemp() / "schema-fuzz.json"
    if not path.exists():
        path.write_text(json.dumps(SCHEMA))
    row = {"row_data": IMG, "metadata_fields": fields, "global_key": key, "external_id": ext}
    found = check_rows([row, row], select=("I", "K", "M", "L"), extend_select=("K005", "I003"), metadata_schema=str(path))
    for f in found:
        assert f.pointer.startswith(("/0", "/1")) and f.message


# The quick exit of M004 (no two plain fields alike) never hides a finding.
_IDS = st.sampled_from(["cko8s9r5v0001h2dk9elqdidh", "cko8sbczn0002h2dkdaxb5kal", "ckabc0000000000000000000a", "x", 3, None])
_NAMES = st.sampled_from(["tag", "split", "farm", "x", "name:x", 3, None])
_FIELD = st.fixed_dictionaries({"value": st.sampled_from(["a", "train", 1])}, optional={"schema_id": _IDS, "name": _NAMES})


@hsettings(max_examples=300, deadline=None)
@given(st.lists(_FIELD | st.sampled_from([1, "s", None, []]), min_size=2, max_size=5))
@example([{"schema_id": "cko8s9r5v0001h2dk9elqdidh", "value": "a"}, {"name": "tag", "value": "b"}])  # one field, by id and by name
def test_m004_quick_exit_agrees_with_the_full_comparison(fields):
    from validator.rules import m004_duplicate_metadata_field as m004

    if m004._distinct_plain_fields(fields):
        # the full comparison (what check runs when the quick exit does not apply) finds nothing either
        seen = set()
        for item in fields:
            field = m004.metadata_schema.reserved_field(item)
            sid, name = item.get("schema_id"), item.get("name")
            ident = field.key if field else (sid if isinstance(sid, str) else f"name:{name}")
            assert ident not in seen
            seen.add(ident)
