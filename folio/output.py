"""Atomic output: a build writes into a staging folder and replaces the previous
outputs only when every format has succeeded. A failed, interrupted or killed
build leaves ``output/`` exactly as it was.

The staging folder becomes a complete new ``output/`` (entries the build did not
make are hard-linked in from the old one), and the two folders are swapped in
one system call (``renameat2(RENAME_EXCHANGE)``), so no moment exists at which
``output/`` is half old, half new. Where that call is missing, entries are
swapped one by one."""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@contextmanager
def staged(output: Path) -> Iterator[Path]:
    """Yield a staging folder beside *output*; on success, it becomes *output*."""
    output.parent.mkdir(parents=True, exist_ok=True)
    for leftover in output.parent.glob(f".{output.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))
    try:
        yield staging
        publish(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
