"""The private folder an upload is read in while its request lasts, and its clean-up.

The readers take a path, so an upload is written to a file while it is read. Each upload
gets a folder of its own, named ``<pid>-<run>-<random>``, inside one private folder (mode
0700): ``upload-tmp`` in the data folder, or ``edgewise-uploads-<uid>`` in the system temp
folder for an app built without one. The request removes its folder however it ends. A
server killed with SIGKILL cannot: the next start removes every folder whose process is
gone, that an earlier process with the same id left (a container's server is often pid 1
at every start), or that is over a day old (process ids are reused).
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from edgewise.services.config import UPLOAD_DIR_NAME

__all__ = [
    "UPLOAD_DIR_NAME",
    "clean_leftovers",
    "default_upload_dir",
    "private_dir",
    "upload_folder",
]

log = logging.getLogger("edgewise.web")

#: Older than this (seconds), an upload folder is a leftover whatever its process id says.
MAX_AGE = 24 * 60 * 60
#: This process's run: tells its own folders from an earlier process's with the same id.
_RUN = secrets.token_hex(4)


def default_upload_dir() -> Path:
    """The private folder in the system temp folder, one per OS user."""
    return Path(tempfile.gettempdir()) / f"edgewise-uploads-{os.geteuid()}"


def private_dir(path: Path) -> Path:
    """``path``, made if missing, as a folder only this OS user may enter (mode 0700).

    PermissionError when it is a link, not a folder, or another user's.
    """
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise PermissionError(errno.EACCES, "not a private folder of this user", str(path))
    if stat.S_IMODE(info.st_mode) != 0o700:
        path.chmod(0o700)
    return path


@contextmanager
def upload_folder(parent: Path) -> Iterator[Path]:
    """A new folder (0700) for one upload inside the private ``parent``, removed on exit."""
    prefix = f"{os.getpid()}-{_RUN}-"
    with tempfile.TemporaryDirectory(prefix=prefix, dir=private_dir(parent)) as folder:
        yield Path(folder)


def clean_leftovers(parent: Path) -> int:
    """Remove what stopped servers left in ``parent`` (see the module); how many removed."""
    if not parent.is_dir():
        return 0
    removed = 0
    for entry in parent.iterdir():
        if _left_over(entry):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
    if removed:  # the names hold uploaded file names: never logged
        log.warning("removed %d upload copies left by a stopped server", removed)
    return removed


def _left_over(entry: Path) -> bool:
    pid_text, _, rest = entry.name.partition("-")
    run = rest.partition("-")[0]
    if not pid_text.isdigit():
        return True
    try:
        if time.time() - entry.lstat().st_mtime > MAX_AGE:
            return True
    except FileNotFoundError:
        return False
    pid = int(pid_text)
    if pid <= 0:
        return True
    if pid == os.getpid():
        return run != _RUN
    return not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
