"""What Quarto and bookdown books share: pandoc's Markdown with executable code
cells, YAML front matter, and their own cross-reference labels.

- A code cell (```` ```{python} ````, ```` ```{r label, echo=FALSE} ````) is kept as a
  listing in its language, without its option lines (``#| …``); its output is not
  there, since Folio runs no code: each cell is reported. A cell its book hid
  (``echo: false``) is left out, reported too.
- Cross-references are written as pandoc-crossref writes them: Quarto's
  ``@fig-x`` and ``{#fig-x}`` become ``@fig:x`` and ``{#fig:x}``; bookdown's
  ``\\@ref(fig:x)`` becomes ``@fig:x`` (``tab:`` is ``tbl:``) and ``\\@ref(intro)``,
  a section's label, ``@sec:intro`` with the heading's id made ``sec:intro``.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import pandocast
from .pandocast import Node
from .sourcefiles import SourceTree

# An executable cell's fence names its engine first: ```{r label}, ```{python}; not
# ```{=html} (a raw block) or ```{.python} (pandoc's attributes).
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*\{(?P<info>[A-Za-z][^}]*)\}\s*$")
_OPTION_LINE = re.compile(r"^\s*(#\||//\|)")
_OPTION = re.compile(r"^\s*(#\||//\|)\s*(?P<key>[\w.-]+)\s*:\s*(?P<value>.*)$")
_INLINE_CODE = re.compile(r"`(?:r|\{r\}|\{python\}|\{julia\}) [^`]+`")
CROSSREF_KINDS = ("fig", "tbl", "sec", "eq", "lst", "thm", "lem", "cor", "prp", "cnj", "def",
                  "exm", "exr", "sol", "rem")
_QUARTO_ID = re.compile(rf"^({'|'.join(CROSSREF_KINDS)})-(.+)$")
_BOOKDOWN_REF = re.compile(r"\\@ref\(([-\w:.]+)\)")
_BOOKDOWN_KINDS = {"fig": "fig", "tab": "tbl", "eq": "eq", "thm": "thm", "lem": "lem",
                   "cor": "cor", "prp": "prp", "cnj": "cnj", "def": "def", "exm": "exm",
                   "exr": "exr", "sol": "sol", "rem": "rem", "sec": "sec", "lst": "lst"}
DIAGRAMS = {"mermaid", "dot", "ojs"}


def code_cells(text: str, path: Path, tree: SourceTree) -> str:
    """*text* with each executable cell made a plain listing (see the module)."""
    lines = text.split("\n")
    out: list[str] = []
    shown_cells: list[tuple[int, str]] = []
    hidden_cells: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match is None:
            out.append(lines[index])
            index += 1
            continue
        start, fence = index, match["fence"]
        info = match["info"].strip()
        language = re.split(r"[\s,]+", info)[0].lower() if info else ""
        end = start + 1
        while end < len(lines) and not lines[end].strip().startswith(fence):
            end += 1
        body = lines[start + 1:end]
        options = {}
        while body and _OPTION_LINE.match(body[0]):  # a value may go on over lines
            option = _OPTION.match(body[0])
            if option:
                options[option["key"]] = option["value"].strip()
            body = body[1:]
        hidden = (options.get("echo", "").lower() == "false"
                  or re.search(r"\becho\s*=\s*F(ALSE)?\b", info) is not None
                  or options.get("include", "").lower() == "false"
                  or re.search(r"\binclude\s*=\s*F(ALSE)?\b", info) is not None)
        line = start + 1
        if language in DIAGRAMS:
            tree.note(path, line, f"a {language} diagram is kept as its source text: make "
                                  "it an image (SVG or PNG) and show that instead")
        else:
            (hidden_cells if hidden else shown_cells).append((line, language))
        if not hidden or language in DIAGRAMS:
            out.append(f"{match['indent']}{fence}{language}")
            out.extend(body)
            out.append(f"{match['indent']}{fence}")
        index = end + 1
    _report_cells(tree, path, shown_cells, hidden_cells)
    for number, line in enumerate(lines, start=1):
        if _INLINE_CODE.search(line):
            tree.note(path, number, "inline code that computes a value is printed as code: "
                                    "write the value instead")
    return "\n".join(out)


def _report_cells(tree: SourceTree, path: Path, shown: list[tuple[int, str]],
                  hidden: list[tuple[int, str]]) -> None:
    """One report line a file for its listed cells and one for its hidden ones (a
    book of 40 chapters has a thousand cells), at the first, naming every line."""
    what = ("save a figure as an image, a table as Markdown, and put it after the code")
    if len(shown) == 1:
        tree.note(path, shown[0][0], f"the {shown[0][1]} code cell is kept as a listing, "
                                     f"without its output (Folio runs no code): {what}")
    elif shown:
        tree.note(path, shown[0][0], f"{len(shown)} code cells (lines {_lines(shown)}) are "
                                     "kept as listings, without their output (Folio runs "
                                     f"no code): {what}")
    if len(hidden) == 1:
        tree.note(path, hidden[0][0], f"a hidden {hidden[0][1]} code cell is left out (Folio "
                                      "runs no code): if it made a figure or table, save "
                                      "that and put it here")
    elif hidden:
        tree.note(path, hidden[0][0], f"{len(hidden)} hidden code cells (lines "
                                      f"{_lines(hidden)}) are left out (Folio runs no "
                                      "code): if one made a figure or table, save that and "
                                      "put it in its place")


def _lines(cells: list[tuple[int, str]]) -> str:
    return ", ".join(str(line) for line, _ in cells)


def bookdown_refs(text: str, sections: set[str]) -> str:
    """*text* with bookdown's ``\\@ref(label)`` written as pandoc-crossref's ``@kind:x``;
    the labels of sections (no kind) are added to *sections*."""

    def replace(match: re.Match[str]) -> str:
        label = match[1]
        kind, _, rest = label.partition(":")
        if rest and kind in _BOOKDOWN_KINDS:
            return f"@{_BOOKDOWN_KINDS[kind]}:{rest}"
        sections.add(label)
        return f"@sec:{label}"

    return _BOOKDOWN_REF.sub(replace, text)


def crossref_ids(blocks: list[Node], rename: dict[str, str] | None = None) -> None:
    """Quarto's ids and references (``fig-x``) as pandoc-crossref's (``fig:x``), and the
    ids in *rename* (bookdown's section labels) renamed, in place: ids of every
    element, citations and link fragments."""
    rename = rename or {}

    def new(ident: str) -> str:
        if ident in rename:
            return rename[ident]
        match = _QUARTO_ID.match(ident)
        return f"{match[1]}:{match[2]}" if match else ident

    for node in pandocast.walk(blocks):
        kind, content = node["t"], node.get("c")
        if kind == "Cite":
            for citation in content[0]:
                citation["citationId"] = new(citation["citationId"])
            for inline in content[1]:
                if inline.get("t") == "Str":
                    inline["c"] = re.sub(r"@([\w:.-]+)", lambda m: "@" + new(m[1]),
                                         inline["c"])
        elif kind == "Link":
            url = content[2][0]
            path, hash_sign, fragment = url.partition("#")
            if hash_sign and not re.match(r"^[a-zA-Z][\w+.-]*:", url):
                content[2][0] = f"{path}#{new(fragment)}"
        attr = content[1] if kind == "Header" else content[0] if isinstance(content, list) \
            and content and _is_attr(content[0]) else None
        if attr is not None and attr[0]:
            attr[0] = new(attr[0])


def _is_attr(value: object) -> bool:
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], list) and isinstance(value[2], list))


def meta_value(value: object) -> object:
    """A value of pandoc's metadata (``{"t": "MetaInlines", …}``) as plain Python."""
    if not isinstance(value, dict):
        return value
    kind, content = value.get("t"), value.get("c")
    if kind == "MetaMap":
        return {key: meta_value(item) for key, item in content.items()}
    if kind == "MetaList":
        return [meta_value(item) for item in content]
    if kind in ("MetaInlines", "MetaBlocks"):
        return pandocast.stringify(content)
    return content


def callouts(blocks: list[Node]) -> None:
    """A callout's title (its ``title`` attribute or first heading, which Quarto shows
    as the box's title, not as a section) made a bold first line, in place."""
    for node in pandocast.walk(blocks):
        if node["t"] != "Div" or not any(c.startswith("callout") for c in node["c"][0][1]):
            continue
        attr, content = node["c"]
        title = [kv[1] for kv in attr[2] if kv[0] == "title"]
        attr[2] = [kv for kv in attr[2] if kv[0] != "title"]
        if content and content[0]["t"] == "Header":
            inlines = content.pop(0)["c"][2]
            content.insert(0, {"t": "Para", "c": [{"t": "Strong", "c": inlines}]})
        elif title:
            content.insert(0, {"t": "Para", "c": [{"t": "Strong",
                                                   "c": pandocast.text_inlines(title[0])}]})
