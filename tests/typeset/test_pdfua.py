"""The screen PDF as PDF/UA-1 (ISO 14289-1) asks: XMP metadata that agrees with Info and
claims PDF/UA-1, every piece of content either tagged (its MCID in the parent tree,
its element in the structure tree) or an artifact, figures with their source's
alternate text, headings that do not skip a level, tables and lists as the
structure types say, links described by their words; and still reproducible.

veraPDF, the reference validator, runs in the release workflow (it cannot be
installed here); these tests read the PDF with pikepdf, independently of the code
that writes it, and render it with pypdfium2."""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pikepdf
import pypandoc
import pypdfium2 as pdfium
import pytest
import yaml
from helpers import ROOT, tiny_png, write_book
from lxml import etree
from lxml import html as lxml_html
from weasyprint import HTML

from folio.build import build
from folio.typeset.tagging import describe_links, finish_tags, mark_artifacts
from folio.typeset.xmp import Identification, write_metadata

EVERYTHING = ROOT / "tests" / "data" / "everything"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
PAINTING_OPERATORS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI"}
MARGIN = 50  # points: the bands of the running heads (top) and folios (bottom)
NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
      "pdf": "http://ns.adobe.com/pdf/1.3/", "pdfuaid": "http://www.aiim.org/pdfua/ns/id/"}


def _build_pdf(root: Path, output: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build(root, output, ["pdf"])["pdf"]


@pytest.fixture(scope="module")
def everything_pdf(tmp_path_factory) -> Path:
    """tests/data/everything (every construct of pandoc's Markdown) as a screen PDF."""
    return _build_pdf(EVERYTHING, tmp_path_factory.mktemp("pdfua") / "output")


@pytest.fixture(scope="module")
def identified(tmp_path_factory) -> tuple[Path, dict]:
    """A small book with every field the XMP carries, and its book.yaml."""
    config = """\
        title: Readers' Rights
        subtitle: A Test
        author: Ada Writer
        language: en-GB
        description: A book that says what it is.
        rights: Text © 2026 *Ada Writer*.
        isbn:
          print: 978-0-306-40615-7
        contents:
          chapters:
            - chapters/one.md
        """
    root = write_book(tmp_path_factory.mktemp("identified") / "book", config,
                      "# One {#one}\n\nA [link to two](#two).\n\n## Two {#two}\n\nText.\n")
    return _build_pdf(root, root.parent / "output"), yaml.safe_load(
        (root / "book.yaml").read_text(encoding="utf-8"))


# --- reading the PDF -----------------------------------------------------------------------

def _xmp(pdf: pikepdf.Pdf) -> etree._Element:
    data = pdf.Root.Metadata.read_bytes()
    assert data.startswith(b"<?xpacket begin=") and b"<?xpacket end=" in data
    return etree.fromstring(data)


def _one(xmp: etree._Element, path: str) -> str:
    found = xmp.xpath(f"//rdf:Description/{path}", namespaces=NS)
    assert len(found) == 1, (path, found)
    return " ".join(found[0].itertext()).strip() if not isinstance(found[0], str) else found[0]


def _kids(element: pikepdf.Object) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Dictionary, pikepdf.Dictionary | None]]:
    """Every structure element in reading order, with its parent element."""
    found = []

    def walk(element, parent):
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        found.append((element, parent))
        for kid in _kids(element):
            walk(kid, element)

    for top in _kids(pdf.Root.StructTreeRoot):
        walk(top, None)
    return found


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    numbers = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    return {int(key): value for key, value in numbers.items()}


def content_faults(pdf: pikepdf.Pdf) -> tuple[list[str], Counter]:
    """Every text-showing or painting operator, on every page and in every form XObject
    it draws, that lies outside a marked-content sequence that is an Artifact or has an
    MCID whose parent-tree entry is an element of the structure tree, and every artifact
    nested in tagged content or the reverse; and how many pages show text in each kind
    of artifact (Counter of the /Type, "" for none)."""
    in_tree = {element.objgen for element, _ in _elements(pdf)}
    tree = _parent_tree(pdf)
    faults: list[str] = []
    artifact_pages: Counter = Counter()

    def run(stream, resources, stack, mcids, where, seen):
        def nest(tag, properties):
            """ISO 14289-1 7.1: no artifact inside tagged content, nor the reverse."""
            if tag == "/Artifact" and any("/MCID" in p for _, p in stack):
                faults.append(f"{where}: an artifact inside tagged content")
            if "/MCID" in properties and any(t == "/Artifact" for t, _ in stack):
                faults.append(f"{where}: tagged content inside an artifact")
            stack.append((tag, properties))

        for operands, operator in pikepdf.parse_content_stream(stream):
            name = str(operator)
            if name == "BDC":
                properties = operands[1]
                if not isinstance(properties, pikepdf.Dictionary):
                    properties = resources.get("/Properties", {}).get(properties, {})
                nest(str(operands[0]), properties)
            elif name == "BMC":
                nest(str(operands[0]), pikepdf.Dictionary())
            elif name == "EMC":
                assert stack, f"{where}: EMC without a sequence"
                stack.pop()
            elif name in TEXT_OPERATORS | PAINTING_OPERATORS or isinstance(
                    operator, pikepdf.PdfInlineImage):
                artifact = next((p for tag, p in stack if tag == "/Artifact"), None)
                tagged = [p.get("/MCID") for tag, p in stack if "/MCID" in p]
                if artifact is not None:
                    if name in TEXT_OPERATORS:
                        seen.add(str(artifact.get("/Type", "")))
                elif not tagged:
                    faults.append(f"{where}: {name} outside marked content")
                else:
                    element = mcids[int(tagged[-1])] if int(tagged[-1]) < len(mcids) else None
                    if not isinstance(element, pikepdf.Dictionary) or \
                            element.objgen not in in_tree:
                        faults.append(f"{where}: {name} in MCID {tagged[-1]}, "
                                      "which no element of the structure tree holds")
                if name == "Do":
                    xobject = resources.get("/XObject", {}).get(operands[0])
                    if xobject is not None and xobject.get("/Subtype") == "/Form":
                        own = tree.get(int(xobject.StructParents)) \
                            if "/StructParents" in xobject else mcids
                        run(xobject, xobject.get("/Resources", resources), list(stack),
                            own, f"{where} {operands[0]}", seen)

    for number, page in enumerate(pdf.pages):
        mcids = tree.get(int(page.obj.StructParents), pikepdf.Array()) \
            if "/StructParents" in page.obj else pikepdf.Array()
        seen: set[str] = set()
        stack: list = []
        run(page, page.obj.get("/Resources", pikepdf.Dictionary()), stack, mcids,
            f"page {number + 1}", seen)
        if stack:
            faults.append(f"page {number + 1}: a marked-content sequence is not closed")
        artifact_pages.update(seen)
    return faults, artifact_pages


def _source_alt_texts(root: Path) -> list[str]:
    """Every image's description, in reading order, as pandoc reads the Markdown (its
    AST: pandoc writes an image of a PDF as ``<embed>``, without ``alt``)."""
    contents = yaml.safe_load((root / "book.yaml").read_text(encoding="utf-8"))["contents"]
    alts: list[str] = []

    def words(inlines) -> str:
        text = ""
        for inline in inlines:
            kind, value = inline["t"], inline.get("c")
            if kind == "Str":
                text += value
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                text += " "
            elif kind == "Quoted":
                marks = "\u201c\u201d" if value[0]["t"] == "DoubleQuote" else "\u2018\u2019"
                text += marks[0] + words(value[1]) + marks[1]
            elif isinstance(value, list):
                text += words([v for v in value if isinstance(v, dict) and "t" in v]
                              or next((v for v in value if isinstance(v, list)), []))
        return text

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Image":
                alts.append(" ".join(words(node["c"][1]).split()))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for key in ("front", "chapters", "appendices"):
        for name in contents.get(key) or []:
            walk(json.loads(pypandoc.convert_file(str(root / name), "json",
                                                  format="markdown"))["blocks"])
    return alts


def _source_links(root: Path) -> dict[str, str]:
    """Each outside link's address -> its words, as pandoc reads the Markdown."""
    links = {}
    for path in sorted((root / "chapters").glob("*.md")):
        markup = pypandoc.convert_file(str(path), "html", format="markdown")
        for link in lxml_html.fragment_fromstring(markup, create_parent=True).iter("a"):
            if link.get("href", "").startswith(("http", "mailto:")):
                links[link.get("href")] = " ".join(link.text_content().split())
    return links


# --- metadata ---------------------------------------------------------------------------

def test_xmp_holds_the_books_metadata_and_claims_pdfua_1(identified):
    path, config = identified
    with pikepdf.open(path) as pdf:
        xmp, info = _xmp(pdf), pdf.docinfo
        assert pdf.Root.Metadata.Subtype == "/XML" and "/Filter" not in pdf.Root.Metadata
        assert _one(xmp, "pdfuaid:part") == "1"
        title = f"{config['title']}: {config['subtitle']}".replace("'", "\u2019")
        assert _one(xmp, "dc:title/rdf:Alt/rdf:li") == str(info.Title) == title
        assert _one(xmp, "dc:creator/rdf:Seq/rdf:li") == str(info.Author) == config["author"]
        assert _one(xmp, "dc:description/rdf:Alt/rdf:li") == str(info.Subject) \
            == config["description"]
        assert _one(xmp, "dc:language/rdf:Bag/rdf:li") == "en-GB" == str(pdf.Root.Lang)
        assert _one(xmp, "dc:rights/rdf:Alt/rdf:li") == "Text © 2026 Ada Writer."
        assert _one(xmp, "dc:identifier") == "urn:isbn:9780306406157"
        assert _one(xmp, "xmp:CreateDate") == _one(xmp, "xmp:ModifyDate") \
            == "2026-01-01T00:00:00Z"
        assert str(info.CreationDate) == str(info.ModDate) == "D:20260101000000Z"
        assert _one(xmp, "xmp:CreatorTool") == str(info.Creator)
        assert _one(xmp, "pdf:Producer") == str(info.Producer)
        assert not xmp.xpath("//xmp:MetadataDate", namespaces=NS)  # no time of writing


def test_without_an_isbn_the_identifier_is_the_books_uuid(everything_pdf):
    config = yaml.safe_load((EVERYTHING / "book.yaml").read_text(encoding="utf-8"))
    assert "isbn" not in config and "identifier" not in config
    with pikepdf.open(everything_pdf) as pdf:
        identifier = _one(_xmp(pdf), "dc:identifier")
    assert identifier.startswith("urn:uuid:") and len(identifier) == 45


def test_catalog_as_pdfua_asks(everything_pdf):
    with pikepdf.open(everything_pdf) as pdf:
        assert pdf.pdf_version >= "1.7"
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.MarkInfo.Marked is True
        annotated = [page for page in pdf.pages if page.obj.get("/Annots")]
        assert annotated
        assert all(page.obj.Tabs == "/S" for page in annotated)


def test_the_print_interior_does_not_claim_pdfua(everything_pdf):
    """Its crop marks are no element's content and its links are gone."""
    with pikepdf.open(everything_pdf.with_name(everything_pdf.stem + "-print.pdf")) as pdf:
        assert not _xmp(pdf).xpath("//pdfuaid:part", namespaces=NS)
        assert not _xmp(pdf).xpath("//@pdfuaid:part", namespaces=NS)


def test_two_builds_give_the_same_bytes(everything_pdf, tmp_path):
    again = _build_pdf(EVERYTHING, tmp_path / "output")
    assert again.read_bytes() == everything_pdf.read_bytes()


# --- content and structure --------------------------------------------------------------

@pytest.mark.parametrize("which", ["everything", "real"])
def test_all_content_is_tagged_or_an_artifact(which, request):
    path = request.getfixturevalue("everything_pdf" if which == "everything" else "pdf_path")
    with pikepdf.open(path) as pdf:
        faults, artifact_pages = content_faults(pdf)
    assert faults == []
    # Running heads and folios: one page of pagination artifacts per page that shows text
    # in its top or bottom margin.
    document = pdfium.PdfDocument(path)
    marked = 0
    for page in document:
        width, height = page.get_size()
        text = page.get_textpage()
        marked += bool(text.get_text_bounded(0, 0, width, MARGIN).strip()
                       or text.get_text_bounded(0, height - MARGIN, width, height).strip())
    document.close()
    assert marked > 0 and artifact_pages["/Pagination"] == marked


def test_every_figure_has_its_sources_alternate_text(everything_pdf):
    with pikepdf.open(everything_pdf) as pdf:
        figures = [str(element.get("/Alt", "")) for element, _ in _elements(pdf)
                   if element.S == "/Figure"]
    expected = _source_alt_texts(EVERYTHING)
    assert len(expected) == 7
    assert figures == expected


def test_headings_do_not_skip_a_level(everything_pdf, pdf_path):
    for path in (everything_pdf, pdf_path):
        with pikepdf.open(path) as pdf:
            levels = [int(str(element.S)[2]) for element, _ in _elements(pdf)
                      if str(element.S) in {f"/H{n}" for n in range(1, 7)}]
        assert levels[0] == 1, path
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert set(levels) >= {1, 2}


def test_everything_markdown_has_reaches_all_six_heading_levels(everything_pdf):
    with pikepdf.open(everything_pdf) as pdf:
        kinds = Counter(str(element.S) for element, _ in _elements(pdf))
    assert all(kinds[f"/H{n}"] for n in range(1, 7)), kinds


def test_tables_and_lists_have_their_structure(everything_pdf):
    with pikepdf.open(everything_pdf) as pdf:
        elements = _elements(pdf)
        kinds = Counter(str(element.S) for element, _ in elements)
        for element, parent in elements:
            kind, above = str(element.S), str(parent.S) if parent is not None else ""
            if kind in ("/TH", "/TD"):
                assert above == "/TR", (kind, above)
            elif kind == "/TR":
                assert above in ("/Table", "/THead", "/TBody", "/TFoot"), above
            elif kind == "/LI":
                assert above == "/L", above
            elif kind in ("/Lbl", "/LBody"):
                assert above == "/LI", (kind, above)
    assert kinds["/Table"] >= 3 and kinds["/TH"] and kinds["/TD"]
    assert kinds["/L"] >= 5 and kinds["/LI"] and kinds["/Lbl"]


def test_every_link_is_tagged_and_described_by_its_words(everything_pdf):
    sources = _source_links(EVERYTHING)
    with pikepdf.open(everything_pdf) as pdf:
        tree = _parent_tree(pdf)
        described = {}
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if annotation.Subtype != "/Link":
                    continue
                element = tree[int(annotation.StructParent)]
                assert element.S == "/Link"
                assert any(isinstance(kid, pikepdf.Dictionary) and kid.get("/Obj") is not None
                           and kid.Obj.objgen == annotation.objgen for kid in _kids(element))
                words = str(annotation.Contents)
                assert words.strip() and "\u200b" not in words and "\u00ad" not in words
                if "/A" in annotation:
                    described[str(annotation.A.URI)] = words
    assert len(described) >= 5
    for address, words in described.items():
        assert words == sources[address], address


# --- the finishing of a part, on its own ------------------------------------------------------

PART = """<!DOCTYPE html><html lang="en"><head><title>Part</title><style>
@page {{ size: A6; margin: 20mm; @top-center {{ content: "A running head" }}
        @bottom-center {{ content: counter(page) }} }}
</style></head><body>
<h1>Heading</h1>
<p>Before a <a href="https://example.org/x" title="a title">described link</a>.</p>
<p><img src="data:image/png;base64,{png}" alt="" width="20"> decorative,
   <img src="data:image/png;base64,{png}" alt="A red square" width="20"> described.</p>
<hr>
</body></html>"""


def _bitmaps(path: Path) -> list[bytes]:
    document = pdfium.PdfDocument(path)
    try:
        return [page.render(scale=2).to_pil().tobytes() for page in document]
    finally:
        document.close()


def test_finishing_a_part_makes_margins_and_decoration_artifacts_and_changes_no_pixel(
        tmp_path):
    written = tmp_path / "written.pdf"
    document = HTML(string=PART.format(png=base64.b64encode(tiny_png()).decode())).render()
    document.write_pdf(written, pdf_tags=True, finisher=describe_links)
    finished = tmp_path / "finished.pdf"
    shutil.copy(written, finished)
    finish_tags(finished)

    with pikepdf.open(written) as pdf:
        before, _ = content_faults(pdf)
    assert any("which no element of the structure tree holds" in f for f in before)
    with pikepdf.open(finished) as pdf:
        after, artifact_pages = content_faults(pdf)
        figures = [str(element.get("/Alt", "")) for element, _ in _elements(pdf)
                   if element.S == "/Figure"]
        link = pdf.pages[0].obj.Annots[0]
        operators = Counter(str(op) for operands, op in pikepdf.parse_content_stream(
            pdf.pages[0]) if str(op) in ("BMC", "BDC") and operands[0] == "/Artifact")
    assert after == []
    assert artifact_pages["/Pagination"] == 1
    assert figures == ["A red square"]
    assert operators["BMC"] >= 1  # the decorative image
    assert str(link.Contents) == "described link"
    assert _bitmaps(finished) == _bitmaps(written)


def test_a_part_with_nothing_to_finish_is_left_as_it_was(tmp_path):
    written = tmp_path / "plain.pdf"
    HTML(string="<html lang='en'><p>Only text.</p></html>").write_pdf(written, pdf_tags=True)
    before = written.read_bytes()
    finish_tags(written)
    assert written.read_bytes() == before
    assert os.path.getsize(written) > 0


def test_a_content_stream_written_otherwise_is_rewritten_operator_by_operator():
    """Text that reads like a marked-content operator is text: when the sequences found
    in the bytes are not the ones to change, the content is parsed instead."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(
        b"/P <</MCID 0>> BDC BT /F1 12 Tf 10 10 Td (/Span <</MCID 1>> BDC) Tj ET EMC\n"
        b"/Span <</MCID 1>> BDC BT /F1 12 Tf 10 30 Td (3) Tj ET EMC\n")
    document = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem,
                                                    S=pikepdf.Name.Document))
    paragraph = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, P=document, Pg=page.obj,
        K=pikepdf.Array([0])))
    folio = pdf.make_indirect(pikepdf.Dictionary(  # outside the tree, as WeasyPrint's
        Type=pikepdf.Name.StructElem, S=pikepdf.Name.Span, P=document, Pg=page.obj,
        K=pikepdf.Array([1])))
    document.K = pikepdf.Array([paragraph])
    root = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([document]),
        ParentTree=pikepdf.Dictionary(Nums=pikepdf.Array(
            [0, pikepdf.Array([paragraph, folio])]))))
    document.P = root
    pdf.Root.StructTreeRoot = root
    page.obj.StructParents = 0

    assert content_faults(pdf)[0]  # the folio's MCID: no element of the tree holds it
    assert mark_artifacts(pdf)
    faults, artifact_pages = content_faults(pdf)
    assert faults == [] and artifact_pages["/Pagination"] == 1
    shown = [bytes(operands[0]) for operands, operator in pikepdf.parse_content_stream(page)
             if str(operator) == "Tj"]
    assert shown == [b"/Span <</MCID 1>> BDC", b"3"]


def test_the_xmp_says_all_weasyprints_pdfua_1_variant_says(tmp_path):
    """WeasyPrint's ``pdf/ua-1`` variant is its tagging (``pdf_tags``) plus PDF 1.7 and
    an XMP stream; the parts are written with the tagging only, and the join writes
    the XMP (``write_metadata``): every property the variant writes, ours has alike."""
    page = """<!DOCTYPE html><html lang="en-GB"><head><title>A “Title”</title>
    <meta name="author" content="Ada Writer"><meta name="description" content="What it is.">
    <meta name="keywords" content="one, two"><meta name="generator" content="Folio">
    <meta name="dcterms.created" content="2026-01-01T00:00:00Z">
    <meta name="dcterms.modified" content="2026-01-01T00:00:00Z">
    </head><body><h1>Heading</h1><p>Text.</p></body></html>"""
    document = HTML(string=page).render()
    variant, tagged = tmp_path / "variant.pdf", tmp_path / "tagged.pdf"
    document.write_pdf(variant, pdf_variant="pdf/ua-1")
    document.write_pdf(tagged, pdf_tags=True)
    with pikepdf.open(variant) as pdf:
        assert pdf.pdf_version == "1.7"
        theirs = dict(pdf.open_metadata())
    with pikepdf.open(tagged, allow_overwriting_input=True) as pdf:
        assert "/Metadata" not in pdf.Root
        write_metadata(pdf, Identification("en-GB", "urn:uuid:0", "Rights."))
        ours = dict(pdf.open_metadata())
    assert theirs  # title, creator, description, keywords, tool, dates, producer, part
    assert {key: ours.get(key) for key in theirs} == theirs
    assert ours["{http://www.aiim.org/pdfua/ns/id/}part"] == "1"
