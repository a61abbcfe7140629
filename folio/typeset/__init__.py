"""The print engine: the book laid out by WeasyPrint a section at a time
(``typesetter``), each section a part kept between builds (``parts``), the parts
joined into one tagged PDF (``join``, ``fontjoin``), the print variant with
bleed, page labels, paper sizes, booklet imposition, and the URL fetcher that
keeps WeasyPrint inside the book. The PDF, the EPUB (page-list, cover) and the
handouts all use it."""
