"""--fix and --diff: byte-range edits, verified, atomic; remaining findings still reported."""
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from util import findings, run_cli, where
from validator.fix import PAUSE_ENV, apply_edits, fix_bytes, plan_edit, unified_diff, write_atomic, Edit
from validator.model import Finding, Fix, Severity

BAD_URL = "https://example.com/images/cat#1.jpg"
GOOD_URL = "https://example.com/images/cat%231.jpg"
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def write(tmp_path, data, name="import.json"):
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


# -- fix_bytes: the edits ------------------------------------------------------------------
def test_fix_replaces_only_the_value_and_keeps_every_other_byte():
    # BOM, CRLF, odd spacing, an escape elsewhere, a trailing newline-less end
    before = ('\ufeff[\r\n  {"row_data" :   "%s",  "external_id": "caf\\u00e9"},\r\n'
              '\t{"row_data": "https://example.com/ok.jpg"}\r\n]' % BAD_URL).encode("utf-8")
    result = fix_bytes(before, "f.json")
    expected = before.replace(BAD_URL.encode(), GOOD_URL.encode())
    assert result.fixed == expected
    assert [f.code for f in result.applied] == ["U001"]
    assert result.skipped == []


def test_fix_on_a_line_after_multibyte_characters_uses_code_point_columns():
    before = '[{"external_id": "żółć ☃ 😀", "row_data": "%s"}]' % BAD_URL
    result = fix_bytes(before.encode(), "f.json")
    assert result.fixed.decode() == before.replace(BAD_URL, GOOD_URL)


def test_two_rules_fixing_one_value_take_turns_until_both_are_fixed():
    # R006 and U001 on different values of one row, and the same row twice
    text = json.dumps([{"row_data": "https://e.com/a b.jpg", "media_type": "image"}] * 2, indent=2)
    result = fix_bytes(text.encode(), "f.json")
    assert json.loads(result.fixed) == [{"row_data": "https://e.com/a%20b.jpg", "media_type": "IMAGE"}] * 2
    assert sorted(f.code for f in result.applied) == ["R006", "R006", "U001", "U001"]
    assert [f.code for f in findings(result.fixed)] == []


def test_fixes_respect_the_selection():
    from validator.config import Settings

    text = json.dumps([{"row_data": "https://e.com/a b.jpg", "media_type": "image"}])
    s = Settings().with_options(ignore=("U001",))
    result = fix_bytes(text.encode(), "f.json", s)
    assert json.loads(result.fixed) == [{"row_data": "https://e.com/a b.jpg", "media_type": "IMAGE"}]


def test_file_with_a_syntax_error_later_still_gets_its_earlier_rows_fixed_and_keeps_the_error():
    before = '[{"row_data": "%s"},\n {"row_data": "x" ' % BAD_URL
    result = fix_bytes(before.encode(), "f.json")
    assert result.fixed.decode() == before.replace(BAD_URL, GOOD_URL)
    assert [f.code for f in findings(result.fixed)] == ["J001"]


def test_invalid_utf8_elsewhere_survives_byte_for_byte():
    before = b'[{"row_data": "' + BAD_URL.encode() + b'"},\n {"row_data": "https://e.com/\xff.jpg"}]'
    result = fix_bytes(before, "f.json")
    assert result.fixed == before.replace(BAD_URL.encode(), GOOD_URL.encode())


def _finding(line, col, pointer="/0/row_data", replacement="X"):
    return Finding("U001", "forbidden-url-character", Severity.ERROR, "f", 0, pointer, line, col, "m", None,
                   Fix(replacement, "d"))


@pytest.mark.parametrize("line,col,current,reason", [
    (1, 3, "a b", "the location is a key, not a value"),        # points at the key "row_data"
    (1, 15, "something else", "the value at the location is not the value the rule checked"),
    (1, 99, "a b", "the location is outside the file"),
    (7, 1, "a b", "the location is outside the file"),
    (1, 14, "a b", "no JSON value starts at the location"),     # the space before the value
])
def test_an_edit_is_refused_when_the_location_does_not_hold_the_checked_value(line, col, current, reason):
    text = '[{"row_data": "a b"}]'
    starts = [0]
    assert plan_edit(text, starts, _finding(line, col), current) == reason


def test_an_edit_whose_location_holds_the_value_spans_exactly_that_value():
    text = '[{"row_data": "a b"}]'
    edit = plan_edit(text, [0], _finding(1, 15, replacement="a%20b"), "a b")
    assert (edit.start, edit.end, edit.text) == (14, 19, '"a%20b"')


def test_overlapping_edits_apply_the_first_and_defer_the_rest():
    f = _finding(1, 1)
    new, taken, deferred = apply_edits("abcdef", [Edit(1, 3, "X", f), Edit(2, 4, "Y", f), Edit(4, 5, "Z", f)])
    assert new == "aXdZf"
    assert [e.text for e in taken] == ["X", "Z"] and [e.text for e in deferred] == ["Y"]


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a b", "ok", "x#y", "é z", "q|r"]), min_size=1, max_size=5),
       st.sampled_from([None, 1, "\t"]), st.booleans())
def test_property_fixing_changes_only_the_fixed_urls_and_leaves_no_fixable_finding(names, indent, crlf):
    rows = [{"external_id": n, "row_data": f"https://example.com/{n}.jpg"} for n in names]
    text = json.dumps(rows, indent=indent, ensure_ascii=False)
    if crlf:
        text = text.replace("\n", "\r\n")
    result = fix_bytes(text.encode(), "f.json")
    fixed = json.loads(result.fixed)
    assert [r["external_id"] for r in fixed] == names  # nothing but row_data changed
    from urllib.parse import unquote
    assert [unquote(r["row_data"]) for r in fixed] == [r["row_data"] for r in rows]  # the same object
    assert not [f for f in findings(result.fixed) if f.fix is not None]
    # outside the string values, every byte is the same (whitespace, separators, line endings)
    skeleton = lambda b: _STRING.sub('""', b.decode())
    assert skeleton(result.fixed) == skeleton(text.encode())


# -- the command line -----------------------------------------------------------------------
def test_cli_fix_writes_the_file_and_reports_what_remains(tmp_path):
    p = write(tmp_path, '[{"row_data": "%s"},\n {"row_data": 5}]\n' % BAD_URL)
    mode = 0o640
    os.chmod(p, mode)
    r = run_cli("check", "--fix", p)
    assert r.returncode == 1
    assert p.read_text() == '[{"row_data": "%s"},\n {"row_data": 5}]\n' % GOOD_URL
    assert os.stat(p).st_mode & 0o777 == mode
    assert f"{p}:2:15: R004 [error]" in r.stdout
    assert "U001" not in r.stdout
    assert f"fixed 1 finding(s) in {p} (U001)" in r.stderr
    assert [n for n in os.listdir(tmp_path)] == ["import.json"]  # no temporary file left behind


def test_cli_fix_exits_zero_when_everything_was_fixable(tmp_path):
    p = write(tmp_path, '[{"row_data": "%s"}]' % BAD_URL)
    r = run_cli("check", "--fix", p)
    assert r.returncode == 0 and "U001" not in r.stdout
    assert p.read_text() == '[{"row_data": "%s"}]' % GOOD_URL


def test_cli_diff_prints_a_diff_writes_nothing_and_reports_on_stderr(tmp_path):
    before = '[\n  {"row_data": "%s"},\n  {"row_data": 5}\n]\n' % BAD_URL
    p = write(tmp_path, before)
    r = run_cli("check", "--diff", "import.json", cwd=tmp_path)
    assert p.read_text() == before
    assert r.stdout == (
        "--- a/import.json\n+++ b/import.json\n@@ -1,3 +1,3 @@\n [\n"
        '-  {"row_data": "%s"},\n+  {"row_data": "%s"},\n   {"row_data": 5}\n' % (BAD_URL, GOOD_URL)
    )
    assert "import.json:3:16: R004 [error]" in r.stderr
    assert r.returncode == 1


def test_cli_diff_applies_with_patch(tmp_path):
    before = '[\n  {"row_data": "%s"},\n  {"row_data": "https://e.com/a b.png"}\n]' % BAD_URL
    p = write(tmp_path, before)
    r = run_cli("check", "--diff", "import.json", cwd=tmp_path)
    patch = subprocess.run(["patch", "-p1"], input=r.stdout, text=True, cwd=tmp_path, capture_output=True)
    if patch.returncode == 127:
        pytest.skip("no patch")
    assert patch.returncode == 0, patch.stderr
    assert p.read_text() == fix_bytes(before.encode(), "x").fixed.decode()


def test_cli_diff_with_nothing_to_fix_prints_nothing_and_exits_as_a_check(tmp_path):
    write(tmp_path, '[{"row_data": "%s"}]' % GOOD_URL)
    r = run_cli("check", "--diff", "import.json", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "")


def test_cli_diff_exit_zero(tmp_path):
    write(tmp_path, '[{"row_data": "https://e.com/a.jpg", "media_type": "image"}]')
    assert run_cli("check", "--diff", "import.json", cwd=tmp_path).returncode == 1  # a warning, but fixable
    assert run_cli("check", "--diff", "--exit-zero", "import.json", cwd=tmp_path).returncode == 0


def test_cli_fix_never_writes_standard_input_and_reports_it_as_it_is(tmp_path):
    r = run_cli("check", "--fix", "-", input='[{"row_data": "%s"}]' % BAD_URL, cwd=tmp_path)
    assert r.returncode == 1
    assert "<stdin>:1:15: U001" in r.stdout
    assert "standard input is never written" in r.stderr
    assert os.listdir(tmp_path) == []


def test_cli_diff_of_standard_input(tmp_path):
    r = run_cli("check", "--diff", "-", input='[{"row_data": "%s"}]' % BAD_URL, cwd=tmp_path)
    assert r.stdout.startswith("--- <stdin>\n+++ <stdin>\n")
    assert GOOD_URL in r.stdout


def test_cli_diff_escapes_control_characters_from_the_input(tmp_path):
    # a raw ESC next to a fixed value (the row after it is broken): the diff must not carry it raw
    write(tmp_path, '[{"row_data": "%s"},\n {"x": "\x1b[31mred"}]' % BAD_URL)
    r = run_cli("check", "--diff", "import.json", cwd=tmp_path)
    assert "\x1b" not in r.stdout and "\\e[31mred" in r.stdout


def test_cli_fix_with_two_files_keeps_cross_file_findings(tmp_path):
    a = write(tmp_path, '[{"global_key": "k", "row_data": "%s"}]' % BAD_URL, "a.json")
    b = write(tmp_path, '[{"global_key": "k", "row_data": "%s"}]' % BAD_URL, "b.json")
    r = run_cli("check", "--fix", "a.json", "b.json", cwd=tmp_path)
    assert GOOD_URL in a.read_text() and GOOD_URL in b.read_text()
    assert "b.json:1:17: K001 [error]" in r.stdout and r.returncode == 1


# -- atomic writes ----------------------------------------------------------------------------
def test_write_atomic_follows_a_symlink_and_replaces_its_target(tmp_path):
    target = write(tmp_path, "old", "target.json")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(str(link), b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"


def test_write_atomic_refuses_a_file_changed_since_it_was_read(tmp_path):
    p = write(tmp_path, "old")
    st = os.stat(p)
    time.sleep(0.01)
    p.write_bytes(b"changed by someone else")
    with pytest.raises(OSError):
        write_atomic(str(p), b"new", st)
    assert p.read_bytes() == b"changed by someone else"
    assert os.listdir(tmp_path) == ["import.json"]


def test_killed_mid_write_leaves_the_original_intact(tmp_path):
    before = ('[{"row_data": "%s"}]' % BAD_URL).encode()
    p = write(tmp_path, before)
    env = dict(os.environ, **{PAUSE_ENV: "30"})
    proc = subprocess.Popen([sys.executable, "-m", "validator", "check", "--fix", str(p)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        temps = []
        while time.time() < deadline:  # wait until the fixed temporary file is written and synced
            temps = [n for n in os.listdir(tmp_path) if n.startswith(".lbx-fix-")]
            if temps and (tmp_path / temps[0]).stat().st_size == len(before) + 2:
                break
            assert proc.poll() is None, "the process ended before the rename window"
            time.sleep(0.05)
        assert temps, "no temporary file appeared"
        assert (tmp_path / temps[0]).read_bytes() == before.replace(BAD_URL.encode(), GOOD_URL.encode())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert p.read_bytes() == before  # the original, whole
    # and a later run fixes it, leaving the stray temporary file of the killed run alone
    r = run_cli("check", "--fix", p)
    assert r.returncode == 0 and p.read_bytes() == before.replace(BAD_URL.encode(), GOOD_URL.encode())


def test_unified_diff_marks_a_missing_final_newline():
    d = unified_diff("f.json", b'["a"]', b'["b"]')
    assert d == '--- a/f.json\n+++ b/f.json\n@@ -1 +1 @@\n-["a"]\n\\ No newline at end of file\n+["b"]\n\\ No newline at end of file\n'


def test_cli_fix_ndjson_by_extension_and_by_option(tmp_path):
    before = '{"row_data": "https://e.com/a b.jpg"}\n\n{"row_data": "https://e.com/c.jpg", "media_type": "image"}\n'
    after = '{"row_data": "https://e.com/a%20b.jpg"}\n\n{"row_data": "https://e.com/c.jpg", "media_type": "IMAGE"}\n'
    p = write(tmp_path, before, "rows.ndjson")
    r = run_cli("check", "--fix", p)
    assert (r.returncode, p.read_text()) == (0, after)
    q = write(tmp_path, before, "rows.txt")
    r = run_cli("check", "--input-format", "ndjson", "--fix", q)
    assert (r.returncode, q.read_text()) == (0, after)


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=30))
def test_property_the_linear_diff_is_difflibs_diff(changes):
    import difflib
    from validator.fix import _same_length_diff

    a = [f"line {i}\n" for i in range(len(changes))]
    b = [f"line {i} fixed\n" if c else line for i, (c, line) in enumerate(zip(changes, a))]
    assert list(_same_length_diff(a, b, "a/f", "b/f")) == list(difflib.unified_diff(a, b, "a/f", "b/f", n=1))


def test_cli_diff_show_source_shows_the_fixed_line_its_locations_are_in(tmp_path):
    p = write(tmp_path, '[{"row_data": "%s", "global_key": "  bad"}]' % BAD_URL)
    r = run_cli("check", "--diff", "--show-source", p)
    fixed = '[{"row_data": "%s", "global_key": "  bad"}]' % GOOD_URL
    column = fixed.index('"  bad"') + 1
    assert f"{p}:1:{column}: K002" in r.stderr
    source, caret = r.stderr.splitlines()[1:3]
    assert source.startswith("1 | ") and caret.startswith("  | ")
    assert source[caret.index("^"):].startswith('"  bad"')  # the caret is under the key's value


def test_cli_fix_and_diff_stop_reading_an_endless_device_at_the_first_bad_byte():
    for mode in ("--fix", "--diff"):
        r = run_cli("check", mode, "/dev/zero")
        assert r.returncode == 1 and "J001" in r.stdout + r.stderr and "Traceback" not in r.stderr


def test_cli_fix_never_replaces_a_fifo_with_a_file(tmp_path):
    import threading

    fifo = tmp_path / "in.json"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as f:
            f.write(b'[{"row_data": "%s"}]' % BAD_URL.encode())

    threading.Thread(target=feed, daemon=True).start()
    r = run_cli("check", "--fix", fifo)
    assert "not a regular file, so never written" in r.stderr and "U001" in r.stdout
    assert os.path.exists(fifo) and not os.path.isfile(fifo)


def test_cli_fix_leaves_a_retired_text_type_alone_when_its_value_may_be_a_url(tmp_path):
    before = '[{"row_data": "https://e.com/a.jpg", "attachments": [{"type": "TEXT", "value": "https://e.com/x y.txt"}]}]'
    p = write(tmp_path, before)
    r = run_cli("check", "--fix", p)
    assert p.read_text() == before and r.returncode == 1
    assert "A002" in r.stdout and 'use "TEXT_URL" if it is the URL' in r.stdout
