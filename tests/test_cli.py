"""The command line: exit codes, messages, the rules command, standard input."""
import json
import os

import pytest

from conftest import FIXTURES
from util import rows, run_cli, start_cli

URL = "https://example.com/a.jpg"


def test_clean_file_exits_0(write):
    p = write(rows({"row_data": URL, "global_key": "a"}))
    r = run_cli("check", p)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no findings" in r.stdout


def test_error_findings_exit_1_with_file_line_column(write):
    p = write(rows({"row_data": URL + "#1"}))
    r = run_cli("check", p)
    assert r.returncode == 1
    assert f"{p}:1:15: U001 [error]" in r.stdout
    assert "1 error" in r.stdout


def test_missing_file_and_directory_exit_2_without_traceback(tmp_path):
    r = run_cli("check", tmp_path / "nope.json")
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("check", tmp_path)
    assert r.returncode == 2 and "directory" in r.stderr and "Traceback" not in r.stderr


def test_usage_error_exits_2():
    r = run_cli("check")
    assert r.returncode == 2
    r = run_cli("check", "--format", "yaml", "x.json")
    assert r.returncode == 2


def test_standard_input_is_read_with_dash():
    r = run_cli("check", "-", input=rows({"row_data": URL, "globalKey": "a"}))
    assert r.returncode == 1
    assert "<stdin>:1:44: R002" in r.stdout


def test_json_report_shape(write):
    p = write(rows({"row_data": URL + "#1"}, {"row_data": URL}))
    r = run_cli("check", "--format", "json", p)
    report = json.loads(r.stdout)
    assert report["version"] == 1 and report["tool"]["name"] == "lbx-validate"
    assert report["summary"] == {"files": 1, "rows": 2, "errors": 1, "warnings": 0, "infos": 0}
    (f,) = report["findings"]
    assert {k: f[k] for k in ("code", "name", "severity", "row", "pointer", "line", "column")} == {
        "code": "U001", "name": "forbidden-url-character", "severity": "error", "row": 0,
        "pointer": "/0/row_data", "line": 1, "column": 15,
    }
    assert report["files"] == [{"path": str(p), "rows": 2, "errors": 1, "warnings": 0, "infos": 0}]


def test_output_file(write, tmp_path):
    p = write(rows({"row_data": URL}))
    out = tmp_path / "report.json"
    r = run_cli("check", "--format", "json", "--output", out, p)
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads(out.read_text())["summary"]["rows"] == 1


def test_bundled_example_shows_findings():
    r = run_cli("check", FIXTURES / "example.json")
    assert r.returncode == 1
    codes = {line.split(": ")[1].split()[0] for line in r.stdout.splitlines() if ": " in line and "[" in line}
    assert {"U001", "R002", "A004", "K001", "R007"} <= codes


def test_rules_lists_every_rule_and_explains_one():
    from validator import rules as registry

    r = run_cli("rules")
    assert r.returncode == 0
    listed = {line.split()[0] for line in r.stdout.splitlines()}
    assert listed == {rule.code for rule in registry.all_rules()}
    by_code = run_cli("rules", "U001")
    by_name = run_cli("rules", "forbidden-url-character")
    assert by_code.returncode == 0 and by_code.stdout == by_name.stdout
    assert "What it checks" in by_code.stdout and "FAIL" in by_code.stdout and "PASS" in by_code.stdout


def test_rules_unknown_code_exits_2():
    r = run_cli("rules", "Z999")
    assert r.returncode == 2 and "unknown rule" in r.stderr


def test_internal_error_is_one_line_unless_debug(write, monkeypatch):
    from click.testing import CliRunner

    from validator import cli
    from validator.checker import Checker

    def boom(*a, **k):
        raise RuntimeError("rule exploded")

    monkeypatch.setattr(Checker, "check_stream", boom)
    p = write(rows({"row_data": URL}))
    res = CliRunner().invoke(cli.cli, ["check", str(p)])
    assert res.exit_code == 2
    assert "internal error: RuntimeError: rule exploded" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(cli.cli, ["check", "--debug", str(p)])
    assert res.exit_code == 2  # with the traceback, still exit code 2: a crash is not a finding (1)
    assert "Traceback" in res.output and "RuntimeError: rule exploded" in res.output


def test_version():
    from validator import __version__

    r = run_cli("--version")
    assert r.returncode == 0 and __version__ in r.stdout


# -- reports are written whole, never over an input ------------------------------------------

def test_an_output_that_is_an_input_file_is_refused_and_the_input_kept(write, unchanged):
    p = write(rows({"row_data": URL + "#1"}))
    unchanged(p)
    r = run_cli("check", "--format", "json", "-o", p, p)
    assert r.returncode == 2 and "is one of the files to check" in r.stderr and "internal error" not in r.stderr


def test_a_missing_input_stops_the_run_before_any_report_is_written(write, tmp_path):
    good = write(rows({"row_data": URL + "#1"}))
    old = tmp_path / "old.sarif"
    old.write_text("previous report")
    fresh = tmp_path / "new.json"
    r = run_cli("check", "--format", "sarif", "-o", old, "--format", "json", "-o", fresh, good, tmp_path / "nope.ndjson")
    assert r.returncode == 2 and "nope.ndjson: no such file" in r.stderr
    assert r.stdout == "" and old.read_text() == "previous report" and not fresh.exists()
    assert sorted(x.name for x in tmp_path.iterdir()) == ["import.json", "old.sarif"]  # no temporary file left


def test_a_report_file_replaces_the_old_one_whole_with_the_usual_permissions(write, tmp_path):
    p = write(rows({"row_data": URL + "#1"}))
    out = tmp_path / "report.json"
    out.write_text("old")
    r = run_cli("check", "--format", "json", "-o", out, p)
    assert r.returncode == 1 and json.loads(out.read_text())["summary"]["errors"] == 1
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    assert sorted(x.name for x in tmp_path.iterdir()) == ["import.json", "report.json"]


def test_format_and_output_pairing_mistakes_are_usage_errors(write):
    p = write(rows({"row_data": URL}))
    for args in (["--format", "json", "--format", "text"], ["-o", "a.txt", "-o", "b.txt", "--format", "text"]):
        r = run_cli("check", *args, p)
        assert r.returncode == 2 and "Usage:" in r.stderr and "internal error" not in r.stderr, r.stderr


# -- a selection, or a setting's file, that cannot be what was meant ---------------------------

def test_an_empty_selection_is_an_error_not_a_silent_pass(write):
    p = write(rows({"row_data": URL + "#1"}))
    for select in ("", ","):
        r = run_cli("check", "--select", select, p)
        assert r.returncode == 2 and "no rule is selected" in r.stderr, r.stderr


def test_a_missing_existing_keys_file_is_exit_2_even_with_k004_ignored(write, tmp_path):
    p = write(rows({"row_data": URL}))
    r = run_cli("check", "--existing-keys", tmp_path / "missing.txt", "--ignore", "K004", p)
    assert r.returncode == 2 and "missing.txt: existing-keys file cannot be read" in r.stderr


@pytest.mark.parametrize("signame,code,word", [("SIGINT", 130, "interrupted"), ("SIGTERM", 143, "terminated")])
def test_ctrl_c_exits_130_and_sigterm_143_leaving_no_partial_report(tmp_path, signame, code, word):
    import signal
    import time

    fifo = tmp_path / "in.json"
    os.mkfifo(fifo)
    report = tmp_path / "report.json"
    proc = start_cli("check", "--format", "json", "-o", report, fifo)
    with open(fifo, "wb") as writer:  # returns once the check has opened the FIFO: it is running
        writer.write(b'[{"row_data": "https://example.com/a.jpg"},')
        writer.flush()
        # Once it has read those bytes, the command waits for more. (A signal that lands in the
        # microseconds between a check for signals and the next blocking read is only acted on
        # when the read returns: CPython's own race, which a test must not depend on.)
        time.sleep(0.5)
        proc.send_signal(getattr(signal, signame))
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == code and word in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]  # no report, no temporary file


@pytest.mark.parametrize("signame,code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_signal_to_the_whole_group_stops_every_worker_of_a_parallel_run(tmp_path, signame, code):
    import signal
    import time

    names = []
    for n in range(3):
        rows_ = [{"row_data": f"https://example.com/{i}.jpg", "global_key": f"k{n}-{i}"} for i in range(60_000)]
        (tmp_path / f"f{n}.json").write_text(json.dumps(rows_))
        names.append(str(tmp_path / f"f{n}.json"))
    report = tmp_path / "report.json"
    proc = start_cli("check", "--jobs", "2", "--format", "json", "-o", report, *names, start_new_session=True)
    time.sleep(1.5)
    os.killpg(proc.pid, getattr(signal, signame))
    out, err = proc.communicate(timeout=60)  # returns only once no process holds its output: no worker is left
    if proc.returncode == 0:  # the files are clean
        pytest.skip("the run finished before the signal")
    assert proc.returncode == code and "Traceback" not in err, err
    assert not report.exists() and not list(tmp_path.glob(".lbx-report-*"))


def test_a_report_to_a_fifo_or_through_a_symlink_writes_there_and_replaces_nothing_else(write, tmp_path):
    import threading

    p = write(rows({"row_data": URL + "#1"}))
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    r = run_cli("check", "--format", "json", "-o", fifo, p)
    reader.join(30)
    assert r.returncode == 1 and json.loads(received[0])["summary"]["errors"] == 1
    assert not fifo.is_file() and fifo.exists()  # still a FIFO (as /dev/null stays a device)

    target = tmp_path / "real.json"
    target.write_text("old")
    os.chmod(target, 0o640)
    link = tmp_path / "report.json"
    link.symlink_to(target)
    r = run_cli("check", "--format", "json", "-o", link, p)
    assert link.is_symlink() and json.loads(target.read_text())["summary"]["errors"] == 1
    assert target.stat().st_mode & 0o777 == 0o640  # an old report's permissions are kept
