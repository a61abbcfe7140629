"""One embedded program a typeface in a joined PDF.

Each part's PDF embeds its own subset of every face it uses (WeasyPrint keeps the
glyph ids of the original font), so a book joined from many parts would carry
many copies of each face. Here every face is cut once more from the theme's
font file, to the glyphs all parts use together, and every part's descriptor
points at that one program; widths and text maps stay the parts' own."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pikepdf
import uharfbuzz as hb

# As WeasyPrint subsets: tables a PDF renderer does not read are dropped.
_DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH",
                   "PCLT", "SVG ")


def share_font_programs(book: pikepdf.Pdf, font_files: list[Path]) -> None:
    """Replace the parts' subsets of each face in *book* by one subset of the face's
    file among *font_files* (the theme's and the fallback faces'; matched by
    PostScript name, a collection's faces each by its own)."""
    by_name: dict[str, list[pikepdf.Dictionary]] = defaultdict(list)
    glyphs: dict[str, set[int]] = defaultdict(lambda: {0})
    seen: set[tuple[int, int]] = set()
    for font in _cid_fonts(book):
        if font.objgen in seen:
            continue
        seen.add(font.objgen)
        descriptor = font.get("/FontDescriptor")
        if descriptor is None or _program_key(descriptor) is None:
            continue
        name = str(descriptor.FontName)
        by_name[name].append(descriptor)
        glyphs[name] |= _widths_glyphs(font.get("/W", pikepdf.Array()))
    originals = _originals(font_files)
    for name, descriptors in by_name.items():
        key = _program_key(descriptors[0])
        if any(_program_key(d) != key for d in descriptors):
            continue
        programs = {d[key].objgen for d in descriptors}
        if len(programs) < 2:
            continue
        source = originals.get(_postscript_name(descriptors[0][key].read_bytes()))
        if source is None:
            continue
        program = pikepdf.Stream(book, _subset(*source, glyphs[name]))
        if key == "/FontFile3":
            program.Subtype = pikepdf.Name.OpenType
        program = book.make_indirect(program)
        for descriptor in descriptors:
            descriptor[key] = program


def _program_key(descriptor: pikepdf.Dictionary) -> str | None:
    """Where *descriptor* keeps its font program: /FontFile3 (OpenType, CFF outlines)
    or /FontFile2 (TrueType outlines, as Noto's Arabic and Hebrew faces have)."""
    return next((key for key in ("/FontFile3", "/FontFile2") if key in descriptor), None)


def _cid_fonts(book: pikepdf.Pdf):
    """The CID fonts of every page, and of the form XObjects a page draws (the folio
    layers, ``join``)."""
    for page in book.pages:
        resources = [page.obj.get("/Resources", {})]
        while resources:
            current = resources.pop()
            fonts = current.get("/Font", {})
            for font in fonts.values() if isinstance(fonts, pikepdf.Dictionary) else []:
                yield from font.get("/DescendantFonts", [])
            forms = current.get("/XObject", {})
            for form in forms.values() if isinstance(forms, pikepdf.Dictionary) else []:
                if form.get("/Subtype") == "/Form" and "/Resources" in form:
                    resources.append(form.Resources)


def _widths_glyphs(widths: pikepdf.Array) -> set[int]:
    """The glyph ids a /W array gives widths for (WeasyPrint writes ``c [w …]`` runs)."""
    found: set[int] = set()
    index = 0
    while index < len(widths):
        first = int(widths[index])
        if isinstance(widths[index + 1], pikepdf.Array):
            found.update(range(first, first + len(widths[index + 1])))
            index += 2
        else:
            found.update(range(first, int(widths[index + 1]) + 1))
            index += 3
    return found


def _postscript_name(program: bytes) -> str | None:
    face = hb.Face(hb.Blob(program))
    return face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME)


def _originals(font_files: list[Path]) -> dict[str, tuple[bytes, int]]:
    """{PostScript name: (the file's bytes, the face's index)} of every face of
    *font_files*, each face of a collection (Noto CJK's .ttc) by its own name."""
    originals: dict[str, tuple[bytes, int]] = {}
    for path in font_files:
        data = path.read_bytes()
        blob = hb.Blob(data)
        for index in range(max(1, hb.Face(blob).count)):
            name = hb.Face(blob, index).get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME)
            if name:
                originals.setdefault(name, (data, index))
    return originals


def _subset(font: bytes, index: int, glyphs: set[int]) -> bytes:
    wanted = hb.SubsetInput()
    wanted.glyph_set.update(glyphs)
    wanted.flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
                    | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NOTDEF_OUTLINE)
    wanted.drop_table_tag_set.update(int.from_bytes(tag.encode(), "big")
                                     for tag in _DROPPED_TABLES)
    subset = hb.subset(hb.Face(hb.Blob(font), index), wanted)
    if subset is None:
        raise ValueError("HarfBuzz could not subset a theme font")
    return subset.blob.data
