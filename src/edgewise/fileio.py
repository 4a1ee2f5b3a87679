"""Bounded reads and atomic writes: no read runs past its limit, no reader sees half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["ResumableLines", "atomic_write", "read_at_most"]

_CHUNK = 1024 * 1024


def read_at_most(path: Path, limit: int) -> bytes:
    """The first ``limit + 1`` bytes of ``path`` at most: more than ``limit`` means too large.

    Whatever ``stat`` said, a file can grow while it is read, and a device or a pipe
    (``/dev/zero``, ``/dev/stdin``) reports no size at all; this read stops regardless.
    A regular file is read in one call sized by ``fstat`` (no buffer of ``limit`` bytes
    for a small file), anything more in chunks.
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        parts = [handle.read(min(size, limit) + 1)]
        total = len(parts[0])
        while total <= limit and (chunk := handle.read(min(_CHUNK, limit + 1 - total))):
            parts.append(chunk)
            total += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to a temp file beside ``path``, fsync it, then rename it into place
    with permissions ``mode`` (the temp file is 0600 until then)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ResumableLines:
    """Append lines to ``<path>.partial`` durably; ``finish()`` renames it to ``path``.

    A job killed midway leaves the partial file; the next run reads ``done()``
    from it and skips what is already there, then appends the rest.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")

    def done(self) -> list[str]:
        """Complete lines already written by an earlier, interrupted run."""
        if not self.partial.exists():
            return []
        data = self.partial.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) != len(data):  # drop a half-written last line
            with open(self.partial, "r+b") as handle:
                handle.truncate(len(complete))
        return complete.decode("utf-8").splitlines()

    def append(self, line: str) -> None:
        """Write one line and flush it to disk."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.partial, "ab") as handle:
            handle.write(line.rstrip("\n").encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())

    def finish(self) -> None:
        """Move the complete file into place (an empty file if nothing was written)."""
        if not self.partial.exists():
            self.partial.write_bytes(b"")
        os.replace(self.partial, self.path)
