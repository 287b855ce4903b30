"""I002-I004: IAM delegated access integrations."""
import json

import pytest

from util import at, only, where


def doc(*rows):
    return "[\n" + ",\n".join("  " + json.dumps(r) for r in rows) + "\n]\n"


S3 = "https://acme-images.s3.us-east-1.amazonaws.com"
GCS = "https://storage.googleapis.com"
INTEGRATIONS = (("prod-s3", ("s3://acme-images",)), ("archive", ("gs://acme-archive",)))


# -- I002 ------------------------------------------------------------------------------


def test_i002_unconfigured_two_gcs_buckets_once_per_new_integration():
    text = doc({"row_data": "gs://acme-images/a.jpg"},
               {"row_data": "gs://acme-archive/b.jpg"},
               {"row_data": "gs://acme-archive/c.jpg"},
               {"row_data": "https://example.com/d.jpg", "attachments": [{"type": "IMAGE", "value": "gs://third/e.jpg"}]})
    found = only(text, "I002")
    assert [where(f) for f in found] == [
        ("I002", "/1/row_data", *at(text, '"gs://acme-archive/b.jpg"')),
        ("I002", "/3/attachments/0/value", *at(text, '"gs://third/e.jpg"')),
    ]
    assert "2 cloud storage integrations" in found[0].message
    assert "bucket 'acme-images' (first at row 0, /0/row_data)" in found[0].message
    assert "3 cloud storage integrations" in found[1].message and "/1/row_data" in found[1].message


def test_i002_unconfigured_sees_gs_paths_inside_an_object_row_data():
    text = doc({"row_data": "gs://bucket-a/x.pdf", "media_type": "PDF"},
               {"row_data": {"pdf_url": "gs://bucket-b/y.pdf"}, "media_type": "PDF"})
    [f] = only(text, "I002")
    assert where(f) == ("I002", "/1/row_data/pdf_url", *at(text, '"gs://bucket-b'))


def test_i002_configured_integrations():
    text = doc({"row_data": f"{S3}/a.jpg"}, {"row_data": f"{GCS}/acme-archive/b.jpg"})
    [f] = only(text, "I002", integrations=INTEGRATIONS)
    assert where(f) == ("I002", "/1/row_data", *at(text, f'"{GCS}'))
    assert "'archive' here, and 'prod-s3' (first at row 0, /0/row_data)" in f.message


def test_i002_is_per_file(tmp_path):
    from validator import check_file
    from validator.api import run
    from validator.config import Settings

    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(doc({"row_data": "gs://one/a.jpg"}))
    b.write_text(doc({"row_data": "gs://two/a.jpg"}))
    found = [x for x in run([str(a), str(b)], Settings()) if getattr(x, "code", None) == "I002"]
    assert found == []


@pytest.mark.parametrize("rows", [
    [{"row_data": "gs://acme-images/a.jpg"}, {"row_data": "gs://acme-images/b.jpg"}],
    [{"row_data": "gs://acme-images/a.jpg"}, {"row_data": f"{S3}/b.jpg"}],  # S3 URL: not certainly IAM without configuration
    [{"row_data": "https://storage.googleapis.com/other/a.jpg?X-Goog-Signature=abc&X-Goog-Date=20240101T000000Z&X-Goog-Expires=60"},
     {"row_data": "gs://acme-images/b.jpg"}],
])
def test_i002_passes(rows):
    assert only(doc(*rows), "I002") == []


# -- I003 ------------------------------------------------------------------------------


def _att(asset, value):
    return {"row_data": asset, "media_type": "IMAGE", "attachments": [{"type": "IMAGE", "value": value}]}


def test_i003_opt_in_info_at_the_attachment():
    text = doc(_att(f"{S3}/a.jpg", "https://acct.blob.core.windows.net/box/b.jpg"))
    assert only(text, "I003") == []
    [f] = only(text, "I003", extend_select=("I003",))
    assert where(f) == ("I003", "/0/attachments/0/value", *at(text, '"https://acct'))
    assert f.severity == "info" and "Azure Blob Storage" in f.message and "Amazon S3" in f.message


@pytest.mark.parametrize("row", [
    _att(f"{S3}/a.jpg", f"{S3}/b.jpg"),
    _att(f"{S3}/a.jpg", "https://example.com/b.jpg"),  # not cloud storage
    _att(f"{S3}/a.jpg", "gs://other/b.jpg"),  # I001's
    _att(f"{S3}/a.jpg", f"{GCS}/b/c.jpg?X-Goog-Signature=abc"),  # signed
    _att(f"{S3}/a.jpg?X-Amz-Signature=abc", f"{GCS}/b/c.jpg"),  # signed asset
])
def test_i003_passes(row):
    assert only(doc(row), "I003", extend_select=("I003",)) == []


def test_i003_silent_when_integrations_are_configured():
    text = doc(_att(f"{S3}/a.jpg", "https://acct.blob.core.windows.net/box/b.jpg"))
    assert only(text, "I003", extend_select=("I003",), integrations=INTEGRATIONS) == []


# -- I004 ------------------------------------------------------------------------------


def test_i004_uncovered_storage_urls():
    text = doc({"row_data": "https://acme-imgaes.s3.us-east-1.amazonaws.com/a.jpg",
                "attachments": [{"type": "IMAGE", "value": "gs://acme-archive/x.png"}, {"type": "IMAGE", "value": "gs://elsewhere/y.png"}]})
    found = only(text, "I004", integrations=INTEGRATIONS)
    assert [where(f) for f in found] == [
        ("I004", "/0/row_data", *at(text, '"https://acme-imgaes')),
        ("I004", "/0/attachments/1/value", *at(text, '"gs://elsewhere')),
    ]
    assert "S3 bucket 'acme-imgaes'" in found[0].message and "'prod-s3', 'archive'" in found[0].message


@pytest.mark.parametrize("url", [
    f"{S3}/a.jpg",
    "https://s3.us-east-1.amazonaws.com/acme-images/a.jpg",  # path style, same bucket
    "https://example.com/a.jpg",  # not cloud storage
    "https://other.s3.amazonaws.com/a.jpg?X-Amz-Signature=abc",  # signed
])
def test_i004_passes(url):
    assert only(doc({"row_data": url}), "I004", integrations=INTEGRATIONS) == []


def test_i004_needs_configuration():
    assert only(doc({"row_data": "gs://elsewhere/a.jpg"}), "I004") == []


# -- URL-prefix integrations: scheme and host in any case, the path as written --------------------

URL_PREFIXES = (("cdn", ("https://cdn.acme.com/iam/",)), ("archive", ("gs://acme-archive",)),
                ("lake", ("HTTPS://Lake-Bucket.S3.us-east-1.amazonaws.com/iam/",)))


def test_url_prefix_covers_the_url_with_its_scheme_and_host_in_another_case():
    text = doc({"row_data": "gs://acme-archive/a.jpg"}, {"row_data": "HTTPS://CDN.ACME.COM/iam/f.jpg"})
    [f] = only(text, "I002", integrations=URL_PREFIXES)
    assert where(f) == ("I002", "/1/row_data", *at(text, '"HTTPS://CDN.ACME.COM'))
    assert "'cdn' here, and 'archive' (first at row 0, /0/row_data)" in f.message


def test_url_prefix_path_is_case_sensitive():
    text = doc({"row_data": "gs://acme-archive/a.jpg"}, {"row_data": "https://cdn.acme.com/IAM/f.jpg"},
               {"row_data": "https://lake-bucket.s3.us-east-1.amazonaws.com/IAM/f.jpg"})
    assert only(text, "I002", integrations=URL_PREFIXES) == []  # /IAM/ is not /iam/: not the cdn integration
    [f] = only(text, "I004", integrations=URL_PREFIXES)
    assert where(f) == ("I004", "/2/row_data", *at(text, '"https://lake-bucket'))


def test_url_prefix_written_in_upper_case_covers_lower_case_urls():
    text = doc({"row_data": "https://lake-bucket.s3.us-east-1.amazonaws.com/iam/f.jpg"},
               {"row_data": "Https://LAKE-BUCKET.s3.US-EAST-1.amazonaws.com/iam/g.jpg"})
    assert only(text, "I004", integrations=URL_PREFIXES) == []
    text = doc({"row_data": "gs://acme-archive/a.jpg"}, {"row_data": "https://lake-bucket.s3.us-east-1.amazonaws.com/iam/f.jpg"})
    [f] = only(text, "I002", integrations=URL_PREFIXES)
    assert where(f) == ("I002", "/1/row_data", *at(text, '"https://lake-bucket'))


def test_fold_origin():
    from validator.integrations import fold_origin

    assert fold_origin("HTTPS://CDN.Acme.COM:443/IAM/a.JPG?X=Y") == "https://cdn.acme.com:443/IAM/a.JPG?X=Y"
    assert fold_origin("HTTPS://CDN.ACME") == "https://cdn.acme"
    assert fold_origin("https://cdn.acme.com/IAM/") == "https://cdn.acme.com/IAM/"
    assert fold_origin("not a url") == "not a url"
