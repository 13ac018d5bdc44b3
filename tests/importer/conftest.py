"""Fixtures: the Jiangxi 2022 tables as office files (see office_tables.py), a copy of data/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from office_tables import ROOT, write_county_csv, write_county_xlsx, write_csv, write_docx, write_xlsx


@pytest.fixture(scope="session")
def tables(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tables")
    return {
        "xlsx": write_xlsx(folder / "计划表.xlsx"),
        "docx": write_docx(folder / "计划表.docx"),
        "csv-utf8-bom": write_csv(folder / "计划表-bom.csv", "utf-8-sig"),
        "csv-utf8": write_csv(folder / "计划表-utf8.csv", "utf-8"),
        "csv-gb18030": write_csv(folder / "计划表-gb.csv", "gb18030"),
        "county-xlsx": write_county_xlsx(folder / "项目县.xlsx"),
        "county-csv": write_county_csv(folder / "项目县.csv"),
    }


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data/ and content/ (the validator checks notice pages exist)."""
    shutil.copytree(ROOT / "data", tmp_path / "repo" / "data")
    shutil.copytree(ROOT / "content", tmp_path / "repo" / "content")
    return tmp_path / "repo" / "data"
