"""The EPUB for stores and libraries: accessibility metadata, DAISY Ace, the cover,
and print page numbers that agree with the print edition."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pypdf
import pytest
from helpers import ROOT, epub_files, normalise, unhyphenate_pdf_text
from lxml import etree

OPF = "{http://www.idpf.org/2007/opf}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ACE = ROOT / "node_modules" / ".bin" / "ace-cli"


@pytest.fixture(scope="session")
def epub(built) -> dict[str, bytes]:
    return epub_files(built["epub"])


@pytest.fixture(scope="session")
def package(epub):
    return etree.fromstring(epub["EPUB/content.opf"])


def _meta(package, prop: str) -> list[str]:
    return [m.text for m in package.iter(f"{OPF}meta") if m.get("property") == prop]


def test_accessibility_metadata(package):
    assert "textual" in _meta(package, "schema:accessMode")
    assert _meta(package, "schema:accessModeSufficient") == ["textual"]
    features = set(_meta(package, "schema:accessibilityFeature"))
    assert {"structuralNavigation", "tableOfContents", "printPageNumbers"} <= features
    assert _meta(package, "schema:accessibilityHazard") == ["none"]
    assert len(_meta(package, "schema:accessibilitySummary")[0]) > 40
    assert _meta(package, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert _meta(package, "pageBreakSource"), "a page list needs its source named"
    assert package.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_cover_image_is_declared_and_described(epub, package):
    covers = [i for i in package.iter(f"{OPF}item") if "cover-image" in (i.get("properties") or "")]
    assert len(covers) == 1
    image = epub["EPUB/" + covers[0].get("href")]
    assert image.startswith(b"\x89PNG"), "the cover is a PNG"
    page = etree.fromstring(epub["EPUB/cover.xhtml"])
    img = next(page.iter(f"{XHTML}img"))
    assert "Leon Trotsky" in img.get("alt")


def test_landmarks(epub):
    nav = etree.fromstring(epub["EPUB/nav.xhtml"])
    landmarks = next(n for n in nav.iter(f"{XHTML}nav") if n.get(f"{EPUB_NS}type") == "landmarks")
    types = {a.get(f"{EPUB_NS}type") for a in landmarks.iter(f"{XHTML}a")}
    assert {"cover", "titlepage", "toc", "bodymatter", "endnotes", "glossary", "index"} <= types


def test_ncx_for_older_readers(epub):
    assert "EPUB/toc.ncx" in epub


def _page_list(epub) -> list[tuple[str, str]]:
    nav = etree.fromstring(epub["EPUB/nav.xhtml"])
    page_list = next(n for n in nav.iter(f"{XHTML}nav") if n.get(f"{EPUB_NS}type") == "page-list")
    return [(a.text, a.get("href")) for a in page_list.iter(f"{XHTML}a")]


def _text_after(epub, href: str, length: int = 40) -> str:
    """The text that follows a page-break marker in reading order."""
    name, anchor = href.split("#")
    tree = etree.fromstring(epub["EPUB/" + name])
    marker = next(e for e in tree.iter() if e.get("id") == anchor)
    assert marker.get(f"{EPUB_NS}type") == "pagebreak"
    assert marker.get("role") == "doc-pagebreak" and marker.get("aria-label") == anchor[5:]
    text = ""
    for piece in marker.xpath("following::text()"):
        text += piece
        if len(text) > length:
            break
    return text


def test_page_list_targets_exist_and_numbers_follow_the_print_edition(epub, built):
    page_list = _page_list(epub)
    assert len(page_list) > 40
    reader = pypdf.PdfReader(built["pdf"])
    by_label = {label: i for i, label in enumerate(reader.page_labels)}
    wrong = []
    for folio, href in page_list:
        assert folio in by_label, f"page {folio} is not a page of the PDF"
        words = normalise(_text_after(epub, href))[:8]
        page_text = normalise(unhyphenate_pdf_text(reader.pages[by_label[folio]].extract_text()))
        if not words or words not in page_text[:400]:
            wrong.append(f"{folio}: EPUB text {words!r} is not at the top of PDF page {folio}")
    assert not wrong, "\n".join(wrong)


def test_page_list_is_in_reading_order(epub):
    labels = [folio for folio, _ in _page_list(epub)]
    arabic = [int(f) for f in labels if f.isdigit()]
    assert arabic == sorted(arabic) and arabic[0] == 1


@pytest.mark.slow
def test_daisy_ace_finds_no_violation(built, tmp_path):
    assert ACE.exists(), "DAISY Ace is not installed: run `make setup`"
    chromium = os.environ.get("FOLIO_CHROMIUM") or shutil.which("chromium")
    assert chromium, "Debian's chromium is needed by Ace"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    result = subprocess.run([str(ACE), "--force", "--outdir", str(tmp_path), str(built["epub"])],
                            capture_output=True, text=True, env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    violations = [f"{a['earl:testSubject']['url']}: {t['earl:test']['dct:title']} "
                  f"({t['earl:test']['earl:impact']})"
                  for a in report["assertions"] for t in a.get("assertions", [])
                  if t["earl:result"]["earl:outcome"] != "pass"]
    assert not violations, "\n".join(violations)
    assert report["earl:result"]["earl:outcome"] == "pass"


def test_two_builds_are_byte_identical(tmp_path, monkeypatch):
    from helpers import SAMPLE

    from folio.build import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build(SAMPLE, tmp_path / "one", ["epub"])["epub"]
    second = build(SAMPLE, tmp_path / "two", ["epub"])["epub"]
    assert first.read_bytes() == second.read_bytes()
    opf = epub_files(first)["EPUB/content.opf"]
    assert b"<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>" in opf


@pytest.mark.slow
def test_calibre_makes_a_kindle_edition(tmp_path, built):
    from folio.formats.kindle.convert import convert_to_azw3

    target = tmp_path / "book.azw3"
    convert_to_azw3(built["epub"], target)
    data = target.read_bytes()
    assert data[60:68] == b"BOOKMOBI", "not a Kindle (MOBI/KF8) file"
    assert b"Leon Trotsky" in data
