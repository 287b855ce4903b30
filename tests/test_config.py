"""Configuration through the CLI: discovery, selection, severity, per-file-ignores, exit codes, errors."""
import datetime as dt
import json
import os

import pytest

from util import run_cli
from validator import config
from validator.config import ConfigError, Settings, load, parse_duration, resolve

BAD_URL_ROW = '{"row_data": "https://example.com/a b.jpg", "global_key": "g1"}'  # U001 error at 1:15
OTHER_BAD_URL_ROW = BAD_URL_ROW.replace("g1", "g2")  # the same, with another global key (no cross-file K001)
NO_KEY_ROW = '{"row_data": "https://example.com/ok.jpg"}'  # K005 (opt-in) when selected
BOM = "\ufeff"


def make(tmp_path, files):
    for name, content in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return tmp_path


def check(cwd, *args):
    """(exit code, [(code, severity, pointer, line, column)], stderr) of `check --format json`."""
    r = run_cli("check", "--format", "json", *args, cwd=cwd)
    found = []
    if r.stdout.strip():
        found = [(f["code"], f["severity"], f["pointer"], f["line"], f["column"]) for f in json.loads(r.stdout)["findings"]]
    return r.returncode, found, r.stderr


U001 = ("U001", "error", "/0/row_data", 1, 15)


# -- discovery -----------------------------------------------------------------------------------


def test_no_config_reports_u001(tmp_path):
    make(tmp_path, {"a.json": f"[{BAD_URL_ROW}]"})
    assert check(tmp_path, "a.json")[:2] == (1, [U001])


def test_lbx_validate_toml_in_cwd(tmp_path):
    make(tmp_path, {"a.json": f"[{BAD_URL_ROW}]", ".lbx-validate.toml": 'ignore = ["U001"]\n'})
    assert check(tmp_path, "a.json")[:2] == (0, [])


def test_pyproject_table_found_from_a_subdirectory(tmp_path):
    make(tmp_path, {"pyproject.toml": '[project]\nname = "x"\n[tool.lbx-validate]\nignore = ["U001"]\n',
                    "sub/deeper/a.json": f"[{BAD_URL_ROW}]"})
    assert check(tmp_path / "sub" / "deeper", "a.json")[:2] == (0, [])


def test_pyproject_without_the_table_is_skipped(tmp_path):
    make(tmp_path, {".lbx-validate.toml": 'ignore = ["U001"]\n', "sub/pyproject.toml": '[tool.black]\nline-length = 100\n',
                    "sub/a.json": f"[{BAD_URL_ROW}]"})
    assert check(tmp_path / "sub", "a.json")[:2] == (0, [])


def test_first_config_wins_and_is_not_merged(tmp_path):
    # the nearer file wins outright: the parent's ignore does not apply
    make(tmp_path, {".lbx-validate.toml": 'ignore = ["U001"]\n', "sub/.lbx-validate.toml": 'extend-select = ["K005"]\n',
                    "sub/a.json": f"[{BAD_URL_ROW}, {NO_KEY_ROW}]"})
    code, found, _ = check(tmp_path / "sub", "a.json")
    assert code == 1
    assert [f[0] for f in found] == ["U001", "K005"]


def test_lbx_validate_toml_beats_pyproject_in_the_same_directory(tmp_path):
    make(tmp_path, {".lbx-validate.toml": "select = [\"J\"]\n", "pyproject.toml": '[tool.lbx-validate]\nselect = ["U"]\n',
                    "a.json": f"[{BAD_URL_ROW}]"})
    assert check(tmp_path, "a.json")[:2] == (0, [])


def test_config_option_and_isolated(tmp_path):
    make(tmp_path, {"cfg/mine.toml": 'ignore = ["U001"]\n', ".lbx-validate.toml": 'select = ["nonsense-rule"]\n',
                    "a.json": f"[{BAD_URL_ROW}]"})
    assert check(tmp_path, "--config", "cfg/mine.toml", "a.json")[:2] == (0, [])
    assert check(tmp_path, "--isolated", "a.json")[:2] == (1, [U001])
    code, _, err = check(tmp_path, "a.json")  # the discovered file is broken
    assert code == 2 and ".lbx-validate.toml: select: unknown rule 'nonsense-rule'" in err


def test_missing_config_file_is_exit_2(tmp_path):
    make(tmp_path, {"a.json": f"[{BAD_URL_ROW}]"})
    code, _, err = check(tmp_path, "--config", "nope.toml", "a.json")
    assert code == 2 and "nope.toml: config file not found" in err


def test_explicit_pyproject_without_the_table_is_exit_2(tmp_path):
    make(tmp_path, {"a.json": f"[{BAD_URL_ROW}]", "pyproject.toml": "[tool.black]\n"})
    code, _, err = check(tmp_path, "--config", "pyproject.toml", "a.json")
    assert code == 2 and "pyproject.toml: has no [tool.lbx-validate] table" in err


def test_lbx_validate_toml_holding_only_the_pyproject_table_is_read(tmp_path):
    make(tmp_path, {".lbx-validate.toml": '[tool.lbx-validate]\nignore = ["U001"]\n', "a.json": f"[{BAD_URL_ROW}]"})
    assert check(tmp_path, "a.json")[:2] == (0, [])


@pytest.mark.parametrize("toml,key", [
    ('ignore = ["U001"]\n[tool.lbx-validate]\nselect = ["U"]\n', "ignore"),
    ('[tool.lbx-validate]\nselect = ["U"]\n[severity]\nU001 = "info"\n', "severity"),
])
def test_top_level_settings_beside_the_table_are_exit_2(tmp_path, toml, key):
    # documented: .lbx-validate.toml holds its settings at the top level; half there and half in
    # [tool.lbx-validate] used to drop the top-level ones silently
    make(tmp_path, {".lbx-validate.toml": toml, "a.json": f"[{BAD_URL_ROW}]"})
    code, found, err = check(tmp_path, "a.json")
    assert code == 2 and found == [] and "Traceback" not in err
    assert f".lbx-validate.toml: {key}: a top-level setting beside a [tool.lbx-validate] table" in err, err
    with pytest.raises(ConfigError, match=f"{key}: a top-level setting"):
        load(tmp_path / ".lbx-validate.toml")


@pytest.mark.parametrize("name", ["lbx_validate", "lbx-validator", "lbxvalidate", "LBX-Validate", "lbx-validation", "lbx.validate"])
def test_misspelt_pyproject_table_is_exit_2_with_a_suggestion(tmp_path, name):
    table = f'"{name}"' if "." in name else name
    make(tmp_path, {"pyproject.toml": f'[project]\nname = "x"\n[tool.{table}]\nignore = ["U001"]\n',
                    "sub/a.json": f"[{BAD_URL_ROW}]"})
    code, found, err = check(tmp_path / "sub", "a.json")  # found by discovery, not passed over
    assert code == 2 and found == [] and "Traceback" not in err
    assert "pyproject.toml: [tool." in err and "did you mean [tool.lbx-validate]?" in err, err
    code, _, err = check(tmp_path, "--config", "pyproject.toml", "sub/a.json")
    assert code == 2 and "pyproject.toml: [tool." in err and "did you mean [tool.lbx-validate]?" in err, err


def test_misspelt_table_in_lbx_validate_toml_is_exit_2_with_a_suggestion(tmp_path):
    make(tmp_path, {".lbx-validate.toml": '[tool.lbx_validate]\nignore = ["U001"]\n', "a.json": f"[{BAD_URL_ROW}]"})
    code, _, err = check(tmp_path, "a.json")
    assert code == 2 and ".lbx-validate.toml: [tool.lbx_validate] is not a table" in err and "did you mean [tool.lbx-validate]?" in err


@pytest.mark.parametrize("other", ["black", "validate", "validator", "lbx"])
def test_pyproject_with_other_tools_tables_is_still_passed_over(tmp_path, other):
    make(tmp_path, {".lbx-validate.toml": 'ignore = ["U001"]\n', f"sub/pyproject.toml": f'[tool.{other}]\nx = 1\n',
                    "sub/a.json": f"[{BAD_URL_ROW}]"})
    assert check(tmp_path / "sub", "a.json")[:2] == (0, [])


def test_a_lookalike_table_beside_the_real_one_is_not_an_error(tmp_path):
    make(tmp_path, {"pyproject.toml": '[tool.lbx-validate]\nignore = ["U001"]\n[tool.lbx-validator-plugin]\nx = 1\n',
                    "a.json": f"[{BAD_URL_ROW}]"})
    assert check(tmp_path, "a.json")[:2] == (0, [])


# -- malformed configuration: exit 2 naming the file, the key and the problem -----------------------


@pytest.mark.parametrize("toml,expected", [
    ('select = ["U001", "X999"]\n', "select: unknown rule 'X999'"),
    ('ignore = ["forbiden-url-character"]\n', "ignore: unknown rule 'forbiden-url-character': did you mean 'forbidden-url-character'?"),
    ('extend-select = ["Q"]\n', "extend-select: unknown rule 'Q'"),
    ('extend_select = ["K005"]\n', "unknown key 'extend_select': did you mean 'extend-select'?"),
    ("select = 3\n", "select must be a list of strings, not a number"),
    ('select = ["U", 1]\n', "select must be a list of strings, not a list with a non-string item"),
    ('severity = { U001 = "fatal" }\n', "severity.U001: 'fatal' is not a severity"),
    ('severity = { X001 = "error" }\n', "severity.X001: unknown rule 'X001'"),
    ('severity = "error"\n', "severity must be a table, not a string"),
    ('[per-file-ignores]\n"legacy/*.json" = ["U0O1"]\n', "per-file-ignores.\"legacy/*.json\": unknown rule 'U0O1'"),
    ('signed-url-min-validity = "-3d"\n', "signed-url-min-validity: '-3d' is not a duration"),
    ("signed-url-min-validity = nan\n", "signed-url-min-validity: nan is not a duration"),
    ('signed-url-min-validity = "99999999999999d"\n', "too long a duration"),
    ("max-rows = 0\n", "max-rows must be a positive integer, not 0"),
    ("max-metadata-rows = true\n", "max-metadata-rows must be a positive integer, not True"),
    ("jobs = 0\n", "jobs must be a positive integer, not 0"),
    ('metadata-schema = 5\n', "metadata-schema must be a file path string"),
    ('[integrations]\nprod = ["acme-bucket"]\n', "integrations.prod: 'acme-bucket' is not a location prefix"),
    ("select = [\n", "not valid TOML"),
])
def test_malformed_configuration_is_exit_2_naming_file_and_key(tmp_path, toml, expected):
    make(tmp_path, {".lbx-validate.toml": toml, "a.json": f"[{BAD_URL_ROW}]"})
    code, found, err = check(tmp_path, "a.json")
    assert code == 2 and found == []
    assert err.startswith("lbx-validate: error: ")
    assert ".lbx-validate.toml" in err and expected in err, err
    assert "Traceback" not in err


def test_config_that_is_not_utf8_is_exit_2(tmp_path):
    make(tmp_path, {".lbx-validate.toml": b'ignore = ["U001"] # caf\xe9\n', "a.json": f"[{BAD_URL_ROW}]"})
    code, _, err = check(tmp_path, "a.json")
    assert code == 2 and "not UTF-8" in err and "Traceback" not in err


def test_pyproject_errors_name_the_table(tmp_path):
    make(tmp_path, {"pyproject.toml": '[tool.lbx-validate]\nselec = ["U"]\n', "a.json": f"[{BAD_URL_ROW}]"})
    code, _, err = check(tmp_path, "a.json")
    assert code == 2 and "pyproject.toml: unknown key 'selec': did you mean 'select'?" in err


@pytest.mark.parametrize("args,expected", [
    (["--select", "U001,NOPE"], "--select: unknown rule 'NOPE'"),
    (["--ignore", "X"], "--ignore: unknown rule 'X'"),
    (["--extend-select", "K099"], "--extend-select: unknown rule 'K099'"),
    (["--signed-url-min-validity", "soon"], "--signed-url-min-validity: 'soon' is not a duration"),
    (["--now", "yesterday"], "--now: 'yesterday' is not an ISO 8601 date-time"),
    (["--input-format", "xml"], "Invalid value for '--input-format'"),
])
def test_bad_cli_options_are_exit_2_naming_the_option(tmp_path, args, expected):
    make(tmp_path, {"a.json": f"[{BAD_URL_ROW}]", ".lbx-validate.toml": 'ignore = ["J003"]\n'})
    code, _, err = check(tmp_path, *args, "a.json")
    assert code == 2 and expected in err, err


# -- selection ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("args,expected", [
    (["--ignore", "U001"], []),
    (["--ignore", "forbidden-url-character"], []),
    (["--ignore", "U"], []),
    (["--select", "J,K"], []),
    (["--select", "U"], [U001]),
    (["--select", "forbidden-url-character"], [U001]),
    (["--select", "M"], []),  # a family is a valid selector even when it finds nothing here
])
def test_codes_names_and_families_are_interchangeable(tmp_path, args, expected):
    make(tmp_path, {"a.json": f"[{BAD_URL_ROW}]"})
    assert check(tmp_path, "--isolated", *args, "a.json")[1] == expected


@pytest.mark.parametrize("args,fires", [
    ([], False),
    (["--select", "ALL"], False),
    (["--select", "K"], False),
    (["--extend-select", "K005"], True),
    (["--extend-select", "missing-global-key"], True),
    (["--select", "K005"], True),
])
def test_opt_in_rules_only_when_named(tmp_path, args, fires):
    make(tmp_path, {"a.json": f"[{NO_KEY_ROW}]"})
    found = check(tmp_path, "--isolated", *args, "a.json")[1]
    assert any(f[0] == "K005" for f in found) is fires


def test_opt_in_rule_named_in_config(tmp_path):
    make(tmp_path, {"a.json": f"[{NO_KEY_ROW}]", ".lbx-validate.toml": 'extend-select = ["K005"]\n'})
    assert [f[0] for f in check(tmp_path, "a.json")[1]] == ["K005"]


def test_cli_ignore_adds_to_the_config_ignore(tmp_path):
    make(tmp_path, {"a.json": f"[{BAD_URL_ROW}, {NO_KEY_ROW}]",
                    ".lbx-validate.toml": 'extend-select = ["K005"]\nignore = ["U001"]\n'})
    assert [f[0] for f in check(tmp_path, "a.json")[1]] == ["K005"]
    assert check(tmp_path, "--ignore", "K005", "a.json")[:2] == (0, [])


# -- severity and exit codes -------------------------------------------------------------------------


def test_severity_override_changes_the_exit_code(tmp_path):
    make(tmp_path, {"a.json": f"[{BAD_URL_ROW}]", ".lbx-validate.toml": 'severity = { U001 = "warning" }\n'})
    assert check(tmp_path, "a.json")[:2] == (0, [("U001", "warning", "/0/row_data", 1, 15)])
    assert check(tmp_path, "--strict", "a.json")[0] == 1


def test_severity_by_name_and_family_and_upgrading_a_warning(tmp_path):
    make(tmp_path, {"a.json": BOM + f"[{BAD_URL_ROW}]",
                    ".lbx-validate.toml": '[severity]\nforbidden-url-character = "info"\nJ = "error"\n'})
    code, found, _ = check(tmp_path, "a.json")
    assert code == 1
    assert found == [("J003", "error", "", 1, 1), ("U001", "info", "/0/row_data", 1, 15)]


@pytest.mark.parametrize("lines,u001,u002", [
    (['U001 = "warning"', 'U = "info"'], "warning", "info"),  # the code beats its family
    (['forbidden-url-character = "warning"', 'U = "info"'], "warning", "info"),  # a name is as specific as a code
    (['U00 = "warning"', 'U = "info"'], "warning", "warning"),  # a longer prefix beats a shorter one
    (['U001 = "info"', 'U00 = "warning"', 'U = "error"', 'ALL = "info"'], "info", "warning"),
    (['U = "warning"', 'ALL = "info"'], "warning", "warning"),  # a family beats ALL
    (['U001 = "warning"', 'forbidden-url-character = "warning"', 'U = "info"'], "warning", "info"),  # agreeing equals
])
@pytest.mark.parametrize("order", ["as written", "reversed"])
def test_the_most_specific_severity_key_wins_whatever_the_order(tmp_path, lines, u001, u002, order):
    lines = lines if order == "as written" else lines[::-1]
    make(tmp_path, {"a.json": f"[{BAD_URL_ROW}]", ".lbx-validate.toml": "[severity]\n" + "\n".join(lines) + "\n"})
    code, found, err = check(tmp_path, "a.json")
    assert (code, found) == (0, [("U001", u001, "/0/row_data", 1, 15)]), err
    sev = dict(load(tmp_path / ".lbx-validate.toml").severity)
    assert (sev["U001"].value, sev["U002"].value) == (u001, u002)


@pytest.mark.parametrize("lines", [
    ['U001 = "warning"', 'forbidden-url-character = "info"'],
    ['forbidden-url-character = "info"', 'U001 = "warning"'],
    ['U = "info"', 'u = "warning"', 'U001 = "error"'],  # the clash is on the other U rules
    ['U001 = "error"', 'u = "warning"', 'U = "info"'],
])
def test_equally_specific_severity_keys_that_disagree_are_exit_2(tmp_path, lines):
    make(tmp_path, {"a.json": f"[{BAD_URL_ROW}]", ".lbx-validate.toml": "[severity]\n" + "\n".join(lines) + "\n"})
    code, found, err = check(tmp_path, "a.json")
    assert code == 2 and found == [] and "Traceback" not in err
    assert ".lbx-validate.toml: severity." in err and "conflicts with severity." in err, err


def test_severity_applies_to_source_findings(tmp_path):
    make(tmp_path, {"a.json": BOM + "[]", ".lbx-validate.toml": 'severity = { J008 = "info", utf8-bom = "info" }\n'})
    code, found, _ = check(tmp_path, "--strict", "a.json")
    assert code == 0 and {f[1] for f in found} == {"info"}


def test_strict_and_exit_zero(tmp_path):
    make(tmp_path, {"warn.json": BOM + f'[{NO_KEY_ROW}]', "err.json": f"[{BAD_URL_ROW}]"})
    assert check(tmp_path, "--isolated", "warn.json")[0] == 0
    assert check(tmp_path, "--isolated", "--strict", "warn.json")[0] == 1
    assert check(tmp_path, "--isolated", "--exit-zero", "err.json")[0] == 0
    assert check(tmp_path, "--isolated", "--exit-zero", "--strict", "err.json", "warn.json")[0] == 0


# -- per-file-ignores ----------------------------------------------------------------------------------


def test_per_file_ignores_glob(tmp_path):
    make(tmp_path, {"legacy/old.json": f"[{BAD_URL_ROW}]", "new/a.json": f"[{OTHER_BAD_URL_ROW}]",
                    ".lbx-validate.toml": '[per-file-ignores]\n"legacy/*.json" = ["U"]\n'})
    r = run_cli("check", "--format", "json", "legacy/old.json", "new/a.json", cwd=tmp_path)
    assert r.returncode == 1
    assert [(f["file"], f["code"]) for f in json.loads(r.stdout)["findings"]] == [("new/a.json", "U001")]


def test_per_file_ignores_are_relative_to_the_config_file(tmp_path):
    make(tmp_path, {"legacy/old.json": f"[{BAD_URL_ROW}]", "pyproject.toml":
                    '[tool.lbx-validate.per-file-ignores]\n"legacy/*.json" = ["forbidden-url-character"]\n'})
    assert check(tmp_path / "legacy", "old.json")[:2] == (0, [])  # run from inside legacy/
    assert check(tmp_path, "./legacy/old.json")[:2] == (0, [])
    assert check(tmp_path, str(tmp_path / "legacy" / "old.json"))[:2] == (0, [])


def test_per_file_ignores_by_file_name_and_double_star(tmp_path):
    make(tmp_path, {"a/b/c.json": f"[{BAD_URL_ROW}]", "a/b/d.json": f"[{OTHER_BAD_URL_ROW}]",
                    ".lbx-validate.toml": '[per-file-ignores]\n"c.json" = ["U001"]\n"**/d.json" = ["U001"]\n'})
    assert check(tmp_path, "a/b/c.json", "a/b/d.json")[:2] == (0, [])


# -- limits and paths ----------------------------------------------------------------------------------


def test_max_rows_from_config_and_cli(tmp_path):
    rows = ", ".join(f'{{"row_data": "https://example.com/{i}.jpg", "global_key": "k{i}"}}' for i in range(3))
    make(tmp_path, {"a.json": f"[{rows}]", ".lbx-validate.toml": "max-rows = 2\n"})
    code, found, _ = check(tmp_path, "--strict", "a.json")
    assert code == 1 and [f[:3] for f in found] == [("L001", "warning", "/2")]
    assert check(tmp_path, "--strict", "--max-rows", "3", "a.json")[:2] == (0, [])


def test_jobs_from_config_and_cli(tmp_path, monkeypatch):
    from validator import cli

    seen = []
    real = cli._fixing
    monkeypatch.setattr(cli, "_fixing", lambda *a, jobs=None, **kw: seen.append(jobs) or real(*a, jobs=jobs, **kw))
    make(tmp_path, {"a.json": '[{"row_data": "https://example.com/a.jpg"}]', ".lbx-validate.toml": "jobs = 3\n"})
    monkeypatch.chdir(tmp_path)
    for args in (["a.json"], ["--jobs", "1", "a.json"], ["--isolated", "a.json"]):
        try:
            cli.main(["check", "--quiet", *args])
        except SystemExit:
            pass
    assert seen == [3, 1, None]


def test_file_paths_are_relative_to_the_config_file(tmp_path):
    make(tmp_path, {"conf/.lbx-validate.toml": 'metadata-schema = "schema.json"\nexisting-keys = "../keys.txt"\n'})
    s = load(tmp_path / "conf" / ".lbx-validate.toml")
    assert s.metadata_schema == str((tmp_path / "conf" / "schema.json").resolve())
    assert os.path.normpath(s.existing_keys) == str((tmp_path / "keys.txt").resolve())


def test_every_documented_key_is_accepted(tmp_path):
    make(tmp_path, {".lbx-validate.toml": """
select = ["ALL"]
ignore = ["U003"]
extend-select = ["K005"]
metadata-schema = "schema.json"
existing-keys = "keys.txt"
signed-url-min-validity = "36h"
max-rows = 100000
max-metadata-rows = 20000

[per-file-ignores]
"legacy/*.json" = ["U001", "R"]

[severity]
K006 = "error"

[integrations]
prod-s3 = ["s3://acme-images", "https://cdn.acme.com/private/"]
"""})
    s = load(tmp_path / ".lbx-validate.toml")
    assert s.signed_url_min_validity == dt.timedelta(hours=36)
    assert (s.max_rows, s.max_metadata_rows) == (100000, 20000)
    assert s.integration_map == {"prod-s3": ("s3://acme-images", "https://cdn.acme.com/private/")}
    assert dict(s.severity)["K006"].value == "error"
    sel = resolve(s)
    assert "K005" in sel.enabled and "U003" not in sel.enabled
    assert "U001" not in sel.for_file(str(tmp_path / "legacy" / "x.json"))
    assert "U001" in sel.for_file(str(tmp_path / "x.json"))


@pytest.mark.parametrize("text,expected", [
    ("7d", dt.timedelta(days=7)), ("36h", dt.timedelta(hours=36)), ("90m", dt.timedelta(minutes=90)),
    ("3600s", dt.timedelta(hours=1)), ("2w", dt.timedelta(weeks=2)), ("1.5", dt.timedelta(hours=36)), (3, dt.timedelta(days=3)),
    ("0", dt.timedelta(0)),
])
def test_durations(text, expected):
    assert parse_duration(text, "x") == expected


@pytest.mark.parametrize("bad", ["", "7 days", "-1d", "d", True, float("inf"), float("nan"), -2, [7]])
def test_bad_durations(bad):
    with pytest.raises(ConfigError, match="^x: "):
        parse_duration(bad, "x")


def test_python_settings_with_an_unknown_code_say_so():
    with pytest.raises(ConfigError, match="unknown rule 'NOPE'"):
        resolve(Settings(select=("NOPE",)))
