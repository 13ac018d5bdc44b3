"""Instance files are for the app's own user only: folders 0700, files 0600, whatever the umask.

The secret key, the SQLite database and the uploads (applicants' names, phone numbers, stamped
documents) live in the instance folder. Modes are set where files and folders are made, and
fixed at start for installs made before, where that is cheap (the folders, the key, the database).
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)
DIR_MODE = 0o700
FILE_MODE = 0o600


def make_dir(path: Path) -> Path:
    """Create `path` (and missing parents) if needed; the folder itself ends up 0700."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    fix_mode(path, DIR_MODE)
    return path


def fix_mode(path: Path, mode: int) -> None:
    """Set `path` to `mode` if it has other permissions; a file that is not there is fine.

    Never raises: a folder owned by another account (a mounted share) is logged, not fatal.
    """
    try:
        if stat.S_IMODE(os.stat(path).st_mode) != mode:
            os.chmod(path, mode)
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("cannot set mode %o on %s: %s", mode, path, exc)


def opener(path: str, flags: int) -> int:
    """For `open(..., opener=private.opener)`: a file the call creates is created 0600."""
    return os.open(path, flags | os.O_CLOEXEC, FILE_MODE)


def create_file(path: Path, exclusive: bool = False) -> int:
    """Open `path` for reading and writing, creating it 0600 if missing (fail if there and `exclusive`); the fd."""
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | (os.O_EXCL if exclusive else 0)
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # explicit: the umask could have taken the owner's bits too
    except BaseException:
        os.close(fd)
        raise
    return fd
