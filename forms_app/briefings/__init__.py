"""工作简报: 承训单位 sign in with an upload code and file 简报 for the projects they run.

access.py holds who may do what; codes.py the upload codes; due.py what is due when;
form.py the upload form; views.py and signin.py the pages; commands.py the staff CLI.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("briefings", __name__, url_prefix="/briefings")

from . import signin, views  # noqa: E402,F401  (routes register on bp)
