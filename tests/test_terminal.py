"""The text report on a terminal: grouping, colour, --show-source, --statistics, --quiet,
escaping of control characters, and the progress display (real pseudo-terminals)."""
import io
import json
import os
import pty
import subprocess
import sys
import threading

import pytest
from hypothesis import given, settings, strategies as st

from util import rows
from validator.report import progress as progress_mod
from validator.report import source_lines
from validator.report.source_lines import SourceLines, display_width

URL = "https://example.com/a.jpg"
ANSI = "\x1b["


def cli(*args, env=None, cwd=None):
    full = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE", "NO_COLOR")}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "validator", *map(str, args)], capture_output=True, text=True,
                          env=full, cwd=cwd, timeout=300)


def cli_tty(*args, env=None, stdout_tty=True):
    """Run with standard error (and standard output, unless stdout_tty=False) on a pseudo-terminal.

    Returns (returncode, terminal text, piped stdout text)."""
    full = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE", "NO_COLOR")}
    full.update(env or {})
    master, slave = pty.openpty()
    chunks = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    proc = subprocess.Popen([sys.executable, "-m", "validator", *map(str, args)], stdin=subprocess.DEVNULL,
                            stdout=slave if stdout_tty else subprocess.PIPE, stderr=slave, env=full)
    os.close(slave)
    piped = proc.stdout.read().decode() if proc.stdout else ""
    code = proc.wait(timeout=300)
    reader.join(timeout=30)
    os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"), piped


# -- grouping, summary, statistics, quiet ------------------------------------------------------

def test_findings_grouped_by_file_then_counts_per_rule_then_summary(write):
    text = rows({"row_data": URL + "#1"}, {"row_data": URL + "#2", "globalKey": "k"})
    a = write(text, "a.json")
    b = write(rows({"row_data": URL, "globalKey": "k"}), "b.json")
    r = cli("check", a, b)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    second, key = text.index(URL + "#2") + 1, text.index('"globalKey"') + 2  # 1-based columns
    assert [l.split(": ")[0] for l in lines[:3]] == [f"{a}:1:15", f"{a}:1:{second - 1}", f"{a}:1:{key - 1}"]
    assert [l.split(": ")[1].split()[0] for l in lines[:3]] == ["U001", "U001", "R002"]
    assert lines[3] == ""
    assert lines[4].startswith(f"{b}:1:44: R002 [error]")
    assert lines[5:] == ["", "2  R002  unknown-field", "2  U001  forbidden-url-character",
                         "Found 4 errors, 0 warnings in 2 files (3 rows)."]


def test_statistics_prints_counts_per_rule_only(write):
    a = write(rows({"row_data": URL + "#1"}, {"row_data": URL + "#2", "globalKey": "k"}))
    r = cli("check", "--statistics", a)
    assert r.returncode == 1
    assert r.stdout.splitlines() == ["2  U001  forbidden-url-character", "1  R002  unknown-field",
                                     "Found 3 errors, 0 warnings in 1 file (2 rows)."]


def test_quiet_prints_findings_only(write):
    a = write(rows({"row_data": URL + "#1"}))
    r = cli("check", "-q", a)
    assert r.returncode == 1
    assert r.stdout.splitlines() == [f"{a}:1:15: U001 [error] " + r.stdout.split("[error] ", 1)[1].strip()]
    clean = write(rows({"row_data": URL}), "clean.json")
    r = cli("check", "--quiet", clean)
    assert r.returncode == 0 and r.stdout == ""


def test_clean_run_has_no_rule_counts(write):
    r = cli("check", write(rows({"row_data": URL})))
    assert r.stdout.splitlines() == ["All clear: 1 row in 1 file checked, no findings."]


# -- colour ------------------------------------------------------------------------------------

def test_color_always_and_never(write):
    p = write(rows({"row_data": URL + "#1"}))
    coloured = cli("check", "--color", "always", p).stdout
    assert f"\x1b[1m{p}:1:15\x1b[0m: \x1b[1mU001\x1b[0m \x1b[1;31m[error]\x1b[0m URL contains" in coloured
    assert ANSI not in cli("check", "--color", "never", p).stdout
    assert ANSI not in cli("check", p).stdout  # a pipe is not a terminal
    assert ANSI in cli("check", "--color", "always", p, env={"NO_COLOR": "1"}).stdout


def test_color_auto_on_a_terminal_honours_no_color(write):
    p = write(rows({"row_data": URL + "#1"}))
    code, tty, _ = cli_tty("check", p)
    assert code == 1 and "\x1b[1;31m[error]\x1b[0m" in tty
    code, tty, _ = cli_tty("check", p, env={"NO_COLOR": "1"})
    assert code == 1 and ANSI not in tty and f"{p}:1:15: U001 [error]" in tty
    code, tty, _ = cli_tty("check", "--color", "never", p)
    assert ANSI not in tty


def test_report_file_is_never_coloured_in_auto_mode(write, tmp_path):
    p = write(rows({"row_data": URL + "#1"}))
    out = tmp_path / "report.txt"
    code, _, _ = cli_tty("check", "-o", out, p)
    assert code == 1 and ANSI not in out.read_text() and "U001" in out.read_text()


# -- control characters from the input are shown escaped ----------------------------------------

def test_control_characters_and_escapes_are_escaped(write):
    p = write('[{"row_data": "%s", "\\u001b]0;owned\\u0007\\u001b[2J\\u202eevil": 1}]' % URL)
    r = cli("check", "--color", "never", p)
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\u202e" not in r.stdout
    assert "'\\e]0;owned\\x07\\e[2J\\u202eevil'" in r.stdout


def test_hostile_file_name_is_escaped(tmp_path):
    name = tmp_path / "evil\x1b[2J\nname.json"
    name.write_text(rows({"row_data": URL + "#"}))
    r = cli("check", name)
    assert r.returncode == 1 and "\x1b" not in r.stdout
    assert r.stdout.splitlines()[0].startswith(str(tmp_path) + "/evil\\e[2J\\nname.json:1:15: U001")


# -- --show-source ------------------------------------------------------------------------------

def test_show_source_prints_the_line_and_a_caret(write):
    p = write(rows({"row_data": URL + "#1"}, {"row_data": URL, "globalKey": "k"}, indent=2))
    r = cli("check", "--show-source", p)
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"{p}:3:17: U001")
    assert lines[1] == '3 |     "row_data": "https://example.com/a.jpg#1"'
    assert lines[2] == "  |                 ^"
    assert lines[3].startswith(f"{p}:7:5: R002")
    assert lines[4] == '7 |     "globalKey": "k"'
    assert lines[5] == "  |     ^"


def test_show_source_caret_with_wide_characters_tabs_bom_and_crlf(write):
    text = '[\r\n\t{"global_key": "\u732b\u732b", "row_data": "https://example.com/\u00e9 x.jpg"}]'
    p = write(b"\xef\xbb\xbf" + text.encode("utf-8"))
    r = cli("check", "--show-source", "--select", "U001,U006", p)
    out = r.stdout.splitlines()
    i = next(k for k, l in enumerate(out) if ": U001 " in l)
    assert out[i].startswith(f"{p}:2:35: U001")  # the value's opening quote
    assert out[i + 1] == '2 | \\t{"global_key": "\u732b\u732b", "row_data": "https://example.com/\u00e9 x.jpg"}]'
    # the caret sits under column 40: the tab shows as 2 cells (\t), each cat takes 2 cells
    prefix = '\\t{"global_key": "\u732b\u732b", "row_data": '
    assert out[i + 2] == "  | " + " " * display_width(prefix) + "^"
    assert display_width(prefix) == len(prefix) + 2


def test_show_source_on_a_long_minified_line_shows_a_window(write):
    objs = [{"row_data": f"https://example.com/{i:05d}.jpg"} for i in range(2000)]
    objs[1500]["row_data"] += "#"
    p = write(json.dumps(objs, separators=(",", ":")))
    r = cli("check", "--show-source", "--select", "U001", p)
    line, source, caret = r.stdout.splitlines()[:3]
    column = int(line.split(":")[2])
    assert source.startswith("1 | \u2026") and source.endswith("\u2026")
    assert len(source) == len("1 | ") + 1 + source_lines.WIDTH + 1
    assert caret == "  | " + " " * (1 + source_lines.BEFORE) + "^"
    under = len("1 | ") + 1 + source_lines.BEFORE
    assert source[under:under + 31] == '"https://example.com/01500.jpg#'
    assert column > 60_000


def test_show_source_escapes_control_characters_in_the_source(write):
    p = write(b'[{"row_data": "https://example.com/\x1b[2J.jpg"}]')
    r = cli("check", "--show-source", p)
    assert r.returncode == 1 and "\x1b" not in r.stdout
    assert '1 | [{"row_data": "https://example.com/\\e[2J.jpg"}]' in r.stdout.splitlines()


def test_show_source_for_standard_input_is_skipped():
    r = subprocess.run([sys.executable, "-m", "validator", "check", "--show-source", "-"], input=rows({"row_data": URL + "#"}),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and " | " not in r.stdout and "<stdin>:1:15: U001" in r.stdout


_TEXT = st.text(st.sampled_from(list("ab \t\r{}\"") + ["\u00e9", "\u732b", "\U0001f600", "\n", "\n"]), max_size=300)


@settings(max_examples=150, deadline=None)
@given(text=_TEXT, picks=st.lists(st.tuples(st.integers(0, 400), st.integers(1, 40)), min_size=1, max_size=12),
       chunk=st.sampled_from([1, 2, 3, 7, 64]), bom=st.booleans())
def test_source_offsets_match_a_naive_count(tmp_path_factory, text, picks, chunk, bom):
    """offset_of(line, column) in any order, across any chunk boundaries, equals a naive count."""
    path = tmp_path_factory.mktemp("src") / "f.json"
    data = text.encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    lines = data.split(b"\n")
    old = source_lines.CHUNK
    source_lines.CHUNK = chunk
    src = SourceLines(str(path))
    try:
        for pick, column in picks:
            line = 1 + pick % len(lines)
            seg = lines[line - 1].decode("utf-8")
            start = (3 if bom else 0) + sum(len(l) + 1 for l in lines[: line - 1])
            expected = start + len(seg[: column - 1].encode("utf-8"))
            assert src.offset_of(line, column) == expected
            if column <= len(seg.rstrip("\r")):  # a CRLF's \r is the line end, not shown
                shown, caret = src.snippet(line, column)
                assert shown  # the character under the caret is part of what is shown
    finally:
        source_lines.CHUNK = old
        src.close()
    assert SourceLines(str(path)).offset_of(len(lines) + 1, 1) is None


# -- progress -----------------------------------------------------------------------------------

class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class _Rows:
    rows = 0


def test_progress_line_counts_bytes_rows_and_findings(tmp_path):
    p = tmp_path / "big.json"
    p.write_bytes(b" " * 3_000_000)
    err, clock = io.StringIO(), _Clock()
    prog = progress_mod.Progress(err, clock=clock, threshold=1_000_000, width=300)
    raw = prog.open(str(p), open(p, "rb"))
    stream = _Rows()
    prog.attach(stream)
    raw.read(500_000)
    clock.now = 1.0
    raw.read(500_000)  # passes the threshold: first draw
    stream.rows, prog.findings = 20_000, 7
    clock.now = 2.0
    raw.read(1_000_000)
    raw.close()
    frames = err.getvalue().split("\r\x1b[K")
    assert frames[-1] == f"{p}: 2.0 MB / 3.0 MB (66%), 20,000 rows (10,000 rows/s), 7 findings"
    assert frames[-2] == f"{p}: 1.0 MB / 3.0 MB (33%), 0 rows (0 rows/s), 0 findings"
    prog.clear()
    assert err.getvalue().endswith("\r\x1b[K") and not prog.visible
    prog.width = 100  # a narrower terminal: the name is shortened first, the numbers stay
    line = prog.line(2.0)
    assert len(line) == 100 and line.startswith("\u2026") and line.endswith("big.json: 2.0 MB / 3.0 MB (66%), 20,000 rows (10,000 rows/s), 7 findings")
    prog.width = 40  # very narrow: cut, never wrapped
    assert len(prog.line(2.0)) == 40


def test_progress_stays_silent_for_small_files(tmp_path):
    p = tmp_path / "small.json"
    p.write_bytes(b"[]")
    err = io.StringIO()
    prog = progress_mod.Progress(err)
    with open(p, "rb") as f:
        assert prog.open(str(p), f) is f  # not even wrapped
    assert err.getvalue() == ""


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.json"
    objs = [{"row_data": f"https://example.com/images/{i:06d}.jpg", "global_key": f"key-{i:06d}", "media_type": "IMAGE"}
            for i in range(60_000)]
    objs[10]["row_data"] += "#"
    path.write_text(json.dumps(objs))
    assert path.stat().st_size > progress_mod.THRESHOLD + 1_000_000
    return path


def test_progress_on_a_terminal_for_a_big_file(big_file):
    code, tty, piped = cli_tty("check", big_file, stdout_tty=False)
    assert code == 1
    assert "rows/s" in tty and " MB / " in tty and "1 findings" in tty
    assert tty.endswith("\r\x1b[K")  # erased at the end
    assert "rows/s" not in piped and piped.splitlines()[-1] == "Found 1 error, 0 warnings in 1 file (60000 rows)."


def test_no_progress_when_quiet_or_not_a_terminal(big_file):
    code, tty, piped = cli_tty("check", "--quiet", big_file, stdout_tty=False)
    assert code == 1 and tty == ""
    r = cli("check", big_file)
    assert r.returncode == 1 and r.stderr == ""
