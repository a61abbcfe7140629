"""folio.typeset.parts and folio.typeset.join: the interior laid out a section at a
time, kept between builds, and joined into one tagged PDF."""

import re
import shutil
import threading

import pikepdf
import pytest
from helpers import SAMPLE

from folio.build import build
from folio.errors import BuildError
from folio.typeset.parts import PartStore


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
    laid_out, unchanged = (int(n) for n in re.findall(r"\d+", counts))
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


def test_a_writers_error_reaches_the_build(tmp_path):
    def fails(path):
        raise BuildError("the PDF needed fonts outside the theme (DejaVuSans)")

    store = PartStore(tmp_path / "parts")
    store.put("one", lambda path: path.write_bytes(b"%PDF-1.7"), 1, {"a": 0}, [None])
    store.put("two", fails, 1, {"b": 0}, [None])
    store.put("three", lambda path: path.write_bytes(b"%PDF-1.7"), 1, {"c": 0}, [None])
    with pytest.raises(BuildError, match="outside the theme"):
        store.finish()
    assert not (tmp_path / "parts" / "two.json").exists(), "a failed part is kept"


def test_a_writers_error_waits_for_finish_however_fast_the_writer(tmp_path):
    """The failing writer is done before the next ``put``: still only ``finish`` raises,
    and nothing after the failure is written."""
    def fails(path):
        raise BuildError("the PDF needed fonts outside the theme (DejaVuSans)")

    store = PartStore(tmp_path / "parts")
    store.put("two", fails, 1, {"b": 0}, [None])
    if store._writing is not None:
        store._writing.process.join()  # the writer has failed and exited
    store.put("three", lambda path: path.write_bytes(b"%PDF-1.7"), 1, {"c": 0}, [None])
    assert store.failed
    with pytest.raises(BuildError, match="outside the theme"):
        store.finish()
    assert not (tmp_path / "parts" / "three.pdf").exists()


def test_no_writer_is_forked_while_another_thread_runs(tmp_path):
    """A fork copies one thread; a lock another holds would stay locked in the child."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        store = PartStore(tmp_path / "parts")
        store.put("one", lambda path: path.write_bytes(b"%PDF-1.7"), 1, {"a": 0}, [None])
        assert store._writing is None
        assert (tmp_path / "parts" / "one.json").exists()
    finally:
        stop.set()
        other.join()
