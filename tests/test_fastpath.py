"""The checker's fast path (validator/fastpath.py) must never hide a finding.

The guarantee is checked against every rule in the registry, so rules added later
are covered without anyone editing a list: on any row CLEAN_ROW accepts, every rule
the fast path skips yields nothing and touches no cross-row state.
"""
import copy
import dataclasses
import json
from unittest import mock

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator import checker, config, fastpath, schemas
from validator import rules as registry
from validator.config import Settings
from validator.row import Row

from util import findings

REFERENCE = jsonschema.Draft202012Validator(fastpath.CLEAN_ROW)


def _matching(schema):
    """Strings for a {"pattern", "maxLength"} subschema of CLEAN_ROW."""
    pattern = schema["pattern"]
    python = pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern
    return st.from_regex(python, fullmatch=False).filter(lambda s: len(s) <= schema.get("maxLength", 10**9))


URL_PARTS = st.sampled_from(["https://my-bucket.s3.us-west-1.amazonaws.com", "https://storage.googleapis.com/bucket-1", "https://acct.blob.core.windows.net/container", "https://cdn.example.com", "https://a.b.io"])
SEGMENT = st.from_regex(r"[A-Za-z0-9_\-]{1,12}", fullmatch=True)


@st.composite
def url_with(draw, extensions):
    path = "/".join(draw(st.lists(SEGMENT, min_size=1, max_size=4)))
    return f"{draw(URL_PARTS)}/{path}.{draw(st.sampled_from(extensions))}"


@st.composite
def clean_rows(draw):
    """Rows CLEAN_ROW accepts, including edge cases (every strategy is filtered by the schema)."""
    media = draw(st.sampled_from(sorted(fastpath._ASSET_EXTENSIONS)))
    row = {"row_data": draw(url_with(fastpath._ASSET_EXTENSIONS[media])), "media_type": media}
    if draw(st.booleans()):
        row["global_key"] = draw(_matching(fastpath._KEY))
    if draw(st.booleans()):
        row["external_id"] = draw(_matching(fastpath._KEY))
    if draw(st.booleans()):
        kinds = sorted(k for k in fastpath._ATTACHMENT_EXTENSIONS if k != "IMAGE_OVERLAY" or media == "IMAGE") + ["RAW_TEXT"]
        atts = []
        for kind in draw(st.lists(st.sampled_from(kinds), max_size=10)):
            value = draw(_matching(fastpath._RAW_TEXT)) if kind == "RAW_TEXT" else draw(url_with(fastpath._ATTACHMENT_EXTENSIONS[kind]))
            att = {"type": kind, "value": value}
            if draw(st.booleans()):
                att["name"] = draw(_matching(fastpath._NAME))
            atts.append(att)
        row["attachments"] = atts
    if draw(st.booleans()):
        fields = []
        for how in draw(st.lists(st.sampled_from(["id", "tag-id", "name", "split", "tag"]), max_size=6)):
            value = draw(_matching(fastpath._VALUE))
            if how == "id":
                fields.append({"schema_id": draw(st.from_regex(r"c[a-z0-9]{24}", fullmatch=True)), "value": value})
            elif how == "tag-id":
                fields.append({"schema_id": "cko8s9r5v0001h2dk9elqdidh", "value": value})
            elif how == "name":
                fields.append({"name": draw(_matching(fastpath._METADATA["properties"]["name"])), "value": value})
            elif how == "split":
                fields.append({"name": "split", "value": draw(st.sampled_from(["train", "valid", "test"]))})
            else:
                fields.append({"name": "tag", "value": value})
        row["metadata_fields"] = fields
    return row


CLEAN_ROWS = clean_rows().filter(REFERENCE.is_valid)
DEFAULT = Settings()
SKIPPED = [r for r in registry.all_rules() if fastpath.skippable(r, DEFAULT)]

TYPICAL = {
    "row_data": "https://my-bucket.s3.us-west-1.amazonaws.com/images/img-0000001.jpg",
    "global_key": "img-0000001",
    "media_type": "IMAGE",
    "metadata_fields": [{"schema_id": "cko8s9r5v0001h2dk9elqdidh", "value": "tag_string"}, {"name": "split", "value": "train"}],
    "attachments": [
        {"type": "IMAGE_OVERLAY", "value": "https://storage.googleapis.com/bucket/overlay/1.png", "name": "RGB"},
        {"type": "RAW_TEXT", "value": "IOWA, Zone 2232, June 2022 [Text string]"},
        {"type": "TEXT_URL", "value": "https://storage.googleapis.com/labelbox-sample-datasets/Docs/text_attachment.txt"},
    ],
}


class Untouchable:
    """A context no skipped rule may look at: any attribute read fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"a rule skipped on clean rows read ctx.{name}")


class SettingsOnly:
    def __init__(self):
        self.settings = DEFAULT

    def __getattr__(self, name):
        raise AssertionError(f"a rule skipped on clean rows read ctx.{name}")


def _run_skipped(value):
    fired = []
    for rule in SKIPPED:
        kind = fastpath.classify(rule.check)
        ctx = Untouchable() if kind == fastpath.PURE else SettingsOnly()
        for problem in rule.check(Row(0, copy.deepcopy(value), "f.json"), ctx):
            fired.append((rule.code, problem.path, problem.message))
    return fired


def test_the_typical_row_is_clean_and_most_rules_are_skipped():
    assert fastpath.is_clean(TYPICAL)
    assert REFERENCE.is_valid(TYPICAL)
    assert len(SKIPPED) >= 10, [r.code for r in SKIPPED]
    assert _run_skipped(TYPICAL) == []


def distinct(row):
    """No two metadata fields set one field, no two attachments share a value (M004, A009 stay quiet)."""
    reserved = {"tag": "cko8s9r5v0001h2dk9elqdidh", "split": "cko8sbczn0002h2dkdaxb5kal"}
    fields = [f.get("schema_id") or reserved.get(f["name"], "name:" + f["name"]) for f in row.get("metadata_fields", [])]
    values = [a["value"].strip() for a in row.get("attachments", [])]
    return len(set(fields)) == len(fields) and len(set(values)) == len(values)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(CLEAN_ROWS)
def test_no_skipped_rule_fires_on_a_clean_row(row):
    assert REFERENCE.is_valid(row)
    # the Python predicate accepts what the schema accepts, less rows that repeat a field or attachment...
    assert fastpath.is_clean(row) == distinct(row)
    if fastpath.is_clean(row):
        assert _run_skipped(row) == []  # ...and then no skipped rule has anything to say
        # schemas.row_issues answers [] for a clean row without validating it: the schemas agree
        with mock.patch.object(schemas, "_is_clean", lambda value: False):
            assert schemas.row_issues(row, row["media_type"]) == []


def test_uniqueness_rules_are_skipped_and_repeats_are_not_clean():
    assert {"M004", "A009"} <= {r.code for r in SKIPPED}
    repeated_field = copy.deepcopy(TYPICAL)
    repeated_field["metadata_fields"].append({"name": "tag", "value": "other"})  # the tag, by name and by id
    repeated_attachment = copy.deepcopy(TYPICAL)
    repeated_attachment["attachments"].append({"type": "RAW_TEXT", "value": TYPICAL["attachments"][1]["value"] + " "})
    for row, code in ((repeated_field, "M004"), (repeated_attachment, "A009")):
        assert REFERENCE.is_valid(row) and not fastpath.is_clean(row)
        assert [f.code for f in findings(json.dumps([row]))] == [code]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
MUTATION_KEYS = st.sampled_from(["row_data", "media_type", "global_key", "external_id", "attachments", "metadata_fields", "embeddings", "x"])


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(CLEAN_ROWS, st.data())
def test_the_predicate_accepts_nothing_the_schema_rejects(row, data):
    # mutate a clean row somewhere (top level, an attachment, a metadata field)
    row = copy.deepcopy(row)
    where = data.draw(st.sampled_from(["row", "attachment", "metadata", "string"]))
    if where == "row":
        row[data.draw(MUTATION_KEYS)] = data.draw(JSON)
    elif where == "attachment" and row.get("attachments"):
        att = data.draw(st.sampled_from(row["attachments"]))
        att[data.draw(st.sampled_from(["type", "value", "name", "other"]))] = data.draw(JSON | st.sampled_from(["IMAGE_OVERLAY", "RAW_TEXT", "https://a.com/x.png\n"]))
    elif where == "metadata" and row.get("metadata_fields"):
        field = data.draw(st.sampled_from(row["metadata_fields"]))
        field[data.draw(st.sampled_from(["schema_id", "name", "value", "other"]))] = data.draw(JSON | st.sampled_from(["split", "tag", "Split", "captureDateTime"]))
    else:
        key = data.draw(st.sampled_from(["row_data", "global_key"]))
        if key in row:
            row[key] = row[key] + data.draw(st.sampled_from(["\n", " ", "#", "?x=1", "\u00e9", "%", "/"]))
    if fastpath.is_clean(row):
        assert REFERENCE.is_valid(row), row


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.update(row_data=r["row_data"] + "\n"),
        lambda r: r.update(global_key="a b"),
        lambda r: r.update(media_type="image"),
        lambda r: r["attachments"].append({"type": "IMAGE_OVERLAY", "value": "https://a.com/x.gif"}),
        lambda r: r["metadata_fields"].append({"name": "split", "value": "training"}),
        lambda r: r["metadata_fields"].append({"name": "Split", "value": "train"}),
        lambda r: r.update(row_data="http://my-bucket.s3.us-west-1.amazonaws.com/a.jpg"),
        lambda r: r.update(row_data="https://s3.us-west-1.amazonaws.com/bucket/a.jpg"),
        lambda r: r.update(media_type="VIDEO"),  # an .jpg asset, and an overlay on a video
        lambda r: r.update(extra=1),
    ],
)
def test_rows_with_something_to_say_are_not_clean(change):
    row = copy.deepcopy(TYPICAL)
    change(row)
    assert not fastpath.is_clean(row)


def test_classify_reads_the_bytecode():
    def pure(row, ctx):
        yield from (row.value.get("x") or ())

    def reads_settings(row, ctx):
        if ctx.settings.now:
            yield 1

    def keeps_state(row, ctx):
        ctx.run_state("X", dict)
        yield from ()

    def hands_ctx_on(row, ctx):
        yield from pure(row, ctx)

    def uses_index(row, ctx):
        if row.index > 150_000:
            yield 1

    def nested(row, ctx):
        return [x for x in ctx.file_state("X", list)]

    assert fastpath.classify(pure) == fastpath.PURE
    assert fastpath.classify(reads_settings) == fastpath.SETTINGS
    for stateful in (keeps_state, hands_ctx_on, uses_index, nested):
        assert fastpath.classify(stateful) == fastpath.STATEFUL, stateful.__name__


def test_cross_row_rules_still_run_on_clean_rows():
    k001 = registry.by_code()["K001"]
    assert not fastpath.skippable(k001, DEFAULT)
    text = json.dumps([TYPICAL, TYPICAL])
    found = [f for f in findings(text) if f.code == "K001"]
    assert [(f.code, f.pointer) for f in found] == [("K001", "/1/global_key")]


def test_settings_rules_are_skipped_only_with_default_settings():
    assert fastpath.default_rule_settings(DEFAULT)
    assert fastpath.default_rule_settings(DEFAULT.with_options(select=("U",), ignore=("U001",)))
    assert not fastpath.default_rule_settings(DEFAULT.with_options(max_rows=10))


def test_a_config_file_alone_does_not_change_what_is_skipped(tmp_path):
    # a found config sets `source` and `root`; --input-format chooses the reader: no rule reads them
    (tmp_path / "pyproject.toml").write_text('[tool.lbx-validate]\nselect = ["ALL"]\n')
    settings = config.load(config.discover(str(tmp_path))).with_options(input_format="json")
    assert settings.root and settings.input_format == "json"
    assert fastpath.default_rule_settings(settings)
    assert [r.code for r in registry.all_rules() if fastpath.skippable(r, settings)] == [r.code for r in SKIPPED]


def test_same_findings_with_and_without_the_fast_path(monkeypatch):
    rows = [dict(copy.deepcopy(TYPICAL), global_key=f"img-{i}") for i in range(40)]  # past checker._FAST_AFTER
    rows[36]["global_key"] = "img-0"
    rows[36]["attachments"][0]["value"] = "https://a.com/x y.png"
    rows[39]["global_key"] = "IMG-0"
    text = json.dumps(rows, indent=1)
    def seen():
        return [(f.code, f.pointer, f.line, f.column, f.message, f.related and f.related.pointer) for f in findings(text)]

    fast = seen()
    monkeypatch.setattr(fastpath, "is_clean", lambda row: False)
    slow = seen()
    assert fast == slow
    assert [(code, pointer) for code, pointer, *_ in fast] == [("K001", "/36/global_key"), ("U001", "/36/attachments/0/value"), ("K001", "/39/global_key")]


def test_the_fast_path_is_taken_on_large_files(monkeypatch):
    calls = []
    real = fastpath.is_clean
    monkeypatch.setattr(fastpath, "is_clean", lambda row: calls.append(1) or real(row))
    rows = [dict(copy.deepcopy(TYPICAL), global_key=f"img-{i}") for i in range(40)]
    assert findings(json.dumps(rows)) == []
    assert len(calls) == 40 - checker._FAST_AFTER


def test_rules_quiet_on_clean_rows_run_again_when_settings_change():
    quiet = [r for r in registry.all_rules() if getattr(checker._module_of(r), "QUIET_ON_CLEAN", False)]
    assert {r.code for r in quiet} >= {"R012", "I002", "K004"}
    assert all(fastpath.skippable(r, DEFAULT) for r in quiet)
    changed = dataclasses.replace(DEFAULT, existing_keys="keys.txt")
    assert not any(fastpath.skippable(r, changed) for r in quiet)


# -- clean rows a step away from clean: the same findings with and without the fast path ------
def _mutations():
    """One small change to a clean row: what a data engineer's export gets wrong."""
    def at(path_of, change):
        return st.tuples(st.just(path_of), change)

    text = st.sampled_from(["", " ", "x y", "a#b", "é", "Ünïcode", "\t", "a" * 300, "HTTP://x", "gs://b/o.jpg", "//c.com/a.jpg"])
    return st.one_of(
        st.tuples(st.just("drop"), st.sampled_from(["row_data", "media_type", "global_key", "attachments", "metadata_fields"])),
        st.tuples(st.just("set"), st.sampled_from(["row_data", "media_type", "global_key", "external_id", "globalKey", "zz"]),
                  text | st.sampled_from([None, 0, [], {}, "image", "VIDEO", "https://a.com/b.png"])),
        st.tuples(st.just("attachment"), st.sampled_from(["type", "value", "name"]),
                  text | st.sampled_from(["image_overlay", "IMAGE_OVERLAY", "TEXT", "RAW_TEXT", None])),
        st.tuples(st.just("metadata"), st.sampled_from(["name", "value", "schema_id"]),
                  text | st.sampled_from(["split", "Split", "tag", "captureDateTime", "cko8sbczn0002h2dkdaxb5kal", 5])),
    )


def _mutate(row, mutation):
    kind, key, *value = mutation
    if kind == "drop":
        row.pop(key, None)
    elif kind == "set":
        row[key] = value[0]
    else:
        items = row.setdefault("attachments" if kind == "attachment" else "metadata_fields", [])
        if not items:
            items.append({"type": "RAW_TEXT", "value": "x"} if kind == "attachment" else {"name": "tag", "value": "x"})
        items[-1][key] = value[0]
    return row


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(CLEAN_ROWS, st.lists(_mutations(), min_size=1, max_size=3), st.integers(32, 39))
def test_a_mutated_clean_row_gets_the_same_findings_with_and_without_the_fast_path(row, mutations, where):
    rows = [dict(copy.deepcopy(TYPICAL), global_key=f"img-{i}") for i in range(40)]  # past checker._FAST_AFTER
    changed = copy.deepcopy(row)
    for mutation in mutations:
        changed = _mutate(changed, mutation)
    rows[where] = changed
    text = json.dumps(rows, indent=1)

    def seen():
        return [(f.code, f.pointer, f.line, f.column, f.message) for f in findings(text)]

    fast = seen()
    with mock.patch.object(fastpath, "is_clean", lambda value: False), mock.patch.object(schemas, "_is_clean", lambda value: False):
        assert seen() == fast
