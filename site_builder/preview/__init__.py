"""Preview that keeps up: serve the site and, after a data edit, re-render only the pages it touches.

`python -m site_builder.preview` (or `make preview`); see docs/ARCHITECTURE.md (Preview).
"""

from .session import Preview, Update

__all__ = ["Preview", "Update"]
