"""PDF through WeasyPrint: the whole book as one HTML document with print CSS."""

from __future__ import annotations

from pathlib import Path

import pydyf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from ..model import Book
from ..sandbox import ProjectFetcher
from .context import render_context
from .theme import Theme


def stylesheet(theme: Theme, book: Book) -> str:
    font_url = theme.asset("fonts/LinLibertine_R.otf").parent.as_uri() + "/"
    parts = [
        theme.env.get_template("css/fonts.css").render(font_url=font_url),
        theme.env.get_template("css/book.css").render(),
        theme.env.get_template("css/pdf.css").render(
            trim=book.config.trim, book_title=book.config.title.replace('"', "'")),
    ]
    return "\n".join(parts)


def render_pdf(book: Book, target: Path) -> None:
    theme = Theme(book.config.root)
    context = render_context(book)
    markup = theme.render("pdf/book.html", book, "pdf", css="", **context)
    fetcher = ProjectFetcher([book.config.root, *theme.folders])
    fonts = FontConfiguration()
    css = CSS(string=stylesheet(theme, book), url_fetcher=fetcher, font_config=fonts)
    document = HTML(string=markup, base_url=str(book.config.root) + "/",
                    url_fetcher=fetcher).render(stylesheets=[css], font_config=fonts)
    fetcher.raise_refusals()
    document.write_pdf(target, pdf_tags=True, finisher=page_labels(document, book))


def page_labels(document, book: Book):
    """PDF page labels that match the printed folios: roman up to the first chapter,
    arabic from 1 after, so a viewer's page box shows the number on the page."""
    first = book.chapters[0].id
    start = next((i for i, page in enumerate(document.pages) if first in page.anchors), 0)

    def finish(_document, pdf: pydyf.PDF) -> None:
        ranges = [0, pydyf.Dictionary({"S": "/r"})] if start else []
        ranges += [start, pydyf.Dictionary({"S": "/D"})]
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(ranges)})

    return finish
