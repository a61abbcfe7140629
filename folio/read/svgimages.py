"""SVG image files, cleaned before any format copies them: an SVG is a document that
can hold script, event handlers, HTML (``<foreignObject>``) and references to other
files and sites, and a reader who opens one from the web book or an e-reader runs
them. They are cleaned, not turned into pictures, so that they stay sharp in print.

An SVG is XML, which nh3 (an HTML sanitizer) does not read, so it is parsed by lxml
with entities, DTDs and the network off, and cleaned to an allow-list of the static
SVG elements (shapes, text, paint servers, clipping, masking, filters without
``feImage``); of their attributes, event handlers (``on…``), namespaced attributes
other than ``xlink:href`` and ``xml:space``/``xml:lang``, and any reference outside the
file (``href`` not ``#…``, ``url(…)`` not ``url(#…)``, in attributes, ``style`` and
``<style>`` sheets, read by tinycss2) are removed. Comments, processing
instructions and editors' metadata (Inkscape, Sodipodi, RDF) go without a word;
everything else removed is a :class:`~folio.read.removals.Removal` at its line of the
SVG file."""

from __future__ import annotations

from pathlib import Path

import tinycss2
from lxml import etree

from ..htmltree import drop
from .removals import Removal

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 20 * 1024 * 1024

ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "switch", "a", "style",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "marker", "pattern", "clipPath", "mask", "linearGradient", "radialGradient", "stop",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight",
    "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset",
    "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
})
# Elements of drawing programs' own namespaces, and metadata: removed without a word.
EDITORS = ("inkscape.org", "sodipodi", "w3.org/1999/02/22-rdf-syntax-ns", "purl.org/dc",
           "creativecommons.org", "ns.adobe.com", "bohemiancoding.com")
_WHY = {
    "script": "it would run script",
    "foreignObject": "it holds HTML, which an image may not",
    "image": "it loads another file",
    "feImage": "it loads another file",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)


def clean_svg(path: Path) -> tuple[bytes | None, list[Removal]]:
    """The SVG file *path* cleaned: its new bytes (None when nothing had to go) and
    what was removed, at its lines. Raises ValueError when it is no SVG file."""
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise ValueError(f"the SVG file is larger than {MAX_BYTES // 1024 // 1024} MB")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"not a well-formed SVG file ({error})") from None
    if root.tag != f"{{{SVG}}}svg":
        raise ValueError("not an SVG file (its root is no <svg> element)")
    cleaner = _Cleaner(path)
    cleaner.attributes(root, "svg")
    cleaner.element(root)
    if not cleaner.changed and root.getroottree().docinfo.internalDTD is None:
        return None, cleaner.removed
    markup = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return markup, cleaner.removed


class _Cleaner:
    def __init__(self, path: Path):
        self.path = path
        self.removed: list[Removal] = []
        self.changed = False

    def report(self, node: etree._Element, message: str) -> None:
        self.changed = True
        self.removed.append(Removal(self.path, node.sourceline, message))

    def element(self, node: etree._Element) -> None:
        for child in list(node):
            if not isinstance(child.tag, str):  # an entity reference left unexpanded
                self.changed = True
                drop(child)
                continue
            namespace, name = _split(child.tag)
            if namespace != SVG or name not in ELEMENTS:
                if namespace == SVG and name == "metadata" or any(
                        editor in namespace for editor in EDITORS):
                    self.changed = True
                else:
                    why = _WHY.get(name, "it is not a static SVG element")
                    self.report(child, f"SVG <{name}> removed: {why}")
                drop(child)
                continue
            self.attributes(child, name)
            if name == "style":
                self.stylesheet(child)
            else:
                self.element(child)

    def attributes(self, node: etree._Element, name: str) -> None:
        for attribute, value in list(node.attrib.items()):
            namespace, local = _split(attribute)
            problem = None
            if namespace and not (namespace == XLINK and local == "href") and not (
                    namespace == XML and local in ("space", "lang")):
                if not any(editor in namespace for editor in EDITORS):
                    problem = "it is no SVG attribute"
                else:
                    self.changed = True
                    del node.attrib[attribute]
                    continue
            elif local.lower().startswith("on"):
                problem = "it would run script"
            elif local == "href":
                if not value.strip().startswith("#"):
                    problem = "it refers to something outside the file"
            elif local == "style":
                kept, dropped = _declarations(value)
                if dropped:
                    node.set(attribute, kept)
                    self.report(node, f"SVG <{name}> style: {', '.join(dropped)} removed: "
                                      "it refers to something outside the file")
                continue
            elif _outside(tinycss2.parse_component_value_list(value)):
                problem = "it refers to something outside the file"
            if problem:
                del node.attrib[attribute]
                self.report(node, f"SVG <{name}> attribute '{local}' removed: {problem}")

    def stylesheet(self, node: etree._Element) -> None:
        for child in list(node):
            drop(child)
        text, dropped = _stylesheet(node.text or "")
        if dropped:
            node.text = text
            self.report(node, f"SVG <style>: {', '.join(dropped)} removed: it refers to "
                              "something outside the file")


def _stylesheet(text: str) -> tuple[str, list[str]]:
    """The CSS *text* without rules or declarations that refer outside the file, and
    what went (at-rule keywords and property names)."""
    kept, dropped = [], []
    for rule in tinycss2.parse_stylesheet(text):
        if rule.type == "at-rule":
            if rule.lower_at_keyword in ("media", "supports") and rule.content is not None:
                inner, gone = _stylesheet(tinycss2.serialize(rule.content))
                dropped += gone
                kept.append(f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude)}"
                            f"{{{inner}}}")
            elif rule.lower_at_keyword == "import" or _outside(rule.prelude) \
                    or _outside(rule.content or []):
                dropped.append(f"@{rule.lower_at_keyword}")
            else:
                kept.append(tinycss2.serialize([rule]))
        elif rule.type == "qualified-rule":
            declarations, gone = _declarations(tinycss2.serialize(rule.content))
            dropped += gone
            kept.append(f"{tinycss2.serialize(rule.prelude)}{{{declarations}}}")
        elif rule.type == "error":
            dropped.append("a rule that does not parse")
    if not dropped:
        return text, []
    return "\n".join(kept), dropped


def _declarations(text: str) -> tuple[str, list[str]]:
    """The declarations of *text* (a style attribute or a rule's body) that refer to
    nothing outside the file, and the names of those that do."""
    kept, dropped = [], []
    for declaration in tinycss2.parse_declaration_list(text, skip_comments=True,
                                                       skip_whitespace=True):
        if declaration.type != "declaration":
            continue
        if _outside(declaration.value) or declaration.lower_name in ("behavior",
                                                                     "-moz-binding"):
            dropped.append(declaration.lower_name)
        else:
            important = " !important" if declaration.important else ""
            kept.append(f"{declaration.name}:{tinycss2.serialize(declaration.value)}"
                        f"{important}")
    return (";".join(kept) if dropped else text), dropped


def _outside(tokens) -> bool:
    """Whether CSS *tokens* hold a URL other than ``#…``, or an IE ``expression()``."""
    for token in tokens:
        if token.type == "url" and not token.value.strip().startswith("#"):
            return True
        if token.type == "function":
            if token.lower_name == "expression":
                return True
            if token.lower_name in ("url", "src", "image", "image-set", "cross-fade"):
                strings = [t.value for t in token.arguments if t.type == "string"]
                if not strings or any(not s.strip().startswith("#") for s in strings):
                    return True
            if _outside(token.arguments):
                return True
        if token.type in ("() block", "[] block", "{} block") and _outside(token.content):
            return True
    return False


def _split(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


