"""R003 R006 R008 R009 R010 R011 R012 R013 R014: exact code, pointer, line and column,
passing cases, and hypothesis properties (valid rows of every media type these rules
touch give no R finding; one defect fires the right code at the mutated pointer)."""
import copy
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from validator import Severity, check_rows
from util import findings, only, rows, where

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONV = "application/vnd.labelbox.conversational"
R_CODES = ("R003", "R006", "R008", "R009", "R010", "R011", "R012", "R013", "R014")


def at(text, code, **options):
    return [where(f) for f in only(text, code, **options)]


def msg(text, code, **options):
    (f,) = only(text, code, **options)
    return f.message


# -- R003 legacy-format -------------------------------------------------------------------------

def test_r003_conversational_data_points_at_the_key():
    text = '[\n  {"conversationalData": [], "global_key": "c1"}\n]'
    assert at(text, "R003") == [("R003", "/0/conversationalData", 2, 4)]
    assert "\"media_type\": \"CONVERSATIONAL\"" in msg(text, "R003")


def test_r003_top_level_tile_layer_url():
    text = '[{"row_data": "https://e.com/a.jpg"},\n {"tileLayerUrl": "https://t.example.com/{z}/{x}/{y}.png"}]'
    assert at(text, "R003") == [("R003", "/1/tileLayerUrl", 2, 3)]
    assert only(text, "R003")[0].severity is Severity.WARNING


def test_r003_current_forms_pass():
    conv = {"row_data": {"type": CONV, "version": 1, "messages": []}, "media_type": "CONVERSATIONAL"}
    tiles = {"row_data": {"tile_layer_url": "https://t.e.com/{z}/{x}/{y}.png", "bounds": [[1, 2], [3, 4]], "epsg": "Simple"},
             "media_type": "TMS_SIMPLE"}
    assert at(rows(conv, tiles), "R003") == []


# -- R006 media-type-case ------------------------------------------------------------------------

def test_r006_lower_case_media_type_with_fix():
    text = '[{"row_data": "https://e.com/a.jpg", "media_type": "image"}]'
    (f,) = only(text, "R006")
    assert where(f) == ("R006", "/0/media_type", 1, 52)
    assert f.fix.replacement == "IMAGE" and f.severity is Severity.WARNING
    assert "R005" not in [g.code for g in findings(text)]


def test_r006_mixed_case_tms():
    text = rows({"row_data": {"tile_layer_url": "https://t.e.com/{z}/{x}/{y}", "bounds": [[1, 2], [3, 4]], "epsg": "Simple"},
                 "media_type": "Tms_Simple"}, indent=1)
    (f,) = only(text, "R006")
    assert (where(f), f.fix.replacement) == (("R006", "/0/media_type", 17, 17), "TMS_SIMPLE")


def test_r006_leaves_canonical_and_unknown_values_alone():
    assert at(rows({"row_data": "https://e.com/a.jpg", "media_type": "IMAGE"}), "R006") == []
    text = rows({"row_data": "https://e.com/a.jpg", "media_type": "picture"})
    assert at(text, "R006") == [] and at(text, "R005") != []


# -- R008 conversation-message -------------------------------------------------------------------

def conversation(*messages):
    return {"row_data": {"type": CONV, "version": 1, "messages": list(messages)}, "media_type": "CONVERSATIONAL"}


def message(i=1, **extra):
    m = {"messageId": f"m{i}", "content": f"hello {i}", "user": {"userId": "u1", "name": "Ann"}}
    m.update(extra)
    return m


def test_r008_unknown_key_points_at_the_key_and_suggests():
    text = ('[{"media_type": "CONVERSATIONAL", "row_data": {"type": "' + CONV + '", "version": 1, "messages": [\n'
            '  {"messageId": "m1", "text": "hi", "user": {"userId": "u1", "name": "Ann"}}]}}]')
    assert at(text, "R008") == [("R008", "/0/row_data/messages/0/text", 2, 23)]
    assert "did you mean 'content'?" in msg(text, "R008")


def test_r008_duplicate_message_id_and_missing_fields():
    text = rows(conversation(message(1), {"messageId": "m1", "content": "x"}), indent=1)
    got = at(text, "R008")
    assert got == [("R008", "/0/row_data/messages/1", 15, 5), ("R008", "/0/row_data/messages/1/messageId", 16, 19)]
    messages = [f.message for f in only(text, "R008")]
    assert "already used by message 0" in messages[1] and "missing 'user'" in messages[0]


def test_r008_content_limit_is_10000_characters():
    ok = rows(conversation(message(1, content="x" * 10_000)))
    assert at(ok, "R008") == []
    text = rows(conversation(message(1, content="x" * 10_001)))
    col = text.index('"xxx') + 1
    assert at(text, "R008") == [("R008", "/0/row_data/messages/0/content", 1, col)]
    assert "10,001 characters" in msg(text, "R008")


def test_r008_more_than_250_messages_is_reported_at_the_251st():
    text = rows(conversation(*[message(i) for i in range(251)]), indent=0)
    (f,) = only(text, "R008")
    assert f.pointer == "/0/row_data/messages/250" and "251 messages" in f.message
    assert f.line == text[: text.index('"m250"')].count("\n") and f.column == 1  # the `{` of the message
    assert at(rows(conversation(*[message(i) for i in range(250)])), "R008") == []


def test_r008_user_shape():
    text = rows(conversation(message(1, user={"id": "u1"})))
    got = [(f.pointer, f.message) for f in only(text, "R008")]
    assert got == [("/0/row_data/messages/0/user", "user is missing 'userId': rename 'id' to 'userId'"),
                   ("/0/row_data/messages/0/user", "user is missing 'name': the name the editor shows for this speaker")]


def test_r008_checks_legacy_conversational_data_and_undeclared_inline_conversations():
    legacy = '[{"conversationalData": [{"messageId": 7, "content": "a", "user": {"userId": "u", "name": "n"}}]}]'
    assert at(legacy, "R008") == [("R008", "/0/conversationalData/0/messageId", 1, 40)]
    undeclared = rows({"row_data": {"type": CONV, "version": 1, "messages": ["hi"]}})
    assert [f.pointer for f in only(undeclared, "R008")] == ["/0/row_data/messages/0"]


def test_r008_valid_conversation_passes():
    m = message(1, timestampUsec=1700000000000000, canLabel=True, align="left")
    assert at(rows(conversation(m, message(2))), "R008") == []


# -- R009 tile-layer -----------------------------------------------------------------------------

def tiles(media="TMS_GEO", **changes):
    data = {"tile_layer_url": "https://tiles.example.com/{z}/{x}/{y}.png",
            "bounds": [[19.405662413477728, -99.21052827588443], [19.400498983095076, -99.20534818927473]],
            "min_zoom": 12, "max_zoom": 20, "epsg": "EPSG4326",
            "alternative_layers": [{"tile_layer_url": "https://sat.example.com/{z}/{x}/{y}?token=abc", "name": "Satellite"}]}
    data.update(changes)
    return {"row_data": data, "media_type": media}


def test_r009_missing_placeholder():
    text = '[{"media_type": "TMS_GEO", "row_data": {"epsg": "Simple", "bounds": [[0, 0], [10, 10]],\n  "tile_layer_url": "https://t.e.com/{z}/{x}.png"}}]'
    assert at(text, "R009") == [("R009", "/0/row_data/tile_layer_url", 2, 21)]
    assert "lacks the {y} placeholder" in msg(text, "R009")


def test_r009_epsg_suggestion_and_zoom_order():
    text = rows(tiles(epsg="EPSG:4326", min_zoom=20, max_zoom=12), indent=2)
    got = [(f.pointer, f.line, f.column) for f in only(text, "R009")]
    assert got == [("/0/row_data/min_zoom", 15, 19), ("/0/row_data/epsg", 17, 15)]
    assert "did you mean 'EPSG4326'?" in only(text, "R009")[1].message


def test_r009_swapped_axes_get_the_version_hint():
    text = rows(tiles(bounds=[[-99.21, 19.40], [-99.20, 19.41]]))
    got = only(text, "R009")
    col = text.index("-99.21") + 1
    assert [where(f) for f in got][0] == ("R009", "/0/row_data/bounds/0/0", 1, col)
    assert len(got) == 2 and "set \"version\": 2" in got[0].message
    assert at(rows(tiles(bounds=[[-99.21, 19.40], [-99.20, 19.41]], version=2)), "R009") == []


def test_r009_degenerate_bounds_tile_size_native_zoom_and_layers():
    bad = tiles(bounds=[[1, 2], [1, 5]], epsg="Simple", tile_size=0, max_native_zoom=31,
                alternative_layers=[{"tile_layer_url": "https://x.e.com/%7Bz%7D/%7Bx%7D/%7By%7D"}])
    got = [(f.pointer, f.message.split(":")[0]) for f in only(rows(bad), "R009")]
    assert sorted(got) == sorted([
        ("/0/row_data/bounds", "the two bounds points share a coordinate, so the bounds enclose no area"),
        ("/0/row_data/tile_size", "tile_size is 0; it must be a positive whole number of pixels (usually 256 or 512)"),
        ("/0/row_data/max_native_zoom", "max_native_zoom is 31; zoom levels are whole numbers from 0 to 30"),
        ("/0/row_data/alternative_layers/0", "alternative layer is missing 'name'"),
        ("/0/row_data/alternative_layers/0/tile_layer_url", "tile_layer_url has percent-encoded placeholders"),
    ])
    assert "R007" not in [f.code for f in findings(rows(bad))]  # the missing name is R009's alone


def test_r009_seed_sample_passes():
    assert at(rows(tiles(), tiles("TMS_SIMPLE", epsg="Simple", bounds=[[0, 0], [4000, 3000]])), "R009") == []


# -- R010 extension-mismatch ---------------------------------------------------------------------

def test_r010_video_file_on_image_row_names_the_other_type():
    text = '[{"media_type": "IMAGE",\n  "row_data": "https://e.com/clips/a.MP4?sig=1"}]'
    assert at(text, "R010") == [("R010", "/0/row_data", 2, 15)]
    assert "set \"media_type\": \"VIDEO\"" in msg(text, "R010")


def test_r010_pdf_object_and_text_url():
    text = rows({"media_type": "PDF", "row_data": {"pdf_url": "https://e.com/a.docx"}},
                {"media_type": "TEXT", "row_data": "https://e.com/a.json"})
    assert at(text, "R010") == [("R010", "/0/row_data/pdf_url", 1, 48), ("R010", "/1/row_data", 1, 109)]


def test_r010_no_finding_without_extension_or_media_type():
    text = rows({"media_type": "IMAGE", "row_data": "https://e.com/render?id=3"},
                {"media_type": "IMAGE", "row_data": "https://e.com/photo.123"},
                {"row_data": "https://e.com/a.mp4"},
                {"media_type": "TEXT", "row_data": "plain text, not a file.pdf"},
                {"media_type": "CONVERSATIONAL", "row_data": "https://e.com/c.json"},
                {"media_type": "DICOM", "row_data": "gs://bucket/scan.dcm"})
    assert at(text, "R010") == []


# -- R011 missing-media-type ---------------------------------------------------------------------

def test_r011_is_opt_in_info_at_the_row():
    text = '[{"row_data": "https://e.com/a.jpg", "media_type": "IMAGE"},\n {"row_data": "https://e.com/a.jpg"}]'
    assert at(text, "R011") == []
    (f,) = only(text, "R011", extend_select=("R011",))
    assert (where(f), f.severity) == (("R011", "/1", 2, 2), Severity.INFO)
    assert '"media_type": "IMAGE"' in f.message


# -- R012 embedding-shape ------------------------------------------------------------------------

def test_r012_vector_length_must_match_across_the_file():
    text = ('[{"row_data": "https://e.com/a.jpg", "embeddings": [{"embedding_id": "e1", "vector": [0.1, 0.2]}]},\n'
            ' {"row_data": "https://e.com/b.jpg", "embeddings": [{"embedding_id": "e1", "vector": [0.1]}]}]')
    (f,) = only(text, "R012")
    assert where(f) == ("R012", "/1/embeddings/0/vector", 2, 86)
    assert f.related.pointer == "/0/embeddings/0/vector" and "has 1 values, but row 0" in f.message


def test_r012_entry_shapes():
    text = rows({"row_data": "https://e.com/a.jpg", "embeddings": [
        {"embedding_id": "e1", "vector": [1, 2]}, {"embedding_id": "e1", "vector": [1, 2]},
        {"embeddingId": "e2", "vector": [1]}, 5, {"embedding_id": "e3", "vector": [1, "2"]},
        {"embedding_id": "e4", "vector": []}, {"embedding_id": "e5", "vector": [0.0] * 2049}, {"embedding_id": "", "vector": [1]}]})
    got = [f.pointer for f in only(text, "R012")]
    assert got == ["/0/embeddings/1/embedding_id", "/0/embeddings/2", "/0/embeddings/3", "/0/embeddings/4/vector/1",
                   "/0/embeddings/5/vector", "/0/embeddings/6/vector", "/0/embeddings/7/embedding_id"]


def test_r012_state_is_per_file_and_python_api_rejects_nan_once():
    ok = rows({"row_data": "https://e.com/a.jpg", "embeddings": [{"embedding_id": "e1", "vector": [0.5] * 2048}]})
    assert at(ok, "R012") == []
    got = check_rows([{"row_data": "https://e.com/a.jpg", "embeddings": [{"embedding_id": "e", "vector": [1.0, float("nan")]}]}])
    assert [(f.code, f.pointer) for f in got] == [("J007", "/0/embeddings/0/vector/1")]  # J007's, as in a file


# -- R013 raw-text-too-long ----------------------------------------------------------------------

def test_r013_long_raw_text():
    text = '[{"media_type": "TEXT",\n  "row_data": "' + "a" * 65_537 + '"}]'
    assert at(text, "R013") == [("R013", "/0/row_data", 2, 15)]
    assert "65,537 characters" in msg(text, "R013")


def test_r013_limit_undeclared_and_urls():
    assert at(rows({"media_type": "TEXT", "row_data": "a" * 65_536}), "R013") == []
    assert at(rows({"row_data": "word " * 14_000}), "R013") != []  # undeclared raw text
    assert at(rows({"media_type": "IMAGE", "row_data": "a" * 70_000}), "R013") == []
    assert at(rows({"media_type": "TEXT", "row_data": "https://e.com/" + "a" * 70_000 + ".txt"}), "R013") == []


# -- R014 local-path -----------------------------------------------------------------------------

def test_r014_local_paths_in_a_file():
    text = ('[{"row_data": "/home/ann/cat.jpg"},\n {"row_data": "C:\\\\data\\\\cat.jpg", "media_type": "IMAGE"},\n'
            ' {"row_data": "file:///tmp/a.png"}, {"row_data": "./a.png"}]')
    got = at(text, "R014")
    assert got == [("R014", "/0/row_data", 1, 15), ("R014", "/1/row_data", 2, 15), ("R014", "/2/row_data", 3, 15),
                   ("R014", "/3/row_data", 3, 50)]
    assert all(f.severity is Severity.WARNING for f in only(text, "R014"))


def test_r014_urls_and_text_pass():
    text = rows({"row_data": "https://e.com/a.jpg"}, {"row_data": "gs://b/a.jpg"},
                {"media_type": "TEXT", "row_data": "/r/ and ./ are common in chat text\nsecond line"})
    assert at(text, "R014") == []


def test_r014_through_the_python_api_only_caveats_remain():
    plain, rich = check_rows([{"row_data": "/data/a.jpg"},
                              {"row_data": "/data/b.jpg", "metadata_fields": [{"name": "tag", "value": "x"}]}], select=("R014",))
    assert (plain.severity, plain.pointer) == (Severity.INFO, "/0/row_data") and "256 MB" in plain.message
    assert rich.severity is Severity.WARNING and "metadata_fields would be lost" in rich.message


# -- properties ----------------------------------------------------------------------------------

def _host():
    return st.sampled_from(["https://cdn.example.com/", "gs://bucket/", "https://b.s3.us-east-1.amazonaws.com/"])


NAME = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)


def asset(ext):
    return st.builds(lambda h, n, e: f"{h}{n}.{e}", _host(), NAME, st.sampled_from(ext))


def _tiled(media):
    lat = st.floats(-89, 89, allow_nan=False)
    lng = st.floats(-179, 179, allow_nan=False)

    def build(a, b, c, d, zmin, dz, alt):
        data = {"tile_layer_url": "https://t.example.com/{z}/{x}/{y}.png", "bounds": [[a, b], [a + c, b + d]],
                "epsg": "EPSG4326" if media == "TMS_GEO" else "Simple", "min_zoom": zmin, "max_zoom": zmin + dz}
        if alt:
            data["alternative_layers"] = [{"tile_layer_url": "https://s.example.com/{z}/{x}/{y}", "name": "Sat"}]
        return {"row_data": data, "media_type": media}

    delta = st.floats(0.001, 1, allow_nan=False)
    return st.builds(build, lat, lng, delta, delta, st.integers(0, 20), st.integers(0, 10), st.booleans())


def _conversation():
    msg_ = st.builds(lambda c, can: {"content": c, "user": {"userId": "u", "name": "N"}, "canLabel": can},
                     st.text(max_size=30), st.booleans())
    return st.builds(lambda ms: conversation(*[dict(m, messageId=f"m{i}") for i, m in enumerate(ms)]),
                     st.lists(msg_, min_size=1, max_size=5))


VALID = st.one_of(
    st.builds(lambda u: {"row_data": u, "media_type": "IMAGE"}, asset(["jpg", "jpeg", "png", "bmp", "PNG"])),
    st.builds(lambda u: {"row_data": u, "media_type": "VIDEO"}, asset(["mp4"])),
    st.builds(lambda u: {"row_data": u, "media_type": "AUDIO"}, asset(["mp3", "wav", "m4a"])),
    st.builds(lambda u: {"row_data": u, "media_type": "HTML"}, asset(["html", "htm"])),
    st.builds(lambda u: {"row_data": u, "media_type": "DICOM"}, asset(["dcm"])),
    st.builds(lambda u: {"row_data": {"pdf_url": u}, "media_type": "PDF"}, asset(["pdf"])),
    st.builds(lambda u: {"row_data": u, "media_type": "TEXT"}, asset(["txt"])),
    st.builds(lambda t: {"row_data": t, "media_type": "TEXT"}, st.text("abcxyz ABC,!?'éü日本\n0123", min_size=1, max_size=40).filter(str.strip)),
    st.builds(lambda u: {"row_data": u, "media_type": "CONVERSATIONAL"}, asset(["json"])),
    _conversation(), _tiled("TMS_GEO"), _tiled("TMS_SIMPLE"),
)


def with_embedding(row, n):
    row = dict(row, embeddings=[{"embedding_id": "clip", "vector": [0.25] * n}])
    return row


@FAST
@given(st.lists(VALID, min_size=1, max_size=4), st.integers(1, 16))
def test_valid_rows_give_no_r_findings(batch, dims):
    batch = [with_embedding(r, dims) for r in batch]
    got = [where(f) for f in findings(json.dumps(batch, indent=1)) if f.code.startswith("R")]
    assert got == []


# One defect at a time: (applies to, mutate(row) -> (code, pointer relative to the row)).
def _case_media(row):
    row["media_type"] = row["media_type"].lower()
    return "R006", "/media_type"


def _ext(row):
    data = row["row_data"]
    if isinstance(data, str) and data.startswith(("https://", "gs://")):
        row["row_data"] = row["row_data"].rpartition(".")[0] + (".docx")
        return "R010", "/row_data"
    return None


def _local(row):
    if isinstance(row["row_data"], str):
        row["row_data"] = "/home/me/data/file.bin"
        return "R014", "/row_data"
    return None


def _embedding(row):
    row["embeddings"][0]["vector"][0] = "x"
    return "R012", "/embeddings/0/vector/0"


def _tile(row):
    if isinstance(row["row_data"], dict) and "tile_layer_url" in row["row_data"]:
        row["row_data"]["tile_layer_url"] = "https://t.example.com/{z}/{y}.png"
        return "R009", "/row_data/tile_layer_url"
    return None


def _zoom(row):
    if isinstance(row["row_data"], dict) and "min_zoom" in row["row_data"]:
        row["row_data"]["min_zoom"] = row["row_data"]["max_zoom"] + 1
        return "R009", "/row_data/min_zoom"
    return None


def _message(row):
    if isinstance(row["row_data"], dict) and "messages" in row["row_data"]:
        row["row_data"]["messages"][-1]["user"] = "someone"
        return "R008", f"/row_data/messages/{len(row['row_data']['messages']) - 1}/user"
    return None


def _legacy(row):
    row["tileLayerUrl"] = "https://t.example.com/{z}/{x}/{y}.png"
    return "R003", "/tileLayerUrl"


MUTATIONS = [_case_media, _ext, _local, _embedding, _tile, _zoom, _message, _legacy]


@FAST
@given(st.lists(VALID, min_size=1, max_size=3), st.data())
def test_one_defect_fires_its_code_at_the_mutated_pointer(batch, data):
    batch = [with_embedding(r, 4) for r in batch]
    target = data.draw(st.integers(0, len(batch) - 1))
    mutate = data.draw(st.sampled_from(MUTATIONS))
    mutated = copy.deepcopy(batch)
    outcome = mutate(mutated[target])
    if outcome is None:
        return
    code, pointer = outcome
    text = json.dumps(mutated, indent=1)
    got = [(f.code, f.pointer) for f in findings(text) if f.code.startswith("R")]
    assert got == [(code, f"/{target}{pointer}")]
