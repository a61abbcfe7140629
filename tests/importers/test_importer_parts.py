"""The importers' parts, one by one, on small inputs: SUMMARY.md, mdBook's helpers and
ids, Rust's hidden lines, the source rule, code cells and cross-references."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from folio.importers import pandocast
from folio.importers.mdbook import _anchors, _visible_rust
from folio.importers.mdbook_include import expand
from folio.importers.mdbook_summary import NUMBERED, PREFIX, SUFFIX, parse_summary
from folio.importers.rmarkdown import bookdown_refs, code_cells, crossref_ids
from folio.importers.sourcefiles import Refused, SourceTree


def test_summary_places_parts_nesting_and_drafts():
    summary = parse_summary(
        "# Summary\n\n[Intro](intro.md)\n\n- [One](one.md)\n  - [One A](one/a.md)\n"
        "    - [Deep](one/deep.md)\n  - [One B](<one/b.md>)\n\n---\n\n# Part Two\n\n"
        "* [Two](two%20x.md)\n* [Draft]()\n<!-- a comment\n-->\n[Thanks](thanks.md)\n"
        "stray words\n")
    places = [(e.title, e.place, e.part) for e in summary.entries]
    assert places == [("Intro", PREFIX, None), ("One", NUMBERED, None),
                      ("Two", NUMBERED, "Part Two"), ("Draft", NUMBERED, None),
                      ("Thanks", SUFFIX, None)]
    one = summary.entries[1]
    assert [c.title for c in one.children] == ["One A", "One B"]
    assert [c.title for c in one.children[0].children] == ["Deep"]
    assert summary.entries[2].path == "two x.md"
    assert summary.entries[3].path is None
    assert summary.unread == [(19, "stray words")]


@pytest.fixture
def tree(tmp_path) -> SourceTree:
    root = tmp_path / "book"
    (root / "src").mkdir(parents=True)
    (root / "code.rs").write_text("// ANCHOR: a\nfn a() {}\n// ANCHOR_END: a\n"
                                  "// ANCHOR: b\nfn b() {}\n// ANCHOR_END: b\nfn c() {}\n")
    (root / "src" / "nested.md").write_text("before {{#include ../code.rs:b}} after")
    (tmp_path / "outside.txt").write_text("outside")
    os.symlink(root / "code.rs", root / "src" / "link.rs")
    return SourceTree(root)


@pytest.mark.parametrize(("helper", "expected"), [
    ("{{#include ../code.rs}}", "fn a() {}\nfn b() {}\nfn c() {}"),
    ("{{#include ../code.rs:2}}", "fn a() {}"),
    ("{{#include ../code.rs:2:5}}", "fn a() {}\nfn b() {}"),
    ("{{#include ../code.rs:5:}}", "fn b() {}\nfn c() {}"),
    ("{{#include ../code.rs::2}}", "fn a() {}"),
    ("{{#include ../code.rs:b}}", "fn b() {}"),
    ("{{ #rustdoc_include ../code.rs:a }}", "fn a() {}"),
    ("{{#playground ../code.rs:a editable}}", "```rust\nfn a() {}\n```"),
    ("{{#include nested.md}}", "before fn b() {} after"),
    ("\\{{#include ../code.rs}}", "{{#include ../code.rs}}"),
    ("{{#title A Page}}", ""),
    ("`{{ #include }}` in prose", "`{{ #include }}` in prose"),
])
def test_includes(tree, helper, expected):
    assert expand(helper, tree.root / "src" / "page.md", tree) == expected


@pytest.mark.parametrize(("helper", "words"), [
    ("{{#include ../../outside.txt}}", "outside the book's folder"),
    ("{{#include /etc/hostname}}", "absolute path"),
    ("{{#include link.rs}}", "symbolic link"),
    ("{{#include ../missing.rs}}", "does not exist"),
    ("{{#include ../code.rs:nowhere}}", "no anchor"),
    ("{{#title A Page}}", "page title"),
    ("{{#template x.md}}", "not known"),
])
def test_includes_refused_are_reported_at_their_line(tree, helper, words):
    page = tree.root / "src" / "page.md"
    assert expand(f"line one\n{helper}", page, tree) == "line one\n"
    assert [(r.path, r.line) for r in tree.report] == [(page, 2)]
    assert words in tree.report[0].message


def test_source_rule(tree):
    assert tree.locate("src/../code.rs") == tree.root / "code.rs"
    for name in ("../outside.txt", "/etc/passwd", "src/link.rs", "src/../../outside.txt"):
        with pytest.raises(Refused):
            tree.locate(name)
    assert tree.exists("link.rs", tree.root / "src") is None


def test_rust_hidden_lines():
    lines = ["# fn hidden() {}", "#", "    # let x = 1;", "fn shown() {}", "#[derive(Debug)]",
             "#![allow(unused)]", "## not hidden", "let y = 2; # comment-like"]
    assert _visible_rust(lines) == ["fn shown() {}", "#[derive(Debug)]", "#![allow(unused)]",
                                    "# not hidden", "let y = 2; # comment-like"]


def test_mdbook_ids():
    blocks = pandocast.read("# 1. Storage\n\n## Hello, World!\n\n## Hello, World!\n\n"
                            "## `Option<T>` & Co\n\n## Named {#given}\n",
                            pandocast.COMMONMARK)["blocks"]
    assert _anchors(blocks) == ["1-storage", "hello-world", "hello-world-1", "optiont--co",
                                "given"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Hello, World!", "hello-world"), ("1. Storage", "storage"), ("", "section"),
    ("Über Größe", "über-größe"), ("a.b_c-d", "a.b_c-d")])
def test_pandoc_identifiers(text, expected):
    assert pandocast.auto_identifier(text, set()) == expected
    read = pandocast.read(f"# {text or '!'}\n", "markdown")["blocks"][0]["c"][1][0]
    assert read == expected, "the same id pandoc gives"


def test_code_cells(tmp_path):
    tree = SourceTree(tmp_path)
    page = tmp_path / "page.qmd"
    text = ("```{python}\n#| label: fig-x\n#| fig-alt: |\n#|   Two lines\n#| echo: true\n"
            "x = 1\n```\n\n"
            "```{r setup, include=FALSE}\nsecret <- 1\n```\n\n"
            "```{mermaid}\ngraph LR\n```\n\nThe value is `r x`.\n")
    out = code_cells(text, page, tree)
    assert "```python\nx = 1\n```" in out and "#|" not in out
    assert "secret" not in out
    assert "```mermaid\ngraph LR\n```" in out
    lines = {r.line: r.message for r in tree.report}
    assert sorted(lines) == [1, 9, 13, 17]
    assert "without its output" in lines[1] and "hidden r code cell" in lines[9]
    assert "diagram" in lines[13] and "write the value" in lines[17]


def test_cross_references():
    sections: set[str] = set()
    text = bookdown_refs(r"See \@ref(fig:plot), \@ref(tab:t) and \@ref(intro).", sections)
    assert text == "See @fig:plot, @tbl:t and @sec:intro."
    assert sections == {"intro"}
    blocks = pandocast.read("# Intro {#intro}\n\n## Gauge {#sec-gauge}\n\nSee @sec-gauge, "
                            "[there](other.qmd#fig-map) and [here](#intro).\n",
                            "markdown")["blocks"]
    crossref_ids(blocks, {"intro": "sec:intro"})
    written = pandocast.write_markdown(blocks)
    assert "{#sec:intro}" in written and "{#sec:gauge}" in written
    assert "@sec:gauge" in written and "(other.qmd#fig:map)" in written
    assert "(#sec:intro)" in written


def test_an_import_into_a_folder_that_holds_files_is_refused(tmp_path):
    from folio.errors import BuildError
    from folio.importers import import_book

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "book.toml").write_text("[book]\ntitle = 'x'\n")
    (tmp_path / "to").mkdir()
    (tmp_path / "to" / "keep.txt").write_text("keep")
    with pytest.raises(BuildError):
        import_book(tmp_path / "src", tmp_path / "to")
    assert [p.name for p in Path(tmp_path / "to").iterdir()] == ["keep.txt"]


def test_code_cells_are_reported_once_a_file(tmp_path):
    tree = SourceTree(tmp_path)
    page = tmp_path / "page.Rmd"
    cell = "```{r}\nx <- 1\n```\n\n"
    hidden = "```{r, echo=FALSE}\ny <- 2\n```\n\n"
    out = code_cells("Text\n\n" + cell * 3 + hidden * 2 + "```{=html}\n<b>raw</b>\n```\n",
                     page, tree)
    assert [(r.line, r.message.split(" (")[0]) for r in tree.report] == [
        (3, "3 code cells"), (15, "2 hidden code cells")]
    assert "lines 3, 7, 11" in tree.report[0].message
    assert "lines 15, 19" in tree.report[1].message
    assert out.count("x <- 1") == 3 and "y <- 2" not in out
    assert "```{=html}\n<b>raw</b>\n```" in out, "a raw block is no code cell"


def test_an_mdbook_that_shows_helpers_as_examples_checks_clean(tmp_path):
    """mdBook's own guide writes ``\\{{#include file.rs}}`` to show the syntax: once
    imported it is words of the book, so book.yaml silences R002 (which would take
    it for a helper left unresolved), and says so in the report."""
    from folio.check import check_manuscript
    from folio.importers import import_book

    source = tmp_path / "guide"
    (source / "src").mkdir(parents=True)
    (source / "book.toml").write_text('[book]\ntitle = "Helpers"\nauthors = ["A. B."]\n')
    (source / "src" / "SUMMARY.md").write_text("# Summary\n\n- [Use](use.md)\n")
    (source / "src" / "use.md").write_text(
        "# Use\n\nWrite this to include a file:\n\n```hbs\n\\{{#include file.rs}}\n```\n")
    made = import_book(source, tmp_path / "book")
    assert any("silences R002" in line.message for line in made.report)
    checked = check_manuscript(tmp_path / "book")
    assert checked.findings == [], [f.format(tmp_path) for f in checked.findings]
    chapter = next((tmp_path / "book" / "chapters").iterdir()).read_text()
    assert "{{#include file.rs}}" in chapter and "\\{{" not in chapter
