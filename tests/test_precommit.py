"""The pre-commit hooks and the GitHub Action: their files parse, and the hooks really run.

`test_try_repo_*` run a real `pre-commit try-repo` on a sample git repository: pre-commit
builds and installs this project in a clean virtualenv (it needs PyPI) and runs the hook
on a bad and on a good file. The project is snapshotted first (tracked and untracked,
not ignored files of the working tree, committed into a temporary repository), so what
is tested is the working tree and the hook environment is built once.
"""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

yaml = pytest.importorskip("yaml")

BAD = '[{"row_data": "https://example.com/images/cat#1.jpg", "global_key": "a"}]\n'
GOOD = '[{"row_data": "https://example.com/images/cat%231.jpg", "global_key": "a"}]\n'
BAD_NDJSON = '{"row_data": "https://example.com/a b.jpg"}\n{"row_data": "https://example.com/b.jpg"}\n'
GOOD_NDJSON = '{"row_data": "https://example.com/a%20b.jpg"}\n{"row_data": "https://example.com/b.jpg"}\n'


def hooks():
    with open(REPO / ".pre-commit-hooks.yaml", encoding="utf-8") as f:
        return {h["id"]: h for h in yaml.safe_load(f)}


def test_hooks_file_declares_both_hooks():
    h = hooks()
    assert set(h) == {"lbx-validate", "lbx-validate-ndjson"}
    assert h["lbx-validate"]["types"] == ["json"]
    assert h["lbx-validate"]["entry"] == "lbx-validate check"
    assert h["lbx-validate-ndjson"]["entry"] == "lbx-validate check --input-format ndjson"
    import re
    pattern = re.compile(h["lbx-validate-ndjson"]["files"])
    assert pattern.search("data/rows.ndjson") and pattern.search("rows.jsonl") and not pattern.search("rows.json")
    for hook in h.values():
        assert hook["language"] == "python" and hook["require_serial"] is True
        assert hook["entry"].split()[0] in _console_scripts()


def _console_scripts():
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib

    with open(REPO / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["scripts"]


def test_action_is_a_composite_action_that_installs_itself_and_writes_sarif():
    with open(REPO / "action.yml", encoding="utf-8") as f:
        action = yaml.safe_load(f)
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"files", "args", "sarif-file"}
    steps = action["runs"]["steps"]
    scripts = "\n".join(s.get("run", "") for s in steps)
    install = steps[0]
    assert install["env"]["LBX_ACTION_PATH"] == "${{ github.action_path }}"
    assert 'pip install --quiet --disable-pip-version-check "$LBX_ACTION_PATH"' in install["run"]
    assert "--format sarif" in scripts
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"  # composite run steps must name their shell
            # inputs reach the script through the environment, never pasted into it
            assert "${{ inputs." not in step["run"]


def _run_action_step(tmp_path, files):
    """Run the action's check step locally, with its inputs as the runner would set them."""
    with open(REPO / "action.yml", encoding="utf-8") as f:
        action = yaml.safe_load(f)
    step = next(s for s in action["runs"]["steps"] if "lbx-validate" in s.get("run", "") and "sarif" in s["run"])
    (tmp_path / "bad.json").write_text(BAD)
    (tmp_path / "good.json").write_text(GOOD)
    bindir = os.path.dirname(sys.executable)
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    for key, expr in step.get("env", {}).items():
        name = expr.replace("${{", "").replace("}}", "").strip()
        env[key] = {"inputs.files": files, "inputs.args": "--select U", "inputs.sarif-file": "out.sarif",
                    "github.action_path": str(REPO)}.get(name, "")
    env.pop("GITHUB_ACTIONS", None)
    env["RUNNER_TEMP"] = str(tmp_path)  # no installed venv there: the lbx-validate on PATH runs
    return subprocess.run(["bash", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


# "**/*.ndjson" matches nothing here: the pattern drops out, as in a repository without NDJSON files
@pytest.mark.parametrize("files", ["bad.json good.json", "*.json **/*.ndjson"])
def test_action_script_runs_the_checker_with_sarif_and_text(tmp_path, files):
    r = _run_action_step(tmp_path, files)
    assert r.returncode == 1, r.stderr
    import json
    sarif = json.loads((tmp_path / "out.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert [(x["ruleId"], x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for x in results] == [("U001", "bad.json")]


def test_action_script_with_no_matching_file_fails_with_one_line(tmp_path):
    r = _run_action_step(tmp_path, "imports/**/*.json")
    assert r.returncode == 2 and "no file matches the 'files' input" in r.stderr
    assert not (tmp_path / "out.sarif").exists()


# -- a real pre-commit run -----------------------------------------------------------------------
def _git(*args, cwd):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def precommit(tmp_path_factory):
    """(run, sample repo): `run(*args)` runs pre-commit try-repo on a snapshot of this project."""
    exe = shutil.which("pre-commit") or os.path.join(os.path.dirname(sys.executable), "pre-commit")
    if not os.path.exists(exe) or shutil.which("git") is None:
        pytest.skip("pre-commit (the `test` extra) and git are needed")
    base = tmp_path_factory.mktemp("precommit")
    snapshot = base / "project"
    files = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO).split("\0")
    for name in filter(None, files):
        src = REPO / name
        if src.is_file() and not name.startswith(("benchmarks/data", "tests/data")):
            dst = snapshot / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    _git("init", "-q", cwd=snapshot)
    _git("add", "-A", cwd=snapshot)
    _git("commit", "-q", "-m", "snapshot", cwd=snapshot)
    rev = _git("rev-parse", "HEAD", cwd=snapshot).strip()

    sample = base / "sample"
    sample.mkdir()
    for name, text in [("bad.json", BAD), ("good.json", GOOD), ("bad.ndjson", BAD_NDJSON), ("good.ndjson", GOOD_NDJSON)]:
        (sample / name).write_text(text)
    _git("init", "-q", cwd=sample)
    _git("add", "-A", cwd=sample)
    _git("commit", "-q", "-m", "sample", cwd=sample)

    env = dict(os.environ, PRE_COMMIT_HOME=str(base / "cache"), GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    env.pop("GITHUB_ACTIONS", None)
    env.pop("VIRTUAL_ENV", None)

    def run(*args):
        return subprocess.run([exe, "try-repo", str(snapshot), *args, "--ref", rev, "--color", "never"],
                              cwd=sample, env=env, capture_output=True, text=True, timeout=900)

    return run


def test_try_repo_hook_fails_on_a_bad_file_and_passes_on_a_good_one(precommit):
    bad = precommit("lbx-validate", "--files", "bad.json", "good.json")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "lbx-validate (Labelbox import files)" in bad.stdout and "Failed" in bad.stdout
    assert "bad.json:1:15: U001 [error]" in bad.stdout
    good = precommit("lbx-validate", "--files", "good.json")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


def test_try_repo_ndjson_hook(precommit):
    bad = precommit("lbx-validate-ndjson", "--files", "bad.ndjson", "good.json")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad.ndjson:1:14: U001 [error]" in bad.stdout
    good = precommit("lbx-validate-ndjson", "--files", "good.ndjson", "bad.json")  # bad.json is not its file
    assert good.returncode == 0, good.stdout + good.stderr
