"""The core rules (issue 3): each fails and passes with exact code, pointer, line and column.

Expected positions come from searching the input text (an oracle independent of the
validator's locator): `at(text, needle)` is the 1-based line and column of a needle's
first character.
"""
import json

import pytest

from util import at, doc, findings, only, where

URL = "https://example.com/img/a.jpg"


# -- J: file structure ---------------------------------------------------------------------


def test_j001_points_where_parsing_stopped():
    text = '[\n  {"row_data": "%s"},\n  {"row_data": "%s" "media_type": "IMAGE"}\n]' % (URL, URL)
    (f,) = only(text, "J001")
    assert (f.line, f.column) == at(text, '"media_type"')
    assert f.row == 1 and f.pointer == "/1"


def test_j001_truncated_file_points_at_the_end():
    text = '[{"row_data": "%s"}, {"row_da' % URL
    (f,) = only(text, "J001")
    assert (f.line, f.column) == (1, len(text) + 1)
    assert "truncated" in f.message


def test_j001_trailing_garbage():
    text = '[{"row_data": "%s"}]\n]' % URL
    (f,) = only(text, "J001")
    assert (f.line, f.column) == (2, 1)


def test_j001_passes_on_valid_json():
    assert not only(doc({"row_data": URL}), "J001")


def test_j002_utf16_is_named_with_a_conversion_hint():
    text = doc({"row_data": URL})
    (f,) = only(text.encode("utf-16"), "J002")
    assert (f.code, f.line, f.column) == ("J002", 1, 1)
    assert "UTF-16 LE" in f.message and "iconv" in f.message


def test_j002_invalid_byte_located_and_latin1_recognised():
    text = '[\n  {"row_data": "https://example.com/caf\xe9.jpg"}\n]'
    data = text.encode("latin-1")
    (f,) = only(data, "J002")
    assert (f.line, f.column) == at(text, "\xe9")
    assert "Latin-1" in f.message or "Windows-1252" in f.message


def test_j003_bom_warns_and_the_rest_is_checked():
    text = doc({"row_data": URL + "#x"})
    got = findings(b"\xef\xbb\xbf" + text.encode())
    assert [(g.code, g.line, g.column) for g in got if g.code == "J003"] == [("J003", 1, 1)]
    (u,) = [g for g in got if g.code == "U001"]
    assert (u.line, u.column) == at(text, '"https')  # columns after the BOM are not shifted


def test_j004_single_object_suggests_wrapping():
    text = '\n  {"row_data": "%s"}' % URL
    (f,) = only(text, "J004")
    assert (f.pointer, f.line, f.column) == ("", 2, 3)
    assert "[ ... ]" in f.message


def test_j005_string_row():
    text = doc({"row_data": URL}, "images/cat.jpg")
    (f,) = only(text, "J005")
    assert where(f) == ("J005", "/1", *at(text, '"images/cat.jpg"'))


def test_j005_passes_on_object_rows():
    assert not only(doc({"row_data": URL}), "J005")


def test_j006_points_at_the_repeated_key():
    text = '[\n  {"row_data": "%s",\n   "attachments": [{"type": "IMAGE", "type": "VIDEO", "value": "%s"}]}\n]' % (URL, URL)
    (f,) = only(text, "J006")
    assert where(f) == ("J006", "/0/attachments/0/type", *at(text, '"type"', nth=1))


def test_j006_passes_without_repeats():
    assert not only(doc({"row_data": URL, "global_key": "a"}), "J006")


def test_j007_nan_is_located():
    text = '[\n  {"row_data": "%s",\n   "embeddings": [{"embedding_id": "e", "vector": [0.5, NaN]}]}\n]' % URL
    (f,) = only(text, "J007")
    assert (f.line, f.column) == at(text, "NaN")


def test_j008_empty_array():
    (f,) = only("  []", "J008")
    assert (f.line, f.column) == (1, 3)
    assert not only(doc({"row_data": URL}), "J008")


# -- R: rows and schemas ---------------------------------------------------------------------


def test_r001_missing_row_data_points_at_the_row():
    text = doc({"row_data": URL}, {"global_key": "k"})
    (f,) = only(text, "R001")
    assert where(f) == ("R001", "/1", *at(text, "{", nth=1))


@pytest.mark.parametrize("empty", [None, "", "   ", {}])
def test_r001_empty_row_data(empty):
    text = doc({"row_data": empty, "global_key": "k"})
    (f,) = only(text, "R001")
    assert where(f) == ("R001", "/0/row_data", *at(text, json.dumps(empty) if empty is not None else "null"))


def test_r001_passes():
    assert not only(doc({"row_data": URL}), "R001")


def test_r002_unknown_key_points_at_the_key_and_suggests():
    text = doc({"row_data": URL, "externalId": "x"})
    (f,) = only(text, "R002")
    assert where(f) == ("R002", "/0/externalId", *at(text, '"externalId"'))
    assert "external_id" in f.message


def test_r002_pointer_escapes_slash_and_tilde():
    text = doc({"row_data": URL, "a/b~c": 1})
    (f,) = only(text, "R002")
    assert f.pointer == "/0/a~1b~0c"


def test_r004_wrong_types():
    text = doc({"row_data": URL, "external_id": 7, "attachments": {"type": "IMAGE"}})
    got = sorted(where(f) for f in only(text, "R004"))
    assert got == sorted([
        ("R004", "/0/external_id", *at(text, "7")),
        ("R004", "/0/attachments", *at(text, '{\n      "type"')),
    ])


def test_r004_passes():
    assert not only(doc({"row_data": URL, "external_id": "7", "attachments": []}), "R004")


def test_r005_unknown_media_type_suggests_the_closest():
    text = doc({"row_data": URL, "media_type": "IMAGES"})
    (f,) = only(text, "R005")
    assert where(f) == ("R005", "/0/media_type", *at(text, '"IMAGES"'))
    assert "'IMAGE'" in f.message


def test_r005_project_kind_is_explained():
    (f,) = only(doc({"row_data": URL, "media_type": "LLM"}), "R005")
    assert "project kind" in f.message


def test_r005_passes_and_leaves_case_variants_alone():
    assert not only(doc({"row_data": URL, "media_type": "IMAGE"}), "R005")
    assert not only(doc({"row_data": URL, "media_type": "image"}), "R005")


def test_r007_object_on_an_image_row():
    text = doc({"row_data": {"url": URL}, "media_type": "IMAGE"})
    (f,) = only(text, "R007")
    assert where(f) == ("R007", "/0/row_data", *at(text, "{", nth=1))
    assert "URL string" in f.message


def test_r007_tiled_imagery_missing_bounds_points_at_row_data():
    text = doc({"row_data": {"tile_layer_url": "https://t.example.com/{z}/{x}/{y}.png", "epsg": "EPSG4326"}, "media_type": "TMS_GEO"})
    (f,) = only(text, "R007")
    assert where(f) == ("R007", "/0/row_data", *at(text, "{", nth=1))
    assert "bounds" in f.message


def test_r007_passes_on_the_seed_pdf_shape():
    assert not only(doc({"row_data": {"pdf_url": "https://example.com/a.pdf", "text_layer_url": "https://example.com/t.json"}, "media_type": "PDF"}), "R007")


# -- U001 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["#", "<", ">", "|", " ", '"', "{", "}", "\\", "^", "[", "]", "`", "\x01", "%G"])
def test_u001_each_forbidden_character(bad):
    url = f"https://example.com/img/a{bad}b.jpg"
    text = doc({"row_data": url})
    (f,) = only(text, "U001")
    assert f.pointer == "/0/row_data"
    assert (f.line, f.column) == at(text, '"https')
    assert f"offset {url.index(bad)}" in f.message


def test_u001_attachment_value_pointer():
    text = doc({"row_data": URL, "attachments": [{"type": "RAW_TEXT", "value": "a # b"}, {"type": "IMAGE", "value": "https://example.com/x<y>.png"}]})
    (f,) = only(text, "U001")
    assert where(f) == ("U001", "/0/attachments/1/value", *at(text, '"https://example.com/x<'))


def test_u001_allows_tile_placeholders_ipv6_hosts_and_percent_escapes():
    ok = doc(
        {"row_data": "https://example.com/a%20b%23c.jpg"},
        {"row_data": "https://[2001:db8::1]/a.jpg"},
        {"row_data": {"tile_layer_url": "https://t.example.com/{z}/{x}/{y}.png", "bounds": [[0, 0], [1, 1]], "epsg": "EPSG3857"}, "media_type": "TMS_SIMPLE"},
    )
    assert not only(ok, "U001")


def test_u001_offers_a_percent_encoded_fix():
    (f,) = only(doc({"row_data": "https://example.com/a b#c.jpg"}), "U001")
    assert f.fix.replacement == "https://example.com/a%20b%23c.jpg"


# -- A004, A005 ----------------------------------------------------------------------------------

OVERLAY = {"type": "IMAGE_OVERLAY", "value": "https://example.com/layer.png"}


def test_a004_overlay_on_video_row():
    text = doc({"row_data": "https://example.com/v.mp4", "media_type": "VIDEO", "attachments": [{"type": "RAW_TEXT", "value": "x"}, OVERLAY]})
    (f,) = only(text, "A004")
    assert where(f) == ("A004", "/0/attachments/1/type", *at(text, '"IMAGE_OVERLAY"'))
    assert f.severity.value == "error"


def test_a004_infers_the_type_from_the_extension():
    text = doc({"row_data": "https://example.com/v.mp4", "attachments": [OVERLAY]})
    (f,) = only(text, "A004")
    assert f.severity.value == "error" and "VIDEO" in f.message


def test_a004_warns_when_the_type_cannot_be_inferred():
    (f,) = only(doc({"row_data": "https://example.com/asset", "attachments": [OVERLAY]}), "A004")
    assert f.severity.value == "warning"


def test_a004_passes_on_image_rows():
    assert not only(doc({"row_data": URL, "media_type": "IMAGE", "attachments": [OVERLAY]}), "A004")
    assert not only(doc({"row_data": URL, "attachments": [OVERLAY]}), "A004")  # inferred from .jpg


def test_a005_reports_at_the_eleventh_overlay():
    overlays = [dict(OVERLAY, value=f"https://example.com/{i}.png") for i in range(12)]
    text = doc({"row_data": URL, "media_type": "IMAGE", "attachments": overlays})
    (f,) = only(text, "A005")
    assert where(f) == ("A005", "/0/attachments/10", *at(text, "{", nth=11))
    assert "12" in f.message


def test_a005_ten_is_fine():
    overlays = [dict(OVERLAY, value=f"https://example.com/{i}.png") for i in range(10)]
    assert not only(doc({"row_data": URL, "media_type": "IMAGE", "attachments": overlays}), "A005")


# -- I001 -------------------------------------------------------------------------------------


def test_i001_unconfigured_gs_attachment_on_another_bucket():
    text = doc({"row_data": "gs://bucket-a/x.jpg", "attachments": [{"type": "IMAGE", "value": "gs://bucket-b/y.jpg"}]})
    (f,) = only(text, "I001")
    assert where(f) == ("I001", "/0/attachments/0/value", *at(text, '"gs://bucket-b'))


def test_i001_unconfigured_gs_attachment_on_an_s3_row():
    text = doc({"row_data": "https://acme.s3.us-east-1.amazonaws.com/x.jpg", "attachments": [{"type": "IMAGE", "value": "gs://bucket-b/y.jpg"}]})
    assert [f.pointer for f in only(text, "I001")] == ["/0/attachments/0/value"]


def test_i001_unconfigured_same_bucket_signed_or_public_pass():
    assert not only(doc({"row_data": "https://storage.googleapis.com/bucket-a/x.jpg", "attachments": [{"type": "IMAGE", "value": "gs://bucket-a/y.jpg"}]}), "I001")
    assert not only(doc({"row_data": "https://cdn.example.com/x.jpg", "attachments": [{"type": "IMAGE", "value": "gs://bucket-b/y.jpg"}]}), "I001")
    signed = "https://acme.s3.amazonaws.com/x.jpg?X-Amz-Signature=abc&X-Amz-Date=20260101T000000Z"
    assert not only(doc({"row_data": signed, "attachments": [{"type": "IMAGE", "value": "gs://bucket-b/y.jpg"}]}), "I001")


def test_i001_configured_integrations():
    integrations = (("prod", ("s3://acme-images",)), ("archive", ("https://cdn.acme.com/private/",)))
    text = doc({
        "row_data": "https://acme-images.s3.eu-west-1.amazonaws.com/x.jpg",
        "attachments": [
            {"type": "IMAGE", "value": "https://s3.eu-west-1.amazonaws.com/acme-images/ok.jpg"},
            {"type": "IMAGE", "value": "https://cdn.acme.com/private/y.jpg"},
        ],
    })
    (f,) = only(text, "I001", integrations=integrations)
    assert where(f) == ("I001", "/0/attachments/1/value", *at(text, '"https://cdn.acme.com'))
    assert "'archive'" in f.message and "'prod'" in f.message


# -- K001 ---------------------------------------------------------------------------------------


def test_k001_case_insensitive_duplicate_points_at_the_first():
    text = doc({"row_data": URL, "global_key": "Cat-1"}, {"row_data": URL, "global_key": "b"}, {"row_data": URL, "global_key": "cat-1"})
    (f,) = only(text, "K001")
    assert where(f) == ("K001", "/2/global_key", *at(text, '"cat-1"'))
    assert f.related.row == 0 and f.related.pointer == "/0/global_key"


def test_k001_passes_on_unique_keys():
    assert not only(doc({"row_data": URL, "global_key": "a"}, {"row_data": URL, "global_key": "b"}), "K001")


def test_k001_across_files_of_one_run(tmp_path):
    from validator.api import run
    from validator.config import Settings

    a = tmp_path / "a.json"
    b = tmp_path / "b.json"
    a.write_text(doc({"row_data": URL, "global_key": "shared"}))
    b.write_text(doc({"row_data": URL, "global_key": "other"}, {"row_data": URL, "global_key": "SHARED"}))
    got = [x for x in run([str(a), str(b)], Settings()) if getattr(x, "code", None) == "K001"]
    assert [(f.file, f.pointer) for f in got] == [(str(b), "/1/global_key")]
    assert got[0].related.file == str(a)


def test_legacy_forms_are_r003s_not_r001_or_r002():
    legacy = doc(
        {"conversationalData": [{"messageId": "m1", "content": "hi", "user": {"userId": "u", "name": "U"}}], "type": "application/vnd.labelbox.conversational", "version": 1},
        {"tileLayerUrl": "https://t.example.com/{z}/{x}/{y}.png"},
    )
    got = {f.code for f in findings(legacy)}
    assert "R001" not in got and "R002" not in got
    assert "R003" in got


# -- the shared schema's shortcut for unknown keys ------------------------------------------------
# schemas._only_unknown_keys answers for a row whose only fault is unknown keys without
# jsonschema-rs's error objects; it must give exactly what explaining the row gives.

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from validator import schemas  # noqa: E402
from test_properties import json_values, row_like  # noqa: E402

_KNOWN = schemas._closed_object("row.schema.json")[0]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row_like, st.dictionaries(st.sampled_from(["mediaType", "externalId", "globalKey", "rowData", "x", "~/"]) | st.text(max_size=6),
                                 json_values, max_size=3))
def test_the_unknown_keys_shortcut_gives_what_explaining_gives(row, extra):
    value = {**row, **{k: v for k, v in extra.items() if k not in _KNOWN}}
    shared = schemas._compiled("row.schema.json")
    quick = schemas._only_unknown_keys("row.schema.json", value)
    if quick is not None:
        assert quick == list(schemas._explain(shared, value, ()))


def test_the_unknown_keys_shortcut_is_taken_and_only_for_schemas_it_holds_for():
    row = {"row_data": URL, "mediaType": "IMAGE", "externalId": "e1"}
    assert [(i.code, i.path) for i in schemas._only_unknown_keys("row.schema.json", row)] == [("R002", ("externalId",)), ("R002", ("mediaType",))]
    assert schemas._only_unknown_keys("row.schema.json", {"row_data": 3, "mediaType": "IMAGE"}) is None  # another fault too
    assert schemas._only_unknown_keys("row.schema.json", {"row_data": URL}) is None  # no unknown key
    assert schemas._judges_known_keys_only({k: v for k, v in schemas.load("row.schema.json").items() if k != "additionalProperties"}, _KNOWN)
    for seeing in ({"minProperties": 1}, {"allOf": [{"patternProperties": {"^x": {}}}]}, {"if": {"propertyNames": {}}}, {"$ref": "#/x"},
                   {"if": {"required": ["mediaType"]}, "then": {"required": ["media_type"]}}, {"not": {"properties": {"x": False}}}):
        assert not schemas._judges_known_keys_only(seeing, _KNOWN)
