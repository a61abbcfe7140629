"""``build.py new PATH``: a new book that checks clean and builds at once."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from .errors import BuildError

FILES = ("book.yaml", "chapters/01-beginning.md", "chapters/02-going-on.md",
         "glossary.yaml", "chronology.yaml", "CHANGELOG.md")


def new_book(path: Path, title: str, author: str, language: str = "en",
             today: dt.date | None = None) -> list[Path]:
    """Write a new book into *path* (which must be missing or empty); returns its files."""
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BuildError("a new book needs a new or empty folder; this one holds files", path)
    today = today or dt.date.today()
    values = {"title": _yaml_text(title), "author": _yaml_text(author),
              "language": language, "date": today.isoformat(),
              "rights": _yaml_text(f"Text © {today.year} {author}.")}
    made = []
    scaffold = resources.files("folio") / "scaffold"
    for name in FILES:
        text = (scaffold / name).read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        made.append(target)
    return made


def _yaml_text(value: str) -> str:
    """A value safe to put after `key: ` in YAML."""
    if not value.strip():
        raise BuildError("the title and the author must not be empty")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
