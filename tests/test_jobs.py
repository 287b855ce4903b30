"""`check --jobs N`: files checked in worker processes give exactly the report of one process.

Cross-file rules (K001, K003, K006) stay right: a worker sees one file, and once a file's
keys meet an earlier file's the parent re-checks those rules over every file
(validator/parallel.py). Nothing here is timed; every comparison is byte for byte with
`--jobs 1`.
"""
import json
import os
import socket
import _socket

import pytest

from conftest import FIXTURES
from util import doc, run_cli

from validator import api, parallel
from validator.api import FileDone
from validator.config import Settings, resolve
from validator.model import Finding, Severity

URL = "https://example.com/a.jpg"


def _row(key=None, ext=None, **extra):
    r = {"row_data": URL}
    if key is not None:
        r["global_key"] = key
    if ext is not None:
        r["external_id"] = ext
    r.update(extra)
    return r


@pytest.fixture
def files(tmp_path):
    """Import files whose rows meet across files in every way the cross-file rules know."""

    def put(name, text):
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return str(path)

    first = put("first.json", doc(
        _row("cat-1", "img-1"),
        _row("a#1"),                                # K003 (characters); 'a_1' once sanitized
        _row("dog-1", "img-2", media_type="IMAGES"),  # other findings on a row with keys
        _row("field_7"),
        _row("cat-1"),                              # K001 inside the first file
    ))
    second = put("second.json", doc(
        _row("fresh-1", "img-9"),
        _row("CAT-1", "img-1"),                     # K001 and K006 with rows of first.json
        _row("a%1", media_type="IMAGES"),           # K003: collides with first.json's 'a#1'
        _row("cat-1"),                              # the same key again inside the second file
        _row("field#7"),                            # K003: becomes first.json's 'field_7'
        _row("fresh-1"),                            # K001 inside the second file only
        _row("dog-1", "img-2"),
    ))
    third = put("third.ndjson", "\n".join(json.dumps(r) for r in (
        _row("Dog-1", "img-1"), _row("only-here"), _row("A_1"), _row("x", "img-9"),
    )) + "\n")
    # a BOM (J003 before any row) and a truncated array (J001 after the last row)
    fourth = put("fourth.json", b"\xef\xbb\xbf" + doc(_row("fresh-1"), _row("cat-1"), _row("new-1"))[:-30].encode())
    clean = put("clean.json", doc(_row("solo-1", "solo-ext"), _row("solo-2")))
    return {"first": first, "second": second, "third": third, "fourth": fourth, "clean": clean}


def _both(*args, input=None):
    one = run_cli("check", "--isolated", "--jobs", "1", *args, input=input)
    two = run_cli("check", "--isolated", "--jobs", "2", *args, input=input)
    return one, two


def test_cross_file_findings_are_those_of_one_process(files):
    paths = [files[k] for k in ("first", "second", "third", "fourth", "clean")]
    one, two = _both("--format", "json", *paths)
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr
    assert two.stdout == one.stdout
    report = json.loads(two.stdout)
    seen = {(os.path.basename(f["file"]), f["row"], f["code"]) for f in report["findings"]}
    # the cases this test is about really occur
    assert {("second.json", 1, "K001"), ("second.json", 1, "K006"), ("second.json", 2, "K003"),
            ("second.json", 3, "K001"), ("second.json", 4, "K003"), ("second.json", 5, "K001"),
            ("third.ndjson", 0, "K001"), ("third.ndjson", 0, "K006"), ("third.ndjson", 2, "K003"),
            ("fourth.json", 0, "K001"), ("fourth.json", None, "J003")} <= seen
    cross = [f for f in report["findings"] if f["file"] == files["second"] and f["row"] == 1 and f["code"] == "K001"]
    assert cross[0]["related"]["file"] == files["first"] and cross[0]["line"] is not None


@pytest.mark.parametrize("fmt", ["text", "sarif", "github", "junit"])
def test_every_format_is_the_same(files, fmt):
    paths = [files[k] for k in ("first", "second", "third")]
    one, two = _both("--format", fmt, *paths)
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)


def test_file_order_is_kept_and_a_file_given_twice_is_checked_twice(files):
    paths = [files["second"], files["first"], files["second"], files["clean"]]
    one, two = _both("--format", "json", *paths)
    assert two.stdout == one.stdout and two.returncode == one.returncode
    assert [f["path"] for f in json.loads(two.stdout)["files"]] == paths


def test_missing_file_among_several_is_exit_2_with_the_same_message(files, tmp_path):
    missing = str(tmp_path / "nope.json")
    for paths in ([files["first"], missing, files["second"]], [missing, files["first"], files["second"]],
                  [files["first"], files["second"], str(tmp_path)]):
        one, two = _both(*paths)
        assert one.returncode == two.returncode == 2
        assert two.stderr == one.stderr and "Traceback" not in two.stderr
        assert two.stdout == one.stdout  # the files before it are reported, as in one process


def test_standard_input_falls_back_to_one_process(files):
    text = doc(_row("cat-1"), _row("CAT-1", globalKey="x"))
    one, two = _both("--format", "json", files["first"], "-", input=text)
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout
    assert any(f["file"] == "<stdin>" and f["code"] == "K001" for f in json.loads(two.stdout)["findings"])


def test_diff_falls_back_to_one_process(files):
    one, two = _both("--diff", files["first"], files["second"])
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_integer(files, value):
    r = run_cli("check", "--jobs", value, files["first"], files["second"])
    assert r.returncode == 2
    assert "--jobs" in r.stderr and "Traceback" not in r.stderr


def test_bundled_example_with_itself(tmp_path):
    example = str(FIXTURES / "example.json")
    one, two = _both("--format", "json", example, example)
    assert two.stdout == one.stdout and two.returncode == one.returncode == 1


# -- how many jobs ------------------------------------------------------------------------------
def test_default_jobs(monkeypatch, files, tmp_path):
    monkeypatch.setattr(parallel, "cores", lambda: 8)
    big = parallel.PARALLEL_MIN_BYTES
    assert parallel.default_jobs(1, big) == 1
    assert parallel.default_jobs(2, big) == 2  # capped at the number of files
    assert parallel.default_jobs(20, big) == 8  # one per core
    assert parallel.default_jobs(20, big - 1) == 1  # small files: starting workers costs more
    assert parallel.default_jobs(20) == 8  # size unknown
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    assert parallel.default_jobs(20, big) == 1


def test_jobs_for(monkeypatch, files, tmp_path):
    monkeypatch.setattr(parallel, "cores", lambda: 8)
    small = [files["first"], files["second"], files["third"]]
    assert parallel.jobs_for(small, None) == 1  # a few KB: one process
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    assert parallel.jobs_for(small, None) == 3
    assert parallel.jobs_for(small, 2) == 2
    assert parallel.jobs_for(small, 16) == 3  # at most one job a file
    assert parallel.jobs_for(small, 1) == 1
    assert parallel.jobs_for(small[:1], None) == 1 and parallel.jobs_for(small[:1], 4) == 1
    assert parallel.jobs_for([small[0], "-"], 2) == 1  # standard input: one process
    assert parallel.jobs_for([small[0], str(tmp_path / "nope.json")], 2) == 2  # the worker reports it
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert parallel.jobs_for([small[0], str(fifo)], 2) == 1  # a worker could not read it
    for bad in (0, -3, True, 1.5):
        with pytest.raises(ValueError):
            parallel.jobs_for(small, bad)


def test_cross_file_rules_are_declared_by_their_modules():
    rules = {r.code: r for r in parallel.cross_file_rules()}
    assert set(rules) == {"K001", "K003", "K006"}
    assert rules["K001"].fields == rules["K003"].fields == ("global_key",)
    assert rules["K006"].fields == ("external_id",)
    assert rules["K001"].key({"global_key": "Cat-1"}) == "cat-1"
    assert rules["K003"].key({"global_key": "A#1"}) == "a_1"
    assert rules["K006"].key({"external_id": "Img-1"}) == "Img-1"
    assert all(r.key({"global_key": 5, "external_id": ""}) is None for r in rules.values())
    # rules reading the same field are re-checked together (they may share state)
    assert sorted(sorted(g.codes) for g in parallel.groups()) == [["K001", "K003"], ["K006"]]
    assert [sorted(g.codes) for g in parallel.groups(frozenset({"K003", "K006", "U001"}))] == [["K003"], ["K006"]]


def test_per_file_ignores_that_split_a_group_change_nothing(tmp_path):
    """K001 ignored where K003 runs, and the reverse: the two share the run's global-key index,
    so K003 checking 'é' in a.json makes K001 report 'É' in b.json."""
    (tmp_path / ".lbx-validate.toml").write_text('[per-file-ignores]\n"a.json" = ["K001"]\n"b.json" = ["K003"]\n')
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(doc(_row("\u00e9"), _row("x")))
    b.write_text(doc(_row("y"), _row("\u00c9")))
    one = run_cli("check", "--jobs", "1", "--format", "json", "a.json", "b.json", cwd=tmp_path)
    two = run_cli("check", "--jobs", "2", "--format", "json", "a.json", "b.json", cwd=tmp_path)
    assert one.returncode == two.returncode == 1, one.stderr
    assert two.stdout == one.stdout
    assert [(f["file"], f["code"]) for f in json.loads(two.stdout)["findings"]] == [("a.json", "K003"), ("b.json", "K001")]


# -- the merge, without processes --------------------------------------------------------------
def _f(code, row, line, column=1, file="f.json"):
    pointer = "" if row is None else f"/{row}/x"
    return Finding(code, code.lower(), Severity.ERROR, file, row, pointer, line, column, "m")


def test_merge_puts_new_findings_with_their_row_in_checker_order():
    j003, r1, u1, r3, j001 = _f("J003", None, 1), _f("R002", 1, 5), _f("U001", 1, 7), _f("R002", 3, 20), _f("J001", 4, 30)
    old_k = _f("K001", 1, 6)
    findings = [j003, r1, old_k, u1, r3, j001]
    source_at = {0: 0, 5: 4}  # J003 before any row, J001 after four rows
    new = [_f("K001", 0, 2), _f("K001", 1, 6, 2), _f("K001", 2, 12), _f("K001", 3, 20)]
    merged = parallel._merge(findings, source_at, {"K001"}, new)
    assert merged == [j003, new[0], r1, new[1], u1, new[2], new[3], r3, j001]
    assert parallel._merge(findings, source_at, {"K001"}, []) == [j003, r1, u1, r3, j001]


# -- in this process: api.run(jobs=...) -----------------------------------------------------------
@pytest.fixture
def unix_sockets(monkeypatch):
    """The session blocks sockets; the forkserver talks over a Unix socket: allow that kind only."""
    blocked = socket.socket.connect

    def connect(self, address):
        if self.family == socket.AF_UNIX:
            return _socket.socket.connect(self, address)
        return blocked(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def _stream(paths, jobs):
    out = []
    try:
        for item in api.run(paths, Settings(), jobs=jobs):
            out.append(("done", vars(item.summary)) if isinstance(item, FileDone) else item)
    except api.InputError as exc:
        out.append(("error", str(exc)))
    return out


def test_api_run_with_jobs_uses_workers_and_streams_the_same(files, unix_sockets, monkeypatch, tmp_path):
    calls = []
    real = parallel.run
    monkeypatch.setattr(parallel, "run", lambda *a: calls.append(a[3]) or real(*a))
    paths = [files[k] for k in ("first", "second", "third", "fourth", "clean")]
    assert _stream(paths, 2) == _stream(paths, 1)
    with_error = [files["first"], str(tmp_path / "nope.json"), files["second"]]
    assert _stream(with_error, 2) == _stream(with_error, 1)
    assert calls == [2, 2]


def test_a_worker_abandons_its_file_when_the_run_stops(monkeypatch, tmp_path):
    """On an input error or Ctrl-C the parent sets an Event; workers stop within 512 rows
    (they are not killed: a killed worker can leave the pool reading half a result)."""
    import threading

    path = tmp_path / "big.json"
    path.write_text(json.dumps([_row(f"k{i}") for i in range(600)]))
    settings = Settings()
    assert parallel.check_one(str(path), settings, resolve(settings)).summary.rows == 600
    stop = threading.Event()
    stop.set()
    monkeypatch.setattr(parallel, "_stop_requested", stop)
    with pytest.raises(parallel.Stopped):
        parallel.check_one(str(path), settings, resolve(settings))


def test_a_worker_sends_every_key_of_a_long_file(tmp_path, monkeypatch):
    # keys are taken in batches while the file streams: every batch, and the last part, is kept
    monkeypatch.setattr(parallel._Watch, "_BATCH", 512)
    rows = [_row(f"Key-{i}", f"id-{i}" if i % 3 else None) for i in range(1300)]
    path = tmp_path / "long.json"
    path.write_text(json.dumps(rows))
    settings = Settings()
    result = parallel.check_one(str(path), settings, resolve(settings))
    assert result.keys[("global_key",)] == {f"key-{i}" for i in range(1300)}
    assert result.keys[("external_id",)] == {f"id-{i}" for i in range(1300) if i % 3}
