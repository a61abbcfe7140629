"""Source books the import tests make: an mdBook, a Quarto book and a bookdown book,
each small but with every construct its importer handles. Text uses curly quotes
and dashes, so that the imported books check without a typography warning."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from helpers import tiny_png

# Words that must reach every output of the imported books (the included code too).
MDBOOK_WORDS = ["harbourmaster’s", "Installing", "Laptop", "mooring_line", "Moored safely",
                "shown_line", "Splicing", "bowline", "Glossary", "Fathom", "tarred",
                "Knots and Lines", "Running It"]
# Words that must not: lines outside an include's range or anchor, hidden Rust lines,
# a draft's title, the anchor comments and what lies outside the mdBook's folder.
MDBOOK_ABSENT = ["unused_import", "hidden_helper", "ANCHOR", "Weather Lore", "outside secret",
                 "{{#"]


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def make_mdbook(folder: Path) -> Path:
    """An mdBook in *folder*/harbour (a secret file beside it that it must not reach)."""
    (folder / "secret.txt").write_text("outside secret\n", encoding="utf-8")
    root = _write(folder / "harbour", {
        "book.toml": """
            [book]
            title = "The Harbour Handbook"
            authors = ["Ada Quay", "Ben Mast"]
            language = "en"
            description = "A small mdBook made by the tests."
            src = "src"
            """,
        "src/SUMMARY.md": """
            # Summary

            [Foreword](foreword.md)

            # Getting Started

            - [Installing](installing.md)
                - [On a Laptop](installing/laptop.md)
            - [A First Program](first-program.md)

            ---

            # Going Further

            - [Knots](knots.md)
            - [Weather Lore]()

            [Glossary](terms.md)
            """,
        "src/foreword.md": """
            # Foreword

            Why this handbook exists: the harbourmaster’s manual wore out.
            """,
        "src/installing.md": """
            # Installing the Tools

            Read [the first program](first-program.md#running-it) next, or jump to
            [the knots](knots.html) and [splicing](./knots.md#splicing).

            ![A red buoy](images/buoy.png)

            ```sh
            {{#include ../listings/setup.sh:2:3}}
            ```

            {{#include ../../secret.txt}}
            {{#include linked.txt}}
            """,
        "src/installing/laptop.md": """
            # On a Laptop

            A laptop will do; go back to [installing](../installing.md).

            ## Power

            Keep it charged.
            """,
        "src/first-program.md": """
            # A First Program

            ```rust
            {{#rustdoc_include ../listings/hello.rs:main}}
            ```

            ## Running It

            ```rust,ignore
            # fn hidden_helper() {}
            fn shown_line() {}
            ```

            See [Installing](installing.md) and [the laptop’s power](installing/laptop.md#power).
            """,
        "src/knots.md": """
            # Knots and Lines

            Every sailor learns the bowline first.

            ```text
            {{#include ../listings/knots.txt}}
            ```

            # Splicing

            A spliced line keeps most of its strength.
            """,
        "src/terms.md": """
            # Glossary

            Fathom
            : six feet of depth; the line was tarred every yard.
            """,
        "src/images/buoy.png": tiny_png(),
        "listings/setup.sh": """
            #!/bin/sh
            mooring_line=fast
            echo "$mooring_line"
            rm -rf unused_import
            """,
        "listings/hello.rs": """
            // ANCHOR: all
            use std::unused_import;

            // ANCHOR: main
            fn main() {
                println!("Moored safely");
            }
            // ANCHOR_END: main
            // ANCHOR_END: all
            """,
        "listings/knots.txt": """
            // ANCHOR: list
            bowline, clove hitch, reef knot
            // ANCHOR_END: list
            """,
    })
    os.symlink(folder / "secret.txt", root / "src" / "linked.txt")
    return root
