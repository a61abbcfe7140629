#!/usr/bin/env python3
"""Build the book: ``python build.py all`` (or pdf, epub, html). See ``--help``."""

from folio.__main__ import run

if __name__ == "__main__":
    run()
