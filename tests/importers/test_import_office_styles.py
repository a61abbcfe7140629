"""Word's paragraph styles as a manuscript uses them: code paragraphs become one code
block, a table of contents and a list of figures are left out (Folio makes its
own), a document without a title or author is reported, list markers are written
so that no typography rule misreads them."""

from __future__ import annotations

import subprocess

from conftest import run_folio

from folio.check import check_manuscript
from folio.read.pandoc import pandoc_path

SOURCE = """\
::: {custom-style="toc 1"}
Chapter One 1
:::

# Chapter One

Some text.

::: {custom-style="Code"}
first_line = 1
:::

::: {custom-style="Code"}
second_line = 2
:::

::: {custom-style="table of figures"}
Figure 1 A figure 3
:::

1.  First item.
2.  Second item.

More text.
"""


def test_code_contents_and_lists(tmp_path):
    (tmp_path / "styles.md").write_text(SOURCE, encoding="utf-8")
    subprocess.run([pandoc_path(), "styles.md", "-o", "styles.docx"], cwd=tmp_path,
                   check=True, timeout=60)
    result = run_folio("import", "styles.docx", "--to", "book", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    book = tmp_path / "book"
    chapter = (book / "chapters" / "01-chapter-one.md").read_text(encoding="utf-8")
    assert "``` text\nfirst_line = 1\nsecond_line = 2\n```" in chapter
    assert "Chapter One 1" not in chapter and "Figure 1 A figure" not in chapter
    assert "1. First item.\n" in chapter
    report = (book / "import-report.txt").read_text(encoding="utf-8")
    assert "styles.docx: the document's table of contents was left out" in report
    assert "styles.docx: the document has no title (Word's Title style)" in report
    assert "styles.docx: the document names no author (Word's Author style)" in report
    assert not check_manuscript(book).findings
