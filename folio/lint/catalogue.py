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


RULES = {rule.code: rule for rule in [
    # Configuration and structure
    Rule("M001", ERROR, "book.yaml: a required setting is missing, of the wrong type, or unknown"),
    Rule("M002", ERROR, "a file listed in book.yaml cannot be found or read"),
    Rule("P001", ERROR, "a chapter does not open with a level-1 heading, or holds two"),
    Rule("P002", ERROR, "pandoc cannot read a Markdown file"),
    # Headings and ids
    Rule("H001", ERROR, "a heading skips a level (## followed by ####)"),
    Rule("H002", ERROR, "a chapter has a heading and no text"),
    Rule("D001", ERROR, "the same id is given to two headings or spans ({#id})"),
    # Links and images
    Rule("L001", ERROR, "a link points to an anchor that does not exist"),
    Rule("L002", ERROR, "a link points to a file of the book that does not exist"),
    Rule("X001", ERROR, "an image is missing, outside the book, or not a file"),
    Rule("X002", ERROR, "an image has no alternative text"),
    # Cross-references and mathematics
    Rule("R001", ERROR, "a cross-reference (@fig:…, @tbl:…, @eq:…, @sec:…) names a label "
                        "the book does not have"),
    Rule("E001", ERROR, "a formula ($…$, $$…$$) is not TeX mathematics the converter can "
                        "read"),
    # Notes
    Rule("N001", ERROR, "a note is referenced ([^x]) but never defined"),
    Rule("N002", WARNING, "a note is defined ([^x]: …) but never referenced"),
    Rule("N003", ERROR, "a note label is defined twice"),
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
    # Typography (warnings: pandoc's smart typography usually copes)
    Rule("F001", ERROR, "a character is in no font of the theme or of the fallback chain"),
    Rule("T001", WARNING, "straight quotes in the text where curly ones were meant"),
    Rule("T002", WARNING, "two spaces in a row inside a sentence"),
    Rule("T003", WARNING, "'--' where a dash was meant (use – or —)"),
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
    lines += [f"| {r.code} | {r.severity} | {r.summary} |" for r in RULES.values()]
    return "\n".join(lines)
