"""Source books the import tests make: an mdBook, a Quarto book and a bookdown book,
each small but with every construct its importer handles. Text uses curly quotes
and dashes, so that the imported books check without a typography warning."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from helpers import framed_png, tiny_png

# Words that must reach every output of the imported books (the included code too).
MDBOOK_WORDS = ["harbourmaster’s", "Installing", "Laptop", "mooring_line", "Moored safely",
                "shown_line", "Splicing", "bowline", "Glossary", "Fathom", "tarred",
                "Knots and Lines", "Running It", "Whipping"]
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
            [the knots](knots.html), [splicing](./knots.md#splicing) and
            [old knots](knots.md#old-knots).

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
            <!-- An old heading: links to it must still work. -->

            <a id="old-knots"></a>

            # Knots and Lines

            Every sailor learns the bowline first.

            #### Whipping

            A whipped end does not fray.

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


QUARTO_WORDS = ["Tides", "Preface", "Introduction", "slack water", "tide_table", "Remember",
                "Observing", "gauge", "Analysis", "harmonic", "Station Tables", "Portsmouth"]
QUARTO_ABSENT = ["hidden_setup", "echo: false", "Reference List"]


def make_quarto(folder: Path) -> Path:
    """A Quarto book in *folder*/tides: parts (one titled by a file), an appendix, a
    .bib, a callout, code cells and cross-references."""
    return _write(folder / "tides", {
        "_quarto.yml": """
            project:
              type: book
            book:
              title: "Tides and Currents"
              subtitle: "A Field Guide"
              author:
                - name: "Mara Quill"
                - "Ned Ashby"
              date: "2025-03-14"
              cover-image: images/cover.png
              chapters:
                - index.qmd
                - intro.qmd
                - part: "Observing"
                  chapters:
                    - observing.qmd
                - part: analysis.qmd
                  chapters:
                    - methods.qmd
                - references.qmd
              appendices:
                - tables.qmd
            bibliography: references.bib
            lang: en
            """,
        "index.qmd": """
            # Preface {.unnumbered}

            This guide grew out of a season of notes on slack water.
            """,
        "intro.qmd": """
            ---
            title: "Introduction"
            ---

            Tides follow the moon [@darwin1898]. See [the observing chapter](observing.qmd)
            and [the gauge](observing.qmd#sec-gauge).
            """,
        "observing.qmd": """
            # Observing

            ::: {.callout-note}
            ## Remember

            Note the time of each high water.
            :::

            ```{python}
            #| label: tide-table
            tide_table = [1.2, 3.4]
            ```

            ```{python}
            #| echo: false
            hidden_setup = True
            ```

            ## The Gauge {#sec-gauge}

            Read the gauge at eye level.
            """,
        "analysis.qmd": """
            # Analysis
            """,
        "methods.qmd": """
            # Methods

            A harmonic analysis splits the tide into constituents; the gauge is
            described in [its section](observing.qmd#sec-gauge).
            """,
        "references.qmd": """
            # Reference List {.unnumbered}

            ::: {#refs}
            :::
            """,
        "tables.qmd": """
            # Station Tables

            | Station | Range |
            |---------|-------|
            | Portsmouth | 4.1 m |
            """,
        "images/cover.png": framed_png(600, 900),
        "references.bib": """
            @book{darwin1898,
              author = {Darwin, George Howard},
              title = {The Tides and Kindred Phenomena in the Solar System},
              year = {1898},
              publisher = {Houghton, Mifflin}
            }
            """,
    })


BOOKDOWN_WORDS = ["Rivers", "Preface", "Springs", "aquifer", "discharge", "Flow",
                  "Gauging Stations", "Sources", "meander"]
BOOKDOWN_ABSENT = ["(PART)", "(APPENDIX)", "\\@ref", "secret_setup"]


def make_bookdown(folder: Path) -> Path:
    """A bookdown book in *folder*/rivers: a part, an appendix, R chunks, a text
    reference and a cross-reference."""
    return _write(folder / "rivers", {
        "_bookdown.yml": """
            book_filename: "rivers"
            rmd_files: ["index.Rmd", "01-springs.Rmd", "02-flow.Rmd", "03-stations.Rmd"]
            """,
        "index.Rmd": """
            ---
            title: "Rivers of the Plain"
            author: "Ilse Brandt"
            date: "2024-05-01"
            site: bookdown::bookdown_site
            ---

            # Preface {-}

            These notes follow one river from spring to sea.
            """,
        "01-springs.Rmd": """
            # (PART) Sources {-}

            # Springs {#springs}

            A spring rises where the aquifer meets the slope. Chapter \\@ref(flow)
            follows the water.

            (ref:spring-note) A note written once and used twice.

            ```{r discharge, echo=TRUE}
            discharge <- c(1.2, 3.4)
            ```

            ```{r setup, include=FALSE}
            secret_setup <- TRUE
            ```
            """,
        "02-flow.Rmd": """
            # Flow {#flow}

            A river’s meander grows on the outer bank; see [the springs](01-springs.html).
            """,
        "03-stations.Rmd": """
            # (APPENDIX) Appendix {-}

            # Gauging Stations

            Three stations measure the flow.
            """,
    })
