import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "minimal"


@pytest.fixture
def minimal_data(tmp_path: Path) -> Path:
    """A copy of the small valid dataset (data/ and content/), returned as its data dir."""
    shutil.copytree(FIXTURE, tmp_path / "repo")
    # The fixture's records always meet the schema that ships, not a stale copy.
    shutil.copy(ROOT / "data" / "datapackage.yaml", tmp_path / "repo" / "data")
    return tmp_path / "repo" / "data"
