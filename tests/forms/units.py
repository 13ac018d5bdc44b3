"""承训单位 in the forms tests: an upload code issued by the real CLI command, a signed-in browser."""

from __future__ import annotations

import shutil
from pathlib import Path

from form_inputs import Client

ROOT = Path(__file__).resolve().parents[2]

JXNU, JJW = "江西师范大学", "北京继教网教育科技发展有限公司"  # run jx2022-001 and jx2022-002 in the fixture data


def issue_code(app, institution: str) -> str:
    """A new upload code for `institution`, as `flask --app forms_app unit-code` prints it."""
    result = app.test_cli_runner().invoke(args=["unit-code", institution])
    assert result.exit_code == 0, result.output
    name, code = result.stdout.strip().split("\t")
    assert name == institution
    return code


def sign_in(app, code: str) -> Client:
    """A fresh browser signed in with `code`."""
    unit = Client(app)
    response = unit.post("/briefings/signin", {"code": code}, token_from="/briefings/")
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return unit


def signed_in_unit(app, institution: str) -> Client:
    return sign_in(app, issue_code(app, institution))


def dated_data(target: Path) -> Path:
    """A copy of the minimal data in `target`, with a training period for jx2022-001
    (2022-03-01 … 2022-12-31); the others have none. Returns its data folder."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", target)
    data_dir = target / "data"
    shutil.copy(ROOT / "data" / "datapackage.yaml", data_dir)
    projects = data_dir / "projects.yaml"
    text = projects.read_text(encoding="utf-8")
    marker = "  institution: 江西师范大学\n"
    assert text.count(marker) == 1
    projects.write_text(text.replace(marker, marker + "  training_start: 2022-03-01\n  training_end: 2022-12-31\n"), encoding="utf-8")
    return data_dir
