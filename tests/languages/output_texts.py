"""The text a reader meets in each output of a built book: the PDF's extracted text,
each EPUB content document, its navigation, NCX and package metadata, each web page's
visible text with its labels (aria-label, title, placeholder, alt and the search
messages), the handouts' text. Each as (where, text)."""

from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
from lxml import etree
from lxml import html as lxml_html

LABELS = ("aria-label", "title", "placeholder", "alt")


def pdf_text(path: Path) -> str:
    """Every page's text, lines joined by spaces, hyphenation at line ends undone."""
    document = pdfium.PdfDocument(path)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    text = re.sub(r"[\u00ad\ufffe-]\r?\n", "", text)  # a word hyphenated across lines
    return re.sub(r"\s+", " ", text.replace("\ufffe", ""))


def markup_text(tree) -> str:
    """The text of an (X)HTML tree and the labels of its elements, scripts and styles
    left out; the web book's search messages (JSON in data-messages) included."""
    for element in tree.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in ("script", "style"):
            element.text = ""
    pieces = ["".join(tree.itertext())]
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        pieces += [element.get(name) for name in LABELS if element.get(name)]
        if element.get("data-messages"):
            messages = json.loads(element.get("data-messages"))
            pieces += [v if isinstance(v, str) else " ".join(v.values())
                       for v in messages.values()]
    return re.sub(r"\s+", " ", " ".join(pieces))


def epub_texts(path: Path) -> list[tuple[str, str]]:
    """Each XHTML document (content, nav with page-list and landmarks), the NCX and
    the package document's metadata, as text."""
    found = []
    with zipfile.ZipFile(path) as epub:
        for name in epub.namelist():
            data = epub.read(name)
            if name.endswith(".xhtml"):
                found.append((name, markup_text(etree.fromstring(data))))
            elif name.endswith(".ncx"):
                found.append((name, re.sub(r"\s+", " ", "".join(
                    etree.fromstring(data).itertext()))))
            elif name.endswith(".opf"):
                metadata = etree.fromstring(data).find("{http://www.idpf.org/2007/opf}metadata")
                found.append((f"{name} metadata", re.sub(r"\s+", " ", " ".join(
                    metadata.itertext()))))
    return found


def web_texts(folder: Path) -> list[tuple[str, str]]:
    """Each web page's text and labels."""
    return [(page.name, markup_text(lxml_html.fromstring(page.read_bytes())))
            for page in sorted(folder.glob("*.html"))]


def texts_of(built: dict[str, Path]) -> list[tuple[str, str]]:
    """(where, text) of every output of a book built by ``language_build``."""
    texts = [(built["pdf"].name, pdf_text(built["pdf"]))]
    texts += [(f"epub {name}", text) for name, text in epub_texts(built["epub"])]
    texts += [(f"web {name}", text) for name, text in web_texts(built["html"])]
    handouts = built["handouts"]
    folder = handouts if handouts.is_dir() else handouts.parent
    texts += [(f"handout {p.name}", pdf_text(p)) for p in sorted(folder.glob("*.pdf"))]
    return [(where, html.unescape(text)) for where, text in texts]
