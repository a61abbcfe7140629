"""What the benchmark reads back from a PDF (pypdfium2), to check that an edit did what
it was meant to: moved a page break, or reached the PDF at all."""

from __future__ import annotations

import re
from pathlib import Path

# What a line break inside a word leaves in pdfium's text: a hyphen (hard or soft, or
# pdfium's U+FFFE / U+0002 marks for one) and white space.
_BREAKS = re.compile(r"[\s\-\u00ad\u2010\ufffe\u0002]+")


def page_texts(pdf: bytes | Path) -> list[str]:
    """The text of each page of *pdf* (a file or its bytes), without line breaks,
    hyphens or white space, so that a word split across lines reads whole."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf.read_bytes() if isinstance(pdf, Path) else pdf)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(_BREAKS.sub("", textpage.get_text_range()))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def pages_changed(before: list[str], after: list[str]) -> int:
    """How many pages differ between two readings of a PDF by :func:`page_texts` (a page
    added or gone counts as one). Text added to one page changes that page alone unless
    it moves a page break, which changes the pages after it too: 2 or more."""
    return (sum(a != b for a, b in zip(before, after, strict=False))
            + abs(len(before) - len(after)))


def holds(pdf: bytes, word: str) -> bool:
    """Whether the text of *pdf* holds *word* (a word without hyphens); False for bytes
    that are not a whole PDF, such as a file caught being written."""
    import pypdfium2

    try:
        return any(word in text for text in page_texts(pdf))
    except pypdfium2.PdfiumError:
        return False


def edition(output: Path) -> Path:
    """The screen PDF in a build's *output* folder: the PDF whose name is shortest (the
    print, proof and cover editions add a suffix to the same slug). Raises
    FileNotFoundError when there is none."""
    pdfs = sorted(output.glob("*.pdf"), key=lambda p: len(p.name))
    if not pdfs:
        raise FileNotFoundError(f"{output}: no PDF")
    return pdfs[0]
