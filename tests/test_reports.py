"""SARIF, JUnit, GitHub annotations and several reports in one run: outputs are parsed,
SARIF is validated against the official 2.1.0 schema, hostile values go through every format."""
import io
import json
import os
import re
import subprocess
import sys
import tracemalloc
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from util import rows
from validator.model import FileSummary, Finding, Related, Severity
from validator.report import Totals, reporter_class
from validator.report.github import escape_data, escape_property
from validator.report.safe import printable

URL = "https://example.com/a.jpg"
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
HOSTILE = "bad\n::error file=x.json::pwned\r%0A,:\x1b[2J\x00\x07\u202e\u2028\ud800\ufffe]]><&\"'"


def cli(*args, cwd=None, env=None):
    """`python -m validator ARGS` with the CI variables of the outer environment removed."""
    full = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE", "NO_COLOR")}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "validator", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=full, timeout=120)


@pytest.fixture
def repo(tmp_path):
    """A repository root (has .git) with data/ inside it."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "data").mkdir()
    return tmp_path


def validate_sarif(doc):
    jsonschema.Draft4Validator(SCHEMA).validate(doc)


def feed(fmt, findings, files, out=None, **options):
    """Run a reporter over findings grouped by file; returns its output."""
    out = out or io.StringIO()
    reporter = reporter_class(fmt)(out, **options)
    totals = Totals()
    reporter.start("9.9.9")
    for summary, items in files:
        for f in items:
            totals.by_code[f.code] = totals.by_code.get(f.code, 0) + 1
            reporter.finding(f)
        totals.add_file(summary)
        reporter.file_done(summary)
    reporter.finish(totals)
    return out.getvalue()


def finding(code="R002", severity=Severity.ERROR, message="msg", file="data/x.json", line=3, column=7, **kw):
    return Finding(code, "unknown-field", severity, file, kw.pop("row", 0), kw.pop("pointer", "/0/k"), line, column, message, **kw)


def summary(path, rows=1, errors=0, warnings=0, infos=0):
    return FileSummary(path, rows, errors, warnings, infos)


# -- SARIF ------------------------------------------------------------------------------------

def test_sarif_validates_and_points_at_findings(repo):
    bad = repo / "data" / "a.json"
    bad.write_text(rows({"row_data": URL + "#1"}, {"row_data": URL, "globalKey": "k"}, indent=1))
    r = cli("check", "--format", "sarif", "data/a.json", cwd=repo)
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    validate_sarif(doc)
    assert doc["version"] == "2.1.0" and "sarif" in doc["$schema"]
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "lbx-validate" and driver["version"] and driver["informationUri"].startswith("https://")
    from validator import rules as registry

    assert [d["id"] for d in driver["rules"]] == [rule.code for rule in registry.all_rules()]
    assert run["columnKind"] == "unicodeCodePoints"
    got = []
    for res in run["results"]:
        rule = driver["rules"][res["ruleIndex"]]
        assert rule["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": "data/a.json", "uriBaseId": "%SRCROOT%"}
        got.append((res["ruleId"], res["level"], loc["region"]["startLine"], loc["region"]["startColumn"]))
    assert got == [("U001", "error", 3, 15), ("R002", "error", 7, 3)]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"


def test_sarif_rules_carry_documentation():
    doc = json.loads(feed("sarif", [], [(summary("a.json"), [])]))
    validate_sarif(doc)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    u001 = rules["U001"]
    assert u001["name"] == "forbidden-url-character"
    assert u001["shortDescription"]["text"] == "A URL contains a character Labelbox does not support."
    assert u001["fullDescription"]["text"].startswith("Every URL in a row (`row_data`")
    assert u001["defaultConfiguration"]["level"] == "error"
    assert "Why it matters" in u001["help"]["text"]
    md = u001["help"]["markdown"]
    assert "**What it checks**" in md and "``row_data``" not in md and "(`row_data`," in md
    assert '**FAIL**\n\n```json\n[{"row_data": "https://example.com/images/cat#1.jpg"}]\n```' in md
    for rule in rules.values():
        assert rule["help"]["markdown"].count("```") % 2 == 0
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")


def test_sarif_related_location_for_duplicate_global_key(repo):
    (repo / "data" / "a.json").write_text(rows({"row_data": URL, "global_key": "k1"}))
    (repo / "data" / "b.json").write_text(rows({"row_data": URL, "global_key": "K1"}))
    r = cli("check", "--format", "sarif", "--select", "K001", "data/a.json", "data/b.json", cwd=repo)
    doc = json.loads(r.stdout)
    validate_sarif(doc)
    (res,) = doc["runs"][0]["results"]
    assert res["ruleId"] == "K001"
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "data/b.json"
    (rel,) = res["relatedLocations"]
    assert rel["physicalLocation"]["artifactLocation"]["uri"] == "data/a.json"
    # the checker does not locate the first use yet; when it does, the region is reported
    assert rel["physicalLocation"].get("region", {"startLine": 1, "startColumn": 45}) == {"startLine": 1, "startColumn": 45}
    assert "row 0" in rel["message"]["text"]


def test_sarif_file_outside_the_repository_gets_an_absolute_uri(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "x y.json"
    outside.write_text(rows({"row_data": URL + "#"}))
    r = cli("check", "--format", "sarif", outside, cwd=repo)
    doc = json.loads(r.stdout)
    validate_sarif(doc)
    art = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art == {"uri": outside.resolve().as_uri()} and "%20" in art["uri"]


def test_sarif_uses_github_workspace_as_root(repo):
    (repo / "data" / "a.json").write_text(rows({"row_data": URL + "#"}))
    r = cli("check", "--format", "sarif", repo / "data" / "a.json", cwd="/", env={"GITHUB_WORKSPACE": str(repo)})
    res = json.loads(r.stdout)["runs"][0]["results"][0]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "data/a.json"


def test_sarif_levels_and_file_level_findings():
    fs = [finding(severity=Severity.WARNING), finding("J002", severity=Severity.INFO, line=None, column=None, row=None, pointer="")]
    doc = json.loads(feed("sarif", fs, [(summary("data/x.json", warnings=1, infos=1), fs)]))
    validate_sarif(doc)
    a, b = doc["runs"][0]["results"]
    assert a["level"] == "warning" and b["level"] == "note"
    assert b["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}  # GitHub needs a line


# -- JUnit ------------------------------------------------------------------------------------

def test_junit_one_suite_per_file_one_case_per_finding(write, tmp_path):
    bad = write(rows({"row_data": URL + "#1"}, {"row_data": URL, "globalKey": "k"}), "bad.json")
    good = write(rows({"row_data": URL}), "good.json")
    r = cli("check", "--format", "junit", bad, good)
    assert r.returncode == 1
    root = ET.fromstring(r.stdout)
    assert root.tag == "testsuites" and root.get("tests") == "3" and root.get("failures") == "2"
    s_bad, s_good = root.findall("testsuite")
    assert (s_bad.get("name"), s_bad.get("tests"), s_bad.get("failures")) == (str(bad), "2", "2")
    cases = s_bad.findall("testcase")
    assert [c.find("failure").get("type") for c in cases] == ["U001", "R002"]
    assert cases[0].get("line") == "1" and cases[0].get("name") == "U001 /0/row_data (1:15)"
    assert "#" in cases[0].find("failure").get("message")
    assert (s_good.get("tests"), s_good.get("failures")) == ("1", "0")
    (ok,) = s_good.findall("testcase")
    assert ok.find("failure") is None and "no findings" in ok.get("name")


def test_junit_info_findings_pass():
    fs = [finding(severity=Severity.INFO, message="just so you know")]
    root = ET.fromstring(feed("junit", fs, [(summary("a.json", infos=1), fs)]))
    (case,) = root.iter("testcase")
    assert case.find("failure") is None and "just so you know" in case.find("system-out").text
    assert root.get("failures") == "0"


def test_junit_hostile_values_stay_well_formed_xml():
    fs = [finding(message=HOSTILE, file=HOSTILE, pointer="/0/" + HOSTILE)]
    text = feed("junit", fs, [(summary(HOSTILE, errors=1), fs)])
    assert text.isascii()
    root = ET.fromstring(text.encode("ascii"))  # raises on anything XML 1.0 cannot hold
    failure = next(root.iter("failure"))
    message = failure.get("message")
    assert "\x1b" not in message and "\x00" not in message and "\n" not in message
    assert message == printable(HOSTILE).replace("\ufffe", "\ufffd")
    assert next(root.iter("testsuite")).get("name") == message


# -- GitHub annotations -----------------------------------------------------------------------

def _unescape(text):
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_github_annotation_format(repo):
    (repo / "data" / "a.json").write_text(rows({"row_data": URL + "#1"}, {"row_data": URL, "globalKey": "k"}, indent=1))
    r = cli("check", "--format", "github", "data/a.json", cwd=repo)
    lines = r.stdout.splitlines()
    assert lines[0].startswith("::error file=data/a.json,line=3,col=15,title=U001::URL contains '#'")
    assert lines[1].startswith("::error file=data/a.json,line=7,col=3,title=R002::unknown data-row field 'globalKey'")
    assert lines[2] == "lbx-validate: Found 2 errors, 0 warnings in 1 file (2 rows)."


def test_github_is_auto_selected_on_actions_only(write):
    p = write(rows({"row_data": URL + "#1"}))
    assert cli("check", p, env={"GITHUB_ACTIONS": "true"}).stdout.startswith("::error file=")
    assert cli("check", p).stdout.startswith(f"{p}:1:15: U001")
    assert cli("check", "--format", "text", p, env={"GITHUB_ACTIONS": "true"}).stdout.startswith(f"{p}:1:15: U001")


def test_github_levels():
    fs = [finding(severity=Severity.WARNING), finding(severity=Severity.INFO), finding(line=None, column=None)]
    lines = feed("github", fs, [(summary("data/x.json"), fs)]).splitlines()
    assert lines[0].startswith("::warning file=data/x.json,line=3,col=7,title=R002::")
    assert lines[1].startswith("::notice ")
    assert lines[2].startswith("::error file=data/x.json,title=R002::")


def test_github_hostile_values_never_start_a_command():
    fs = [finding(message=HOSTILE, file=HOSTILE, pointer="/" + HOSTILE)]
    text = feed("github", fs, [(summary(HOSTILE, errors=1), fs)])
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == 3, lines
    command, summary_line = lines[0], lines[1]
    assert "\r" not in text and "\x1b" not in text and "\u2028" not in text
    assert summary_line.startswith("lbx-validate: Found")
    m = re.fullmatch(r"::error ([^:]*)::(.*)", command)
    assert m, command
    props = dict(p.split("=", 1) for p in m.group(1).split(","))
    assert set(props) == {"file", "line", "col", "title"}
    assert _unescape(props["file"]) == printable(HOSTILE)
    assert _unescape(m.group(2)).startswith(printable(HOSTILE))


def test_github_hostile_key_through_the_cli(write):
    p = write('[{"row_data": "%s", "x\\n::error file=y::pwned\\r\\n::warning::": 1}]' % URL)
    r = cli("check", "--format", "github", p)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert len(lines) == 2 and lines[1].startswith("lbx-validate: Found 1 error")
    # properties hold no ':' at all, so the runner's first '::' after the command is ours
    assert re.fullmatch(r"::error [^:]*,title=R002::unknown data-row field 'x\\n::error file=y::pwned\\r\\n::warning::'.*", lines[0])


def test_github_escaping_functions():
    assert escape_data("50% a\r\nb") == "50%25 a\\r\\nb"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


# -- several reports in one run, --output -----------------------------------------------------

def test_sarif_and_junit_in_one_run_and_text_to_stdout(write, tmp_path):
    p = write(rows({"row_data": URL + "#1"}))
    sarif, junit = tmp_path / "a.sarif", tmp_path / "a.xml"
    r = cli("check", "--format", "sarif", "-o", sarif, "--format", "junit", "--output", junit, "--format", "text", p)
    assert r.returncode == 1, r.stderr
    assert r.stdout.startswith(f"{p}:1:15: U001")
    validate_sarif(json.loads(sarif.read_text()))
    assert ET.parse(junit).getroot().get("failures") == "1"


def test_format_output_pairs_follow_the_command_line_order(write, tmp_path):
    p = write(rows({"row_data": URL + "#1"}))
    sarif = tmp_path / "a.sarif"
    r = cli("check", "--format", "json", "--format", "sarif", "-o", sarif, p)
    assert json.loads(r.stdout)["version"] == 1
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    r = cli("check", "-o", sarif, "--format", "sarif", "--format", "junit", p)
    assert ET.fromstring(r.stdout).tag == "testsuites"
    assert json.loads(sarif.read_text())["version"] == "2.1.0"


def test_output_without_format_writes_the_default_format(write, tmp_path):
    p = write(rows({"row_data": URL + "#1"}))
    out = tmp_path / "report.txt"
    r = cli("check", "-o", out, p)
    assert r.returncode == 1 and r.stdout == ""
    assert out.read_text().startswith(f"{p}:1:15: U001")


def test_dash_output_is_standard_output(write, tmp_path):
    p = write(rows({"row_data": URL + "#1"}))
    r = cli("check", "--format", "sarif", "-o", tmp_path / "a.sarif", "--format", "json", "-o", "-", p, cwd=tmp_path)
    assert json.loads(r.stdout)["version"] == 1 and not (tmp_path / "-").exists()
    assert json.loads((tmp_path / "a.sarif").read_text())["version"] == "2.1.0"


@pytest.mark.parametrize("args, says", [
    (["--format", "json", "--format", "sarif"], "only one report can go to standard output"),
    (["--format", "json", "-o", "a", "-o", "b"], "more --output than --format"),
    (["--format", "json", "-o", "a", "--format", "sarif", "-o", "a"], "same --output file"),
])
def test_report_option_mistakes_are_usage_errors(write, tmp_path, args, says):
    p = write(rows({"row_data": URL}))
    r = cli("check", *args, p, cwd=tmp_path)
    assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr


# -- every format with hostile input, through the CLI ------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_hostile_input_in_every_format(write, fmt):
    key = "k\\u001b[2J\\n::error::x\\u202e\\u0000]]><&"
    p = write('[{"row_data": "%s", "%s": 1}]' % (URL, key))
    r = cli("check", "--format", fmt, "--color", "always", p)
    assert r.returncode == 1, r.stderr
    out = r.stdout
    assert "\x00" not in out and "\u202e" not in out and "\x1b[2J" not in out
    if fmt == "json":
        assert json.loads(out)["findings"][0]["code"] == "R002"
    elif fmt == "sarif":
        validate_sarif(json.loads(out))
    elif fmt == "junit":
        ET.fromstring(out)
    elif fmt == "github":
        assert [l[:9] for l in out.splitlines()] == ["::error f", "lbx-valid"]
    else:
        assert "\\e[2J" in out and "\\n::error::x\\u202e\\x00" in out


# -- memory does not grow with the number of findings ------------------------------------------

class _Sink(io.TextIOBase):
    def write(self, s):
        return len(s)


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "json", "text"])
def test_reporters_stream_findings(fmt):
    """Peak memory for 12,000 findings is not much above that for 1,000: findings are not kept
    (each distinct finding is ~500 bytes, so keeping 11,000 more would cost over 5 MB)."""
    def peak(n):
        reporter = reporter_class(fmt)(_Sink())
        reporter.start("1")
        related = Related("a.json", 0, "/0/global_key", 1, 2)
        tracemalloc.start()
        for i in range(n):
            reporter.finding(finding(message=f"{i:08d}" + "m" * 200, pointer=f"/{i}/k", row=i, related=related))
        reporter.file_done(summary("data/x.json", errors=n))
        reporter.finish(Totals())
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return top

    small, big = peak(1_000), peak(12_000)
    assert big < small + 2_500_000, (small, big)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_xml_text_is_ascii_xml_and_works_character_by_character(a, b):
    # the JUnit writer escapes a message once and reuses it inside longer texts
    from validator.report.junit import xml_text

    assert xml_text(a + b) == xml_text(a) + xml_text(b)
    escaped = xml_text(a)
    assert escaped.isascii()
    assert ET.fromstring(f'<x a="{escaped}">{escaped}</x>').get("a") == ET.fromstring(f"<x>{escaped}</x>").text or not escaped
