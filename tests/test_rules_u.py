"""U002-U007: each fails and passes with exact code, pointer, line and column.

Expected positions come from searching the input text (independent of the validator's
locator): `at(text, needle)` is the 1-based line and column of the needle's first character.
"""
import datetime as dt
import json
import re
import string

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from util import at, doc, findings, only, run_cli, where

UTC = dt.timezone.utc


def one(text, code, **options):
    got = only(text, code, **options)
    assert len(got) == 1, [where(f) for f in findings(text, **options)]
    return got[0]


def image(url, **extra):
    return dict({"row_data": url, "media_type": "IMAGE"}, **extra)


def attach(kind, value, row_data="https://example.com/a.jpg"):
    return {"row_data": row_data, "media_type": "IMAGE", "attachments": [{"type": kind, "value": value}]}


# -- U002 unsupported-scheme ------------------------------------------------------------------


def test_u002_s3_scheme_gets_the_virtual_hosted_hint():
    text = doc({"row_data": "https://example.com/ok.jpg"}, image("s3://acme-images/cats/1.jpg"))
    f = one(text, "U002")
    assert where(f) == ("U002", "/1/row_data", *at(text, '"s3://'))
    assert "https://acme-images.s3.<region>.amazonaws.com/cats/1.jpg" in f.message
    assert f.severity.value == "error"


def test_u002_http_attachment_needs_https():
    text = doc(attach("VIDEO", "http://cdn.example.com/drone.mp4"))
    f = one(text, "U002")
    assert where(f) == ("U002", "/0/attachments/0/value", *at(text, '"http://cdn'))
    assert "https://cdn.example.com/drone.mp4" in f.message


def test_u002_other_schemes_and_object_fields():
    text = doc({"row_data": {"pdf_url": "ftp://files.example.com/a.pdf"}, "media_type": "PDF"})
    assert where(one(text, "U002")) == ("U002", "/0/row_data/pdf_url", *at(text, '"ftp://'))


def test_u002_passes_https_gs_and_leaves_other_rules_their_values():
    text = doc(image("https://example.com/a.jpg"), image("gs://acme/a.jpg"), image("HTTPS://example.com/b.jpg"),
               image("file:///home/me/a.jpg"), image("example.com:443/a.jpg"), attach("IMAGE", "images/a.jpg"),
               {"row_data": "some text: not a URL", "media_type": "TEXT"})
    assert not only(text, "U002")


# -- U003 s3-path-style --------------------------------------------------------------------------


def test_u003_path_style_is_fixed_to_virtual_hosted():
    text = doc(image("https://s3.us-west-2.amazonaws.com/acme-images/cats/1.jpg?v=2"))
    f = one(text, "U003")
    assert where(f) == ("U003", "/0/row_data", *at(text, '"https://s3.us-west-2'))
    assert f.severity.value == "warning"
    assert f.fix.replacement == "https://acme-images.s3.us-west-2.amazonaws.com/cats/1.jpg?v=2"


def test_u003_every_path_form_and_the_dash_region_host():
    cases = {
        "https://s3.amazonaws.com/acme/a.jpg": "https://acme.s3.amazonaws.com/a.jpg",
        "https://s3-eu-west-1.amazonaws.com/acme/a.jpg": "https://acme.s3.eu-west-1.amazonaws.com/a.jpg",
        "https://acme.s3-eu-west-1.amazonaws.com/a.jpg": "https://acme.s3.eu-west-1.amazonaws.com/a.jpg",
        "https://s3.dualstack.us-east-1.amazonaws.com/acme/a.jpg": "https://acme.s3.dualstack.us-east-1.amazonaws.com/a.jpg",
        "https://s3.cn-north-1.amazonaws.com.cn/acme/a.jpg": "https://acme.s3.cn-north-1.amazonaws.com.cn/a.jpg",
    }
    text = doc(*[image(u) for u in cases])
    got = only(text, "U003")
    assert [f.pointer for f in got] == [f"/{i}/row_data" for i in range(len(cases))]
    assert [f.fix.replacement for f in got] == list(cases.values())


def test_u003_dotted_bucket_has_no_fix():
    text = doc(attach("IMAGE", "https://s3.us-east-1.amazonaws.com/acme.images/a.jpg"))
    f = one(text, "U003")
    assert where(f) == ("U003", "/0/attachments/0/value", *at(text, '"https://s3.'))
    assert f.fix is None and "acme.images" in f.message


def test_u003_passes_virtual_hosted_signed_and_non_s3():
    text = doc(image("https://acme.s3.us-west-2.amazonaws.com/a.jpg"),
               image("https://s3.us-west-2.amazonaws.com/acme/a.jpg?X-Amz-Signature=abc&X-Amz-Credential=x"),
               image("https://acme.s3-accelerate.amazonaws.com/a.jpg"), image("https://example.com/s3/a.jpg"))
    assert not only(text, "U003")


# -- U004 malformed-url ----------------------------------------------------------------------------


def test_u004_missing_slashes():
    text = doc(image("https:/acme.example.com/a.jpg"))
    f = one(text, "U004")
    assert where(f) == ("U004", "/0/row_data", *at(text, '"https:/'))
    assert "https://acme.example.com/a.jpg" in f.message


def test_u004_whitespace_around_an_attachment_url():
    text = doc(attach("IMAGE", "https://example.com/b.jpg \n"))
    f = one(text, "U004")
    assert where(f) == ("U004", "/0/attachments/0/value", *at(text, '"https://example.com/b.jpg'))
    assert "trailing whitespace" in f.message


def test_u004_asset_without_scheme_host_or_valid_bucket():
    text = doc(image("www.example.com/a.jpg"), image("https:///a.jpg"), image("gs://Acme_Bucket/a.jpg"), image("gs://acme"),
               image("https://exa..mple.com/a.jpg"), image("https://example.com:80a/a.jpg"), image("cat.jpg"))
    got = only(text, "U004")
    assert [f.pointer for f in got] == [f"/{i}/row_data" for i in range(7)]
    assert "https://www.example.com/a.jpg" in got[0].message
    assert "is not a URL" in got[6].message and "https://cat.jpg" not in got[6].message


def test_u004_port_out_of_range_or_not_a_number():
    text = doc(image("https://example.com:99999/a.jpg"), image("https://example.com:8o/a.jpg"))
    got = only(text, "U004")
    assert [where(f) for f in got] == [("U004", "/0/row_data", *at(text, '"https://example.com:99999')),
                                       ("U004", "/1/row_data", *at(text, '"https://example.com:8o'))]
    assert "port 99999 is out of range (0-65535)" in got[0].message
    assert "port '8o' is not a number" in got[1].message


def test_u004_protocol_relative_row_data_is_a_url_without_scheme_not_a_local_path():
    text = doc(image("//cdn.example.com/images/a.jpg"))
    f = one(text, "U004")
    assert where(f) == ("U004", "/0/row_data", *at(text, '"//cdn'))
    assert "https://cdn.example.com/images/a.jpg" in f.message
    assert not only(text, "R014")


def test_u004_host_label_ending_in_a_dash():
    text = doc(image("https://acme-.s3.us-east-1.amazonaws.com/a.jpg"), attach("IMAGE", "https://cdn.example-.com/b.jpg"))
    got = only(text, "U004")
    assert [where(f) for f in got] == [("U004", "/0/row_data", *at(text, '"https://acme-')),
                                       ("U004", "/1/attachments/0/value", *at(text, '"https://cdn.'))]
    assert "a '-' may not start or end a label" in got[0].message


def test_u004_passes_good_urls_and_leaves_attachment_text_to_a008():
    text = doc(image("https://example.com/a.jpg"), image("https://my_host.example.com:8443/a.jpg"), image("gs://acme-1/a.jpg"),
               image("https://[2001:db8::1]/a.jpg"), image("https://example.com."), attach("IMAGE", "not a url"),
               image("https://example.com:/a.jpg"), image("https://example.com:65535/a.jpg"),
               {"row_data": "plain text row", "media_type": "TEXT"})
    assert not only(text, "U004")


# -- U005 expired-signed-url ---------------------------------------------------------------------

AWS = ("https://acme.s3.us-east-1.amazonaws.com/a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={date}"
       "&X-Amz-Expires={secs}&X-Amz-SignedHeaders=host&X-Amz-Signature=abc")
GCS = "https://storage.googleapis.com/acme/a.jpg?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date={date}&X-Goog-Expires={secs}&X-Goog-Signature=ab"
AZURE = "https://acme.blob.core.windows.net/imgs/a.jpg?sv=2022-11-02&se={se}&sr=b&sp=r&sig=abc%3D"
NOW = dt.datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def test_u005_expired_aws_url_is_an_error():
    text = doc(image("https://example.com/ok.jpg"), image(AWS.format(date="20260101T000000Z", secs=3600)))
    f = one(text, "U005", now=NOW)
    assert where(f) == ("U005", "/1/row_data", *at(text, '"https://acme.s3'))
    assert f.severity.value == "error"
    assert "2026-01-01T01:00:00Z" in f.message and "9 days" in f.message


def test_u005_soon_expiring_gcs_url_is_a_warning():
    text = doc(attach("IMAGE", GCS.format(date="20260110T000000Z", secs=86400)))
    f = one(text, "U005", now=NOW)
    assert where(f) == ("U005", "/0/attachments/0/value", *at(text, '"https://storage'))
    assert f.severity.value == "warning" and "12 hours" in f.message


def test_u005_azure_sas_and_the_validity_window():
    text = doc(image(AZURE.format(se="2026-01-12T00%3A00%3A00Z")))
    assert only(text, "U005", now=NOW)[0].severity.value == "warning"
    assert not only(text, "U005", now=NOW, signed_url_min_validity=dt.timedelta(hours=24))
    f = one(text, "U005", now=dt.datetime(2026, 2, 1, tzinfo=UTC))
    assert where(f) == ("U005", "/0/row_data", *at(text, '"https://acme.blob')) and f.severity.value == "error"


def test_u005_azure_expiry_with_an_offset_is_shown_in_utc():
    text = doc(image(AZURE.format(se="2026-02-01T00:00:00%2B05:00")), image(AZURE.format(se="0001-01-01T00:00:00%2B05:00")))
    first, second = only(text, "U005", now=dt.datetime(2026, 1, 31, 20, tzinfo=UTC))
    assert "expired at 2026-01-31T19:00:00Z, 1 hour before the check" in first.message
    assert "expired at 0001-01-01T00:00:00+0500" in second.message  # UTC would be before year 1: shown as written


def test_u005_expiry_past_year_9999_is_no_finding_not_a_crash():
    cloudfront = "https://d1.cloudfront.net/a.jpg?Expires=253402300800&Signature=x"
    text = doc(image(AWS.format(date="99991231T235959Z", secs=3600)), image(GCS.format(date="99991231T235959Z", secs=600)),
               image(cloudfront))
    assert not only(text, "U005", now=NOW)


def test_u005_unreadable_or_too_long_expiry_is_an_error():
    text = doc(image(AWS.format(date="2026-01-01", secs=3600)), image(AWS.format(date="20260101T000000Z", secs=700000)))
    got = only(text, "U005", now=NOW)
    assert [(f.pointer, f.severity.value) for f in got] == [("/0/row_data", "error"), ("/1/row_data", "error")]
    assert "YYYYMMDDTHHMMSSZ" in got[0].message and "604800" in got[1].message


def test_u005_passes_valid_and_unsigned_urls():
    text = doc(image(AWS.format(date="20260110T000000Z", secs=604800)), image("https://example.com/a.jpg?se=1"),
               image("https://example.com/a.jpg?expires=soon"))
    assert not only(text, "U005", now=dt.datetime(2026, 1, 10, tzinfo=UTC), signed_url_min_validity=dt.timedelta(days=1))


def test_u005_cli_now_makes_runs_reproducible(tmp_path):
    path = tmp_path / "signed.json"
    path.write_text(doc(image(AWS.format(date="20260101T000000Z", secs=3600))))
    before = run_cli("check", "--isolated", "--select", "U005", "--now", "2026-01-01T00:30:00Z", path)
    after = run_cli("check", "--isolated", "--select", "U005", "--now", "2026-01-02T00:00:00Z", path)
    assert before.returncode == 0 and "U005 [warning]" in before.stdout
    assert after.returncode == 1 and "U005 [error]" in after.stdout


# -- U006 non-ascii-url ------------------------------------------------------------------------


def test_u006_names_the_character_and_fixes_with_utf8():
    text = doc(image("https://example.com/images/café.jpg"))
    f = one(text, "U006")
    assert where(f) == ("U006", "/0/row_data", *at(text, '"https://example.com/images/caf'))
    assert "U+00E9" in f.message and "offset 30" in f.message and "%C3%A9" in f.message
    assert f.fix.replacement == "https://example.com/images/caf%C3%A9.jpg"


def test_u006_idn_host_gets_its_idna_form():
    text = doc(attach("IMAGE", "https://bücher.example/ö.jpg"))
    f = one(text, "U006")
    assert where(f) == ("U006", "/0/attachments/0/value", *at(text, '"https://b'))
    assert f.fix.replacement == "https://xn--bcher-kva.example/%C3%B6.jpg"


def test_u006_passes_encoded_urls_and_non_url_text():
    text = doc(image("https://example.com/caf%C3%A9.jpg"), {"row_data": "Café au lait", "media_type": "TEXT"},
               attach("RAW_TEXT", "https://example.com/café"))
    assert not only(text, "U006")


# -- U007 unreachable-host -------------------------------------------------------------------


def test_u007_localhost_and_private_addresses():
    text = doc(image("http://localhost:8000/a.jpg"), attach("VIDEO", "https://10.0.0.12/v.mp4"),
               image("https://[fe80::1]/a.jpg"), image("https://nas.local/a.jpg"), image("https://fileserver/a.jpg"))
    got = only(text, "U007")
    assert [where(f) for f in got][:2] == [("U007", "/0/row_data", *at(text, '"http://localhost')),
                                           ("U007", "/1/attachments/0/value", *at(text, '"https://10.'))]
    assert [f.pointer for f in got[2:]] == ["/2/row_data", "/3/row_data", "/4/row_data"]
    assert "private" in got[1].message and "link-local" in got[2].message
    assert all(f.severity.value == "warning" for f in got)


def test_u007_passes_public_hosts_and_buckets():
    text = doc(image("https://8.8.8.8/a.jpg"), image("https://images.example.com/a.jpg"), image("gs://localbucket/a.jpg"))
    assert not only(text, "U007")


@pytest.mark.parametrize("host", ["127.1", "2130706433", "0x7f000001", "0177.0.0.1", "0X7F.0.0.1", "127.0.1.", "0x7F.0x1"])
def test_u007_loopback_in_the_ipv4_forms_browsers_accept(host):
    text = doc(image("https://example.com/a.jpg"), image(f"https://{host}/a.jpg"))
    f = one(text, "U007")
    assert where(f) == ("U007", "/1/row_data", *at(text, f'"https://{host}/'))
    assert f"host '{host.lower().rstrip('.')}' is a loopback address (browsers read it as 127.0.0.1)" in f.message


def test_u007_private_and_link_local_in_short_forms_and_a_name_starting_with_a_digit():
    text = doc(image("https://10.1/a.jpg"), image("https://0xa9fe0001/a.jpg"), image("https://3dprinter.local/a.jpg"))
    got = only(text, "U007")
    assert [where(f) for f in got] == [("U007", "/0/row_data", *at(text, '"https://10.1/')),
                                       ("U007", "/1/row_data", *at(text, '"https://0xa9fe0001/')),
                                       ("U007", "/2/row_data", *at(text, '"https://3dprinter.local/'))]
    assert "private address (browsers read it as 10.0.0.1)" in got[0].message
    assert "link-local address (browsers read it as 169.254.0.1)" in got[1].message
    assert "local or reserved name" in got[2].message


def test_u007_passes_names_starting_with_digits_public_numeric_hosts_and_invalid_addresses():
    text = doc(image("https://1.example.com/a.jpg"), image("https://0x7f.example.com/a.jpg"), image("https://134744072/a.jpg"),
               image("https://0x08080808/a.jpg"), image("https://1.2.3.4.5/a.jpg"), image("https://256.0.0.1/a.jpg"),
               image("https://4294967296/a.jpg"), image("https://deadbeef.com/a.jpg"))
    assert not only(text, "U007")


def test_ipv4_host_parses_like_the_whatwg_url_standard():
    from validator.urls import ends_in_number, ipv4_host

    assert [ipv4_host(h) for h in ("127.1", "2130706433", "0x7f000001", "0177.0.0.1", "0x", "1.256", "127.0.0.1.")] == [
        "127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1", "0.0.0.0", "1.0.1.0", "127.0.0.1"]
    for invalid in ("1.2.3.4.5", "256.0.0.1", "1.2.65536", "4294967296", "09.1.1.1", "0x1g", "1..2", "", "1_0.0.0.1", "١.1"):
        assert ipv4_host(invalid) is None, invalid
    assert ends_in_number("a.0x1f") and ends_in_number("1.2.") and not ends_in_number("1.example.com")
    assert not ends_in_number("0x7f.ab") and not ends_in_number(".")


def _ipv4_forms(address, parts, radixes):
    """`address` written as `parts` WHATWG IPv4 numbers, the last filling the remaining bytes."""
    numbers = [(address >> (8 * (3 - i))) & 255 for i in range(parts - 1)] + [address & ((1 << (8 * (5 - parts))) - 1)]
    spell = {10: str, 16: lambda n: "0x%x" % n, 8: lambda n: "0%o" % n}
    return ".".join(spell[r](n) for r, n in zip(radixes, numbers))


@hsettings(max_examples=300, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.integers(1, 4), st.lists(st.sampled_from([10, 16, 8]), min_size=4, max_size=4))
def test_every_whatwg_ipv4_form_names_its_address_and_u007_judges_that_address(address, parts, radixes):
    import ipaddress

    host = _ipv4_forms(address, parts, radixes)
    ip = ipaddress.IPv4Address(address)
    from validator.urls import ipv4_host
    assert ipv4_host(host) == str(ip)
    got = only(doc(image(f"https://{host}/a.jpg")), "U007")
    assert len(got) == (0 if ip.is_global else 1), host
    if got and host != str(ip):
        assert f"browsers read it as {ip}" in got[0].message


# -- properties ------------------------------------------------------------------------------------

_label = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12)
_segment = st.text(string.ascii_letters + string.digits + "-._~", min_size=1, max_size=16)
_https = st.builds(
    lambda labels, tld, segs, ext: "https://" + ".".join(labels + [tld]) + "/" + "/".join(segs) + "." + ext,
    st.lists(_label, min_size=1, max_size=3), st.sampled_from(["com", "org", "io", "net"]),
    st.lists(_segment, min_size=1, max_size=4), st.sampled_from(["jpg", "png", "jpeg"]))
U_CODES = ("U001", "U002", "U003", "U004", "U005", "U006", "U007")


@hsettings(max_examples=150, deadline=None)
@given(_https)
def test_generated_https_urls_have_no_u_error(url):
    text = doc(image(url), attach("IMAGE_OVERLAY", url))
    got = [f for f in findings(text) if f.code in U_CODES]
    assert not got, [(f.code, f.message) for f in got]


@hsettings(max_examples=150, deadline=None)
@given(_https, st.data(), st.sampled_from(list(' "<>\\^`{}|#') + ["é", "\u00a0", "中", "😀", "\u200b"]))
def test_one_bad_character_fires_u001_or_u006_at_the_value(url, data, ch):
    path_start = url.index("/", len("https://"))
    pos = data.draw(st.integers(path_start + 1, len(url) - 1))
    bad = url[:pos] + ch + url[pos:]
    text = doc({"row_data": "https://example.com/ok.jpg"}, attach("IMAGE", bad))
    code = "U001" if ch.isascii() else "U006"
    got = only(text, code)
    assert [where(f) for f in got] == [(code, "/1/attachments/0/value", *at(text, '"https://', 2))]
    assert f"offset {pos}" in got[0].message


_tok = st.sampled_from(list("htps:/g3.aw-?&=XZ019[]@%é #{}_") + [
    "X-Amz-Date=", "X-Amz-Expires=", "X-Goog-Date=", "X-Goog-Expires=", "se=", "sig=", "Expires=", "Signature=", "https://",
    "gs://", "s3://", "s3.", ".s3-", "amazonaws.com", "localhost", "[::1]", "10.0.0.1", "20200101T000000Z", ".png", "bücher"])
_urlish = st.lists(_tok, max_size=12).map("".join)


@hsettings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["IMAGE", "TEXT", "PDF", None]), _urlish, st.sampled_from(["IMAGE", "TEXT", "raw_text", "IMAGE_OVERLAY"]), _urlish), max_size=3))
def test_url_like_garbage_never_crashes_the_u_and_a_rules(specs):
    from validator import check_rows
    rows_ = [dict({"row_data": data, "attachments": [{"type": kind, "value": value}]}, **({"media_type": media} if media else {}))
             for media, data, kind, value in specs]
    for f in check_rows(rows_):
        assert f.message and f.pointer.startswith("/")


# U004's happy path in two steps must accept exactly what the same pattern as one regex ending in
# \Z does, and nothing `problem` reports (it once let a host label end in '-').
_U004_ONE_PATTERN = re.compile(
    r"https://[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.?(?::\d{1,4})?(?:[/?#]\S*)?\Z")
_url_parts = st.lists(st.sampled_from(["https://", "a", "Z9", "-", ".", ":", "443", "123456", "65535", "99999", "/", "?", "#", " ", "\t", "\n",
                                       "\u00a0", "é", "_", "x.y", "..", "%20", "@"]), max_size=14).map("".join)


@hsettings(max_examples=400, deadline=None)
@given(st.one_of(_url_parts, _url_parts.map(lambda s: "https://" + s), _https))
def test_u004_fast_path_matches_its_one_pattern_form_and_never_hides_a_problem(value):
    from validator.rules import u004_malformed_url as u004
    assert u004.fast_ok(value) == bool(_U004_ONE_PATTERN.match(value))
    if u004.fast_ok(value):
        assert u004.problem(value) is None
