"""The theme: Jinja2 templates, stylesheets and fonts, a book's own files before
Folio's defaults (``templates``), and the values every template may use
(``context``)."""
