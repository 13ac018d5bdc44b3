"""Each record's “last changed” date comes from the commits that touched its lines."""

import os
import subprocess
from pathlib import Path

from site_builder.dataset import load_dataset
from site_builder.history import record_dates


def commit(repo: Path, message: str, date: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    for args in (["add", "."], ["-c", "user.name=测试", "-c", "user.email=t@example.org", "commit", "-qm", message]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_dates_follow_the_lines_each_record_owns(minimal_data: Path):
    repo = minimal_data.parent
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    commit(repo, "base", "2024-01-02T10:00:00+00:00")
    path = minimal_data / "projects.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("participants: 600", "participants: 650"), encoding="utf-8")
    commit(repo, "edit one project", "2025-06-07T10:00:00+00:00")

    dataset, _ = load_dataset(minimal_data)
    dates = record_dates(dataset)
    projects = {p["id"]: p for p in dataset.get("projects")}
    assert dates[(projects["jx2022-002"].file, projects["jx2022-002"].line)] == "2025-06-07"
    assert dates[(projects["jx2022-001"].file, projects["jx2022-001"].line)] == "2024-01-02"
    county = dataset.get("counties")[0]
    assert dates[(county.file, county.line)] == "2024-01-02"
