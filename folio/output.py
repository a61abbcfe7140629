"""Atomic output: a build writes into a staging folder and replaces the previous
outputs only when every format has succeeded. An interrupted or failed build
leaves ``output/`` exactly as it was."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged(output: Path) -> Iterator[Path]:
    """Yield a staging folder beside *output*; on success, move what it holds into *output*."""
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
    """Move each entry of *staging* into *output*, replacing entries of the same name."""
    output.mkdir(parents=True, exist_ok=True)
    for entry in sorted(staging.iterdir()):
        target = output / entry.name
        if target.exists():
            old = output / f".{entry.name}.old"
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
            target.rename(old)
            entry.rename(target)
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
        else:
            entry.rename(target)
