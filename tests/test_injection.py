"""Never inject: hostile values from the input through every report format.

Input values reach terminals, CI logs, XML and JSON. Each format in
validator.report.FORMATS is fed a file whose keys, values and very name carry
terminal escapes, workflow commands, XML breakers, bidi overrides, NUL and lone
surrogates; the output is parsed the way its consumer would parse it.
"""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from validator.report import FORMATS

HOSTILE = [
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\",
    "\r\n::error file=evil.json,line=1::injected",
    "\n::add-mask::secret",
    "::stop-commands::token",
    "\u202eevil\u202c",
    "\u2028\u2029",
    "</failure></testcase><testcase name='x'>",
    "]]><![CDATA[",
    "&amp;&#0;&lt;",
    "\x00\x01\x08\x0b\x7f\x9b",
    "%0A::error::encoded",
    "\ufeff\ufffe\uffff",
]


def hostile_import():
    rows = []
    for i, h in enumerate(HOSTILE):
        rows.append({
            "row_data": "https://a.com/x.jpg",
            "global_key": "dup" + h,  # K001 quotes the key
            "media_type": "IMG" + h,  # R005 quotes the value
            h + "key": 1,  # R002 quotes the field name
        })
        rows.append({"row_data": "https://a.com/y.jpg", "global_key": "dup" + h})
    text = json.dumps(rows, ensure_ascii=False)
    # lone surrogates can only be written as escapes
    text = text[:-1] + ', {"row_data": "https://a.com/\\ud800.jpg", "global_key": "\\udfff", "\\ud83dx": 1}]'
    return text.encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    p = d / "in\x1b[2J\n::error::name\u202e.json"
    p.write_bytes(hostile_import())
    return p


def run(fmt, path):
    r = subprocess.run([sys.executable, "-m", "validator", "check", "--format", fmt, str(path)],
                       capture_output=True, timeout=120, cwd=path.parent)
    assert r.returncode == 1, (r.returncode, r.stderr[-1000:])
    assert b"Traceback" not in r.stderr
    return r.stdout.decode("utf-8")  # strict: the output is valid UTF-8


def test_every_format_is_covered():
    assert {"text", "json"} <= set(FORMATS)


_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_raw_control_or_bidi_characters_in_any_format(hostile_file, fmt):
    out = run(fmt, hostile_file)
    assert not _RAW_CONTROL.search(out), repr(_RAW_CONTROL.search(out).group())
    assert "\r" not in out


def test_text_one_line_per_finding_escapes_shown(hostile_file):
    out = run("text", hostile_file)
    assert "\\e[31m" in out or "\\x1b[31m" in out  # shown, not obeyed
    for line in out.splitlines():
        assert not line.startswith("::")


def test_json_is_valid_and_keeps_values_recognisable(hostile_file):
    doc = json.loads(run("json", hostile_file))
    codes = {f["code"] for f in doc["findings"]}
    assert {"K001", "R002", "R005"} <= codes
    assert doc["summary"]["errors"] == len([f for f in doc["findings"] if f["severity"] == "error"])


@pytest.mark.skipif("sarif" not in FORMATS, reason="no SARIF reporter")
def test_sarif_is_valid_json(hostile_file):
    doc = json.loads(run("sarif", hostile_file))
    assert doc["runs"][0]["results"]


@pytest.mark.skipif("junit" not in FORMATS, reason="no JUnit reporter")
def test_junit_is_well_formed_xml_1_0(hostile_file):
    out = run("junit", hostile_file)
    root = ET.fromstring(out.encode("utf-8"))
    assert root.iter("testcase")
    # no character XML 1.0 cannot hold, even escaped as a character reference
    assert not re.search(r"&#x?0*(?:[0-8bcef]|1[0-9a-f]|0?[bc]);", out, re.I)


@pytest.mark.skipif("github" not in FORMATS, reason="no GitHub reporter")
def test_github_no_value_starts_a_workflow_command(hostile_file):
    out = run("github", hostile_file)
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert commands
    for line in commands:
        assert re.match(r"::(error|warning|notice) file=[^:\n]*::", line), line
    assert not re.search(r"(^|\n)::(add-mask|stop-commands|error::name)", out)


def test_json_report_of_a_lone_surrogate_value_is_ascii_and_parses(hostile_file):
    out = run("json", hostile_file)
    json.loads(out)
    out.encode("ascii")
