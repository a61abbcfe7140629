"""Import markdown (to be written)."""

from __future__ import annotations

from pathlib import Path

NAME = "markdown"


def detects(source: Path) -> bool:
    return False


def read(source: Path, progress):  # pragma: no cover - filled in by its importer
    raise NotImplementedError
