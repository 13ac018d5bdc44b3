"""The database: SQLite in the instance folder by default, PostgreSQL via DATABASE_URL; migrated on start."""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

from flask import Flask
from flask_migrate import Migrate, upgrade
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, make_url
from sqlalchemy.orm import DeclarativeBase

from . import private

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


def database_url(app: Flask) -> str:
    """DATABASE_URL (config or environment) or a SQLite file in the instance folder."""
    url = app.config.get("DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    if not url:
        return "sqlite:///" + str(Path(app.instance_path) / "forms.sqlite3")
    # Only psycopg 3 is installed; plain postgresql:// would ask SQLAlchemy for psycopg2.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def init_app(app: Flask) -> None:
    """Bind SQLAlchemy and Alembic to the app, then bring the schema up to date."""
    url = database_url(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        _private_sqlite_files(url)
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 30}})
    else:
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    with app.app_context():
        if url.startswith("sqlite"):
            _serialise_sqlite_writers(db.engine, Path(app.instance_path) / "sqlite-write.lock")
        if app.config.get("MIGRATE_ON_START", True):
            _upgrade_once(app)


def _private_sqlite_files(url: str) -> None:
    """Create the SQLite file 0600 before SQLite does (it would make it 0644); fix an older install's.

    SQLite gives its -wal and -shm files the database file's mode, so they follow.
    """
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    try:
        os.close(private.create_file(Path(path), exclusive=True))
    except FileExistsError:
        for suffix in ("", "-wal", "-shm", "-journal"):
            private.fix_mode(Path(path + suffix), private.FILE_MODE)


def _serialise_sqlite_writers(engine, lock_path: Path) -> None:
    """Take SQLite's write lock at BEGIN so two workers never deadlock upgrading a read lock.

    Writers queue on a file lock first: the kernel wakes the next one the moment the lock is
    free, where SQLite's own busy handler would sleep and poll (up to 100 ms a try).
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # A second transaction on a connection still checked out (Alembic runs one per migration on
        # SQLite) keeps the lock it holds: locking again through a new file would wait on itself.
        if "write_lock" not in connection.info:
            lock = open(lock_path, "a", opener=private.opener)  # noqa: SIM115  (one open file per checkout: flock is per file)
            fcntl.flock(lock, fcntl.LOCK_EX)
            connection.info["write_lock"] = lock
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine.pool, "checkin")
    def _checkin(dbapi_connection, record):
        """The transaction has ended (committed or rolled back): let the next writer in."""
        if lock := record.info.pop("write_lock", None):
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()


def _upgrade_once(app: Flask) -> None:
    """Run `alembic upgrade head`; a file lock keeps several workers on one host from racing."""
    lock_path = Path(app.instance_path) / "migrate.lock"
    with open(lock_path, "w", opener=private.opener) as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            upgrade(directory=str(MIGRATIONS))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
