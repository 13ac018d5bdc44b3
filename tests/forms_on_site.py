"""The forms app on a built site, served by werkzeug in a thread: for the browser tests of form
pages inside the site's page shell (tests/site/test_forms_shell.py, tests/forms/test_a11y_forms.py)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPEN_DAY = dt.date(2024, 4, 20)  # inside the call of data/calls.yaml, so /apply/ shows the form


def forms_app(site_dir: Path, tmp: Path):
    """The app on the repository's data and `site_dir`, SQLite in `tmp`, on a day the call is open."""
    from forms_app import create_app

    return create_app(
        {
            "INSTANCE_PATH": str(tmp / "instance"),
            "SITE_DIR": str(site_dir),
            "DATA_DIR": str(ROOT / "data"),
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": f"sqlite:///{tmp / 'forms.sqlite3'}",
            "RATELIMIT_ENABLED": False,
            "CLOCK": lambda: OPEN_DAY,
        }
    )


@contextmanager
def serving(app) -> Iterator[str]:
    """`app` on a free port of 127.0.0.1; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
