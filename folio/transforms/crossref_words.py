"""The words of cross-references and captions in the book's language: "Figure 3.2",
"Tables 1 and 2", "Abbildung 3.2", "List of Figures". Keyed by the primary subtag
of ``language`` in book.yaml; a language not listed gets English. The terms are the
ones each language's academic publishing uses (LaTeX's babel captions: \\figurename,
\\tablename, \\listfigurename, \\listtablename, \\chaptername, \\appendixname).
The print edition's "on p. 47" is varioref's \\reftextfaraway in each language ("on
page", "auf Seite", "à la page"), the page abbreviated as its publishers abbreviate it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    figure: tuple[str, str]  # singular, plural
    table: tuple[str, str]
    equation: tuple[str, str]
    section: tuple[str, str]
    chapter: tuple[str, str]
    appendix: tuple[str, str]
    conjunction: str  # "and" between the last two of a list
    list_of_figures: str
    list_of_tables: str
    caption_separator: str = ": "  # between "Figure 3.2" and the caption
    on_page: str = "on p."  # before a page number in the print edition: "on p. 47"

    def kind(self, kind: str) -> tuple[str, str]:
        """The words for a label prefix: fig, tbl, eq, sec."""
        return {"fig": self.figure, "tbl": self.table, "eq": self.equation,
                "sec": self.section}[kind]


WORDS = {
    "en": Words(("Figure", "Figures"), ("Table", "Tables"), ("Equation", "Equations"),
                ("Section", "Sections"), ("Chapter", "Chapters"), ("Appendix", "Appendices"),
                "and", "List of Figures", "List of Tables", on_page="on p."),
    "fr": Words(("Figure", "Figures"), ("Tableau", "Tableaux"), ("Équation", "Équations"),
                ("Section", "Sections"), ("Chapitre", "Chapitres"), ("Annexe", "Annexes"),
                "et", "Table des figures", "Liste des tableaux", "\u202f: ", on_page="p."),
    "de": Words(("Abbildung", "Abbildungen"), ("Tabelle", "Tabellen"),
                ("Gleichung", "Gleichungen"), ("Abschnitt", "Abschnitte"),
                ("Kapitel", "Kapitel"), ("Anhang", "Anhänge"), "und",
                "Abbildungsverzeichnis", "Tabellenverzeichnis", on_page="auf S."),
    "es": Words(("Figura", "Figuras"), ("Tabla", "Tablas"), ("Ecuación", "Ecuaciones"),
                ("Sección", "Secciones"), ("Capítulo", "Capítulos"), ("Apéndice", "Apéndices"),
                "y", "Índice de figuras", "Índice de tablas", on_page="en la p."),
    "it": Words(("Figura", "Figure"), ("Tabella", "Tabelle"), ("Equazione", "Equazioni"),
                ("Sezione", "Sezioni"), ("Capitolo", "Capitoli"), ("Appendice", "Appendici"),
                "e", "Elenco delle figure", "Elenco delle tabelle", on_page="a p."),
    "pt": Words(("Figura", "Figuras"), ("Tabela", "Tabelas"), ("Equação", "Equações"),
                ("Seção", "Seções"), ("Capítulo", "Capítulos"), ("Apêndice", "Apêndices"),
                "e", "Lista de figuras", "Lista de tabelas", on_page="na p."),
    "nl": Words(("Figuur", "Figuren"), ("Tabel", "Tabellen"), ("Vergelijking", "Vergelijkingen"),
                ("Paragraaf", "Paragrafen"), ("Hoofdstuk", "Hoofdstukken"), ("Bijlage", "Bijlagen"),
                "en", "Lijst van figuren", "Lijst van tabellen", on_page="op p."),
}


def words_for(language: str) -> Words:
    """The words of *language* (a language tag: "de", "pt-BR"); English when unknown."""
    return WORDS.get(language.split("-")[0].lower(), WORDS["en"])
