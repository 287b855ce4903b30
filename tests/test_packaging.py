"""The built wheel carries everything it needs (schemas/ included) and works from
anywhere after a plain, non-editable `pip install`, as pre-commit installs it."""
import subprocess
import sys
import venv
import zipfile

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)], check=True, timeout=600)
    (whl,) = out.glob("labelbox_import_validator-*.whl")
    return whl


def test_wheel_contains_the_schemas(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    schemas = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "schemas").rglob("*.json"))
    assert schemas, "no schemas in the source tree"
    for path in schemas:
        assert f"validator/{path}" in names, f"{path} missing from the wheel"


def test_installed_wheel_runs_from_another_directory(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=600)
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "rows.json").write_text('[{"row_data": {"pdf_url": "https://e.com/a.pdf"}, "media_type": "IMAGE"}]')
    exe = env_dir / "bin" / "lbx-validate"
    r = subprocess.run([str(exe), "check", "rows.json"], cwd=work, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, r.stderr
    assert "R007" in r.stdout  # the media-type schema was found inside the installed package
    r = subprocess.run([str(py), "-c", "import validator.schemas as s; print(s.schema_dir())"], cwd=work, capture_output=True, text=True)
    assert str(env_dir) in r.stdout
