"""A .docx, an .odt and one long Markdown file, made by the tests, imported through
the command line: each checks with no finding, builds in every format (EPUBCheck
without an error or warning), keeps every paragraph, note, quotation, caption and
table cell in every output, and maps the title, quotations, captions and notes."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import (
    AUTHORS,
    CHAPTERS,
    FIGURE_CAPTION,
    INTENSE_QUOTE,
    NOTES,
    PREFACE,
    QUOTE,
    SUBTITLE,
    TABLE_CAPTION,
    TITLE,
    every_text,
    run_folio,
)
from helpers import (
    LOCATED,
    documents,
    epub_files,
    epubcheck_report,
    html_files,
    local,
    normalise,
    pdf_body_text,
    text_without_noterefs,
)

from folio.check import check_manuscript


def test_the_import_says_what_needs_a_hand(imported):
    kind, folder, result = imported
    assert "Traceback" not in result.stderr
    report = (folder / "import-report.txt").read_text(encoding="utf-8").splitlines()
    # The preface had no heading, and one image no description: both located in the book.
    assert any(line.startswith("front/01-preface.md:1: ") for line in report), report
    described = [line for line in report if "had no description" in line]
    assert len(described) == 1, report
    where = LOCATED.match(described[0])
    chapter = (folder / where["path"]).read_text(encoding="utf-8").splitlines()
    assert "](images/" in chapter[int(where["line"]) - 1]
    for line in report:
        assert LOCATED.match(line), line
        assert line in result.stderr.replace(f"{folder}/", "") or line in result.stderr


def test_book_yaml_has_the_title_page(imported):
    _, folder, _ = imported
    settings = yaml.safe_load((folder / "book.yaml").read_text(encoding="utf-8"))
    assert settings["title"] == TITLE
    assert settings["subtitle"] == SUBTITLE
    assert settings["author"] == " and ".join(AUTHORS)
    assert settings["date"] == "2025-04-01"
    assert settings["contents"]["front"] == ["front/01-preface.md"]
    assert [p.split("/")[0] for p in settings["contents"]["chapters"]] == ["chapters"] * 3


def test_each_note_is_in_its_chapter(imported):
    _, folder, _ = imported
    for number, (title, paragraphs) in enumerate(CHAPTERS.items(), start=2):
        [path] = folder.glob(f"chapters/{number:02d}-*.md")
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# {title}\n")
        assert text.count("\n# ") == 0, "one level-1 heading a chapter"
        for other, note in NOTES.items():
            assert (note in text) == (other == title), (path.name, note)
        assert all(p in text for p in paragraphs)
    assert PREFACE[0] in next(folder.glob("front/*.md")).read_text(encoding="utf-8")


def test_check_finds_nothing(imported):
    kind, folder, _ = imported
    checked = check_manuscript(folder)
    assert not checked.findings, "\n".join(f.format(folder) for f in checked.findings)
    result = run_folio("check", "--strict", "--book", str(folder), cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr


def test_epubcheck_finds_nothing(built_import):
    kind, outputs = built_import
    report = epubcheck_report(outputs["epub"])
    assert report == "", f"{kind}: {report}"


@pytest.fixture(scope="session", params=["pdf", "epub", "html"])
def output_text(request, built_import) -> tuple[str, str, str]:
    kind, outputs = built_import
    fmt = request.param
    if fmt == "pdf":
        text = pdf_body_text(outputs["pdf"], 50)
    else:
        files = epub_files(outputs["epub"]) if fmt == "epub" else html_files(outputs["html"])
        pages = {name: data for name, data in files.items()
                 if name.endswith((".xhtml", ".html")) and not name.endswith("book.html")}
        text = "\n".join(text_without_noterefs(tree) for tree in documents(pages).values())
    return kind, fmt, text


def test_every_word_is_in_every_output(output_text):
    kind, fmt, text = output_text
    flat = normalise(text)
    missing = [t for t in every_text() if normalise(t) not in flat]
    assert not missing, f"{kind} → {fmt}: missing {missing}"


def test_quotations_captions_and_tables_are_marked_up(built_import):
    kind, outputs = built_import
    trees = documents({n: d for n, d in epub_files(outputs["epub"]).items()
                       if n.endswith(".xhtml")})
    found = {"blockquote": [], "figcaption": [], "caption": [], "img": []}
    for tree in trees.values():
        for element in tree.iter():
            name = local(element)
            if name in found:
                found[name].append(element)
    quotes = [" ".join("".join(q.itertext()).split()) for q in found["blockquote"]]
    assert any(QUOTE in q for q in quotes) and any(INTENSE_QUOTE in q for q in quotes), quotes
    captions = [" ".join("".join(c.itertext()).split()) for c in found["figcaption"]]
    assert any(FIGURE_CAPTION in c for c in captions), captions
    tables = [" ".join("".join(c.itertext()).split()) for c in found["caption"]]
    assert any(TABLE_CAPTION in c for c in tables), tables
    alts = [img.get("alt") for img in found["img"] if "images/" in (img.get("src") or "")
            or "image" in (img.get("src") or "")]
    assert FIGURE_CAPTION in alts and all(alt and alt.strip() for alt in alts), alts


def test_the_pdf_shows_the_picture(built_import):
    import pypdfium2 as pdfium

    kind, outputs = built_import
    document = pdfium.PdfDocument(outputs["pdf"])
    images = sum(1 for page in document for obj in page.get_objects()
                 if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
    document.close()
    assert images >= 2, f"{kind}: {images} images in the PDF"


def test_split_level_two_makes_parts(sources, tmp_path):
    source = tmp_path / "parts.md"
    source.write_text("---\ntitle: Parts\nauthor: A. Writer\n---\n\n# Part One\n\n"
                      "## First\n\nText one.\n\n## Second\n\nText two.\n\n# Part Two\n\n"
                      "## Third\n\nText three.\n", encoding="utf-8")
    result = run_folio("import", str(source), "--to", "book", "--split-level", "2",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    settings = yaml.safe_load((tmp_path / "book" / "book.yaml").read_text(encoding="utf-8"))
    assert settings["contents"]["chapters"] == [
        {"part": "Part One"}, "chapters/01-first.md", "chapters/02-second.md",
        {"part": "Part Two"}, "chapters/03-third.md"]
    assert (tmp_path / "book" / "chapters" / "03-third.md").read_text(encoding="utf-8") \
        == "# Third\n\nText three.\n"
    assert not check_manuscript(tmp_path / "book").findings


def test_split_level_is_refused_out_of_range(sources, tmp_path):
    result = run_folio("import", str(sources["md"]), "--to", "book", "--split-level", "7",
                       cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "book").exists()


def test_report_lines_name_the_source_for_what_was_dropped(imports):
    folder, result = imports["md"]
    assert re.search(r"^\S*front/01-preface\.md:1: ", result.stderr, re.MULTILINE), \
        result.stderr
