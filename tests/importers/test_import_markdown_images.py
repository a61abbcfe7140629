"""A Markdown file's images on the web: Folio fetches nothing, so each is replaced by
its description and reported, and the imported book checks clean (X001 would stop
it otherwise); a book without a language in its metadata is told it is English."""

from __future__ import annotations

from folio.check import check_manuscript
from folio.importers import markdown
from folio.importers.writer import write_book

SOURCE = """\
# A Guide

## Licence

[![A badge](https://example.org/badge.png)](https://example.org/licence)

An inline ![the logo](<https://example.org/logo.svg> "Logo") and
![](//example.org/blank.png) with no description.

Code keeps it: `![kept](https://example.org/in-code.png)`.

```
![also kept](https://example.org/in-block.png)
```
"""


def _import(tmp_path):
    source = tmp_path / "guide.md"
    source.write_text(SOURCE, encoding="utf-8")
    return source, markdown.read(source, lambda message: None)


def test_web_images_become_their_descriptions_and_are_reported(tmp_path):
    source, book = _import(tmp_path)
    text = "\n".join(chapter.markdown for chapter in book.chapters)
    assert "[*A badge*](https://example.org/licence)" in text
    assert "An inline *the logo* and\n with no description." in text
    assert "`![kept](https://example.org/in-code.png)`" in text
    assert "![also kept](https://example.org/in-block.png)" in text
    reported = {(line.line, line.message.split(" is on the web")[0])
                for line in book.report if "is on the web" in line.message}
    assert reported == {(5, "the image 'https://example.org/badge.png'"),
                        (7, "the image 'https://example.org/logo.svg'"),
                        (8, "the image '//example.org/blank.png'")}


def test_the_imported_book_checks_clean(tmp_path):
    source, book = _import(tmp_path)
    target = tmp_path / "book"
    write_book(book, target)
    findings = check_manuscript(target).findings
    assert [f for f in findings if f.code.startswith("X")] == []


def test_a_book_without_a_language_is_told_it_is_english(tmp_path):
    _, book = _import(tmp_path)
    assert book.language == "en"
    assert any("no language in the file's metadata" in line.message for line in book.report)
    source = tmp_path / "french.md"
    source.write_text("---\nlang: fr\n---\n\n# Un\n\nTexte.\n", encoding="utf-8")
    french = markdown.read(source, lambda message: None)
    assert french.language == "fr"
    assert not any("no language" in line.message for line in french.report)


def test_the_import_checks_the_new_book_and_reports_what_the_source_got_wrong(tmp_path):
    """A fault of the source the importer cannot mend (a link to a heading the file
    does not have) is the new book's check finding, printed by `import` and kept in
    import-report.txt at its place in the new book; a clean source says so."""
    import subprocess
    import sys

    from helpers import ROOT

    def run_folio(*args: str, cwd):
        return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                              capture_output=True, text=True, timeout=300, check=False)

    (tmp_path / "guide.md").write_text(
        "# A Guide\n\n## One\n\nSee [the other part](#nowhere).\n\n## Two\n\nText.\n",
        encoding="utf-8")
    done = run_folio("import", "guide.md", "--to", "book", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "checking the new book: 1 thing(s) to mend" in done.stderr
    assert "book/chapters/01-one.md:3:21: L001 link to '#nowhere'" in done.stderr
    report = (tmp_path / "book" / "import-report.txt").read_text(encoding="utf-8")
    assert "chapters/01-one.md:3:21: L001 link to '#nowhere'" in report.splitlines()[-1]
    (tmp_path / "clean.md").write_text("# A Guide\n\n## One\n\nText.\n", encoding="utf-8")
    done = run_folio("import", "clean.md", "--to", "clean", cwd=tmp_path)
    assert "checking the new book: it checks clean" in done.stderr
