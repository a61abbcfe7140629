"""The thesis-shaped sample book (tests/data/thesis) in every format: cross-references
resolved and numbered, formulas as MathML (EPUB, web book) and as vector drawings
(PDF) with their reading as alternate text, no TeX anywhere, validators clean."""

from __future__ import annotations

import re
import subprocess
import sys

import pikepdf
import pypdfium2
import pytest
from helpers import (
    LOCATED,
    ROOT,
    THESIS,
    epub_files,
    epubcheck_report,
    html_files,
    nu_checker_report,
    write_book,
)
from lxml import etree

from folio.build import build
from folio.check import check_manuscript

MATHML = "{http://www.w3.org/1998/Math/MathML}"
# TeX that the thesis's formulas are written in: none of it may reach a reader.
TEX = re.compile(r"\\(frac|partial|sum|int|alpha|nabla|left|right|sin|Delta|varepsilon|"
                 r"lvert|hat|infty|pi|rho)\b|\$\$|\$[a-z]|\^\{|_\{")


@pytest.fixture(scope="module")
def thesis_built(tmp_path_factory):
    return build(THESIS, tmp_path_factory.mktemp("thesis") / "output", ["pdf", "epub", "html"])


def _pdf_texts(path):
    document = pypdfium2.PdfDocument(path)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def _markup_files(thesis_built):
    files = {f"epub/{n}": d for n, d in epub_files(thesis_built["epub"]).items()}
    files |= {f"html/{n}": d for n, d in html_files(thesis_built["html"]).items()}
    return {n: d.decode("utf-8") for n, d in files.items()
            if n.endswith((".xhtml", ".html", ".opf", ".ncx", ".json"))}


def test_no_tex_in_any_output(thesis_built):
    for name, text in _markup_files(thesis_built).items():
        assert not TEX.search(text), f"TeX in {name}: {TEX.search(text)[0]}"
    for page, text in enumerate(_pdf_texts(thesis_built["pdf"]), start=1):
        assert not TEX.search(text), f"TeX on page {page} of the PDF: {text[:200]}"


def test_epub_carries_mathml_with_alttext(thesis_built):
    files = epub_files(thesis_built["epub"])
    opf = etree.fromstring(files["EPUB/content.opf"])
    items = {i.get("href"): (i.get("properties") or "").split()
             for i in opf.iter("{http://www.idpf.org/2007/opf}item")}
    with_math = {name.removeprefix("EPUB/") for name, data in files.items()
                 if name.endswith(".xhtml") and b"<math" in data}
    assert with_math == {"sec-introduction.xhtml", "sec-model.xhtml", "sec-results.xhtml",
                         "sec-derivations.xhtml", "notes.xhtml"}
    for name, properties in items.items():
        assert ("mathml" in properties) == (name in with_math), name
    model = etree.fromstring(files["EPUB/" + next(n for n in with_math if "model" in n)])
    formulas = list(model.iter(f"{MATHML}math"))
    assert len(formulas) == 5
    assert all(f.get("alttext") for f in formulas)
    laplace = next(f for f in formulas if f.get("display") == "block"
                   and f.get("alttext", "").startswith("∇"))
    assert laplace.get("alttext") == "∇²u = 0"
    assert model.find(f".//{MATHML}annotation") is None


def test_crossrefs_in_every_format(thesis_built):
    sentence = ("as Figures 3.1 and 2.1 show; the materials are those of Table 1.1 in "
                "Chapter 1")
    pdf = " ".join(" ".join(_pdf_texts(thesis_built["pdf"])).split())
    assert sentence in pdf
    assert "Figure 2.1: The first three modes of Equation (2.3)" in pdf
    for name, text in _markup_files(thesis_built).items():
        if name.endswith(("results.xhtml", "results.html")):
            words = " ".join(re.sub(r"<[^>]+>", "", text).replace("\u00a0", " ").split())
            assert sentence in words, name
            # each number links to its target, in its own file
            assert re.search(r'href="(sec-model\.x?html)?#fig:modes"', text), name


def test_lists_of_figures_and_tables_in_every_format(thesis_built):
    pdf = _pdf_texts(thesis_built["pdf"])
    listing = next(text for text in pdf if "List of Figures" in text and "1.1 The plate" in text)
    assert re.search(r"2\.1 The first three modes of Equation.\(2\.3\) \. \.", listing)
    tables = next(text for text in pdf if "List of Tables" in text and "1.1 Conductivity" in text)
    assert "A.1 The first coefficients for a square profile" in tables
    for name, text in _markup_files(thesis_built).items():
        if name.endswith(("list-of-tables.xhtml", "list-of-tables.html")):
            assert "A.1</span> The first coefficients" in text, name


def test_pdf_formulas_are_vector_drawings_with_alternate_text(thesis_built, tmp_path):
    pdf = pikepdf.open(thesis_built["pdf"])
    texts = _pdf_texts(thesis_built["pdf"])
    page_number = next(i for i, t in enumerate(texts) if "The Model" in t and "(2.1)" in t)
    page = pdf.pages[page_number]
    forms = [x for x in page.Resources.get("/XObject", {}).values()
             if x.get("/Subtype") == "/Form"]
    drawn = b"".join(pikepdf.unparse_content_stream(pikepdf.parse_content_stream(f))
                     for f in forms)
    contents = page.Contents
    drawn += b"".join(stream.read_bytes() for stream in
                      (contents if isinstance(contents, pikepdf.Array) else [contents]))
    assert re.search(rb"\bc\b", drawn) and re.search(rb"\bf\b", drawn), \
        "no filled curves (vector glyph outlines) on the page"
    assert not [x for x in page.Resources.get("/XObject", {}).values()
                if x.get("/Subtype") == "/Image"], "a formula was drawn as a raster image"
    alternates = [str(e.get("/Alt")) for e in _structure(pdf.Root.StructTreeRoot)
                  if e.get("/Alt") is not None]
    assert "∇²u = 0" in alternates
    assert "∂u/∂t = α(∂²u/∂x² + ∂²u/∂y²)" in alternates
    assert "u(x,t) = ∑_(n = 1)^∞ b_n sin (nπx/L)e^(−α(nπ/L)²t)" in alternates
    assert "ε = |u − u\u0302|" in alternates
    image = pypdfium2.PdfDocument(thesis_built["pdf"])[page_number].render(scale=2).to_pil()
    image.save(tmp_path / "model.png")  # kept for a look when the test fails
    dark = sum(1 for pixel in image.convert("L").getdata() if pixel < 128)
    assert dark > 2000  # formulas are drawn, not left blank


def _structure(node, depth=0):
    if depth > 60:
        return
    yield node
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary):
            yield from _structure(kid, depth + 1)


@pytest.mark.slow
def test_epubcheck_clean(thesis_built):
    assert epubcheck_report(thesis_built["epub"]) == ""


@pytest.mark.slow
def test_nu_checker_clean(thesis_built):
    pages = sorted(thesis_built["html"].glob("*.html"))
    assert nu_checker_report(pages) == ""


FORMULAS = ("# One {#one}\n\nGood $x^2$.\n\nBad $\\frac{a}{b$ here.\n\n"
            "Also $$\\undefinedcommand{x}$$\n")


def test_unreadable_formula_is_an_error_at_its_line(tmp_path):
    root = write_book(tmp_path / "book", chapter=FORMULAS)
    found = [(f.code, f.line) for f in check_manuscript(root).findings if f.code == "E001"]
    assert sorted(found) == [("E001", 5), ("E001", 7)]
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "pdf", "--book",
                             str(root), "--output", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    located = [m for m in map(LOCATED.match, result.stderr.splitlines()) if m]
    assert {(m["line"], m["message"][:4]) for m in located
            if m["path"].endswith("one.md")} == {("5", "E001"), ("7", "E001")}, result.stderr


def test_the_thesis_cites_in_the_text_and_lists_its_references(thesis_built):
    """Author-date citations (APA) link to a References list in every format."""
    pdf = " ".join(" ".join(_pdf_texts(thesis_built["pdf"])).split())
    assert "(Fourier, 1822)" in pdf and "(see Carslaw & Jaeger, 1959)" in pdf
    # APA sets titles in sentence case
    assert "Conduction of heat in solids" in pdf and "Théorie analytique" in pdf
    markup = _markup_files(thesis_built).values()
    if not any('href="#ref-fourier1822"' in text for text in markup):
        raise AssertionError("no citation links to its entry")
    lists = [name for name, text in _markup_files(thesis_built).items()
             if 'epub:type="bibliography"' in text or 'role="doc-bibliography"' in text]
    assert any(n.startswith("epub/") for n in lists) and any(n.startswith("html/") for n in lists)


def _math_face(data: bytes):
    from io import BytesIO

    from fontTools.ttLib import TTFont

    return TTFont(BytesIO(data))


def test_the_formulas_face_travels_with_its_math_table(thesis_built):
    """The web book and the EPUB carry a face with an OpenType MATH table for their
    MathML, cut down to the formulas' characters but keeping the taller forms of the
    brackets (what makes \\left( … \\right) stretch)."""
    carried = {"epub": epub_files(thesis_built["epub"]).get("EPUB/fonts/folio-math-400.ttf"),
               "html": (thesis_built["html"] / "fonts" / "folio-math-400.woff2").read_bytes()}
    for kind, data in carried.items():
        assert data, f"no formulas' face in the {kind}"
        face = _math_face(data)
        assert "MATH" in face, kind
        variants = face["MATH"].table.MathVariants
        covered = variants.VertGlyphCoverage.glyphs
        paren = face.getBestCmap()[ord("(")]
        assert paren in covered, kind
        sizes = variants.VertGlyphConstruction[covered.index(paren)].MathGlyphVariantRecord
        assert len(sizes) > 3, kind
        assert ord("∑") in face.getBestCmap() and ord("∂") in face.getBestCmap(), kind
    css = (thesis_built["html"] / "css" / "web.css").read_text()
    assert '"Folio Math"' in css
    chapter = (thesis_built["html"] / "sec-model.html").read_text()
    assert 'rel="preload" href="fonts/folio-math-400.woff2"' in chapter


def test_a_book_without_formulas_carries_no_formulas_face(tmp_path):
    root = write_book(tmp_path / "book")
    built = build(root, tmp_path / "output", ["epub", "html"])
    assert not any("math" in name for name in epub_files(built["epub"]))
    assert not list((built["html"] / "fonts").glob("*math*"))
    assert "preload\" href=\"fonts/folio-math" not in (built["html"] / "index.html").read_text()


@pytest.mark.slow
def test_brackets_stretch_around_a_fraction_in_a_browser(thesis_built, browser):
    """In Chromium, \\left( … \\right) around a fraction is drawn taller than the
    brackets of u(x, y, t) in the running text, and the formulas are set in their
    own face."""
    page_file = thesis_built["html"] / "sec-model.html"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        family = page.eval_on_selector("math", "m => getComputedStyle(m).fontFamily")
        # The web faces are font-display: optional (no layout shift), so a face that
        # arrives late on a busy machine is left out of a page's first drawing. The
        # face the book carries is declared again here, waited for, and measured.
        page.add_style_tag(content="""@font-face { font-family: "Folio Math Measured";
            src: url("fonts/folio-math-400.woff2"); font-display: block; }
            math { font-family: "Folio Math Measured" !important; }""")
        page.evaluate("document.fonts.load('16px \"Folio Math Measured\"')")
        page.evaluate("document.fonts.ready")
        assert page.evaluate("document.fonts.check('16px \"Folio Math Measured\"')")
        heights = page.evaluate("""() => [...document.querySelectorAll('mo')]
            .filter(mo => mo.textContent.trim() === '(')
            .map(mo => mo.getBoundingClientRect().height)""")
    finally:
        context.close()
    assert family.startswith('"Folio Math"'), family
    assert heights and max(heights) > 1.8 * min(heights), heights
