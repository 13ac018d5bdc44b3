"""The Flask app: serves the built site at “/” and the forms (apply, briefings, admin) beside it."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from whitenoise import WhiteNoise

from . import attachments, catalog, database, private, shell, web

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app; `test_config` replaces the instance configuration in tests.

    Refuses to start (raises catalog.DataError with the validator's report) when data/ has errors.
    """
    config = dict(test_config or {})
    instance = config.pop("INSTANCE_PATH", None) or os.environ.get("FORMS_INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(__name__, instance_path=str(Path(instance).resolve()), static_url_path="/forms-static")
    app.config.from_mapping(
        SITE_DIR=str(ROOT / "site"),
        DATA_DIR=str(ROOT / "data"),
        DEMO_MODE=False,  # only `python -m forms_app` turns this on; it lifts the deadline check
        FILE_MAX_BYTES=50 * MB,
        # Flask's defaults are unbounded (None): every limit is explicit. A whole request holds
        # at most two files plus the form; non-file fields stay small; a form has a few hundred
        # parts at most (the 申报书 with its rows), so a million tiny parts are refused early.
        MAX_CONTENT_LENGTH=None,
        MAX_FORM_MEMORY_SIZE=1 * MB,
        MAX_FORM_PARTS=500,
        PROXY_COUNT=0,  # how many trusted reverse proxies sit in front (X-Forwarded-*)
        SUBMIT_RATE_LIMIT="30 per minute",
        SMTP_URL="",  # FORMS_SMTP_URL: smtp://user:password@host:587 or smtps://…; empty: mail waits in the outbox
        MAIL_FROM="noreply@localhost",
        SMTP_TIMEOUT=10,
        # Limits are counted in Redis when REDIS_URL is set, so every worker and instance
        # shares them; in memory otherwise (per worker). If Redis fails, requests still pass.
        RATELIMIT_STORAGE_URI=os.environ.get("REDIS_URL") or "memory://",
        RATELIMIT_SWALLOW_ERRORS=True,
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_KEY_PREFIX="guopei-forms",
        RATELIMIT_ENABLED=True,
        WTF_CSRF_TIME_LIMIT=None,  # valid as long as the session: a long form must not expire
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_HOURS=12,  # an applicant may write for a working day; the cookie lives that long
        ADMIN_IDLE_MINUTES=30,
        ADMIN_SESSION_HOURS=8,  # a staff login ends after this, however active
        CLOCK=catalog.china_today,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("FORMS")
    else:
        app.config.update(config)
    # Only `python -m forms_app` turns demo mode on, after create_app(): no setting does.
    app.config["DEMO_MODE"] = False
    if app.config["MAX_CONTENT_LENGTH"] is None:
        app.config["MAX_CONTENT_LENGTH"] = 2 * app.config["FILE_MAX_BYTES"] + 2 * MB
    # The signed cookie's own expiry; staff idle and absolute limits are checked in admin/.
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=app.config["SESSION_HOURS"])
    app.session_interface = web.SessionInterface()
    app.request_class = web.Request
    private.make_dir(Path(app.instance_path))  # 0700: the key, the database and uploads are inside
    app.secret_key = app.config.get("SECRET_KEY") or _instance_secret(Path(app.instance_path))
    app.extensions["catalog"] = catalog.load_catalog(Path(app.config["DATA_DIR"]))
    app.extensions["shell"] = shell.load_shell(Path(app.config["SITE_DIR"]))

    from . import mail
    from .review import models as _review_models  # noqa: F401  (tables the migrations create)

    database.init_app(app)
    mail.init_app(app)
    attachments.init_app(app)
    web.init_app(app)
    from . import admin, apply, briefings, cli

    app.register_blueprint(apply.bp)
    app.register_blueprint(briefings.bp)
    app.register_blueprint(admin.bp)
    cli.init_app(app)
    if app.config.get("MIGRATE_ON_START", True):
        with app.app_context():
            _sweep_leftovers(app)

    @app.context_processor
    def _globals():
        return {"demo_mode": app.config["DEMO_MODE"], "call": app.extensions["catalog"].call, "shell": app.extensions["shell"]}

    # WhiteNoise answers for files of the built site (index.html for directory
    # URLs) and passes every other path on to Flask.
    app.wsgi_app = WhiteNoise(
        app.wsgi_app, root=app.config["SITE_DIR"], index_file=True, autorefresh=app.debug, add_headers_function=web.static_site_headers
    )
    proxies = int(app.config["PROXY_COUNT"])
    if proxies > 0:
        # Trust exactly that many hops of X-Forwarded-For/-Proto/-Host/-Port: the client's own
        # address for rate limits, https for CSRF and Secure cookies, the host the browser used.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)
    return app


def _instance_secret(instance: Path) -> str:
    """A secret key kept in the instance folder (0600), shared by every worker; created once, atomically."""
    path = instance / "secret_key"
    if not path.exists():
        tmp = instance / f"secret_key.{secrets.token_hex(8)}"
        with open(private.create_file(tmp, exclusive=True), "w") as out:
            out.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)  # fails if another worker got there first; theirs wins
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    private.fix_mode(path, private.FILE_MODE)  # an install from before modes were set
    return path.read_text().strip()


def _sweep_leftovers(app: Flask) -> None:
    """Remove what a crash left in the upload folders (see attachments.sweep).

    Never stops a worker booting: gunicorn's master shuts the whole server down when one fails.
    """
    from .models import Attachment

    def referenced() -> set[str]:
        try:
            return set(database.db.session.scalars(database.db.select(Attachment.stored_name)))
        finally:
            database.db.session.rollback()  # end the read: the next call sees what committed since

    try:
        attachments.sweep(Path(app.instance_path) / "uploads", referenced)
    except Exception:
        log.exception("sweeping leftover uploads failed; starting anyway")
    finally:
        database.db.session.remove()
