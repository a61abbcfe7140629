"""Pandoc's reading of each Markdown file, kept between builds by the file's content:
after an edit, only the files that changed are read again.

The records live in the output folder (``.folio-parsed/``), carried from one build
to the next like the PDF's parts; a record no build used is dropped."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

FOLDER = ".folio-parsed"


class ParseCache:
    def __init__(self, previous: Path | None = None, setting: str = ""):
        self.previous = previous
        self.setting = setting  # what else the reading depends on: pandoc, the writer
        self.used: dict[str, dict] = {}

    def key(self, text: bytes, language: str) -> str:
        digest = hashlib.sha256(f"{self.setting}|{language}|".encode())
        digest.update(text)
        return digest.hexdigest()[:32]

    def get(self, key: str) -> dict | None:
        if key in self.used:
            return self.used[key]
        if self.previous is None:
            return None
        try:
            record = json.loads((self.previous / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or not {"body", "notes", "warnings"} <= set(record):
            return None
        self.used[key] = record
        return record

    def put(self, key: str, record: dict) -> None:
        self.used[key] = record

    def save(self, folder: Path) -> None:
        """Write the records this build used into *folder*."""
        folder.mkdir(parents=True, exist_ok=True)
        for key, record in self.used.items():
            (folder / f"{key}.json").write_text(json.dumps(record), encoding="utf-8")
