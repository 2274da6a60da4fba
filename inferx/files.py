"""Writing output files: atomically, never over an existing file without force."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from inferx.errors import FileExistsRefusedError


def write_new(path: Path, text: str, *, force: bool = False) -> None:
    """Write `text` to `path` through a temporary file in the same folder and os.replace, so a
    reader never sees half a file; refuse (FileExistsRefusedError) when `path` exists and not
    `force`.  The file gets the permissions the umask gives a new file (not mkstemp's 0600)."""
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsRefusedError(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
