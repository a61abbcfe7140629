"""folio.typeset.parts and folio.typeset.join: the interior laid out a section at a
time, kept between builds, and joined into one tagged PDF."""

import re
import shutil
import threading

import pikepdf
import pytest
from helpers import SAMPLE, build_in_fresh_process

from folio.build import build


def _edit_one_word(chapter) -> None:
    """A typo fixed in the middle of *chapter*: its text changes, not its length."""
    text = chapter.read_text(encoding="utf-8")
    assert "An overview of" in text
    chapter.write_text(text.replace("An overview of", "An overveew of", 1), encoding="utf-8")


def test_an_edit_lays_out_one_section_and_gives_the_cold_builds_pdf(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    build(book, tmp_path / "out", ["pdf"])
    _edit_one_word(book / "chapters" / "one.md")
    said: list[str] = []
    made = build(book, tmp_path / "out", ["pdf"], progress=said.append)
    counts = next(m for m in said if m.startswith("sections laid out"))
    laid_out, unchanged, _layers = (int(n) for n in re.findall(r"\d+", counts))
    assert laid_out == 1 and unchanged > 1, counts
    cold = build(book, tmp_path / "cold", ["pdf"], force=True)
    assert made["pdf"].read_bytes() == cold["pdf"].read_bytes()
    kept = sorted(p.name for p in (tmp_path / "out" / ".folio-parts").iterdir())
    assert kept == sorted(p.name for p in (tmp_path / "cold" / ".folio-parts").iterdir()), \
        "parts no build uses are not dropped"


def test_the_structure_tree_is_the_books_pages(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        pages = {page.objgen for page in pdf.pages}
        root = pdf.Root.StructTreeRoot
        numbers = root.ParentTree.Nums
        keys = {int(numbers[i]) for i in range(0, len(numbers), 2)}
        on_pages, stack = 0, [root]
        while stack:
            element = stack.pop()
            if "/Pg" in element:
                assert element.Pg.objgen in pages
                on_pages += 1
            kids = element.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids]
            stack += [kid for kid in kids if isinstance(kid, pikepdf.Dictionary)
                      and kid.get("/Type") != "/OBJR" and "/MCID" not in kid]
        assert on_pages > len(pdf.pages)
        parents = [int(page.obj.StructParents) for page in pdf.pages
                   if "/StructParents" in page.obj]
        annotations = [int(a.StructParent) for page in pdf.pages
                       for a in page.obj.get("/Annots", []) if "/StructParent" in a]
        assert len(set(parents + annotations)) == len(parents + annotations)
        assert set(parents + annotations) <= keys
        assert int(root.ParentTreeNextKey) > max(keys)


def test_each_typeface_is_embedded_once(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        programs: dict[str, set] = {}
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                programs.setdefault(str(obj.FontName), set()).add(obj.FontFile3.objgen)
    assert programs and all(len(found) == 1 for found in programs.values()), programs


def test_a_page_break_moved_early_lays_out_only_what_prints_the_pages(tmp_path, monkeypatch):
    """Text added at the start of the first chapter moves every later page: the later
    chapters are not laid out again (their folios are a layer of their own), only the
    chapter and the sections that print page numbers (notes, glossary, index); the
    PDF is the cold build's, byte for byte."""
    from folio.typeset.parts import PartStore

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    build(book, tmp_path / "out", ["pdf"])
    before = _folios(tmp_path / "out")
    chapter = book / "chapters" / "one.md"
    text = chapter.read_text(encoding="utf-8")
    heading_end = text.index("\n", text.index("# ")) + 1
    added = "\n".join(f"A paragraph added to move the page breaks, number {n}. " * 12
                      for n in range(12))
    chapter.write_text(text[:heading_end] + "\n" + added + "\n\n" + text[heading_end:],
                       encoding="utf-8")
    made: list[set[str]] = []  # the anchors of each section laid out
    adopt = PartStore.adopt

    def recorded(self, key, meta, counted=True):
        if counted:
            made.append(set(meta["anchors"]))
        return adopt(self, key, meta, counted)

    monkeypatch.setattr(PartStore, "adopt", recorded)
    result = build(book, tmp_path / "out", ["pdf"])
    after = _folios(tmp_path / "out")
    assert len(after) > len(before), "the added text did not add a page"
    assert any("first" in anchors for anchors in made)
    assert not any("second" in anchors for anchors in made), "a moved chapter laid out again"
    cold = build(book, tmp_path / "cold", ["pdf"], force=True)
    assert result["pdf"].read_bytes() == cold["pdf"].read_bytes()
    assert after == _folios(tmp_path / "cold")


def _folios(output) -> list[str]:
    """The folio printed at the foot of each page of the screen PDF ("" for none)."""
    import pypdfium2 as pdfium

    pdf = next(p for p in output.glob("*.pdf") if not p.stem.endswith(("-print", "-cover")))
    document = pdfium.PdfDocument(pdf)
    try:
        folios = []
        for page in document:
            width, height = page.get_size()
            text = page.get_textpage().get_text_bounded(0, 0, width, 45)
            folios.append(" ".join(text.split()))
        return folios
    finally:
        document.close()


def test_sections_laid_out_side_by_side_give_the_same_book(tmp_path, monkeypatch):
    """The command (one thread: its sections are laid out by forked workers) and a
    build in this process (other threads run here: one section after the other)
    write the same bytes."""
    import subprocess
    import sys

    from helpers import ROOT

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    said = subprocess.run([sys.executable, str(ROOT / "build.py"), "pdf", "--book", str(book),
                           "--output", str(tmp_path / "forked")],
                          capture_output=True, text=True, timeout=600)
    assert said.returncode == 0, said.stderr
    from folio.typeset.pool import usable_cores

    assert ("side by side by" in said.stdout + said.stderr) == (usable_cores() > 1), said.stdout
    progress: list[str] = []
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # as serve's: no fork beside it
    other.start()
    try:
        here = build(book, tmp_path / "here", ["pdf"], force=True,
                     progress=progress.append)["pdf"]
    finally:
        stop.set()
        other.join()
    assert not any("side by side" in line for line in progress), "forked beside a thread"
    assert (tmp_path / "forked" / here.name).read_bytes() == here.read_bytes()


def _sections_laid_out(said: str) -> int:
    counts = next(line for line in said.splitlines() if "sections laid out:" in line)
    return int(re.findall(r"\d+", counts)[0])


def _forked_build(book, output, patch: str = "") -> str:
    done = build_in_fresh_process(book, output, ["pdf"], patch)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_front_matter_laid_out_beside_the_last_section_is_the_final_one(
        tmp_path, monkeypatch):
    """With workers, the front matter is laid out beside the last section, with that
    section's first page foreseen: when the guess holds, nothing is laid out twice
    (as many layouts as one section after the other); when it does not, the front
    matter is laid out again and the part laid out ahead is dropped. Either way the
    book is the same."""
    from folio.typeset.pool import usable_cores

    if usable_cores() < 2:  # pragma: no cover - the machines we test on have two
        pytest.fail("this test needs two usable cores")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    said: list[str] = []
    one_by_one = build(book, tmp_path / "here", ["pdf"], progress=said.append)["pdf"]
    expected = _sections_laid_out("\n".join(said))
    parts = sorted(p.name for p in (tmp_path / "here" / ".folio-parts").iterdir())

    ahead = _forked_build(book, tmp_path / "ahead")
    assert "side by side" in ahead
    assert _sections_laid_out(ahead) == expected, ahead
    wrong = _forked_build(book, tmp_path / "wrong", "from folio.typeset import typesetter\n"
                          "typesetter._MainMatter._first_page_ahead = lambda self: 1")
    assert _sections_laid_out(wrong) == expected + 1, wrong
    for output in ("ahead", "wrong"):
        assert (tmp_path / output / one_by_one.name).read_bytes() == one_by_one.read_bytes()
        assert sorted(p.name for p in (tmp_path / output / ".folio-parts").iterdir()) == parts
