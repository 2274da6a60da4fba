"""The one way inferx writes a file it creates (imported profiles, calibration files).

* Exclusive without ``force``: the text goes to a temporary file in the target's folder, then
  ``os.link`` puts it at the target only if no file is there: of two concurrent writers, one
  wins and the other gets FileExistsRefusedError (exit 6); nothing is silently replaced.
  With ``force``, ``os.replace`` swaps it in atomically.
* The file mode is what the user's umask gives a new file (0o666 & ~umask), not mkstemp's 0600.
* The temporary file is removed on every exit path (error, Ctrl-C, SIGTERM via the CLI's
  handler); a writer killed with SIGKILL can leave one ``.<name>.<random>.tmp`` file.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from inferx.errors import FileExistsRefusedError, InvalidFileError
from inferx.files import check_name_length


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temp_copy(path: Path, data: bytes) -> str:
    """A temporary file beside `path` holding `data`, with the umask's mode; its name."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _place(tmp: str, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if path exists: exclusive, atomic
    except FileExistsError:
        raise FileExistsRefusedError(str(path)) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        # a file system without hard links: O_EXCL creation is still exclusive
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            raise FileExistsRefusedError(str(path)) from None
        with os.fdopen(fd, "wb") as out, open(tmp, "rb") as src:
            out.write(src.read())


def refuse_existing(path: Path, *, force: bool, field: str) -> None:
    """Raise FileExistsRefusedError if `path` exists and not force (an early, cheap check;
    the write itself is exclusive anyway); a path that cannot be a file names `field`."""
    check_name_length(path, field)
    try:
        exists = Path(path).exists()
    except OSError as exc:  # a path longer than the system allows, a loop of links ...
        raise InvalidFileError(str(path), field, f"cannot write it: "
                               f"{exc.strerror or exc}") from None
    if exists and not force:
        raise FileExistsRefusedError(str(path))


def write_files(items: Iterable[tuple[Path, str]], *, force: bool, field: str) -> list[Path]:
    """Write each (path, text); all or nothing: if one target exists (without force) or a
    write fails, the files this call created are removed again.  `field` is the flag or
    argument named when a path cannot be written (``--out``, ``--output``)."""
    pairs = [(Path(p), text) for p, text in items]
    for path, _ in pairs:
        refuse_existing(path, force=force, field=field)
    created: list[Path] = []
    try:
        for path, text in pairs:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = _temp_copy(path, text.encode("utf-8"))
            except OSError as exc:
                raise InvalidFileError(str(path), field, f"cannot write it: "
                                       f"{exc.strerror or exc}") from None
            try:
                _place(tmp, path, force)
            except FileExistsRefusedError:
                raise
            except OSError as exc:
                raise InvalidFileError(str(path), field, f"cannot write it: "
                                       f"{exc.strerror or exc}") from None
            finally:
                Path(tmp).unlink(missing_ok=True)
            if not force:
                created.append(path)
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    return [p for p, _ in pairs]


def write_file(path: Path, text: str, *, force: bool, field: str) -> Path:
    [written] = write_files([(path, text)], force=force, field=field)
    return written
