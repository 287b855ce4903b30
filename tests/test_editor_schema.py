"""schemas/import-file.schema.json: the editor schema resolves offline and agrees with the checker."""
import functools
import json
import re
import textwrap
from pathlib import Path

import jsonschema
import pytest
import referencing
import referencing.exceptions

from conftest import REPO
from util import findings
from validator import rules as registry

SCHEMAS = REPO / "schemas"
EDITOR = SCHEMAS / "import-file.schema.json"
# The codes the schemas produce (x-lbx-rule / x-lbx-keyword-rules), plus R006: the editor
# schema's media_type enum marks a case variant ("image"), which the checker reports as R006.
SCHEMA_CODES = {"J005", "R001", "R002", "R004", "R005", "R006", "R007"}


def _all_schemas():
    return {p: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMAS.rglob("*.schema.json"))}


def _refuse(uri):
    raise referencing.exceptions.NoSuchResource(ref=uri)  # never the network


def offline_registry():
    resources = [(s["$id"], referencing.Resource.from_contents(s)) for s in _all_schemas().values()]
    return referencing.Registry(retrieve=_refuse).with_resources(resources)


@functools.lru_cache(maxsize=None)
def validator():
    schema = json.loads(EDITOR.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=offline_registry())


def flagged_by_schema(document):
    """Row indexes the editor schema marks (None for the document itself)."""
    out = set()
    for error in validator().iter_errors(document):
        out.add(error.absolute_path[0] if error.absolute_path else None)
    return out


def flagged_by_checker(text):
    out = set()
    for f in findings(text, select=("ALL",)):
        if f.code in SCHEMA_CODES:
            out.add(f.row)
        elif f.code == "J004":
            out.add(None)
    return out


# -- the corpus: bundled fixtures, and every rule's documented FAIL/PASS examples ---------------
def _doc_examples():
    for rule in registry.all_rules():
        for label in ("FAIL", "PASS"):
            for i, m in enumerate(re.finditer(rf"^{label}::\n\n((?:    .*\n|\n)+)", rule.doc + "\n", re.M)):
                yield pytest.param(textwrap.dedent(m.group(1)).strip() + "\n", id=f"{rule.code}-{label}-{i}")


def _fixtures():
    for p in sorted((REPO / "fixtures").rglob("*.json")):
        yield pytest.param(p.read_bytes().decode("utf-8", "replace"), id=str(p.relative_to(REPO)))


CORPUS = list(_fixtures()) + list(_doc_examples())


@pytest.mark.parametrize("text", CORPUS)
def test_editor_schema_flags_the_same_rows_as_the_checker(text):
    try:
        document = json.loads(text)
    except ValueError:
        pytest.skip("not JSON: an editor shows the syntax error itself")
    assert flagged_by_schema(document) == flagged_by_checker(text)


def test_the_corpus_is_not_trivial():
    # the comparison above must see rows that are flagged and rows that are not
    flagged = clean = 0
    for p in CORPUS:
        try:
            doc = json.loads(p.values[0])
        except ValueError:
            continue
        rows = flagged_by_schema(doc)
        flagged += len(rows)
        clean += (len(doc) if isinstance(doc, list) else 0) - len(rows - {None})
    assert flagged >= 10 and clean >= 10


# -- shapes the editor schema must tell apart ------------------------------------------------
@pytest.mark.parametrize("rows,expected", [
    ([{"row_data": "https://e.com/a.jpg", "media_type": "IMAGE"}], set()),
    ([{"row_data": {"pdf_url": "https://e.com/a.pdf"}, "media_type": "IMAGE"}], {0}),     # R007
    ([{"row_data": {"pdf_url": "https://e.com/a.pdf"}, "media_type": "PDF"}], set()),
    ([{"row_data": {"text_layer_url": "https://e.com/a.json"}, "media_type": "PDF"}], {0}),  # R007
    ([{"row_data": "x"}, {"globalKey": "k", "row_data": "x"}], {1}),                     # R002
    ([{"row_data": ""}], {0}),                                                           # R001
    ([{"row_data": "x", "media_type": "PHOTO"}], {0}),                                   # R005
    ([{"row_data": "x", "media_type": "image"}], {0}),                                   # R006
    ([{"row_data": "x", "attachments": {}}], {0}),                                       # R004
    ([{"row_data": {"tile_layer_url": "https://t/{z}/{x}/{y}.png"}, "media_type": "TMS_GEO"}], {0}),
    (["https://e.com/a.jpg"], {0}),                                                       # J005
    ({"row_data": "x"}, {None}),                                                          # J004
])
def test_editor_schema_cases_agree_with_the_checker(rows, expected):
    assert flagged_by_schema(rows) == expected
    assert flagged_by_checker(json.dumps(rows)) == expected


def test_every_ref_resolves_offline_through_the_registry():
    v = validator()
    schema = v.schema
    refs = [schema["items"]["allOf"][0]["$ref"]] + [
        s["then"]["properties"]["row_data"]["$ref"] for s in schema["items"]["allOf"][1:]
    ]
    assert len(refs) == 11
    resolver = offline_registry().resolver(base_uri=schema["$id"])
    for ref in refs:
        assert resolver.lookup(ref).contents["$schema"].startswith("https://json-schema.org/")


def test_every_ref_is_a_relative_path_to_a_file_beside_it():
    # editors resolve a relative $ref against the schema file's own location
    text = EDITOR.read_text(encoding="utf-8")
    refs = re.findall(r'"\$ref":\s*"([^"]+)"', text)
    assert refs and all(not re.match(r"[a-z]+:", r) for r in refs)
    for ref in refs:
        assert (EDITOR.parent / ref).is_file(), ref
    # and each target's $id agrees with that layout, so resolution by $id gives the same file
    base = json.loads(text)["$id"].rsplit("/", 1)[0]
    for path, schema in _all_schemas().items():
        assert schema["$id"] == base + "/" + path.relative_to(SCHEMAS).as_posix()


def test_a_media_type_per_import_media_type():
    from validator.row import MEDIA_TYPES

    schema = json.loads(EDITOR.read_text(encoding="utf-8"))
    consts = [s["if"]["properties"]["media_type"]["const"] for s in schema["items"]["allOf"][1:]]
    assert sorted(consts) == sorted(MEDIA_TYPES)


def test_the_schema_ships_in_the_wheel_layout():
    # pyproject force-includes schemas/ as validator/schemas: the editor schema goes with it
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"schemas" = "validator/schemas"' in pyproject
