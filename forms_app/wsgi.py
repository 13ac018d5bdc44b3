"""Production entry point: `gunicorn forms_app.wsgi:app`. Never in demo mode, whatever the settings say."""

import sys

from . import create_app
from .catalog import DataError

try:
    app = create_app()
except DataError as exc:
    # Say why in plain Chinese first; the exception then makes gunicorn stop ("Worker failed to boot").
    print(exc, file=sys.stderr, flush=True)
    raise
