"""PDF/X for the print interior: the output intent with its ICC profile, the version
keys in the document information and the XMP metadata, ``Trapped``, fonts checked.

Written with pikepdf on the finished interior (WeasyPrint's own ``pdf/x-*`` variants
would need every part written again, and give no ICC profile of a printing
condition). The levels (ISO 15930):

- ``pdf/x-1a`` (PDF/X-1a:2001, ISO 15930-1): PDF 1.3, colour in CMYK, grey or spot
  only, no transparency, every font embedded, an output intent. A book with RGB
  images or transparency cannot meet it; ``inks.rgb_and_transparency`` says why.
- ``pdf/x-4`` (PDF/X-4, ISO 15930-7): PDF 1.6; colour may be device-independent,
  so DeviceRGB content is given a ``DefaultRGB`` of sRGB (ISO 32000-1, 8.6.5.6)
  on every page and form.

The output intent is CGATS TR 006 (GRACoL 2006, coated): a CMYK characterization
registered with the ICC (``RegistryName`` http://www.color.org), its profile made
from the TR's published data (``icc/NOTICE``). Its grey is the black ink alone:
DeviceGray text prints K only.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pikepdf

from ..errors import BuildError
from .inks import streams

ICC = Path(__file__).resolve().parent / "icc"
OUTPUT_PROFILE = ICC / "CGATS-TR006-coated.icc"
SRGB_PROFILE = ICC / "sRGB.icc"
OUTPUT_CONDITION = "CGATS TR 006"
OUTPUT_CONDITION_INFO = "GRACoL 2006 coated (CGATS TR 006-2007), ISO 12647-2 paper type 1"
REGISTRY = "http://www.color.org"
LEVELS = {
    # level: (PDF version, GTS_PDFXVersion, GTS_PDFXConformance or None)
    "pdf/x-1a": ("1.3", "PDF/X-1:2001", "PDF/X-1a:2001"),
    "pdf/x-4": ("1.6", "PDF/X-4", None),
}


def pdf_version(level: str | None) -> str | None:
    """The PDF version a level asks for (None: whatever the writer chooses)."""
    return LEVELS[level][0] if level else None


def make_pdfx(pdf: pikepdf.Pdf, level: str) -> None:
    """Make *pdf* (every page with its TrimBox) a PDF/X of *level*, in place. Raises
    BuildError if a font is not embedded (no PDF/X can then be claimed)."""
    missing = unembedded_fonts(pdf)
    if missing:
        raise BuildError(f"the print interior cannot be {level.upper()}: these fonts "
                         f"are not embedded: {', '.join(sorted(missing))}")
    _version, name, conformance = LEVELS[level]
    profile = pdf.make_stream(OUTPUT_PROFILE.read_bytes(), N=4)
    pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION),
        OutputCondition=pikepdf.String(OUTPUT_CONDITION_INFO),
        RegistryName=pikepdf.String(REGISTRY), Info=pikepdf.String(OUTPUT_CONDITION_INFO),
        DestOutputProfile=profile)])
    if level == "pdf/x-4":
        _default_rgb(pdf)
    else:
        _drop_unused_colour_spaces(pdf)
        _opaque_graphics_states(pdf)
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta.load_from_docinfo(pdf.docinfo)
        meta["pdfxid:GTS_PDFXVersion"] = name
        meta["pdfx:GTS_PDFXVersion"] = name
        if conformance:
            meta["pdfx:GTS_PDFXConformance"] = conformance
        meta["pdf:Trapped"] = "False"
        # ISO 15930-7 (PDF/X-4) asks for the document's identity in the XMP.
        meta["xmpMM:DocumentID"] = f"uuid:{_document_id(pdf)}"
        meta["xmpMM:VersionID"] = "1"
        meta["xmpMM:RenditionClass"] = "default"
    pdf.docinfo.GTS_PDFXVersion = pikepdf.String(name)
    if conformance:
        pdf.docinfo.GTS_PDFXConformance = pikepdf.String(conformance)
    pdf.docinfo.Trapped = pikepdf.Name("/False")


def _document_id(pdf: pikepdf.Pdf) -> uuid.UUID:
    """The same identifier at every build of the same book: from its title and its
    creation date (the build's timestamp)."""
    info = pdf.docinfo
    return uuid.uuid5(uuid.NAMESPACE_URL,
                      f"folio-print:{info.get('/Title', '')}:{info.get('/CreationDate', '')}")


def _default_rgb(pdf: pikepdf.Pdf) -> None:
    """A DefaultRGB of sRGB in the resources of every page and form (ISO 32000-1,
    8.6.5.6: DeviceRGB is then drawn as that ICC-based space)."""
    srgb = pikepdf.Array([pikepdf.Name.ICCBased,
                          pdf.make_stream(SRGB_PROFILE.read_bytes(), N=3)])
    for target, resources in streams(pdf):
        if not isinstance(resources, pikepdf.Dictionary):
            resources = pikepdf.Dictionary()
            target.Resources = resources
        spaces = resources.get("/ColorSpace")
        if not isinstance(spaces, pikepdf.Dictionary):
            spaces = pikepdf.Dictionary()
            resources.ColorSpace = spaces
        spaces.DefaultRGB = srgb


def _drop_unused_colour_spaces(pdf: pikepdf.Pdf) -> None:
    """Colour spaces named in resources but drawn with nowhere (WeasyPrint names its
    Lab spaces on every page): PDF/X-1a allows no device-independent colour."""
    for target, resources in streams(pdf):
        if not isinstance(resources, pikepdf.Dictionary) or "/ColorSpace" not in resources:
            continue
        used = {str(operand) for instruction in pikepdf.parse_content_stream(target)
                if str(instruction.operator) in ("cs", "CS")
                for operand in instruction.operands}
        spaces = resources.ColorSpace
        for name in list(spaces.keys()):
            if name not in used:
                del spaces[name]


def _opaque_graphics_states(pdf: pikepdf.Pdf) -> None:
    """Graphics states without the PDF 1.4 transparency keys that change nothing
    (alpha 1, no soft mask, the normal blend mode: WeasyPrint sets ``/ca 1`` before
    text), which a PDF/X-1a:2001 (PDF 1.3) checker may take for transparency."""
    neutral = {"/ca": lambda v: float(v) == 1, "/CA": lambda v: float(v) == 1,
               "/SMask": lambda v: str(v) == "/None",
               "/BM": lambda v: str(v) in ("/Normal", "/Compatible"),
               "/AIS": lambda v: not bool(v)}
    for _target, resources in streams(pdf):
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        for state in (resources.get("/ExtGState") or {}).values():
            for key, unchanged in neutral.items():
                if key in state and unchanged(state[key]):
                    del state[key]


def unembedded_fonts(pdf: pikepdf.Pdf) -> set[str]:
    """The base names of the fonts *pdf* uses without their program (Type 3 fonts
    are drawn by the PDF itself and count as embedded)."""
    missing: set[str] = set()
    for _target, resources in streams(pdf):
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        for font in (resources.get("/Font") or {}).values():
            if font.get("/Subtype") == "/Type3":
                continue
            described = font
            if font.get("/Subtype") == "/Type0":
                described = font.DescendantFonts[0]
            descriptor = described.get("/FontDescriptor")
            if descriptor is None or not any(key in descriptor for key in
                                             ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont", "?")).lstrip("/"))
    return missing
