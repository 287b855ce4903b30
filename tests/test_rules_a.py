"""A001-A003, A006-A010: each fails and passes with exact code, pointer, line and column.

Expected positions come from searching the input text (independent of the validator's
locator): `at(text, needle)` is the 1-based line and column of the needle's first character.
"""
import json

from hypothesis import given, settings as hsettings, strategies as st

from util import at, doc, findings, only, where
from validator.row import ATTACHMENT_TYPES

ASSET = "https://example.com/a.jpg"


def row(*attachments, media_type="IMAGE", row_data=ASSET):
    return {"row_data": row_data, "media_type": media_type, "attachments": list(attachments)}


def codes_at(text, code):
    return [(f.pointer, f.line, f.column) for f in only(text, code)]


A_CODES = ("A001", "A002", "A003", "A006", "A007", "A008", "A009", "A010")


# -- A001 attachment-shape ----------------------------------------------------------------------------


def test_a001_not_an_object():
    text = doc(row({"type": "IMAGE", "value": "https://example.com/b.jpg"}, "https://example.com/c.jpg"))
    (f,) = only(text, "A001")
    assert where(f) == ("A001", "/0/attachments/1", *at(text, '"https://example.com/c.jpg"'))
    assert "must be an object" in f.message


def test_a001_misspelt_key_is_reported_once_at_the_key():
    text = doc(row({"attachment_type": "IMAGE", "value": "https://example.com/b.jpg"}))
    (f,) = only(text, "A001")
    assert where(f) == ("A001", "/0/attachments/0/attachment_type", *at(text, '"attachment_type"'))
    assert "should be 'type'" in f.message


def test_a001_missing_value_unknown_key_and_bad_name():
    text = doc(row({"type": "IMAGE"}, {"type": "IMAGE", "value": "https://example.com/b.jpg", "name": 7, "color": "red"}))
    got = only(text, "A001")
    assert [where(f) for f in got] == [
        ("A001", "/0/attachments/0", *at(text, '{\n        "type": "IMAGE"\n')),
        ("A001", "/0/attachments/1/name", *at(text, "7")),
        ("A001", "/0/attachments/1/color", *at(text, '"color"')),
    ]
    assert "lacks 'value'" in got[0].message


def test_a001_passes_type_value_and_name():
    text = doc(row({"type": "IMAGE", "value": "https://example.com/b.jpg"}, {"type": "RAW_TEXT", "value": "x", "name": "note"}))
    assert not only(text, "A001")


# -- A002 unknown-attachment-type ------------------------------------------------------------------


def test_a002_retired_text_becomes_raw_text_or_text_url():
    text = doc(row({"type": "TEXT", "value": "Field 12"}, {"type": "TEXT", "value": "https://example.com/notes.txt"}))
    got = only(text, "A002")
    assert [where(f) for f in got] == [("A002", "/0/attachments/0/type", *at(text, '"TEXT"')),
                                       ("A002", "/0/attachments/1/type", *at(text, '"TEXT"', 1))]
    assert [f.fix.replacement for f in got] == ["RAW_TEXT", "TEXT_URL"]


def test_a002_case_variants_are_fixed_and_unknown_types_get_a_suggestion():
    text = doc(row({"type": "raw_text", "value": "x"}, {"type": "Image-Overlay", "value": "https://example.com/o.png"},
                   {"type": "IMAGES", "value": "https://example.com/b.jpg"}, {"type": 3, "value": "x"}))
    got = only(text, "A002")
    assert [f.pointer for f in got] == [f"/0/attachments/{i}/type" for i in range(4)]
    assert (got[0].line, got[0].column) == at(text, '"raw_text"')
    assert [f.fix and f.fix.replacement for f in got] == ["RAW_TEXT", "IMAGE_OVERLAY", None, None]
    assert 'did you mean "IMAGE"' in got[2].message and "not a number" in got[3].message


def test_a002_passes_every_attachment_type():
    text = doc(row(*[{"type": t, "value": "https://example.com/x"} for t in ATTACHMENT_TYPES]))
    assert not only(text, "A002")


# -- A003 empty-attachment-value ---------------------------------------------------------------------


def test_a003_empty_blank_null_and_non_string():
    text = doc(row({"type": "IMAGE", "value": ""}, {"type": "RAW_TEXT", "value": " \t"}, {"type": "RAW_TEXT", "value": None},
                   {"type": "RAW_TEXT", "value": 12}))
    got = only(text, "A003")
    assert [where(f) for f in got] == [
        ("A003", "/0/attachments/0/value", *at(text, '""')),
        ("A003", "/0/attachments/1/value", *at(text, '" \\t"')),
        ("A003", "/0/attachments/2/value", *at(text, "null")),
        ("A003", "/0/attachments/3/value", *at(text, "12")),
    ]


def test_a003_passes_text_and_leaves_a_missing_value_to_a001():
    text = doc(row({"type": "RAW_TEXT", "value": "x"}, {"type": "IMAGE"}))
    assert not only(text, "A003")
    assert only(text, "A001")


# -- A004 overlay-on-non-image, A005 too-many-overlays: the type in any case --------------------------


def test_a004_lower_case_overlay_on_a_video_row():
    text = doc(row({"type": "RAW_TEXT", "value": "x"}, {"type": "image_overlay", "value": "https://example.com/o.png"},
                   media_type="VIDEO", row_data="https://example.com/v.mp4"))
    (f,) = only(text, "A004")
    assert where(f) == ("A004", "/0/attachments/1/type", *at(text, '"image_overlay"'))
    assert f.severity.value == "error" and "VIDEO" in f.message
    assert [g.pointer for g in only(text, "A002")] == ["/0/attachments/1/type"]  # the spelling, separately
    from validator.fastpath import is_clean
    assert not is_clean(json.loads(text)[0])  # the fast path takes only upper-case types: A004 always runs here


def test_a004_passes_a_mixed_case_overlay_on_an_image_row_and_ignores_non_string_types():
    assert not only(doc(row({"type": "Image_Overlay", "value": "https://example.com/o.png"})), "A004")
    text = doc(row({"type": ["IMAGE_OVERLAY"], "value": "https://example.com/o.png"}, media_type="VIDEO",
                   row_data="https://example.com/v.mp4"))
    assert not only(text, "A004")


def test_a005_counts_overlays_in_any_case():
    overlays = [{"type": "Image_Overlay" if i % 2 else "IMAGE_OVERLAY", "value": f"https://example.com/{i}.png"} for i in range(11)]
    text = doc(row(*overlays))
    (f,) = only(text, "A005")
    assert where(f) == ("A005", "/0/attachments/10", *at(text, "{", nth=11))
    assert "11 IMAGE_OVERLAY" in f.message


def test_a005_ten_mixed_case_overlays_and_non_string_types_pass():
    overlays = [{"type": "image_overlay", "value": f"https://example.com/{i}.png"} for i in range(10)]
    assert not only(doc(row(*overlays, {"type": 7, "value": "https://example.com/x.png"})), "A005")


# -- A006 overlay-not-image ------------------------------------------------------------------------------


def test_a006_tiff_overlay_is_an_error_and_no_extension_a_warning():
    text = doc(row({"type": "IMAGE_OVERLAY", "value": "https://example.com/ndvi.tif"},
                   {"type": "IMAGE_OVERLAY", "value": "https://example.com/layers/ndvi?band=4"}))
    got = only(text, "A006")
    assert [(where(f), f.severity.value) for f in got] == [
        (("A006", "/0/attachments/0/value", *at(text, '"https://example.com/ndvi.tif"')), "error"),
        (("A006", "/0/attachments/1/value", *at(text, '"https://example.com/layers')), "warning"),
    ]
    assert not only(text, "A007")


def test_a006_passes_png_and_jpg_overlays_signed_or_not():
    text = doc(row({"type": "IMAGE_OVERLAY", "value": "https://example.com/a.PNG"},
                   {"type": "IMAGE_OVERLAY", "value": "https://example.com/b.jpeg?X-Amz-Signature=1"}))
    assert not only(text, "A006")


# -- A007 attachment-extension-mismatch ---------------------------------------------------------------


def test_a007_video_attached_as_image():
    text = doc(row({"type": "IMAGE", "value": "https://example.com/drone.mp4"}))
    (f,) = only(text, "A007")
    assert where(f) == ("A007", "/0/attachments/0/value", *at(text, '"https://example.com/drone.mp4"'))
    assert f.severity.value == "warning" and "use type VIDEO" in f.message


def test_a007_every_type_against_a_wrong_extension():
    wrong = {"IMAGE": "a.gif", "VIDEO": "a.mov", "AUDIO": "a.ogg", "PDF_URL": "a.docx", "HTML": "a.pdf", "TEXT_URL": "a.jpg"}
    text = doc(row(*[{"type": t, "value": f"https://example.com/{name}"} for t, name in wrong.items()]))
    assert [p for p, _, _ in codes_at(text, "A007")] == [f"/0/attachments/{i}/value" for i in range(len(wrong))]


def test_a007_passes_matching_and_missing_extensions():
    text = doc(row({"type": "VIDEO", "value": "https://example.com/a.mp4"}, {"type": "TEXT_URL", "value": "https://example.com/a.md"},
                   {"type": "HTML", "value": "https://www.wikipedia.org/"}, {"type": "HTML", "value": "https://example.com/a.php?x=1"},
                   {"type": "CAMERA_IMAGE", "value": "https://example.com/a.webp"}, {"type": "AUDIO", "value": "https://example.com/a.M4A"}))
    assert not only(text, "A007")


# -- A008 attachment-not-url -------------------------------------------------------------------------


def test_a008_relative_path_bare_host_local_path_and_text():
    text = doc(row({"type": "IMAGE", "value": "images/side-view.jpg"}, {"type": "VIDEO", "value": "www.example.com/v.mp4"},
                   {"type": "PDF_URL", "value": "C:\\docs\\a.pdf"}, {"type": "TEXT_URL", "value": "Field 12 notes"},
                   {"type": "IMAGE", "value": "file:///home/me/a.png"}))
    got = only(text, "A008")
    assert [where(f) for f in got] == [
        ("A008", "/0/attachments/0/value", *at(text, '"images/side-view.jpg"')),
        ("A008", "/0/attachments/1/value", *at(text, '"www.example.com')),
        ("A008", "/0/attachments/2/value", *at(text, '"C:')),
        ("A008", "/0/attachments/3/value", *at(text, '"Field 12 notes"')),
        ("A008", "/0/attachments/4/value", *at(text, '"file:')),
    ]
    assert "https://www.example.com/v.mp4" in got[1].message
    assert "local file path" in got[2].message and "RAW_TEXT" in got[3].message


def test_a008_one_defect_one_finding():
    text = doc(row({"type": "IMAGE", "value": "my photo é.jpg"}))
    assert [f.code for f in findings(text) if f.code[0] in "UA" and f.code != "U001"] == ["A008"]


def test_a008_passes_urls_raw_text_and_leaves_schemes_to_u002():
    text = doc(row({"type": "IMAGE", "value": "https://example.com/b.jpg"}, {"type": "IMAGE", "value": "gs://acme/b.jpg"},
                   {"type": "RAW_TEXT", "value": "just text"}, {"type": "IMAGE", "value": "s3://acme/b.jpg"}))
    assert not only(text, "A008")
    assert [f.pointer for f in only(text, "U002")] == ["/0/attachments/3/value"]


# -- A009 duplicate-attachment -----------------------------------------------------------------------


def test_a009_second_copy_names_the_first():
    att = {"type": "IMAGE", "value": "https://example.com/b.jpg"}
    text = doc(row(att, {"type": "RAW_TEXT", "value": "x"}, dict(att, name="again")))
    (f,) = only(text, "A009")
    assert where(f) == ("A009", "/0/attachments/2", *at(text, '{\n        "type": "IMAGE"', 1))
    assert f.related.pointer == "/0/attachments/0" and "/0/attachments/0" in f.message
    # the first copy is in the same row, whose text is at hand: it is located too
    assert (f.related.line, f.related.column) == at(text, '{\n        "type": "IMAGE"', 0)


def test_a009_passes_same_value_with_another_type_and_other_rows():
    att = {"type": "IMAGE", "value": "https://example.com/b.jpg"}
    text = doc(row(att, {"type": "IMAGE_OVERLAY", "value": att["value"]}), row(att))
    assert not only(text, "A009")


# -- A010 raw-text-url -------------------------------------------------------------------------------


def test_a010_link_to_a_text_file():
    text = doc(row({"type": "RAW_TEXT", "value": "https://example.com/notes/field-12.txt"}))
    (f,) = only(text, "A010")
    assert where(f) == ("A010", "/0/attachments/0/value", *at(text, '"https://example.com/notes'))
    assert f.severity.value == "info" and "TEXT_URL" in f.message


def test_a010_passes_hyperlinks_text_and_text_url():
    text = doc(row({"type": "RAW_TEXT", "value": "https://www.wikipedia.org/"}, {"type": "RAW_TEXT", "value": "see notes.txt"},
                   {"type": "TEXT_URL", "value": "https://example.com/notes.txt"}))
    assert not only(text, "A010")


# -- properties ----------------------------------------------------------------------------------------

_VALID = {"IMAGE": "https://example.com/a.png", "VIDEO": "https://example.com/a.mp4", "AUDIO": "https://example.com/a.wav",
          "RAW_TEXT": "Field 12, June 2022", "TEXT_URL": "https://example.com/a.txt", "HTML": "https://example.com/a.html",
          "IMAGE_OVERLAY": "https://example.com/o.png", "PDF_URL": "https://example.com/a.pdf", "CAMERA_IMAGE": "gs://acme/c.jpg"}
_attachment = st.sampled_from(sorted(_VALID)).map(lambda t: {"type": t, "value": _VALID[t]})


@hsettings(max_examples=60, deadline=None)
@given(st.lists(_attachment, max_size=8, unique_by=lambda a: a["type"]))
def test_valid_attachments_have_no_a_findings(atts):
    text = doc(row(*atts))
    assert not [f for f in findings(text) if f.code in A_CODES]


@hsettings(max_examples=60, deadline=None)
@given(st.lists(_attachment, min_size=1, max_size=6, unique_by=lambda a: a["type"]), st.data())
def test_one_defect_fires_its_rule_at_the_mutated_attachment(atts, data):
    i = data.draw(st.integers(0, len(atts) - 1))
    defect = data.draw(st.sampled_from(["drop-type", "empty-value", "bad-type", "extra-key"]))
    mutated = dict(atts[i])
    if defect == "drop-type":
        del mutated["type"]
        expected = ("A001", f"/0/attachments/{i}")
    elif defect == "empty-value":
        mutated["value"] = ""
        expected = ("A003", f"/0/attachments/{i}/value")
    elif defect == "bad-type":
        mutated["type"] = "TXT_FILE"
        expected = ("A002", f"/0/attachments/{i}/type")
    else:
        mutated["note"] = "x"
        expected = ("A001", f"/0/attachments/{i}/note")
    atts = atts[:i] + [mutated] + atts[i + 1:]
    got = [(f.code, f.pointer) for f in findings(doc(row(*atts))) if f.code in A_CODES]
    assert got == [expected]


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.fixed_dictionaries({"type": st.sampled_from(["IMAGE", "image", "RAW_TEXT"]), "value": st.sampled_from(["a", "a ", " a", "b", 3])}) | st.sampled_from([1, "s"]), min_size=2, max_size=4))
def test_a009_quick_exit_never_hides_a_repeat(attachments):
    from validator.rules import a009_duplicate_attachment as a009

    if a009._distinct_values(attachments):
        row = {"row_data": "https://example.com/a.jpg", "media_type": "IMAGE", "attachments": attachments}
        keys = [(a["type"].upper(), a["value"].strip()) for a in attachments]
        assert len(set(keys)) == len(keys)
        assert not [f for f in findings(json.dumps([row])) if f.code == "A009"]
