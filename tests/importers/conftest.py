"""Manuscripts made by the tests themselves (a .docx and an .odt written by pandoc from
Markdown, one long Markdown file), each imported through the command line, checked
and built once for the session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, framed_png

from folio.build import build
from folio.errors import BuildError
from folio.read.pandoc import pandoc_path

TITLE = "The Harbour Ledger"
SUBTITLE = "Notes From a Working Port"
AUTHORS = ["Ann Writer", "Bob Other"]
# Every paragraph of the manuscripts, by chapter; each must be in every output.
PREFACE = ["These pages were kept by the harbour master between two winters."]
CHAPTERS = {
    "The Tides": [
        "The first tide of the season came in grey and slow over the northern wall.",
        "Every boat was counted twice, once at dawn and once when the lamps were lit.",
    ],
    "The Cargo": [
        "Salt, timber and wool filled the sheds until the roofs bowed under the snow.",
        "The clerks wrote each bale into the ledger in a hand nobody else could read.",
    ],
    "The Storm": [
        "When the storm broke the whole town watched the breakwater from the church.",
    ],
}
QUOTE = "Count the boats, not the waves."
INTENSE_QUOTE = "A harbour is only as safe as its weakest mooring."
NOTES = {
    "The Tides": "The wall was rebuilt in stone after the flood of the old century.",
    "The Storm": "Three boats were lost and every crew came home.",
}
FIGURE_CAPTION = "The northern wall at low water"
TABLE_CAPTION = "Boats counted each month"
TABLE = [("Month", "Boats"), ("March", "41"), ("April", "57")]
SECTION = "Counting at dusk"
SECTION_TEXT = "At dusk the lamps were lit along the quay and the second count began."


def manuscript_markdown(image: str, styles: bool) -> str:
    """The manuscript as pandoc Markdown: metadata, a preface without a heading,
    three chapters with notes, quotations (Word's Quote and Intense Quote styles
    when *styles*, else block quotes), a captioned figure, an image without a
    description, a captioned table and a section."""
    first, second, third = CHAPTERS
    authors = ", ".join(AUTHORS)

    def quote(text: str, style: str) -> str:
        if styles:
            return f'::: {{custom-style="{style}"}}\n{text}\n:::\n'
        return f"> {text}\n"

    rows = "\n".join(f"| {a} | {b} |" for a, b in TABLE[1:])
    return f"""---
title: {TITLE}
subtitle: {SUBTITLE}
author: [{authors}]
date: 2025-04-01
---

{PREFACE[0]}

# {first}

{CHAPTERS[first][0]}[^tides]

{quote(QUOTE, "Quote")}
{CHAPTERS[first][1]}

![{FIGURE_CAPTION}]({image})

## {SECTION}

{SECTION_TEXT}

# {second}

{CHAPTERS[second][0]}

{quote(INTENSE_QUOTE, "Intense Quote")}
![]({image})

{CHAPTERS[second][1]}

Table: {TABLE_CAPTION}

| {TABLE[0][0]} | {TABLE[0][1]} |
|-------|------:|
{rows}

# {third}

{CHAPTERS[third][0]}[^storm]

[^tides]: {NOTES[first]}
[^storm]: {NOTES[third]}
"""


def every_text() -> list[str]:
    """Every paragraph, quotation, caption, table cell and note of the manuscripts."""
    return [*PREFACE, *(p for ps in CHAPTERS.values() for p in ps), QUOTE, INTENSE_QUOTE,
            *NOTES.values(), FIGURE_CAPTION, TABLE_CAPTION, SECTION, SECTION_TEXT,
            *(cell for row in TABLE for cell in row), *CHAPTERS]


def run_folio(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="session")
def sources(tmp_path_factory) -> dict[str, Path]:
    """The three manuscripts: docx, odt (both written by pandoc) and md."""
    folder = tmp_path_factory.mktemp("sources")
    (folder / "wall.png").write_bytes(framed_png(300, 200))
    (folder / "for-office.md").write_text(manuscript_markdown("wall.png", styles=True),
                                          encoding="utf-8")
    for kind in ("docx", "odt"):
        subprocess.run([pandoc_path(), "for-office.md", "-o", f"harbour.{kind}"],
                       cwd=folder, check=True, timeout=60)
    (folder / "harbour.md").write_text(manuscript_markdown("wall.png", styles=False),
                                       encoding="utf-8")
    return {kind: folder / f"harbour.{kind}" for kind in ("docx", "odt", "md")}


@pytest.fixture(scope="session")
def imports(sources, tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """Each manuscript imported by `build.py import SOURCE --to DIR`: (DIR, the run)."""
    out = tmp_path_factory.mktemp("imported")
    made = {}
    for kind, source in sources.items():
        result = run_folio("import", str(source), "--to", str(out / kind), cwd=out)
        made[kind] = (out / kind, result)
    return made


@pytest.fixture(scope="session", params=["docx", "odt", "md"])
def imported(request, imports) -> tuple[str, Path, subprocess.CompletedProcess]:
    kind = request.param
    folder, result = imports[kind]
    assert result.returncode == 0, result.stderr
    return kind, folder, result


_BUILT: dict[str, dict[str, Path]] = {}


@pytest.fixture(scope="session")
def built_import(imported, tmp_path_factory) -> tuple[str, dict[str, Path]]:
    """The imported book built in every format, once a kind."""
    kind, folder, _ = imported
    if kind not in _BUILT:
        try:
            _BUILT[kind] = build(folder, tmp_path_factory.mktemp(f"out-{kind}"),
                                 ["pdf", "epub", "html"])
        except BuildError as error:
            pytest.fail(f"the imported {kind} book does not build: {error}", pytrace=False)
    return kind, _BUILT[kind]
