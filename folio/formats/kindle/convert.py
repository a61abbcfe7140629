"""Kindle: the EPUB converted to AZW3 by Calibre's ``ebook-convert``."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ...errors import BuildError

INSTALL_HINT = "install Calibre (Debian: sudo apt-get install --no-install-recommends calibre)"


def convert_to_azw3(epub: Path, target: Path) -> None:
    converter = shutil.which("ebook-convert")
    if converter is None:
        raise BuildError(f"the Kindle edition needs Calibre's ebook-convert: {INSTALL_HINT}")
    # Calibre keeps settings in $HOME: a scratch one keeps them out of the outputs.
    with tempfile.TemporaryDirectory() as home:
        result = subprocess.run([converter, str(epub), str(target)], capture_output=True,
                                text=True, check=False, timeout=600,
                                env={"QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox",
                                     "HOME": home, "PATH": "/usr/bin:/bin"})
    if result.returncode != 0 or not target.exists():
        last = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise BuildError(f"ebook-convert could not make the Kindle edition: {last[0]}")
