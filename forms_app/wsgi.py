"""Production entry point: `gunicorn forms_app.wsgi:app` (never in demo mode unless FORMS_DEMO_MODE says so)."""

import sys

from . import create_app
from .catalog import DataError

try:
    app = create_app()
except DataError as exc:
    # Say why in plain Chinese first; the exception then makes gunicorn stop ("Worker failed to boot").
    print(exc, file=sys.stderr, flush=True)
    raise
