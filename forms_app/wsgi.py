"""Production entry point: `gunicorn forms_app.wsgi:app` (never in demo mode unless FORMS_DEMO_MODE says so)."""

import sys

from . import create_app
from .catalog import DataError

try:
    app = create_app()
except DataError as exc:
    print(exc, file=sys.stderr)
    raise SystemExit(1) from None
