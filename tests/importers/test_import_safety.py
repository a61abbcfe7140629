"""A manuscript from a stranger: a file that is no document, a zip bomb, XML with
entities, a document without its main part, images outside the manuscript's
folder. Each ends in `file: message` and exit status 1 (or a report line), never a
traceback, a hang or a file read outside the source's folder."""

from __future__ import annotations

import zipfile

import pytest
from conftest import run_folio
from helpers import tiny_png


def _import(tmp_path, name: str):
    result = run_folio("import", name, "--to", "book", cwd=tmp_path)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return result


def _says(result, start: str) -> bool:
    return any(line.startswith(start) for line in result.stderr.splitlines())


def _docx(path, parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("name", ["notes.docx", "notes.odt"])
def test_not_a_zip(tmp_path, name):
    (tmp_path / name).write_text("just some text, not a document\n", encoding="utf-8")
    result = _import(tmp_path, name)
    assert result.returncode == 1
    assert _says(result, f"{name}: not a") and "zip archive" in result.stderr
    assert not (tmp_path / "book").exists()


def test_zip_bomb(tmp_path):
    _docx(tmp_path / "bomb.docx", {"[Content_Types].xml": b"<Types/>",
                                   "word/document.xml": b"<w:document/>",
                                   "word/media/huge.bin": b"\0" * (60 * 1024 * 1024)})
    result = _import(tmp_path, "bomb.docx")
    assert result.returncode == 1
    assert _says(result, "bomb.docx: 'word/media/huge.bin' unpacks to ")
    assert "zip bomb" in result.stderr


def test_xml_entities(tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><w:document>&lol2;</w:document>')
    _docx(tmp_path / "laughs.docx", {"word/document.xml": laughs})
    result = _import(tmp_path, "laughs.docx")
    assert result.returncode == 1
    assert "laughs.docx: 'word/document.xml' declares a document type" in result.stderr


def test_no_main_part(tmp_path):
    _docx(tmp_path / "empty.docx", {"something.txt": b"hello"})
    result = _import(tmp_path, "empty.docx")
    assert result.returncode == 1
    assert "empty.docx: not a Word document: it has no word/document.xml" in result.stderr


def test_damaged_entry(tmp_path):
    _docx(tmp_path / "cut.docx", {"word/document.xml": b"<w:document>" + b"x" * 5000},
          zipfile.ZIP_STORED)
    data = bytearray((tmp_path / "cut.docx").read_bytes())
    data[100:110] = b"YYYYYYYYYY"  # inside the stored entry: its CRC no longer matches
    (tmp_path / "cut.docx").write_bytes(bytes(data))
    result = _import(tmp_path, "cut.docx")
    assert result.returncode == 1
    assert _says(result, "cut.docx: the document is damaged")


def test_images_outside_the_folder_are_not_read(tmp_path):
    (tmp_path / "secret.png").write_bytes(tiny_png())
    folder = tmp_path / "manuscript"
    folder.mkdir()
    (folder / "inside.png").write_bytes(tiny_png())
    (folder / "link.png").symlink_to(tmp_path / "secret.png")
    (folder / "book.md").write_text(
        "---\ntitle: T\nauthor: A\nbibliography: ../refs.bib\n---\n\n# One\n\n"
        "![In](inside.png)\n\n![Up](../secret.png)\n\n![Link](link.png)\n\n"
        "![Gone](/etc/hostname)\n\nText.\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text("@book{x, title={X}}\n", encoding="utf-8")
    result = _import(tmp_path, "manuscript/book.md")
    assert result.returncode == 0, result.stderr
    book = tmp_path / "book"
    assert sorted(p.name for p in (book / "images").iterdir()) == ["inside.png"]
    assert not (book / "refs.bib").exists()
    report = (book / "import-report.txt").read_text(encoding="utf-8")
    for line in (4, 11, 13, 15):
        assert f"book.md:{line}: " in report, report
    chapter = (book / "chapters" / "01-one.md").read_text(encoding="utf-8")
    assert "![In](images/inside.png)" in chapter
    assert chapter.count("<!-- image not imported:") == 3
