"""The inks of the print interior: black text and rules in black ink only (K), and
what in a PDF would still need the printer to convert colour.

WeasyPrint sets every colour as DeviceRGB (``0 0 0 rg``), which a printer's RIP
turns into four-colour black on a CMYK press, or sends through a colour
conversion on a black-and-white one: a black-and-white interior should carry its
greys as DeviceGray, which prints with the black ink alone (IngramSpark and Lulu:
"grayscale" for black-and-white interiors). The content streams of every page, form
XObject and tiling pattern are rewritten: a neutral colour (three equal components)
becomes the same grey (``g``/``G``); in a black-and-white interior any other colour
becomes its grey by ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B), the weights
Ghostscript uses to render RGB in DeviceGray. Images are not touched (a photograph
in RGB stays RGB, for the printer's own grey conversion or, in PDF/X-4, through
the sRGB DefaultRGB of ``pdfx``); ``rgb_and_transparency`` names them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf

LUMA = (0.299, 0.587, 0.114)  # ITU-R BT.601
_GREY_OF = {"rg": "g", "RG": "G"}


def grey(red: float, green: float, blue: float) -> float:
    """The grey (0 black to 1 white) that prints a colour's lightness in black ink."""
    if red == green == blue:
        return red
    return round(sum(weight * value for weight, value in zip(LUMA, (red, green, blue),
                                                              strict=True)), 4)


def streams(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
    """Every content stream of *pdf* that draws (pages, form XObjects, tiling
    patterns, each once) with its resource dictionary (or None)."""
    seen: set[tuple[int, int]] = set()
    pending: list[pikepdf.Object] = []
    for page in pdf.pages:
        page.contents_coalesce()
        yield page.obj, page.obj.get("/Resources")
        pending.append(page.obj.get("/Resources"))
    while pending:
        resources = pending.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        for kind in ("/XObject", "/Pattern"):
            for item in (resources.get(kind) or {}).values():
                if not isinstance(item, pikepdf.Stream) or item.objgen in seen:
                    continue
                seen.add(item.objgen)
                if item.get("/Subtype") == "/Form" or item.get("/PatternType") == 1:
                    yield item, item.get("/Resources")
                    pending.append(item.get("/Resources"))


def _content(target: pikepdf.Object) -> list:
    return list(pikepdf.parse_content_stream(target))


def _write(pdf: pikepdf.Pdf, target: pikepdf.Object, instructions: list) -> None:
    data = pikepdf.unparse_content_stream(instructions)
    if isinstance(target, pikepdf.Stream):
        target.write(data)
    else:
        target.Contents = pdf.make_stream(data)


def black_ink_only(pdf: pikepdf.Pdf, every_colour: bool) -> int:
    """Rewrite *pdf*'s ``rg``/``RG`` colours as DeviceGray: the neutral ones, or
    (*every_colour*, a black-and-white interior) all of them. Returns how many
    operators were rewritten."""
    changed = 0
    for target, _resources in streams(pdf):
        instructions = _content(target)
        touched = False
        for number, instruction in enumerate(instructions):
            operator = str(instruction.operator)
            if operator not in _GREY_OF:
                continue
            red, green, blue = (float(value) for value in instruction.operands)
            if not every_colour and not red == green == blue:
                continue
            instructions[number] = pikepdf.ContentStreamInstruction(
                [grey(red, green, blue)], pikepdf.Operator(_GREY_OF[operator]))
            touched = True
            changed += 1
        if touched:
            _write(pdf, target, instructions)
    return changed


def rgb_operators(pdf: pikepdf.Pdf, neutral_only: bool = False) -> list[str]:
    """The ``rg``/``RG`` operators left in *pdf*'s content (*neutral_only*: those
    with three equal components, which should have been grey), as ``r g b rg``."""
    found = []
    for target, _resources in streams(pdf):
        for instruction in _content(target):
            if str(instruction.operator) in _GREY_OF:
                values = [float(value) for value in instruction.operands]
                if not neutral_only or len(set(values)) == 1:
                    found.append(f"{' '.join(f'{v:g}' for v in values)} "
                                 f"{instruction.operator}")
    return found


def rgb_and_transparency(pdf: pikepdf.Pdf) -> list[str]:
    """What keeps *pdf* from PDF/X-1a (ISO 15930-4: CMYK, grey and spot colour only,
    no transparency), in words: RGB operators, RGB or calibrated images and
    shadings, soft masks, constant alpha below 1, blend modes, transparency groups."""
    problems: set[str] = set()
    if rgb_operators(pdf):
        problems.add("colours in RGB")
    for target, resources in streams(pdf):
        if isinstance(target, pikepdf.Dictionary) and "/Group" in target:
            problems.add("a transparency group")
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        for state in (resources.get("/ExtGState") or {}).values():
            if any(float(state.get(key, 1)) < 1 for key in ("/ca", "/CA")):
                problems.add("transparency (opacity below 1)")
            if str(state.get("/SMask", "/None")) != "/None":
                problems.add("a soft mask")
            if str(state.get("/BM", "/Normal")) not in ("/Normal", "/Compatible"):
                problems.add("a blend mode")
        for item in (resources.get("/XObject") or {}).values():
            if item.get("/Subtype") != "/Image":
                continue
            if "/SMask" in item:
                problems.add("an image with an alpha channel")
            if not _device_cmyk_or_grey(item.get("/ColorSpace")) and \
                    not item.get("/ImageMask", False):
                problems.add("an image in RGB or a calibrated colour space")
        for shading in (resources.get("/Shading") or {}).values():
            if not _device_cmyk_or_grey(shading.get("/ColorSpace")):
                problems.add("a gradient in RGB")
    return sorted(problems)


def _device_cmyk_or_grey(space) -> bool:
    if space is None:
        return False
    if isinstance(space, pikepdf.Array) and len(space) and space[0] == "/Indexed":
        return _device_cmyk_or_grey(space[1])
    return str(space) in ("/DeviceGray", "/DeviceCMYK", "/G", "/CMYK")
