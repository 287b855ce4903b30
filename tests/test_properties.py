"""Properties of the whole check, over generated inputs (hypothesis).

- Arbitrary bytes and arbitrary JSON never raise out of the checker.
- In a document that parses, every finding's pointer resolves, and its line and
  column point at the value the pointer names (or at its key, or at the row's
  `{` for something missing): checked by parsing the text at that position.
- Valid generated rows of every media type yield no error.
"""
import json
import string

from hypothesis import HealthCheck, given, settings, strategies as st

from validator import Severity
from util import findings

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- arbitrary input -------------------------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers(-(2**63) + 1, 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20)
json_values = st.recursive(json_scalars, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4), max_leaves=12)
ROW_KEYS = ["row_data", "global_key", "external_id", "media_type", "attachments", "metadata_fields", "embeddings", "globalKey"]
URLISH = st.sampled_from(["https://example.com/a.jpg", "gs://b/c.png", "s3://b/k.mp4", "http://x", "/local/a.jpg", "https://e.com/a#b", "", " https://e.com/x.pdf"])
MEDIA = st.sampled_from(["IMAGE", "VIDEO", "TEXT", "PDF", "TMS_GEO", "CONVERSATIONAL", "image", "PICTURE", 3])
row_like = st.fixed_dictionaries({"row_data": URLISH | json_values}, optional={
    "global_key": st.text(max_size=10) | json_scalars,
    "media_type": MEDIA,
    "attachments": st.lists(st.fixed_dictionaries({"type": st.sampled_from(["IMAGE", "IMAGE_OVERLAY", "TEXT", "RAW_TEXT", "x"]), "value": URLISH | json_scalars}), max_size=3) | json_values,
    "metadata_fields": st.lists(st.dictionaries(st.sampled_from(["name", "schema_id", "value", "schemaId"]), json_scalars, max_size=3), max_size=3),
    "globalKey": st.text(max_size=5),
})
documents = st.lists(row_like | json_values, max_size=5) | json_values


@FAST
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(data):
    for f in findings(data):
        assert f.code and f.severity in Severity
        assert f.line is None or (f.line >= 1 and f.column >= 1)


@FAST
@given(documents, st.sampled_from([None, 0, 2]), st.booleans())
def test_findings_point_at_what_they_name(document, indent, ascii_only):
    text = json.dumps(document, indent=indent, ensure_ascii=ascii_only)
    for f in findings(text):
        if f.code.startswith("J"):
            continue
        target = resolve(document, f.pointer)  # raises if the pointer does not resolve
        assert f.line is not None and f.column is not None
        offset = offset_of(text, f.line, f.column)
        here = json.JSONDecoder().raw_decode(text, offset)[0]
        last = unescape(f.pointer.rsplit("/", 1)[-1])
        assert here == target or here == last, (f, here)


def resolve(doc, pointer):
    value = doc
    for part in pointer.split("/")[1:]:
        part = unescape(part)
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def unescape(part):
    return part.replace("~1", "/").replace("~0", "~")


def offset_of(text, line, column):
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


# -- valid rows ---------------------------------------------------------------------------------------

SAFE = string.ascii_lowercase + string.digits + "-_"
name = st.text(SAFE, min_size=1, max_size=12)
EXT = {"IMAGE": "jpg", "VIDEO": "mp4", "AUDIO": "mp3", "HTML": "html", "DICOM": "dcm", "TEXT": "txt", "PDF": "pdf", "CONVERSATIONAL": "json"}
HOSTS = st.sampled_from(["acme-data.s3.us-west-1.amazonaws.com", "storage.googleapis.com/acme-data", "cdn.example.com"])


@st.composite
def url(draw, ext):
    return f"https://{draw(HOSTS)}/{draw(name)}/{draw(name)}.{ext}"


@st.composite
def valid_row(draw, index):
    media = draw(st.sampled_from(sorted(EXT)))
    row = {"row_data": draw(url(EXT[media])), "global_key": f"key-{index}-{draw(name)}", "media_type": media}
    if draw(st.booleans()):
        row["external_id"] = f"ext-{index}"
    attachments = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["IMAGE", "VIDEO", "RAW_TEXT", "TEXT_URL", "HTML", "PDF_URL"]))
        value = {"IMAGE": draw(url("png")), "VIDEO": draw(url("mp4")), "RAW_TEXT": draw(st.text(SAFE + " ,.", min_size=1, max_size=30).filter(str.strip)),
                 "TEXT_URL": draw(url("txt")), "HTML": draw(url("html")), "PDF_URL": draw(url("pdf"))}[kind]
        attachments.append({"type": kind, "value": value})
    if media == "IMAGE":
        for i in range(draw(st.integers(0, 3))):
            attachments.append({"type": "IMAGE_OVERLAY", "value": draw(url("png")), "name": f"layer {i}"})
    if attachments:
        row["attachments"] = attachments
    if draw(st.booleans()):
        row["metadata_fields"] = [{"name": "tag", "value": draw(name)}]
    return row


@FAST
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(*[valid_row(i) for i in range(n)])), st.sampled_from([None, 2]))
def test_valid_rows_have_no_errors(rows, indent):
    text = json.dumps(list(rows), indent=indent)
    errors = [(f.code, f.pointer, f.message) for f in findings(text) if f.severity is Severity.ERROR]
    assert errors == []
