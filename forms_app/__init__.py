"""The Flask app: serves the built site at “/” and (later) the forms beside it."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app; `test_config` replaces the instance configuration in tests."""
    app = Flask(__name__, instance_path=str(ROOT / "instance"))
    app.config.from_mapping(SITE_DIR=str(ROOT / "site"), DATA_DIR=str(ROOT / "data"))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    # WhiteNoise answers for files of the built site (index.html for directory
    # URLs) and passes every other path on to Flask.
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=app.config["SITE_DIR"], index_file=True, autorefresh=app.debug)
    return app
