"""Citations and the bibliography, set once for the whole book by pandoc's citeproc.

Pandoc's reading of each file (``fragments.lua``) keeps its citations and leaves an
empty ``<span class="folio-cite" data-cite="N">`` in their place. This pass walks
the book in reading order (each section's text; each note where it is referenced),
sends every citation to one more pandoc run (``citeproc.lua``) in a document of the
same shape, a citation in running text as running text and one in a note inside a
note, and fills the placeholders with what the style made of them:

- a note style (Chicago notes) makes a citation in running text a note, which joins
  the book's endnotes (``transforms.notes`` numbers them with the others), after
  the punctuation that follows it; a citation inside a note is set in that note,
  full the first time and short after, through the whole book;
- an author-date style sets citations in the text, "(Trotsky 1930, 12)";
- every citation links to its entry (``#ref-KEY``), and the entries make the
  book's bibliography (``model.Bibliography``), its title from book.yaml
  (``bibliography_title``) or the style's kind, in the book's language.

An unknown key (B001), a bibliography that does not parse (B002) and a style that
cannot be read (B003, ``bibconfig``) are BuildErrors at their file and line."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from itertools import groupby
from pathlib import Path

import yaml
from lxml import html as lxml_html

from ..errors import BuildError, find_line, raise_all
from ..files import read_bytes, read_text
from ..htmltree import fragment, inner_html
from ..i18n import Strings
from ..memo import Table, in_place
from ..model import BibEntry, Bibliography, Section
from .bibconfig import BibliographyError, CitationError, CitationSettings
from .parsecache import ParseCache
from .removals import Origin, Removal, locate
from .sanitize import Change, sanitize_html
from .yamlfile import load_yaml

# The title of the list, by the style's citation format (the words of the Chicago
# Manual, the MLA Handbook and the APA Manual): messages of the catalogues (folio.i18n).
TITLES = {"note": "bibliography_note", "author": "bibliography_author"}
DEFAULT_TITLE = "bibliography_default"
PUNCTUATION = ".,;:!?"  # what a note mark follows (pandoc's notes-after-punctuation)


@dataclass
class _Place:
    """Where a citation of the book is: its section (position in the book), the
    note it is in (0-based index among the section's notes, or None) and its number
    among the section's citations (1-based, as ``data-cite``)."""

    section: int
    note: int | None
    number: int


def _writer() -> str:
    return str(resources.files("folio.read") / "filters" / "citeproc.lua")


def resolve_citations(settings: CitationSettings, language: str, sections: list[Section],
                      notes: list[list[str]], cites: list[list[dict]],
                      removed: list[Removal], cache: ParseCache | None = None,
                      strings: Strings | None = None) -> Bibliography | None:
    """Fill every citation placeholder of *sections* (their bodies, parsed) and of
    *notes* (each section's notes, HTML, changed in place; a note style's notes are
    added to them) from *cites* (each section's citations, as pandoc's reading kept
    them); the bibliography, or None when the book has none. What the cleaning of
    the style's output removes is added to *removed*. Pandoc's answer is kept in
    *cache* under a hash of everything it depends on (citeproc takes seconds for a
    few hundred citations in a note style; the rest of this pass, milliseconds).
    The list's title is the style's in *strings* (those of *language* when None)."""
    if not settings.bibliographies:
        _without_bibliography(sections, notes, cites)
        return None
    order, units = _reading_order(sections, notes, cites)
    job = {
        "lang": language, "csl": str(settings.style.path),
        "note_style": settings.style.kind == "note",
        "bibliographies": [_bibliography(path, form) for path, form in settings.bibliographies],
        "nocite": settings.nocite,
        "cites": [cites[p.section][p.number - 1]["cite"] for p in order],
        "units": units,
    }
    stdin = "```{=folio-citations}\n" + json.dumps(job, ensure_ascii=False) + "\n```\n"
    answer = _citeproc(stdin, settings, language, cache)
    _raise_unreadable(settings, answer.get("errors") or [])
    _raise_unknown(settings, sections, cites, order, set(answer.get("keys") or []))
    origin = Origin(settings.bibliographies[0][0])
    results = answer.get("cites") or []
    note_style = settings.style.kind == "note"
    for index, numbers in groupby(range(len(order)), key=lambda number: order[number].section):
        places = [(order[number], (results[number] if number < len(results) else None)
                   or {"html": "", "notes": []}) for number in numbers]
        key = (json.dumps([result for _, result in places], sort_keys=True),
               tuple((place.note, place.number) for place, _ in places),
               tuple(notes[index]), note_style)
        notes[index][:], cleanings = in_place(
            _FILLED, sections[index].body, key,
            lambda body, places=places, index=index:
            _fill_section(body, places, notes[index], note_style))
        for changes in cleanings:  # located afresh: the bibliography's lines may move
            removed += locate(changes, origin)
    entries = []
    for entry in answer.get("entries") or []:
        text, changes = sanitize_html(entry["html"])
        removed += locate(changes, origin)
        key = entry["id"].removeprefix("ref-")
        entries.append(BibEntry(id=entry["id"], key=key, body=fragment(text)))
    if not entries:
        return None
    strings = strings or Strings(language)
    return Bibliography(title=settings.title or _title(settings, strings), entries=entries,
                        style=settings.style.kind)


def _citeproc(stdin: str, settings: CitationSettings, language: str,
              cache: ParseCache | None) -> dict:
    """Pandoc's answer to the job *stdin*, from *cache* when it has it."""
    from .pandoc import _run

    key = None
    if cache is not None:
        depends = (stdin.encode() + Path(_writer()).read_bytes()
                   + read_bytes(settings.style.path, [settings.style.path.parent]))
        key = cache.key(depends, f"citeproc|{language}")
        record = cache.get(key)
        if record is not None and isinstance(record.get("citeproc"), dict):
            return record["citeproc"]
    answer = _run(stdin, settings.bibliographies[0][0], language, writer=_writer())
    if key is not None and not answer.get("errors"):
        cache.put(key, {"body": "", "notes": [], "warnings": [], "citeproc": answer})
    return answer


def _title(settings: CitationSettings, strings: Strings) -> str:
    return strings.text(TITLES.get(settings.style.citation_format, DEFAULT_TITLE))


_BIBLIOGRAPHIES = Table(16)  # serve: each bibliography file as the run takes it (folio.memo)


def _bibliography(path: Path, form: str) -> dict:
    """A bibliography file for the run: read by the rule of ``folio.files``; CSL YAML
    (which pandoc reads only as Markdown metadata) checked here and passed on as a
    Markdown document's metadata; CSL JSON checked here, where a syntax error has a
    line."""
    root = path.parent
    try:
        key = (str(path), form, read_bytes(path, [root]))
        kept = _BIBLIOGRAPHIES.get(key)
        if kept is None:
            kept = _bibliography_text(path, form, root)
            _BIBLIOGRAPHIES.put(key, kept)
        return kept
    except BibliographyError:
        raise
    except BuildError as error:  # not UTF-8, too large, invalid YAML: a B002 all the same
        raise BibliographyError(error.message, error.path, error.line, error.column) from None


def _bibliography_text(path: Path, form: str, root: Path) -> dict:
    if form == "cslyaml":
        data = load_yaml(path, root)
        items = data.get("references") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise BibliographyError("a CSL YAML bibliography is a list of works, or "
                                    "'references:' and the list", path, 1)
        # Its text fields are Markdown (`*Title*`, `[iPhone]{.nocase}`), as in pandoc's own
        # reading of CSL YAML: it goes to pandoc as a Markdown document's metadata.
        plain = json.loads(json.dumps(items, default=str))  # dates as written, no subclasses
        listing = yaml.safe_dump({"references": plain}, allow_unicode=True, sort_keys=False)
        return {"text": f"---\n{listing}...\n", "format": "markdown"}
    text = read_text(path, [root], what="bibliography")
    if form == "csljson":
        try:
            json.loads(text)
        except json.JSONDecodeError as error:
            raise BibliographyError(f"the bibliography is not JSON: {error.msg}", path,
                                    error.lineno, error.colno) from None
    return {"text": text, "format": form}


def _raise_unreadable(settings: CitationSettings, errors: list[dict]) -> None:
    problems = []
    for error in errors:
        path = settings.bibliographies[error["index"] - 1][0]
        message = " ".join(error["message"].split())
        found = re.search(r"line (\d+), column (\d+)", message)
        line, column = (int(found[1]), int(found[2])) if found else (None, None)
        message = re.sub(r"^Error at \(line \d+, column \d+\):\s*", "", message)
        problems.append(BibliographyError(f"the bibliography does not parse: {message}",
                                          path, line, column))
    raise_all(problems)


def _raise_unknown(settings: CitationSettings, sections: list[Section],
                   cites: list[list[dict]], order: list[_Place], keys: set[str]) -> None:
    """B001 for each key a citation names that no bibliography holds, at its line."""
    problems, seen = [], set()
    for place in order:
        cite = json.loads(cites[place.section][place.number - 1]["cite"])
        for citation in cite["c"][0]:
            key = citation["citationId"]
            source = sections[place.section].source
            if key in keys or (source, key) in seen:
                continue
            seen.add((source, key))
            line = find_line(source, "@" + re.escape(key) + r"(?![\w:.#$%&+?<>~/-]*\w)")
            problems.append(CitationError(f"citation key '{key}' is in no bibliography of "
                                          "the book", source, line))
    for key in settings.nocite:
        if key != "*" and key not in keys:
            problems.append(CitationError(f"'nocite': key '{key}' is in no bibliography of "
                                          "the book", None))
    raise_all(problems)


def _without_bibliography(sections: list[Section], notes: list[list[str]],
                          cites: list[list[dict]]) -> None:
    """A book without a bibliography: ``@name`` in running text stays as written (a
    handle, not a citation); any other citation is an error at its line."""
    problems = []
    for index, section in enumerate(sections):
        if not cites[index]:
            continue
        roots = [section.body] + [fragment(note) for note in notes[index]]
        for root in roots:
            for marker in root.xpath(".//span[@class='folio-cite']"):
                cite = cites[index][int(marker.get("data-cite")) - 1]
                citations = json.loads(cite["cite"])["c"][0]
                if len(citations) == 1 and citations[0]["citationMode"]["t"] == "AuthorInText":
                    _replace(marker, [], cite["text"])
                    continue
                key = citations[0]["citationId"]
                line = find_line(section.source, "@" + re.escape(key))
                problems.append(CitationError(
                    f"citation '{cite['text']}', but book.yaml names no bibliography "
                    "(bibliography: works.bib)", section.source, line))
        notes[index][:] = [inner_html(root) for root in roots[1:]]
    raise_all(problems)


def _reading_order(sections: list[Section], notes: list[list[str]],
                   cites: list[list[dict]]) -> tuple[list[_Place], list[dict]]:
    """Every citation of the book in reading order, and the units of the run: a
    citation in running text, or a note of the book with the citations in it."""
    order: list[_Place] = []
    units: list[dict] = []
    for index, section in enumerate(sections):
        if section.body is None:
            continue
        markers = section.body.xpath(".//span[@class='folio-noteref' or @class='folio-cite']")
        for marker in markers:
            if marker.get("class") == "folio-cite":
                order.append(_Place(index, None, int(marker.get("data-cite"))))
                units.append({"text": len(order)})
                continue
            note = int(marker.get("data-note")) - 1
            unit: dict = {"note": [], "first": []}
            if note < len(notes[index]) and cites[index]:
                root = fragment(notes[index][note])
                for cite in root.xpath(".//span[@class='folio-cite']"):
                    order.append(_Place(index, note, int(cite.get("data-cite"))))
                    unit["note"].append(len(order))
                    unit["first"].append(_opens(root, cite))
            units.append(unit)
    return order, units


def _opens(root: lxml_html.HtmlElement, marker: lxml_html.HtmlElement) -> bool:
    """Whether *marker* opens its note: no words before it."""
    marker.text = "\ufdd0"
    try:
        return not root.text_content().split("\ufdd0", 1)[0].strip()
    finally:
        marker.text = None


# serve: each section's body with its citations filled, and its notes, by the body's
# markup and what fills it (folio.memo)
_FILLED = Table(4_000)


def _fill_section(body: lxml_html.HtmlElement, places: list[tuple[_Place, dict]],
                  section_notes: list[str],
                  note_style: bool) -> tuple[list[str], list[list[Change]]]:
    """The citations of one section filled (*places*: each with the style's result),
    in *body* and in *section_notes* (HTML, changed in place); its notes after, and
    what the cleaning of the style's words changed, one list a fragment cleaned."""
    cleanings: list[list[Change]] = []
    for place, result in places:
        _fill(place, result, body, section_notes, cleanings, note_style)
    return list(section_notes), cleanings


def _fill(place: _Place, result: dict, body: lxml_html.HtmlElement, section_notes: list[str],
          cleanings: list[list[Change]], note_style: bool) -> None:
    """Replace the placeholder of the citation at *place* (in *body*, or in one of
    *section_notes*) with the style's words; what cleaning them changed is added to
    *cleanings*."""
    markup, changes = sanitize_html(result["html"])
    cleanings.append(changes)
    made = []
    for text in result["notes"]:
        cleaned, more = sanitize_html(text)
        cleanings.append(more)
        made.append(cleaned)
    root = body if place.note is None else fragment(section_notes[place.note])
    marker = root.xpath(f".//span[@class='folio-cite'][@data-cite='{place.number}']")[0]
    words = fragment(markup)
    if re.match(f"[{re.escape(PUNCTUATION)}]", marker.tail or ""):
        _drop_final_period(words)  # "… 5." before the note's own "." or ","
    for link in words.xpath(".//a[starts-with(@href, '#ref-')]"):
        link.set("role", "doc-biblioref")
    for new in words.xpath(".//span[@class='folio-citenote']"):
        note = fragment(made[int(new.get("data-n")) - 1])
        for link in note.xpath(".//a[starts-with(@href, '#ref-')]"):
            link.set("role", "doc-biblioref")
        section_notes.append(inner_html(note))
        new.set("class", "folio-noteref")
        new.set("data-note", str(len(section_notes)))
        del new.attrib["data-n"]
    alone = len(words) == 1 and words[0].get("class") == "folio-noteref" \
        and not (words.text or "").strip() and not (words[0].tail or "").strip()
    _replace(marker, list(words), words.text or "", note_mark=alone and note_style)
    if place.note is not None:
        section_notes[place.note] = inner_html(root)


def _drop_final_period(root: lxml_html.HtmlElement) -> None:
    """Remove the period that ends the words of *root*, wherever the last words are."""
    holder, slot = root, "text"
    while True:
        if len(holder) and (holder[-1].tail or "").strip():
            holder, slot = holder[-1], "tail"
            break
        if len(holder):
            holder = holder[-1]
            continue
        break
    text = getattr(holder, slot) or ""
    if text.rstrip().endswith("."):
        setattr(holder, slot, text.rstrip()[:-1])


def _replace(marker, elements: list, text: str, note_mark: bool = False) -> None:
    """Put *text* and *elements* where *marker* is. A note mark goes after the
    punctuation that follows it and without the space before it."""
    parent = marker.getparent()
    previous = marker.getprevious()
    tail = marker.tail or ""
    if note_mark:
        moved = re.match(f"[{re.escape(PUNCTUATION)}]+", tail)
        lead = (moved[0] if moved else "")
        tail = tail[len(lead):]
        if previous is not None:
            previous.tail = (previous.tail or "").rstrip() + lead
        else:
            parent.text = (parent.text or "").rstrip() + lead
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    position = parent.index(marker)
    for offset, element in enumerate(elements):
        parent.insert(position + offset, element)
    if elements:
        elements[-1].tail = (elements[-1].tail or "") + tail
    else:
        anchor = parent[position - 1] if position else None
        if anchor is not None:
            anchor.tail = (anchor.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(marker)


__all__ = ["resolve_citations"]
