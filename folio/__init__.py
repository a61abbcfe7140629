"""Folio: one manuscript in, a print-ready PDF, an EPUB 3 and a web book out."""

__version__ = "0.1.0"
