"""Reproducible archives: fixed timestamps and order, the EPUB mimetype first and stored."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

from repro_zipfile import ReproducibleZipFile


def repack_deterministic(source: Path, target: Path, when: dt.datetime,
                         rewrite: dict[str, Callable[[bytes], bytes]] | None = None) -> None:
    """Copy the zip *source* to *target* with every entry stamped *when*; entries named
    in *rewrite* pass through the given function on the way."""
    import os

    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(when.timestamp())))
    with zipfile.ZipFile(source) as original:
        names = original.namelist()
        ordered = (["mimetype"] if "mimetype" in names else []) + sorted(
            n for n in names if n != "mimetype")
        with ReproducibleZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as repacked:
            for name in ordered:
                data = original.read(name)
                if rewrite and name in rewrite:
                    data = rewrite[name](data)
                kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                repacked.writestr(name, data, compress_type=kind)
