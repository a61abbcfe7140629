"""Citations and the bibliography: set once for the whole book by pandoc's citeproc."""

from __future__ import annotations

import json

import pytest
from helpers import write_book

from folio.check import check_manuscript
from folio.htmltree import inner_html
from folio.read.book import read_book

BIBTEX = """\
@book{deutscher1954,
  author = {Deutscher, Isaac},
  title = {The Prophet Armed: Trotsky, 1879--1921},
  publisher = {Oxford University Press},
  address = {London},
  year = {1954}
}
@book{known2001a,
  author = {Known, Alice},
  title = {A First Known Work},
  publisher = {Example Press},
  year = {2001}
}
@book{known2001b,
  author = {Known, Alice},
  title = {A Second Known Work},
  publisher = {Example Press},
  year = {2001}
}
@article{paper2010,
  author = {Writer, Ann},
  title = {A Paper},
  journal = {Journal of Examples},
  volume = {3},
  pages = {1--9},
  year = {2010},
  doi = {10.1234/example.5678}
}
"""
CSL_ITEM = {"id": "deutscher1954", "type": "book", "title": "The Prophet Armed: Trotsky, "
            "1879–1921", "author": [{"family": "Deutscher", "given": "Isaac"}],
            "publisher": "Oxford University Press", "publisher-place": "London",
            "issued": {"date-parts": [[1954]]}}
CSL_YAML = """\
references:
  - id: deutscher1954
    type: book
    title: "The Prophet Armed: Trotsky, 1879–1921"
    author:
      - family: Deutscher
        given: Isaac
    publisher: Oxford University Press
    publisher-place: London
    issued:
      date-parts: [[1954]]
"""


def book(tmp_path, chapter: str, settings: str = "", second: str | None = None,
         bibliography: tuple[str, str] = ("works.bib", BIBTEX)):
    chapters = "    - chapters/one.md\n" + ("    - chapters/two.md\n" if second else "")
    config = (f"title: Cited\nauthor: A. Writer\nlanguage: en\n"
              f"bibliography: {bibliography[0]}\n{settings}"
              f"contents:\n  chapters:\n{chapters}")
    files = {bibliography[0]: bibliography[1]}
    if second:
        files["chapters/two.md"] = second
    return write_book(tmp_path / "book", config, chapter, files)


def read(root):
    return read_book(root, warn=lambda message: None)


def note_texts(model) -> list[str]:
    return [" ".join(n.body.text_content().replace("↑", "").split()) for n in model.notes]


@pytest.mark.parametrize("name, text", [
    ("works.bib", BIBTEX),
    ("works.bibtex", BIBTEX),
    ("works.json", json.dumps([CSL_ITEM])),
    ("works.yaml", CSL_YAML),
    ("works.yml", "- " + CSL_YAML.split("  - ", 1)[1].replace("\n    ", "\n  ")),
])
def test_each_bibliography_format_gives_the_same_note_and_entry(tmp_path, name, text):
    model = read(book(tmp_path, "# One\n\nText [@deutscher1954, 12].\n",
                      bibliography=(name, text)))
    assert note_texts(model) == ["Isaac Deutscher, The Prophet Armed: Trotsky, 1879–1921 "
                                 "(Oxford University Press, 1954), 12."]
    [entry] = model.bibliography.entries
    assert entry.id == "ref-deutscher1954"
    assert " ".join(entry.body.text_content().split()) == (
        "Deutscher, Isaac. The Prophet Armed: Trotsky, 1879–1921. Oxford University Press, "
        "1954.")
    assert [s.role for s in model.sections if s.role] == ["notes", "bibliography"]
    assert model.bibliography.title == "Bibliography"


LITERAL_DATES_BIBTEX = """
@book{history,
  author = {Trotsky, Leon},
  title = {The History of the Russian Revolution},
  date = {1930/1932},
}
"""
LITERAL_DATES_CSL = [
    {"id": "history", "type": "book", "author": [{"family": "Trotsky", "given": "Leon"}],
     "title": "The History of the Russian Revolution", "status": "written",
     "issued": {"literal": "1930–32"}},
    {"id": "capital", "type": "book", "author": [{"family": "Piketty", "given": "Thomas"}],
     "title": "Capital in the Twenty-First Century",
     "issued": {"literal": "2013; English translation 2014"},
     "original-date": {"literal": "autumn 2013"}},
]


@pytest.mark.parametrize("name, text", [
    ("works.json", json.dumps(LITERAL_DATES_CSL)),
    ("works.yaml", "references:\n" + "".join(
        f"  - {json.dumps(item, ensure_ascii=False)}\n" for item in LITERAL_DATES_CSL)),
])
def test_a_date_given_in_words_is_set_as_written(tmp_path, name, text):
    """CSL's ``{literal: ...}`` dates, which pandoc hands to Lua as plain text, reach
    citeproc as literal dates, not as an unparsable date ("n.d.")."""
    model = read(book(tmp_path, "# One\n\nA.[^1]\n\n[^1]: See [@history; @capital].\n",
                      bibliography=(name, text)))
    assert note_texts(model) == [
        "See Leon Trotsky, The History of the Russian Revolution (written 1930–32); "
        "Thomas Piketty, Capital in the Twenty-First Century (autumn 2013, "
        "2013; English translation 2014)."]
    entries = [" ".join(e.body.text_content().split()) for e in model.bibliography.entries]
    assert "Trotsky, Leon. The History of the Russian Revolution. Written 1930–32." in entries
    assert not any("n.d." in entry for entry in entries)


def test_a_parsed_date_range_stays_a_date(tmp_path):
    model = read(book(tmp_path, "# One\n\nA [@history].\n",
                      bibliography=("works.bib", LITERAL_DATES_BIBTEX)))
    assert note_texts(model) == [
        "Leon Trotsky, The History of the Russian Revolution (1930–1932)."]


def test_a_note_style_numbers_its_notes_with_the_books_across_chapters(tmp_path):
    """A citation in running text becomes a note after the punctuation that follows it,
    numbered with the author's notes; the first citation of a work is full, the next
    (in another chapter) short; a citation in a note is set inside it."""
    model = read(book(
        tmp_path,
        "# One\n\nA claim [@deutscher1954, 12]. An aside.^[An author's note.]\n",
        second="# Two\n\nAgain^[As [see @deutscher1954, 30] says.] and [@known2001a].\n"))
    assert note_texts(model) == [
        "Isaac Deutscher, The Prophet Armed: Trotsky, 1879–1921 (Oxford University Press, "
        "1954), 12.",
        "An author’s note.",
        "As see Deutscher, The Prophet Armed, 30 says.",
        "Alice Known, A First Known Work (Example Press, 2001).",
    ]
    one, two = model.chapters
    assert one.body.text_content().startswith("One\nA claim.1 An aside.2") or \
        " ".join(one.body.text_content().split()) == "One A claim.1 An aside.2"
    assert " ".join(two.body.text_content().split()) == "Two Again3 and.4"
    assert [n.section_id for n in model.notes] == ["one", "one", "two", "two"]
    assert not model.chapters[0].body.xpath(".//span[@class='folio-cite']")


def test_a_citation_that_opens_a_note_is_capitalized_and_loses_no_punctuation(tmp_path):
    model = read(book(tmp_path, "# One\n\nText.^[[see @deutscher1954, 3]; and more.]\n"))
    assert note_texts(model) == ["See Isaac Deutscher, The Prophet Armed: Trotsky, "
                                 "1879–1921 (Oxford University Press, 1954), 3; and more."]


def test_disambiguation_is_book_wide_in_an_author_date_style(tmp_path):
    """Two works of one author and year, each cited in its own chapter: told apart as
    2001a and 2001b, which a per-file pass could not do."""
    model = read(book(tmp_path, "# One\n\nFirst [@known2001a].\n",
                      "csl: chicago-author-date\n", second="# Two\n\nSecond [@known2001b].\n"))
    one, two = (" ".join(c.body.text_content().split()) for c in model.chapters)
    assert one == "One First (Known 2001a)."
    assert two == "Two Second (Known 2001b)."
    assert not model.notes
    assert model.bibliography.title == "References"
    assert [e.key for e in model.bibliography.entries] == ["known2001a", "known2001b"]


def test_every_citation_links_to_its_entry(tmp_path):
    model = read(book(tmp_path, "# One\n\nA [@known2001a]; @paper2010 [4] says.^[And "
                                "[@deutscher1954].]\n", "csl: apa\n"))
    entries = {e.id for e in model.bibliography.entries}
    links = [a.get("href")[1:] for root in model.texts()
             for a in root.xpath(".//a[starts-with(@href, '#ref-')]")]
    assert sorted(set(links)) == sorted(entries) == [
        "ref-deutscher1954", "ref-known2001a", "ref-paper2010"]
    paper = next(e for e in model.bibliography.entries if e.key == "paper2010")
    assert paper.body.xpath(".//a/@href") == ["https://doi.org/10.1234/example.5678"]
    text = " ".join(model.chapters[0].body.text_content().split())
    assert text == "One A (Known, 2001); Writer (2010, p. 4) says.1"


def test_nocite_lists_works_no_note_cites(tmp_path):
    model = read(book(tmp_path, "# One\n\nA [@known2001a].\n", "nocite: [paper2010]\n"))
    assert [e.key for e in model.bibliography.entries] == ["known2001a", "paper2010"]
    model = read(book(tmp_path, "# One\n\nNo citation.\n", "nocite: '*'\n"))
    assert len(model.bibliography.entries) == 4


@pytest.mark.parametrize("settings, title", [
    ("csl: modern-language-association\n", "Works Cited"),
    ("csl: chicago-note-bibliography\n", "Bibliography"),
    ("csl: apa\nlanguage: fr\n", "Références"),
    ("bibliography_title: Sources\n", "Sources"),
])
def test_the_title_follows_the_setting_the_style_and_the_language(tmp_path, settings, title):
    text = "# One\n\nA [@known2001a].\n"
    root = book(tmp_path, text, settings)
    config = (root / "book.yaml").read_text()
    if "language: fr" in settings:
        config = config.replace("language: en\n", "")
    (root / "book.yaml").write_text(config)
    assert read(root).bibliography.title == title


def test_cross_references_are_left_for_their_own_stage(tmp_path):
    model = read(book(tmp_path, "# One {#sec:one}\n\nSee [@sec:one] and [@known2001a].\n"))
    body = model.chapters[0].body
    [crossref] = body.xpath(".//a[@href='#sec:one']")
    assert crossref.text_content() == "Chapter\xa01"  # a no-break space
    [note] = model.notes  # a note style: the citation is a note, linked to its entry
    assert note.body.xpath(".//a[@href='#ref-known2001a']")
    assert "@" not in body.text_content() + note.body.text_content()


def test_a_handle_in_a_book_without_bibliography_stays_as_written(tmp_path):
    root = write_book(tmp_path / "book", chapter="# One\n\nWrite to @folio on the site.\n")
    model = read(root)
    assert "Write to @folio on the site." in model.chapters[0].body.text_content()


@pytest.mark.parametrize("chapter, config, where, code", [
    ("# One\n\nKnown [@known2001a].\n\nUnknown [see @nobody1999, 4].\n", "",
     "chapters/one.md:5", "B001"),
    ("# One\n\nText.^[Unknown @nobody1999.]\n", "", "chapters/one.md:3", "B001"),
    ("# One\n\nText [@known2001a].\n", "csl: no-such-style\n", "book.yaml:5", "B003"),
    ("# One\n\nText [@known2001a].\n", "csl: styles/house.csl\n", "book.yaml:5", "B003"),
])
def test_citation_errors_are_found_by_check_at_their_line(tmp_path, chapter, config, where,
                                                         code):
    root = book(tmp_path, chapter, config)
    findings = [f for f in check_manuscript(root).findings if f.is_error]
    assert [(f.format(root).split(": ")[0].rsplit(":", 1)[0]
             if f.column else f.format(root).split(": ")[0], f.code) for f in findings] \
        == [(where, code)], [f.format(root) for f in findings]


def test_a_bracketed_citation_without_bibliography_is_an_error(tmp_path):
    root = write_book(tmp_path / "book", chapter="# One\n\nText.\n\nA claim [@doe2020].\n")
    [finding] = check_manuscript(root).findings
    assert (finding.code, finding.line) == ("B001", 5)
    assert "no bibliography" in finding.message


@pytest.mark.parametrize("name, text, line", [
    ("works.bib", BIBTEX + "@book{open,\n  title = {Never closed,\n  year = 2000\n", 32),
    ("works.json", '[{"id": "x",\n  "type": "book"\n', 3),
    ("works.yaml", "references:\n  - id: x\n   type: [book\n", 3),
])
def test_a_bibliography_that_does_not_parse_is_an_error_at_its_line(tmp_path, name, text,
                                                                    line):
    root = book(tmp_path, "# One\n\nText.\n", bibliography=(name, text))
    [finding] = check_manuscript(root).findings
    assert finding.code in ("B002", "M001") and finding.path.name == name
    assert finding.line == line, finding.format(root)


def test_a_forged_citation_marker_is_unmarked(tmp_path):
    root = book(tmp_path, '# One\n\nText <span class="folio-cite" data-cite="1"></span> '
                          "and [@known2001a].\n")
    model = read(root)
    text = inner_html(model.chapters[0].body)
    assert "folio-cite" not in text and "(Known" not in text
    assert model.notes and "Known" in model.notes[0].body.text_content()
    assert any("folio-cite" in r.message for r in model.sanitized)


def test_the_citation_run_is_kept_in_the_parse_cache(tmp_path, monkeypatch):
    import folio.read.pandoc as pandoc
    from folio.read.parsecache import ParseCache

    runs = []
    real = pandoc._run

    def counted(*args, **kwargs):
        runs.append(kwargs.get("writer"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pandoc, "_run", counted)
    root = book(tmp_path, "# One\n\nA claim [@deutscher1954, 12].\n")
    cache = ParseCache(None, pandoc.reading_setting())
    first = note_texts(read_book(root, warn=lambda m: None, cache=cache))
    assert note_texts(read_book(root, warn=lambda m: None, cache=cache)) == first
    assert sum(1 for writer in runs if writer and writer.endswith("citeproc.lua")) == 1
    (root / "works.bib").write_text(BIBTEX.replace("year = {1954}", "year = {1955}"))
    assert "1955" in note_texts(read_book(root, warn=lambda m: None, cache=cache))[0]


MARKED_TITLE_CSL = {"id": "gramsci1971", "type": "book",
                    "author": [{"family": "Gramsci", "given": "Antonio"}],
                    "issued": {"date-parts": [[1971]]}, "publisher": "Lawrence and Wishart"}


@pytest.mark.parametrize("name, text", [
    # CSL YAML holds Markdown, as pandoc reads it: emphasis, and a span kept from case changes
    ("works.yaml", "references:\n  - " + json.dumps(
        {**MARKED_TITLE_CSL, "title": "Selections from the *Prison Notebooks* of "
                                      "[iPhone]{.nocase} fame"}, ensure_ascii=False)),
    # CSL JSON holds CSL's own HTML-like markup
    ("works.json", json.dumps([
        {**MARKED_TITLE_CSL, "title": "Selections from the <i>Prison Notebooks</i> of "
                                      "<span class=\"nocase\">iPhone</span> fame"}])),
])
def test_markup_in_a_title_is_set_not_shown(tmp_path, name, text):
    model = read(book(tmp_path, "# One\n\nText [@gramsci1971].\n",
                      bibliography=(name, text)))
    [entry] = model.bibliography.entries
    words = " ".join(entry.body.text_content().split())
    assert "Prison Notebooks" in words
    assert not any(mark in words for mark in ("*", "<", "{", "nocase")), words
    # the title is italic (Chicago), the words set roman inside it stay as marked
    italic = " ".join(" ".join(e.text_content().split()) for e in entry.body.iter("em", "i"))
    assert "Prison Notebooks" in italic
    assert "iPhone" in words  # not "Iphone": kept from title case


def test_what_the_cleaning_of_a_kept_citation_removed_is_found_where_the_file_now_has_it(
        tmp_path):
    """serve keeps each section's filled citations (folio.memo); what cleaning the
    style's words removed is located in the bibliography at each reading, so a line
    moved in the file moves the finding too."""
    from folio import memo

    entry = ('references:\n  - id: x\n    type: book\n'
             '    title: "Page <span onclick=go()>x</span>"\n'
             '    author: [{family: Doe, given: J}]\n    issued: {date-parts: [[2000]]}\n')
    root = book(tmp_path, "# One {#one}\n\nText.[^1]\n\n[^1]: See @x.\n",
                settings="csl: chicago-notes-bibliography\n",
                bibliography=("works.yaml", entry))

    def lines() -> list[int | None]:
        return sorted(r.line for r in read(root).sanitized if "onclick" in r.message)

    memo.keep()
    try:
        assert lines() == [4, 4]  # the note's words and the bibliography's entry
        (root / "works.yaml").write_text("# two lines\n# above it\n" + entry)
        assert lines() == [6, 6]
    finally:
        memo.keep(False)
