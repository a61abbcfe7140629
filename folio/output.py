"""Atomic output: a build writes into a staging folder and replaces the previous
outputs only when every format has succeeded. A failed, interrupted or killed
build leaves ``output/`` exactly as it was.

The staging folder becomes a complete new ``output/`` (entries the build did not
make are hard-linked in from the old one), and the two folders are swapped in
one system call (``renameat2(RENAME_EXCHANGE)``), so no moment exists at which
``output/`` is half old, half new. Where that call is missing, entries are
swapped one by one.

One build at a time: a second build into the same folder stops at once with
"another build is writing here" (a lock file beside it)."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import BuildError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


# Errors of the place written to, not of Folio: reported as ``path: message``.
_PLACE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                 errno.EFBIG, errno.ENAMETOOLONG, errno.EMLINK}


@contextmanager
def staged(output: Path) -> Iterator[Path]:
    """Yield a staging folder beside *output*; on success, it becomes *output*.

    One build at a time writes to *output* (see :func:`locked`); a folder that
    cannot be written, a full disk or a file too large is a BuildError naming the
    place, and *output* is left as it was."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _place_error(error, output, output) from None
    _check_writable(output)
    with locked(output):
        for leftover in output.parent.glob(f".{output.name}.staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-",
                                            dir=output.parent))
        except OSError as error:
            raise _place_error(error, output, output) from None
        try:
            yield staging
            publish(staging, output)
        except OSError as error:
            if error.errno not in _PLACE_ERRORS:
                raise
            raise _place_error(error, staging, output) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def locked(output: Path) -> Iterator[None]:
    """Hold the lock of *output* (``.<name>.lock`` beside it, removed after) for the
    block; BuildError "another build is writing here" at once when a build holds it.

    ``flock`` on the lock file; the file is checked to still be the one at its path
    after the lock is taken, so that one removed by the build that held it is not
    taken by two builds at once."""
    path = output.parent / f".{output.name}.lock"
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise _place_error(error, output, output) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            raise BuildError("another build is writing here: wait for it to finish, or "
                             "build into another --output", output) from None
        try:
            current = os.stat(path).st_ino == os.fstat(descriptor).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        os.close(descriptor)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(descriptor)


def _check_writable(output: Path) -> None:
    """A BuildError when *output*, or the folder it is made in, may not be written."""
    for folder in (output, output.parent):
        if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
            raise BuildError("the output folder cannot be written (read-only): choose "
                             "another --output or make it writable", folder)


def _place_error(error: OSError, staging: Path, output: Path) -> BuildError:
    """*error* (the disk is full, the folder read-only …) as a BuildError at the path
    it names, shown inside *output* rather than the staging folder."""
    where = Path(os.fsdecode(error.filename)) if error.filename else output
    with contextlib.suppress(ValueError):
        where = output / where.relative_to(staging)
    return BuildError(f"cannot write the outputs: {error.strerror or error}", where)


def publish(staging: Path, output: Path) -> None:
    """Make *output* hold what *staging* holds, plus the old entries it did not replace."""
    if not output.exists():
        staging.rename(output)
        staging.mkdir()  # the caller removes it
        return
    for entry in output.iterdir():
        if not (staging / entry.name).exists():
            _link_copy(entry, staging / entry.name)
    if not _exchange(staging, output):
        _swap_entries(staging, output)


def _link_copy(source: Path, target: Path) -> None:
    """Copy by hard links (no data is copied); a plain copy where links cannot be made."""
    try:
        if source.is_dir() and not source.is_symlink():
            shutil.copytree(source, target, symlinks=True, copy_function=os.link)
        else:
            os.link(source, target, follow_symlinks=False)
    except OSError:
        if source.is_dir() and not source.is_symlink():
            shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target, follow_symlinks=False)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                       _RENAME_EXCHANGE)
    return result == 0


def _swap_entries(staging: Path, output: Path) -> None:
    for entry in sorted(staging.iterdir()):
        target = output / entry.name
        old = output / f".{entry.name}.old"
        _remove(old)
        if target.exists() or target.is_symlink():
            target.rename(old)
        entry.rename(target)
        _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
