"""What must never reach a reader, looked for in an output: script elements (other than
the web book's own search script), event-handler attributes, ``javascript:``,
``vbscript:`` and ``data:`` URLs in any attribute, ``<meta http-equiv>``, frames and
objects, ``url()`` in inline styles; in a PDF, link actions other than plain URIs and
internal jumps."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
from lxml import etree
from lxml import html as lxml_html

OUR_SCRIPT = re.compile(r"^(\.\./)*js/search\.js$")
BAD_URL = re.compile(r"^(javascript|vbscript|data|file):")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset",
                  "background", "cite", "longdesc", "usemap", "codebase", "ping", "content"}
FRAMES = {"iframe", "frame", "frameset", "object", "embed", "applet", "foreignobject",
          "set", "animate"}


def _url(value: str) -> str:
    """*value* as a browser reads a URL: control characters and spaces removed."""
    return re.sub(r"[\x00-\x20]", "", value).lower()


def unsafe_markup(markup: str | bytes, xml: bool = False) -> list[str]:
    """Everything unsafe in the HTML, XHTML or SVG document *markup*."""
    if xml:
        root = etree.fromstring(markup if isinstance(markup, bytes) else markup.encode(),
                                etree.XMLParser(resolve_entities=False, no_network=True))
    else:
        root = lxml_html.document_fromstring(markup)
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag == "script" and not OUR_SCRIPT.match(element.get("src", "")):
            found.append(f"<script> {etree.tostring(element, encoding='unicode')[:80]}")
        if tag in FRAMES:
            found.append(f"<{tag}>")
        if tag == "meta" and element.get("http-equiv"):
            found.append(f"<meta http-equiv={element.get('http-equiv')}>")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                found.append(f"<{tag} {local}=…>")
            url = _url(value.split("url=", 1)[-1]) if local == "content" else _url(value)
            if local in URL_ATTRIBUTES and BAD_URL.match(url):
                found.append(f"<{tag} {local}='{value[:40]}'>")
            if local == "style" and "url(" in value.lower():
                found.append(f"<{tag} style='{value[:40]}'>")
    return found


def unsafe_pdf(path: Path) -> list[str]:
    """Link actions in the PDF at *path* that are not a URI of http(s)/mailto/tel or an
    internal jump, and any document-level script."""
    found = []
    with pikepdf.open(path) as pdf:
        names = pdf.Root.get("/Names")
        if names is not None and "/JavaScript" in names:
            found.append("document JavaScript")
        if "/OpenAction" in pdf.Root and "/JS" in str(pdf.Root.OpenAction):
            found.append("an OpenAction script")
        for number, page in enumerate(pdf.pages, start=1):
            for annotation in page.get("/Annots", []):
                action = annotation.get("/A")
                if action is None:
                    continue
                kind = str(action.get("/S"))
                if kind == "/URI":
                    uri = _url(str(action.get("/URI")))
                    if not re.match(r"^(https?|mailto|tel):", uri):
                        found.append(f"page {number}: link to {uri[:60]}")
                elif kind not in ("/GoTo",):
                    found.append(f"page {number}: {kind} action")
    return found


def unsafe_outputs(made: dict[str, Path]) -> list[str]:
    """Everything unsafe in the outputs *made* (a build's {format: path}): every page
    of the web book, every XHTML and SVG file of the EPUB, the PDF's links."""
    import zipfile

    found = []
    if "html" in made:
        for page in sorted(made["html"].rglob("*")):
            if page.suffix in (".html", ".svg") and "pagefind" not in page.parts:
                found += [f"{page.name}: {p}"
                          for p in unsafe_markup(page.read_bytes(), page.suffix == ".svg")]
    if "epub" in made:
        with zipfile.ZipFile(made["epub"]) as epub:
            for name in epub.namelist():
                if name.endswith((".xhtml", ".svg", ".html")):
                    found += [f"{name}: {p}" for p in unsafe_markup(epub.read(name), True)]
    if "pdf" in made:
        found += [f"{made['pdf'].name}: {p}" for p in unsafe_pdf(made["pdf"])]
    return found
