"""Every finding ``build.py check`` can report, with its code, severity and meaning.

Codes are stable: a book may silence one deliberately (``lint: ignore:`` in
book.yaml, or ``<!-- lint: ignore CODE -->`` on the line before)."""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    summary: str
    layout: bool = False  # found by the print layout (every build), not by `check`
    retired: bool = False  # never reported any more; the code stays reserved


RULES = {rule.code: rule for rule in [
    # Configuration and structure
    Rule("M001", ERROR, "book.yaml: a required setting is missing, of the wrong type, or unknown"),
    Rule("M002", ERROR, "a file listed in book.yaml cannot be found or read"),
    Rule("M003", WARNING, "no catalogue of Folio's words serves the book's language, or its "
                          "catalogue lacks some: those words are in English"),
    Rule("P001", ERROR, "a chapter does not open with a level-1 heading, or holds two"),
    Rule("P002", ERROR, "a Markdown file cannot be read: not text (a Word document, a "
                        "picture), not UTF-8, unreadable, or pandoc cannot read it"),
    Rule("P003", WARNING, "pandoc warns about a Markdown file (a link reference defined "
                          "twice, metadata it cannot read, …): its words, at its line and "
                          "column"),
    # Headings and ids
    Rule("H001", ERROR, "a heading skips a level (## followed by ####)"),
    Rule("H002", ERROR, "a chapter has a heading and no text"),
    Rule("D001", ERROR, "the same id is given to two headings or spans ({#id})"),
    # Links and images
    Rule("L001", ERROR, "a link points to an anchor that does not exist (here or in "
                        "the chapter file it names)"),
    Rule("L002", ERROR, "a link points to a file that is not one of the book's chapters"),
    Rule("L003", ERROR, "a reference link ([text][label]) names no link definition: "
                        "pandoc prints it as written, brackets and all"),
    Rule("L004", ERROR, "a cross-reference (@fig:…, @tbl:…, @eq:…, @sec:…) names a label "
                        "the book does not have"),
    Rule("X001", ERROR, "an image is missing, outside the book, or not a file"),
    Rule("X002", ERROR, "an image has no alternative text"),
    # Mathematics
    Rule("E001", ERROR, "a formula ($…$, $$…$$) is not TeX mathematics the converter can "
                        "read"),
    # Notes
    Rule("N001", ERROR, "a note is referenced ([^x]) but never defined: pandoc prints it "
                        "as written"),
    Rule("N002", WARNING, "a note is defined ([^x]: …) but never referenced"),
    Rule("N003", ERROR, "a note label is defined twice (pandoc keeps the last definition)"),
    # Citations and the bibliography
    Rule("B001", ERROR, "a citation ([@key]) names a key that no bibliography of the book "
                        "holds, or the book has no bibliography"),
    Rule("B002", ERROR, "a bibliography file cannot be read or does not parse"),
    Rule("B003", ERROR, "the citation style (csl) is missing or is not a CSL style"),
    # Glossary and index
    Rule("G001", ERROR, "the glossary file is invalid (entry without term or definition, …)"),
    Rule("G002", ERROR, "a term marked [words]{.gloss} is not in the glossary"),
    Rule("G003", WARNING, "a glossary entry is never used in the chapters"),
    Rule("I001", ERROR, "an index mark has no heading ([]{.index} or term=\"\")"),
    # Chronology
    Rule("C001", ERROR, "the chronology is invalid (a date that does not parse, an end "
                        "before the start, a link to no chapter, …)"),
    Rule("C002", WARNING, "chronology events are not in date order"),
    # Typography (warnings, only on what pandoc's smart typography leaves: it curls
    # quotes and makes dashes of -- and --- everywhere but in code, after a backslash
    # and in raw HTML)
    Rule("F001", ERROR, "a character is in no font of the theme or of the fallback chain"),
    Rule("T001", WARNING, "a straight quote that reaches the reader (escaped, or in raw "
                          "HTML) where a curly one was meant"),
    Rule("T002", WARNING, "retired: two spaces in a row. Pandoc reads any run of spaces "
                          "in text as one, so they never reach a reader; the code is "
                          "reserved", retired=True),
    Rule("T003", WARNING, "'--' that reaches the reader (escaped, or in raw HTML) where a "
                          "dash was meant (use – or —)"),
    # Markup the build does not use: it would vanish or be printed as written
    Rule("R001", ERROR, "raw TeX (\\LaTeX, \\newpage, \\begin{…}…\\end{…}) that pandoc "
                        "reads as TeX and the build drops, with the words it stands for. "
                        "An error, not a warning: the text would silently lose them"),
    Rule("R002", ERROR, "an mdBook directive ({{#include …}}, {{#rustdoc_include …}}, "
                        "{{#playground …}}, {{#title …}}), printed as written: import the "
                        "mdBook with build.py import"),
    Rule("R003", WARNING, "a raw passage for another format (```{=latex}```, "
                          "```{=openxml}```), which no output uses: the build leaves it out"),
    # Layout (found by the print layout, reported by the build)
    Rule("W001", WARNING, "a table is too wide for the print edition's text block even in "
                          "smaller type: its values are broken wherever a line must end "
                          "(reported by the build)", layout=True),
    # Safety: raw HTML that a web page or e-reader would run
    Rule("S001", ERROR, "raw HTML <script> in the manuscript"),
    Rule("S002", ERROR, "raw HTML <iframe>, <object> or <embed> in the manuscript"),
    Rule("S003", ERROR, "an event-handler attribute (onclick=, onload=, …) in raw HTML"),
    Rule("S004", ERROR, "a javascript: URL"),
    Rule("S005", WARNING, "raw HTML or an SVG image the build cleaned: an element or "
                          "attribute removed (script, handlers, URLs other than http, "
                          "https, mailto, tel or the book's own files, markup not valid in "
                          "an EPUB 3 or a web page)"),
]}


def catalogue_markdown() -> str:
    """The catalogue as a Markdown table, for the README and ``check --list``."""
    lines = ["| Code | Severity | What it means |", "| --- | --- | --- |"]
    lines += [f"| {r.code} | {'retired' if r.retired else r.severity} | {r.summary} |"
              for r in RULES.values()]
    return "\n".join(lines)
