"""The screen edition's XMP metadata stream (ISO 16684-1), and what PDF/UA-1 asks of the
catalog beside it (ISO 14289-1, 7.1 and 7.18: the ``pdfuaid:part`` identification, a
``dc:title``, the document's language, the title shown in the viewer's window).

The Info dictionary is written first (title, author, subject, keywords, creator,
producer, dates); the XMP is made from it with pikepdf and then given what Info has
no field for (language, rights, identifier), so the two always agree. Nothing in the
stream depends on the time of writing: the dates are the build's timestamp, and
pikepdf's own mark (``xmp:MetadataDate`` now, its name as producer) is left out,
so two builds of one commit give the same bytes."""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf

from ..htmltree import text_of
from ..model import Book

PDFUA_PART = 1  # ISO 14289-1 (PDF/UA-1)
PDF_VERSION = "1.7"  # ISO 32000-1, the base of PDF/UA-1


@dataclass(frozen=True)
class Identification:
    """What the XMP says of a book beyond its Info dictionary: *language* (BCP 47),
    *identifier* (``urn:isbn:…`` or ``urn:uuid:…``), *rights* (plain text)."""

    language: str
    identifier: str
    rights: str = ""


def identification(book: Book) -> Identification:
    """The screen edition's identification from *book*'s metadata. The identifier is the
    print edition's ISBN when the book has one (the screen edition has the printed
    book's pages and page numbers, and is cited as it is), else the book's UUID."""
    config = book.config
    isbn = config.isbn.get("print")
    identifier = f"urn:isbn:{isbn.replace('-', '')}" if isbn else config.identifier
    rights = book.meta_html.get("rights")
    return Identification(language=config.language, identifier=identifier,
                          rights=text_of(rights) if rights is not None else config.rights)


def iso_date(stamp: str) -> str:
    """A PDF date ``D:YYYYMMDDHHMMSSZ`` as XMP writes dates: ``YYYY-MM-DDTHH:MM:SSZ``."""
    digits = "".join(c for c in stamp if c.isdigit())[:14].ljust(14, "0")
    return (f"{digits[0:4]}-{digits[4:6]}-{digits[6:8]}T"
            f"{digits[8:10]}:{digits[10:12]}:{digits[12:14]}Z")


def write_metadata(pdf: pikepdf.Pdf, who: Identification) -> None:
    """Give *pdf* (whose Info dictionary is complete) an XMP stream that says what Info
    says and *who*, and claims PDF/UA-1; set the catalog's language, the viewer's
    title display and marked-content flag, and the tab order of every page with
    annotations (structure order, ``/Tabs /S``, ISO 14289-1 7.18.3)."""
    info = pdf.docinfo
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta.load_from_docinfo({key: value for key, value in info.items()
                                if key not in ("/CreationDate", "/ModDate")},
                               raise_failure=True)
        for key, field in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
            if key in info:
                meta[field] = iso_date(str(info[key]))
        meta["dc:language"] = [who.language]
        meta["dc:identifier"] = who.identifier
        if who.rights:
            meta["dc:rights"] = who.rights
        meta["pdfuaid:part"] = str(PDFUA_PART)
    pdf.Root.Lang = pikepdf.String(who.language)
    if "/ViewerPreferences" not in pdf.Root:  # the join may have set the reading direction
        pdf.Root.ViewerPreferences = pikepdf.Dictionary()
    pdf.Root.ViewerPreferences.DisplayDocTitle = True
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    for page in pdf.pages:
        if page.obj.get("/Annots"):
            page.obj.Tabs = pikepdf.Name.S
