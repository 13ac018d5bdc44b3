"""MkDocs as MkDocs users run it: `.venv/bin/mkdocs build`, no `python -m`, no PYTHONPATH.

scripts/setup.sh installs the project into its venv (editable), so the hooks import
site_builder from the installed package whatever the working directory is.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Only what a shell gives: no PYTHONPATH, no virtualenv activation.
ENV = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "HOME": "/tmp"}


def test_pyproject_declares_both_packages():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["build-system"]["build-backend"] == "setuptools.build_meta"
    assert set(config["tool"]["setuptools"]["packages"]["find"]["include"]) >= {"site_builder*", "forms_app*"}
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("setuptools==") for line in pins), "the editable build uses the pinned setuptools"


def test_packages_import_from_any_directory(tmp_path: Path):
    code = "import site_builder, forms_app; print(site_builder.__file__); print(forms_app.__file__)"
    result = subprocess.run([BIN / "python", "-c", code], cwd=tmp_path, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(ROOT / "site_builder" / "__init__.py"), str(ROOT / "forms_app" / "__init__.py")]


def test_venv_mkdocs_builds_without_python_m(tmp_path: Path):
    """A project folder holding no site_builder package: the hooks must find the installed one."""
    project = tmp_path / "portal"
    for name in ("data", "content", "overrides"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project)
    (project / "site_builder").mkdir()
    shutil.copy(ROOT / "site_builder" / "mkdocs_hooks.py", project / "site_builder")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [BIN / "mkdocs", "build", "--strict", "-f", project / "mkdocs.yml", "-d", project / "out"],
        cwd=elsewhere,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ModuleNotFoundError" not in result.stderr
    assert (project / "out" / "index.html").is_file()
    assert (project / "out" / "searchindex" / "manifest.json").is_file()
