"""Writing outputs: atomically, so a reader never sees half a file and a failure loses nothing."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path`` in one step; a
    device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout`) is written in place."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        existing = path.stat().st_mode
    except OSError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing):
        # Renaming over a device would replace it with a regular file (as root, common in CI
        # containers) or fail; what is written to it is a stream, so atomicity means nothing there.
        with open(path, "wb") as stream:
            stream.write(data)
        return
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates the file private (0600); give it the mode a plain open() would have:
        # an existing file's mode, else what the umask allows.
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def is_one_of(path: Path, files: Iterable[Path]) -> bool:
    """Whether ``path`` names one of ``files`` (through any link or hard link)."""
    try:
        target = path.stat()
    except OSError:
        return False
    for file in files:
        try:
            found = file.stat()
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
