#!/usr/bin/env bash
# Create the project-local virtual environment, install the pinned packages and the
# project itself (editable), so `.venv/bin/mkdocs` and `.venv/bin/python` import
# site_builder and forms_app from any directory. Re-runs pip only when
# requirements.txt or pyproject.toml changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "需要 Python 3.11，当前为 %d.%d" % sys.version_info[:2])'
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  # No build isolation: the pinned setuptools builds the editable wheel, nothing is fetched.
  # Its warning (folders named like the packages in the cwd win) describes the intent here.
  PYTHONWARNINGS=ignore .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
fi
