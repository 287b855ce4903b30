"""Every rule documents itself, and its documented FAIL/PASS examples are true."""
import re
import textwrap

import pytest

from validator import rules as registry
from validator.docs import updated_readme
from conftest import REPO
from util import findings

RULES = registry.all_rules()
CATALOGUE = (REPO.parent / "shared" / "spec" / "RULES.md")


def examples(doc, label):
    """The JSON blocks after `FAIL::` / `PASS::` (labels with a note in parentheses are prose)."""
    out = []
    for m in re.finditer(rf"^{label}::\n\n((?:    .*\n|\n)+)", doc + "\n", re.M):
        out.append(textwrap.dedent(m.group(1)).strip() + "\n")
    return out


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_is_documented(rule):
    assert re.fullmatch(r"[A-Z]\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.summary and not rule.summary.endswith(":")
    for section in ("What it checks", "Why it matters"):
        assert section in rule.doc, f"{rule.code} lacks '{section}'"
    assert re.search(r"^FAIL.*::$", rule.doc, re.M), f"{rule.code} has no FAIL example"
    assert re.search(r"^PASS.*::$", rule.doc, re.M), f"{rule.code} has no PASS example"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_fail_example_fires_and_pass_example_does_not(rule):
    options = {"select": ("ALL", rule.code)}
    for text in examples(rule.doc, "FAIL"):
        got = [f.code for f in findings(text, **options)]
        assert rule.code in got, f"{rule.code} FAIL example did not fire: {got}\n{text}"
    for text in examples(rule.doc, "PASS"):
        got = [f for f in findings(text, **options) if f.code == rule.code]
        assert not got, f"{rule.code} PASS example fired: {got}\n{text}"


# Findings of other rules a PASS example may give, by rule code: {code: {other code, ...}}. Only
# warnings or infos that no example of the rule's point can avoid belong here (none so far).
PASS_EXAMPLE_ALLOWED = {}


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_pass_example_is_clean_under_every_default_rule(rule):
    """A PASS example is a row to copy: with every default rule (and the rule itself, if opt-in),
    it gives no finding at all, above all no error (the M002 example once set `split` twice: M004)."""
    options = {"select": ("ALL", rule.code)}
    for text in examples(rule.doc, "PASS"):
        got = findings(text, **options)
        errors = [(f.code, f.message) for f in got if f.severity.value == "error"]
        assert not errors, f"{rule.code} PASS example gives errors: {errors}\n{text}"
        allowed = PASS_EXAMPLE_ALLOWED.get(rule.code, set())
        others = [(f.code, f.severity.value, f.message) for f in got if f.code not in allowed]
        assert not others, f"{rule.code} PASS example gives findings: {others}\n{text}"


def test_readme_rule_table_is_generated_from_the_docstrings():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme == updated_readme(readme), "README rule table is stale: run `python -m validator.docs`"


def test_codes_and_names_match_the_catalogue():
    if not CATALOGUE.exists():
        pytest.skip("shared/spec not beside the repository")
    catalogue = dict(re.findall(r"^\| ([A-Z]\d{3}) \| ([a-z0-9-]+) \|", CATALOGUE.read_text(), re.M))
    assert len(catalogue) > 50
    assert {r.code: r.name for r in RULES} == catalogue, "every RULES.md code, with its name, is implemented"


def test_readme_table_lists_every_rule():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| {rule.code} | `{rule.name}` |" in readme
