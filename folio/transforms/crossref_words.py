"""The words of cross-references and captions in the book's language: "Figure 3.2",
"Tables 1 and 2", "Abbildung 3.2", "List of Figures", from the message catalogues
(folio.i18n: ``figure``/``figures`` … ``list_of_tables``, ``on_page``). A label word may
hold ``{n}`` where its language puts the number inside or before it ("第{n}章",
"{n}. ábra"). The terms are
the ones each language's academic publishing uses (LaTeX's babel captions:
\\figurename, \\tablename, \\listfigurename, \\listtablename, \\chaptername,
\\appendixname); the print edition's "on p. 47" is varioref's \\reftextfaraway in
each language ("on page", "auf Seite", "à la page"), the page abbreviated as its
publishers abbreviate it."""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import Strings


@dataclass(frozen=True)
class Words:
    figure: tuple[str, str]  # singular, plural
    table: tuple[str, str]
    equation: tuple[str, str]
    section: tuple[str, str]
    chapter: tuple[str, str]
    appendix: tuple[str, str]
    conjunction: str  # " and " between the last two of a list, with its spaces ("和": none)
    list_of_figures: str
    list_of_tables: str
    caption_separator: str = ": "  # between "Figure 3.2" and the caption
    on_page: str = "on p."  # before a page number in the print edition: "on p. 47"
    quoted: str = "“{text}”"  # a section's title in a reference, in the language's quotes
    separator: str = ", "  # between the items of a list but the last two ("、" in Chinese)

    def kind(self, kind: str) -> tuple[str, str]:
        """The words for a label prefix: fig, tbl, eq, sec."""
        return {"fig": self.figure, "tbl": self.table, "eq": self.equation,
                "sec": self.section}[kind]

    @staticmethod
    def around(word: str) -> tuple[str, str]:
        """What goes before and after a number (or a list of numbers) labelled by
        *word*: "Figure" → ("Figure\u00a0", ""); a word with the number inside it,
        where the language puts it there, "第{n}章" → ("第", "章")."""
        if "{n}" in word:
            before, after = word.split("{n}", 1)
            return before, after
        return f"{word}\u00a0", ""

    def label(self, word: str, number: str) -> str:
        """*number* labelled by *word*: "Figure 3.2", "第3章", "3. ábra"."""
        before, after = self.around(word)
        return f"{before}{number}{after}"

    def titled(self, word: str, title: str) -> str:
        """A section's quoted *title* after *word*: "Section “Title”"."""
        return word.replace("{n}", title) if "{n}" in word else f"{word} {title}"

    def quote(self, text: str) -> str:
        """*text* between the language's quotation marks."""
        return self.quoted.format(text=text)


def words_for(strings: Strings) -> Words:
    """The words of the book whose Strings are *strings* (its language's catalogue,
    with the book's own ``strings`` from book.yaml)."""
    def pair(one: str, many: str) -> tuple[str, str]:
        return strings.message(one), strings.message(many)  # may hold {n}

    return Words(pair("figure", "figures"), pair("table", "tables"),
                 pair("equation", "equations"), pair("section", "sections"),
                 pair("chapter", "chapters"), pair("appendix", "appendices"),
                 strings.text("and"), strings.text("list_of_figures"),
                 strings.text("list_of_tables"), strings.text("caption_separator"),
                 strings.message("on_page"), strings.message("quoted"),
                 strings.text("list_separator"))
