"""Which files a book may use: its own, after symlinks are resolved, and no device."""

from __future__ import annotations

import stat
from pathlib import Path


def allowed_file(path: Path, roots: list[Path]) -> bool:
    """Whether *path*, after resolving symlinks, is a regular file inside one of *roots*."""
    try:
        real = path.resolve(strict=True)
        mode = real.stat().st_mode
    except (OSError, RuntimeError):
        return False
    return stat.S_ISREG(mode) and any(real.is_relative_to(r.resolve()) for r in roots)
