"""Hostile input never crashes, hangs, balloons or escapes: each promise of the
README's "Exit codes and guarantees" section is tested here by name."""
import io
import json
import os
import socket
import subprocess
import sys
import threading

import pytest

from util import findings, run_cli, where
from validator.checker import Checker
from validator.source.stream import ArrayStream

PY = sys.executable


def check_bytes(data: bytes):
    """Findings of `data` checked as a file, in memory."""
    return list(Checker().check_stream("t.json", ArrayStream(io.BytesIO(data), lambda: io.BytesIO(data))))


def j_findings(data: bytes):
    return [(f.code, f.line, f.column) for f in check_bytes(data) if f.code.startswith("J")]


def assert_clean_exit(r, code):
    assert r.returncode == code, (r.returncode, r.stdout[-500:], r.stderr[-500:])
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout


# -- never crash: odd files ---------------------------------------------------------------

@pytest.mark.parametrize("content, expected", [
    (b"", ("J001", 1, 1)),
    (b"  \n\t ", ("J001", 2, 3)),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("J002", 1, 1)),
    (b"\x00" * 100_000, ("J001", 1, 1)),
    (b"[{\"row_data\": \"https://a.com/x.jpg\"}]\x00", ("J001", 1, 38)),
    (b"\x7fELF\x02\x01\x01" + bytes(range(256)), ("J001", 1, 1)),
    (b" " * 40_000, ("J001", 1, 40_001)),  # whitespace longer than the first read is still empty
])
def test_odd_files_are_one_finding_with_exit_1(write, content, expected):
    p = write(content)
    r = run_cli("check", "--format", "json", p)
    assert_clean_exit(r, 1)
    got = [(f["code"], f["line"], f["column"]) for f in json.loads(r.stdout)["findings"]]
    assert got == [expected]


def test_dev_zero_stops_at_the_first_byte():
    r = subprocess.run([PY, "-m", "validator", "check", "/dev/zero"], capture_output=True, text=True, timeout=30)
    assert_clean_exit(r, 1)
    assert r.stdout.startswith("/dev/zero:1:1: J001")


def test_fifo_endless_writer_stops_at_first_bad_byte(tmp_path):
    fifo = tmp_path / "in.json"
    os.mkfifo(fifo)
    stop = threading.Event()

    def writer():
        try:
            with open(fifo, "wb") as f:
                f.write(b'[{"row_data": "https://a.com/x.jpg"}, nope')
                while not stop.is_set():  # would go on forever
                    f.write(b" " * 65536)
        except (BrokenPipeError, OSError):
            pass

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    try:
        r = subprocess.run([PY, "-m", "validator", "check", "--format", "json", str(fifo)], capture_output=True, text=True, timeout=30)
    finally:
        stop.set()
    assert_clean_exit(r, 1)
    assert [(f["code"], f["line"], f["column"]) for f in json.loads(r.stdout)["findings"]] == [("J001", 1, 39)]


def test_fifo_truncated_input(tmp_path):
    fifo = tmp_path / "in.json"
    os.mkfifo(fifo)

    def writer():
        with open(fifo, "wb") as f:
            f.write(b'[{"row_data": "https://a.com/x.jpg"')

    threading.Thread(target=writer, daemon=True).start()
    r = subprocess.run([PY, "-m", "validator", "check", str(fifo)], capture_output=True, text=True, timeout=30)
    assert_clean_exit(r, 1)
    assert f"{fifo}:1:36: J001" in r.stdout


@pytest.mark.parametrize("target, message", [(".", "is a directory"), ("missing.json", "no such file")])
def test_directory_or_missing_file_exit_2(tmp_path, target, message):
    r = run_cli("check", target, cwd=tmp_path)
    assert_clean_exit(r, 2)
    assert message in r.stderr and r.stdout == ""


# -- truncation at every byte -------------------------------------------------------------

VALID = (
    '[\n  {"row_data": "https://a.com/caf\u00e9 \u2603.jpg", "global_key": "k-1\\n\\u00e9\\"",\n'
    '   "media_type": "IMAGE", "metadata_fields": [{"name": "n", "value": -12.5e3}, {"name": "b", "value": true}],\n'
    '   "attachments": [{"type": "RAW_TEXT", "value": "\U0001F600 x"}], "x": null, "y": false, "z": [1, 2.0, {}]},\n'
    '  {"row_data": "https://a.com/b.png"}\n]\n'
).encode()


def _end_of(prefix: bytes):
    """Line and column just after the last whole character of `prefix` (reasoned independently)."""
    text = prefix.decode("utf-8", "ignore")
    return text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1


def test_every_prefix_of_a_valid_file_is_j001_at_its_end():
    json.loads(VALID)
    checked = 0
    for n in range(len(VALID)):
        prefix = VALID[:n]
        try:
            json.loads(prefix)
            continue  # still a whole JSON document (the final newline cut off)
        except ValueError:
            pass
        got = [(c, line, col) for c, line, col in j_findings(prefix) if c in ("J001", "J002")]
        assert got == [("J001", *_end_of(prefix))], (n, prefix[-20:])
        checked += 1
    assert checked == len(VALID) - 1


def test_prefixes_across_read_boundaries():
    """Truncation far into a file (past ijson's chunks and diagnose's 1 MiB blocks)."""
    row = '{"row_data": "https://a.com/%06d.jpg", "global_key": "k%06d"}'
    body = ("[\n" + ",\n".join(row % (i, i) for i in range(25_000)) + "\n]\n").encode()
    assert len(body) > 1 << 20
    for cut in (16 * 1024 - 1, 16 * 1024 + 7, (1 << 20) - 3, (1 << 20) + 1, len(body) - 3):
        prefix = body[:cut]
        assert [(c, l, col) for c, l, col in j_findings(prefix) if c == "J001"] == [("J001", *_end_of(prefix))], cut


# -- encodings ----------------------------------------------------------------------------

DOC = '[{"row_data": "https://a.com/x.jpg"}]'


@pytest.mark.parametrize("data, expected", [
    (b"\xef\xbb\xbf" + DOC.encode(), [("J003", 1, 1)]),
    (DOC.encode("utf-16"), [("J002", 1, 1)]),
    (DOC.encode("utf-16-le"), [("J002", 1, 1)]),
    (DOC.encode("utf-16-be"), [("J002", 1, 1)]),
    (DOC.encode("utf-32"), [("J002", 1, 1)]),
    (DOC.encode("utf-32-le"), [("J002", 1, 1)]),
    (DOC.encode("utf-32-be"), [("J002", 1, 1)]),
    (b'[{"row_data": "https://a.com/\xe9t\xe9.jpg"}]', [("J002", 1, 30)]),
    (b'[{"row_data": "https://a.com/x.jpg", "external_id": "\xed\xa0\x80"}]', [("J002", 1, 54)]),
    (b'[{"row_data": "https://a.com/x.jpg", "external_id": "\xc0\xaf"}]', [("J002", 1, 54)]),
    (b'[{"row_data": "https://a.com/x.jpg", "external_id": "a\x01b"}]', [("J001", 1, 55)]),
    (b'[{"row_data": "https://a.com/x.jpg", "external_id": "a\nb"}]', [("J001", 1, 55)]),
    (b'[{"row_data": "https://a.com/x.jpg", "external_id": "a\\qb"}]', [("J001", 1, 55)]),
    (b'[{"row_data": "https://a.com/x.jpg", "external_id": "a\\u12"}]', [("J001", 1, 56)]),
    # ijson cannot read a low surrogate half alone; the finding is at its escape
    (b'[{"row_data": "https://a.com/x.jpg"},\n {"external_id": "ab\\udc00"}]', [("J001", 2, 21)]),
    (b'[{"row_data": "https://a.com/x.jpg", "x": {"\\udfff": 1}}]', [("J001", 1, 45)]),
    # ijson reads a high half alone as "?", or pairs it with any next escape: stopped at its escape
    (b'[{"row_data": "https://a.com/x.jpg"},\n {"external_id": "ab\\ud800"}]', [("J001", 2, 21)]),
    (b'[{"row_data": "https://a.com/x.jpg", "external_id": "\\uD83D\\u0041"}]', [("J001", 1, 54)]),
    (b'[{"row_data": "https://a.com/x.jpg", "x": {"\\ud83d": 1}}]', [("J001", 1, 45)]),
    # a whole pair, and an escaped backslash before "ud800", are fine
    (b'[{"row_data": "https://a.com/x.jpg", "external_id": "\\ud83d\\ude00 \\\\ud800"}]', []),
])
def test_encodings_and_string_defects_are_pinned(data, expected):
    assert j_findings(data) == expected


@pytest.mark.parametrize("half", ["\\udc00", "\\ud800"])
def test_a_lone_surrogate_half_is_explained(half):
    (f,) = [f for f in check_bytes(b'[{"global_key": "a' + half.encode() + b'"}]') if f.code == "J001"]
    assert f.message.startswith(f"'{half}' is half of a UTF-16 surrogate pair with no other half")
    assert (f.row, f.pointer) == (0, "/0")


@pytest.mark.parametrize("escape", ["\\ud83d\\ude00", "\\ud83d"])
def test_surrogate_escapes_across_read_chunks(escape):
    # the ijson path reads 16 KiB chunks: put the escape, or its two halves, across two of them
    head = '[{"row_data": "https://a.com/x.jpg", "external_id": "'
    for cut in range(16 * 1024 - 14, 16 * 1024 + 2):
        data = (head + "a" * (cut - len(head)) + escape + '"}]').encode()
        stream = ArrayStream(io.BytesIO(data), lambda: io.BytesIO(data), quick=False)
        found = [(f.code, f.column) for f in Checker().check_stream("t.json", stream) if f.code.startswith("J")]
        assert found == ([] if len(escape) == 12 else [("J001", cut + 1)])


def test_lone_surrogate_escapes_never_crash_any_format(write):
    p = write('[{"row_data": "https://a.com/\\ud800.jpg", "global_key": "\\udfff", "external_id": "\\ud83d"}]')
    for fmt in ("text", "json"):
        r = run_cli("check", "--format", fmt, p)
        assert r.returncode in (0, 1) and "Traceback" not in r.stderr, r.stderr
    r = run_cli("check", "--format", "json", p)
    json.loads(r.stdout)


# -- depth ----------------------------------------------------------------------------------

def test_200000_nested_arrays_is_j001_at_the_513th_bracket(write):
    p = write("  " + "[" * 200_000 + "]" * 200_000)
    r = run_cli("check", "--format", "json", p)
    assert_clean_exit(r, 1)
    assert [(f["code"], f["line"], f["column"]) for f in json.loads(r.stdout)["findings"]] == [("J001", 1, 515)]


def test_row_data_nested_50000_objects_deep(write):
    deep = '{"a":' * 50_000 + "1" + "}" * 50_000
    p = write('[{"row_data": "https://a.com/x.jpg"},\n {"row_data": ' + deep + "}]")
    r = run_cli("check", "--format", "json", p)
    assert_clean_exit(r, 1)
    got = [(f["code"], f["line"], f["column"]) for f in json.loads(r.stdout)["findings"]]
    # depth: [ 1, the row 2, its k-th object 2 + k: the 511th passes 512; each '{"a":' is 5 characters
    assert got == [("J001", 2, 15 + 5 * 510)]


DEEP_SPOTS = [
    '{"row_data": @}',
    '{"row_data": "https://a.com/x.jpg", "media_type": @}',
    '{"row_data": "https://a.com/x.jpg", "global_key": @}',
    '{"row_data": "https://a.com/x.jpg", "attachments": @}',
    '{"row_data": "https://a.com/x.jpg", "attachments": [{"type": "IMAGE", "value": @}]}',
    '{"row_data": "https://a.com/x.jpg", "attachments": [{"type": @, "value": "https://a.com/y.png"}]}',
    '{"row_data": "https://a.com/x.jpg", "metadata_fields": [{"name": "a", "value": @}]}',
    '{"row_data": "https://a.com/x.jpg", "metadata_fields": [@]}',
    '{"row_data": "https://a.com/x.jpg", "embeddings": [{"embedding_id": "e", "vector": @}]}',
    '{"row_data": {"tile_layer_url": @, "bounds": @, "epsg": @, "alternative_layers": [@]}, "media_type": "TMS_GEO"}',
    '{"row_data": {"pdf_url": @, "text_layer_url": @}, "media_type": "PDF"}',
    '{"row_data": {"type": "application/vnd.labelbox.conversational", "version": 1, "messages": [@, {"messageId": @, "content": @, "user": @}]}}',
    '{"row_data": @, "globalKey": @, "unknown": @}',
]


@pytest.mark.parametrize("spot", DEEP_SPOTS)
@pytest.mark.parametrize("kind", ["array", "object"])
def test_values_just_under_the_depth_limit_reach_every_rule_without_recursion_error(spot, kind):
    n = 505  # the row is depth 1, its fields 2: this stays under MAX_DEPTH (512)
    deep = "[" * n + "]" * n if kind == "array" else '{"a":' * n + "1" + "}" * n
    data = ("[" + spot.replace("@", deep) + "]").encode()
    found = check_bytes(data)  # raises on a crash
    assert not [f for f in found if f.code in ("J001", "J002")]
    for f in found:
        assert f.line is not None and f.pointer.startswith("/0")


# -- size ------------------------------------------------------------------------------------

def _peak_rss_mb(args, cwd):
    """Peak RSS (MB) of `lbx-validate ARGS` run in a fresh interpreter; (rc, stdout, MB).

    VmHWM, not getrusage: Linux carries the parent's high-water mark over fork and
    exec into ru_maxrss, so a big test process would inflate the child's figure.
    """
    code = (
        "import atexit, sys\n"
        "def hwm():\n"
        "    kb = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
        "    sys.stderr.write('\\nMAXRSS %s\\n' % kb)\n"
        "atexit.register(hwm)\n"
        "from validator.cli import main\n"
        f"main({list(map(str, args))!r})\n"
    )
    r = subprocess.run([PY, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=600)
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    kb = int(r.stderr.rsplit("MAXRSS ", 1)[1].split()[0])
    return r.returncode, r.stdout, kb / 1024


def test_100_mb_string_value_memory_a_few_times_the_value(tmp_path):
    size = 100_000_000
    with open(tmp_path / "big.json", "w") as f:
        f.write('[{"row_data": "https://a.com/')
        for _ in range(size // 1_000_000):
            f.write("a" * 1_000_000)
        f.write('.jpg", "global_key": "k"},\n {"row_data": 5}]')
    rc, out, mb = _peak_rss_mb(["check", "--format", "json", "big.json"], tmp_path)
    assert rc == 1
    assert [(f["code"], f["line"], f["column"]) for f in json.loads(out)["findings"]] == [("R004", 2, 15)]
    assert mb < 5 * size / 1e6, f"peak RSS {mb:.0f} MB for a {size / 1e6:.0f} MB value"


@pytest.mark.parametrize("number, shown", [
    ("9" * 100_000, "9999999999...999999 (100000 characters)"),
    ("1e999999", "1e999999"),
    ("-1.5E+999999", "-1.5E+999999"),
])
def test_huge_numbers_are_a_j007_finding(tmp_path, number, shown):
    (tmp_path / "n.json").write_text('[{"row_data": "https://a.com/x.jpg",\n "metadata_fields": [{"name": "n", "value": ' + number + "}]}]")
    rc, out, mb = _peak_rss_mb(["check", "--format", "json", "n.json"], tmp_path)
    assert rc == 1
    (f,) = json.loads(out)["findings"]
    assert (f["code"], f["line"], f["column"]) == ("J007", 2, 45)
    assert shown in f["message"]
    assert mb < 120


def test_one_million_findings_stream_in_bounded_memory(tmp_path):
    """1,000,000 findings cost no more memory than 100,000: the report streams."""
    for n, name in ((100_000, "small.json"), (1_000_000, "big.json")):
        (tmp_path / name).write_text("[" + ",\n".join(["0"] * n) + "]\n")
    peaks = {}
    for name, n in (("small.json", 100_000), ("big.json", 1_000_000)):
        rc, out, mb = _peak_rss_mb(["check", "--select", "J005", "--format", "json", "-o", "report.json", name], tmp_path)
        assert rc == 1
        with open(tmp_path / "report.json") as f:
            doc = json.load(f)
        assert doc["summary"]["errors"] == n and len(doc["findings"]) == n
        assert doc["findings"][-1]["line"] == n
        peaks[name] = mb
    assert peaks["big.json"] < peaks["small.json"] + 20, peaks


# -- never touch what it should not ------------------------------------------------------------

def test_network_is_blocked_in_the_test_session():
    with pytest.raises(Exception) as info:
        socket.create_connection(("93.184.216.34", 80), timeout=1)
    assert "network access attempted" in str(info.value)
    s = socket.socket()
    try:
        with pytest.raises(Exception, match="network access attempted"):
            s.connect(("127.0.0.1", 9))
    finally:
        s.close()


def test_the_validator_imports_no_network_module():
    code = (
        "import sys, validator.cli, validator.api, validator.report\n"
        "from validator import rules; rules.all_rules()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('socket', 'http', 'urllib3', 'requests', 'ssl', 'ftplib', 'smtplib'))\n"
        "print(','.join(bad))\n"
    )
    r = subprocess.run([PY, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ""


def test_input_files_are_never_modified(write, inputs_unchanged):
    """The autouse fixture (conftest.inputs_unchanged) hashes what every CLI run is given."""
    p = write('[{"row_data": "https://a.com/a b.jpg", "globalKey": "x"}]').resolve()
    r = run_cli("check", p)
    assert r.returncode == 1
    assert p in inputs_unchanged.digests  # seen, and compared when the run ended
    p.write_bytes(b"[]")  # what a validator that rewrote its input would have done
    with pytest.raises(AssertionError, match="modified its input"):
        inputs_unchanged.check({p: inputs_unchanged.digests[p]})


def test_configuration_is_data_never_evaluated(tmp_path):
    marker = tmp_path / "pwned"
    (tmp_path / "pyproject.toml").write_text(
        '[tool.lbx-validate]\nselect = ["__import__(\'os\').system(\'touch %s\')"]\n' % marker
    )
    (tmp_path / "a.json").write_text('[{"row_data": "https://a.com/x.jpg"}]')
    r = run_cli("check", "a.json", cwd=tmp_path)
    assert_clean_exit(r, 2)
    assert "pyproject.toml" in r.stderr and not marker.exists()


def test_malformed_config_is_exit_2_naming_the_file(tmp_path):
    (tmp_path / ".lbx-validate.toml").write_text("select = [\n")
    (tmp_path / "a.json").write_text('[{"row_data": "https://a.com/x.jpg"}]')
    r = run_cli("check", "a.json", cwd=tmp_path)
    assert_clean_exit(r, 2)
    assert ".lbx-validate.toml" in r.stderr


def test_a_huge_compact_row_is_depth_scanned_once(tmp_path, monkeypatch):
    """Once the cheap depth bound trips inside one huge row, each byte is scanned
    exactly once (it used to re-scan the whole row for every new chunk: quadratic)."""
    from validator import check_file
    from validator.source import scan

    fed = []
    original = scan.DepthScanner.feed

    def counting(self, data, *args, **kwargs):
        fed.append(len(data))
        return original(self, data, *args, **kwargs)

    monkeypatch.setattr(scan.DepthScanner, "feed", counting)
    path = tmp_path / "dense.json"
    path.write_text('[{"row_data": "https://e.com/a.jpg", "x": [' + ",".join(["[1,2]"] * 100_000) + "]}]")
    assert [f.code for f in check_file(str(path)).findings] == ["R002"]
    assert 0 < sum(fed) <= path.stat().st_size + 64 * 1024



def test_leading_whitespace_longer_than_a_read_is_not_an_empty_file(write):
    p = write(b"\n" * 20_000 + b" " * 30_000 + b'[{"row_data": "https://a.com/x.jpg", "extra": 1}]')
    r = run_cli("check", "--format", "json", p)
    assert_clean_exit(r, 1)
    got = [(f["code"], f["line"], f["column"]) for f in json.loads(r.stdout)["findings"]]
    assert got == [("R002", 20_001, 30_000 + 38)]
