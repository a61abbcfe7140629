"""Chromium for the tests that look at pages in a browser: Debian's own (a Playwright
download is not possible here), one for the whole session (the ``browser`` fixture
in conftest.py): a second Playwright started in the same thread while it runs fails."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_path() -> str:
    path = os.environ.get("FOLIO_CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    if not path:
        pytest.fail("no Chromium: install the Debian package 'chromium' (or set "
                    "FOLIO_CHROMIUM to a Chromium executable)", pytrace=False)
    return path
