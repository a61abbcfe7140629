"""The web book's search index, made by Pagefind (the ``pagefind[bin]`` package) from the
finished pages: only what a page marks ``data-pagefind-body`` is indexed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ...errors import BuildError

BUNDLE = "pagefind"  # the index and Pagefind's scripts, in this folder of the site
INSTALL = "install the Python package 'pagefind[bin]' (pip install 'pagefind[bin]')"


def build_search_index(site: Path, timeout: float = 300, bundle: Path | None = None) -> Path:
    """Index the pages in *site* into *bundle* (default *site*/pagefind, where the
    pages look for it); returns that folder."""
    where = ["--output-subdir", BUNDLE] if bundle is None else ["--output-path", str(bundle)]
    command = [sys.executable, "-m", "pagefind", "--site", str(site), *where, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as error:
        raise BuildError(f"Pagefind did not finish indexing the web book in {timeout:.0f} s") \
            from error
    output = (result.stderr or result.stdout).strip()
    if result.returncode != 0:
        if "No module named pagefind" in output:
            raise BuildError(f"the web book's search needs Pagefind: {INSTALL}")
        raise BuildError(f"Pagefind could not index the web book: {output[-2000:]}")
    bundle = site / BUNDLE if bundle is None else bundle
    if not (bundle / "pagefind.js").is_file():
        raise BuildError(f"Pagefind wrote no {BUNDLE}/pagefind.js: {output[-2000:]}")
    return bundle
